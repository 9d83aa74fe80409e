// The register's paging, without a server: the phases' visibility queries and the page tokens.
import { decodePageToken, encodePageToken, phaseQuery, registerCsvHeader, registerCsvLine } from '../client/register-query';
import type { LetterRow } from '../client/queries';

const base = 'WorkflowType = "letter" AND RoundId = "r"';
const at = '2026-12-02T12:00:00.000Z';

test('each phase narrows the round: overdue, the other running letters, the finished ones', () => {
  expect(phaseQuery(base, 'overdue', at)).toBe(`${base} AND ExecutionStatus = "Running" AND NextActionAt < "${at}"`);
  expect(phaseQuery(base, 'open', new Date(at))).toBe(`${base} AND ExecutionStatus = "Running" AND (NextActionAt >= "${at}" OR NextActionAt IS NULL)`);
  expect(phaseQuery(base, 'closed', at)).toBe(`${base} AND ExecutionStatus != "Running"`);
});

test('a page token round-trips, is opaque (base64url), and pins the moment overdue is measured against', () => {
  const token = encodePageToken({ phase: 'open', at, token: Buffer.from([0, 255, 7]).toString('base64') });
  expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
  expect(decodePageToken(token)).toEqual({ phase: 'open', at, token: 'AP8H' });
  expect(decodePageToken(encodePageToken({ phase: 'closed', at }))).toEqual({ phase: 'closed', at });
});

test.each([
  ['not base64url', 'a b', 'expected base64url text'],
  ['not JSON', Buffer.from('{nope').toString('base64url'), 'it does not decode to JSON'],
  ['another format', Buffer.from(JSON.stringify({ v: 2, phase: 'open', at })).toString('base64url'), 'unknown format'],
  ['a phase we do not have', Buffer.from(JSON.stringify({ v: 1, phase: 'late', at })).toString('base64url'), 'phase must be one of overdue, open, closed'],
  ['a bad instant', Buffer.from(JSON.stringify({ v: 1, phase: 'open', at: 'soon' })).toString('base64url'), 'at must be an ISO 8601 instant'],
  ['a server token that is not base64', Buffer.from(JSON.stringify({ v: 1, phase: 'open', at, token: '%%' })).toString('base64url'), 'token must be base64'],
])('a token that is %s is refused with what was expected', (_what, token, why) => {
  expect(() => decodePageToken(token)).toThrow(`is not one this register gave out (${why}); start again from the first page`);
  expect(() => decodePageToken(token)).toThrow(expect.objectContaining({ name: 'UserError' }));
});

test('the CSV of register rows: a BOM and header, one CRLF line per row, formulas defused', () => {
  const row: LetterRow = {
    workflowId: 'r/a',
    roundId: 'r',
    letterId: 'a',
    state: 'chased',
    executionStatus: 'RUNNING',
    nextActionAt: at,
    outstanding: ['problemProfile'],
    startTime: at,
    recipient: { name: '=HYPERLINK("x")', organisation: 'Office, North' },
    letterDate: '2020-10-13',
    requested: ['problemProfile', 'responseStrategy'],
    progress: { next: 'escalate', answered: {} },
  };
  expect(registerCsvHeader()).toMatch(/^\uFEFFRound,Letter,Workflow id,Recipient,Role,Organisation,State,/);
  expect(registerCsvLine(row)).toBe(
    `r,a,r/a,"'=HYPERLINK(""x"")",,"Office, North",chased,Chased: reminder sent,2020-10-13,escalate,${at},problemProfile,problemProfile;responseStrategy,RUNNING\r\n`,
  );
});
