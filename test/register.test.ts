// The register's filter, search, sort and paging (client/register.ts): pure functions over
// listing rows, no server. The dashboard's register page over a 10,000-letter round is
// test/web.register.test.ts.
import type { LetterRow } from '../client/queries';
import { comparator, matchesSearch, readRegisterQuery, registerOrder, selectRegister, type RegisterQuery } from '../client/register';

const now = new Date('2026-03-10T12:00:00Z');
const hoursFromNow = (h: number) => new Date(now.getTime() + h * 3_600_000).toISOString();

function row(letterId: string, extra: Partial<LetterRow> = {}): LetterRow {
  return {
    workflowId: `r1/${letterId}`,
    roundId: 'r1',
    letterId,
    state: 'awaiting',
    executionStatus: 'Running',
    nextActionAt: null,
    outstanding: [],
    startTime: '2026-03-01T09:00:00Z',
    ...extra,
  };
}

const recipient = (name: string, organisation: string) => ({ name, role: 'Commissioner', organisation, email: 'x@example.org', cc: [], escalateTo: [] });

const rows: LetterRow[] = [
  row('kent', { state: 'chased', nextActionAt: hoursFromNow(-2), outstanding: ['problemProfile'], recipient: recipient('Matthew Scott', 'Kent PCC') }),
  row('essex', { state: 'awaiting', nextActionAt: hoursFromNow(5), outstanding: ['problemProfile', 'responseStrategy'], recipient: recipient('Roger Hirst', 'Essex PFCC') }),
  row('letter-10', { state: 'complete' }),
  row('letter-9', { state: 'partial', nextActionAt: hoursFromNow(-30), outstanding: ['deliveryUpdate'] }),
  row('notts', { state: 'unknown', nextActionAt: hoursFromNow(1), recipient: recipient('Caroline Henry', 'Nottinghamshire OPCC') }),
];

const query = (q: Partial<RegisterQuery> = {}): RegisterQuery => ({ filter: '', search: '', sort: 'next', dir: 'asc', page: 1, ...q });
const ids = (rs: LetterRow[]) => rs.map((r) => r.letterId);

describe('readRegisterQuery', () => {
  test('reads each parameter', () => {
    expect(readRegisterQuery({ state: 'overdue', q: '  Kent ', sort: 'recipient', dir: 'desc', page: '3' })).toEqual({
      filter: 'overdue',
      search: 'Kent',
      sort: 'recipient',
      dir: 'desc',
      page: 3,
    });
    expect(readRegisterQuery({ state: 'paused' }).filter).toBe('paused');
    expect(readRegisterQuery({ state: 'unknown' }).filter).toBe('unknown');
  });

  test('anything not understood is the default, never an error', () => {
    expect(readRegisterQuery({})).toEqual(query());
    expect(readRegisterQuery({ state: 'lost', sort: 'colour', dir: 'up', page: 'x' })).toEqual(query());
    expect(readRegisterQuery({ page: '-4' }).page).toBe(1);
    expect(readRegisterQuery({ page: '0' }).page).toBe(1);
    // A repeated parameter: the first counts.
    expect(readRegisterQuery({ state: ['chased', 'awaiting'], q: ['a', 'b'] })).toMatchObject({ filter: 'chased', search: 'a' });
  });

  test('a search is cut to 200 characters', () => {
    expect(readRegisterQuery({ q: 'x'.repeat(500) }).search).toHaveLength(200);
  });
});

describe('order', () => {
  test('registerOrder: overdue first (earliest next action), then letter id; finished letters last', () => {
    expect(ids([...rows].sort(registerOrder))).toEqual(['letter-9', 'kent', 'notts', 'essex', 'letter-10']);
  });

  test('by letter id, with numbers in order', () => {
    expect(ids([...rows].sort(comparator('letter', 'asc')))).toEqual(['essex', 'kent', 'letter-9', 'letter-10', 'notts']);
    expect(ids([...rows].sort(comparator('letter', 'desc')))).toEqual(['notts', 'letter-10', 'letter-9', 'kent', 'essex']);
  });

  test('by recipient or organisation: letters without a memo last ascending, first descending', () => {
    expect(ids([...rows].sort(comparator('recipient', 'asc')))).toEqual(['notts', 'kent', 'essex', 'letter-9', 'letter-10']);
    expect(ids([...rows].sort(comparator('organisation', 'asc')))).toEqual(['essex', 'kent', 'notts', 'letter-9', 'letter-10']);
    expect(ids([...rows].sort(comparator('organisation', 'desc')))).toEqual(['letter-10', 'letter-9', 'notts', 'kent', 'essex']);
  });

  test('by state in the order LETTER_STATES lists them, unknown last', () => {
    expect(ids([...rows].sort(comparator('state', 'asc')))).toEqual(['essex', 'letter-9', 'kent', 'letter-10', 'notts']);
  });

  test('by documents outstanding, ties in register order', () => {
    expect(ids([...rows].sort(comparator('outstanding', 'asc')))).toEqual(['notts', 'letter-10', 'letter-9', 'kent', 'essex']);
  });
});

describe('matchesSearch', () => {
  test('letter id, recipient or organisation, ignoring case', () => {
    expect(ids(rows.filter((r) => matchesSearch(r, 'KENT')))).toEqual(['kent']);
    expect(ids(rows.filter((r) => matchesSearch(r, 'hirst')))).toEqual(['essex']);
    expect(ids(rows.filter((r) => matchesSearch(r, 'opcc')))).toEqual(['notts']);
    expect(ids(rows.filter((r) => matchesSearch(r, 'letter')))).toEqual(['letter-10', 'letter-9']);
    expect(rows.filter((r) => matchesSearch(r, ''))).toHaveLength(rows.length);
    expect(rows.filter((r) => matchesSearch(r, 'Commissioner'))).toHaveLength(0);
  });
});

describe('selectRegister', () => {
  test('counts the whole round whatever the filter', () => {
    const s = selectRegister(rows, query({ filter: 'complete' }), 50, now);
    expect(s.counts).toEqual({ chased: 1, awaiting: 1, complete: 1, partial: 1, unknown: 1 });
    expect(s.overdue).toBe(2);
    expect(ids(s.rows)).toEqual(['letter-10']);
    expect(s.matching).toBe(1);
  });

  test('overdue: next action already past', () => {
    expect(ids(selectRegister(rows, query({ filter: 'overdue' }), 50, now).rows)).toEqual(['letter-9', 'kent']);
  });

  test('filter and search together', () => {
    const s = selectRegister(rows, query({ filter: 'partial', search: 'letter' }), 50, now);
    expect(ids(s.rows)).toEqual(['letter-9']);
    expect(selectRegister(rows, query({ filter: 'unknown' }), 50, now).matching).toBe(1);
  });

  test('pages: the one asked for, the last when asked beyond it, one empty page when nothing matches', () => {
    const p2 = selectRegister(rows, query({ sort: 'letter', page: 2 }), 2, now);
    expect([p2.page, p2.pages, p2.matching, ids(p2.rows)]).toEqual([2, 3, 5, ['letter-9', 'letter-10']]);
    const beyond = selectRegister(rows, query({ sort: 'letter', page: 99 }), 2, now);
    expect([beyond.page, ids(beyond.rows)]).toEqual([3, ['notts']]);
    const none = selectRegister(rows, query({ search: 'nobody' }), 2, now);
    expect([none.page, none.pages, none.matching, none.rows]).toEqual([1, 1, 0, []]);
  });

  test('leaves the listing as it was', () => {
    const before = ids(rows);
    selectRegister(rows, query({ sort: 'letter', dir: 'desc' }), 2, now);
    expect(ids(rows)).toEqual(before);
  });
});
