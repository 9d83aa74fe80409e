// The register of a 10,000-letter round: visibility asked only for the page shown (overdue
// letters, then the other running ones, then finished ones; client/register-query.ts) and the
// counts, rows carrying each letter's recipient in its memo, so no status query for those; a
// status query only for the letters on the page started without a memo (before it existed);
// overdue first, sorting, filtering and paging (next-page links carry the page token). Letters
// come from a stand-in client (no Temporal server needed to hold 10,000 workflows) that answers
// visibility's page tokens and counts the way the server does.
import { letterMemo } from '../client/letter-memo';
import type { DocumentKey } from '../domain/documents';
import { LETTER_STATES, type LetterState } from '../domain/states';
import { fakeClient, startDashboard, WebAgent, type Dashboard, type FakeLetter } from './support/browser';

const HOUR = 3_600_000;
const now = Date.now();
const states: LetterState[] = ['awaiting', 'partial', 'chased', 'escalated', 'complete', 'declined', 'paused'];

/** The memo startLetters gives a letter (the same recipient the stand-in's status query answers with). */
const memoOf = (letterId: string) =>
  letterMemo({
    recipient: { name: `Recipient of ${letterId}`, role: 'Police and Crime Commissioner', organisation: `Office of ${letterId}`, email: `${letterId}@example.org`, cc: [], escalateTo: [] },
    letterDate: '2020-10-13',
    documents: ['problemProfile', 'responseStrategy', 'deliveryUpdate'],
  });

// Started before the memo existed, so without one: letter-1 to letter-10 and the first overdue
// letter, letter-9003. letter-11 has a memo of a format this code does not know. letter-12 to
// letter-20 have the register memo but started before the workflow published its progress.
const withoutMemo = (i: number) => i < 10 || i === 9002;
const withoutProgress = (i: number) => i < 20;

/** The progress memo the workflow keeps: documents no longer outstanding, with their dates. */
function progressOf(state: LetterState, outstanding: DocumentKey[], nextActionAt: string | null) {
  const answered = Object.fromEntries(
    (['problemProfile', 'responseStrategy', 'deliveryUpdate'] as const)
      .filter((k) => !outstanding.includes(k))
      .map((k) => [k, state === 'declined' ? { declinedOn: '2020-11-03' } : { receivedOn: '2020-11-02' }]),
  );
  return { progress: { next: nextActionAt ? (state === 'escalated' ? 'close' : 'chase') : null, answered } };
}

function bigRound(): FakeLetter[] {
  return Array.from({ length: 10_000 }, (_, i) => {
    const state = states[i % states.length];
    const finished = state === 'complete' || state === 'declined';
    // Three letters are overdue, and they sort late by name.
    const overdueRank = [9002, 9500, 9999].indexOf(i);
    const nextActionAt =
      finished || state === 'paused' ? null : new Date(overdueRank >= 0 ? now - (3 - overdueRank) * HOUR : now + (i + 1) * HOUR).toISOString();
    const outstanding = (finished ? [] : state === 'partial' ? ['responseStrategy'] : ['problemProfile', 'responseStrategy']) as DocumentKey[];
    return {
      roundId: 'big',
      letterId: `letter-${i + 1}`,
      state,
      nextActionAt,
      outstanding,
      executionStatus: finished ? 'COMPLETED' : 'RUNNING',
      memo: withoutMemo(i)
        ? undefined
        : i === 10
          ? { register: { v: 2, to: 'someone' } }
          : { ...memoOf(`letter-${i + 1}`), ...(withoutProgress(i) ? {} : progressOf(state, outstanding, nextActionAt)) },
    };
  });
}

const small: FakeLetter[] = [
  { roundId: 'small', letterId: 'kent', state: 'complete', nextActionAt: null, outstanding: [], executionStatus: 'COMPLETED' },
  { roundId: 'small', letterId: 'london', state: 'awaiting', nextActionAt: new Date(now + HOUR).toISOString(), outstanding: ['deliveryUpdate'] },
];

// A memo is data from the server like any other: escaped when shown.
const tricky: FakeLetter[] = [
  {
    roundId: 'tricky',
    letterId: 'x',
    state: 'awaiting',
    nextActionAt: new Date(now + HOUR).toISOString(),
    outstanding: ['problemProfile'],
    memo: letterMemo({
      recipient: { name: '<script>alert(1)</script>', role: '<b>bold</b>', organisation: 'A & B "Office"', email: 'x@example.org', cc: [], escalateTo: [] },
      letterDate: '2020-10-13',
      documents: ['problemProfile'],
    }),
  },
];

let dashboard: Dashboard;
let fake: ReturnType<typeof fakeClient>;
let agent: WebAgent;

beforeAll(async () => {
  fake = fakeClient([...bigRound(), ...small, ...tricky]);
  dashboard = await startDashboard(fake.client, { users: [['viv', 'viewer']] });
  agent = new WebAgent(dashboard.url);
  expect((await agent.signIn('viv', dashboard.passwords.viv)).status).toBe(303);
});

afterAll(async () => {
  await dashboard?.close();
});

const rowIds = (page: string) => [...page.matchAll(/<tr data-letter="([^"]+)">/g)].map((m) => m[1]);
const rowOf = (page: string, letterId: string) => new RegExp(`<tr data-letter="${letterId}">[\\s\\S]*?</tr>`).exec(page)?.[0] ?? '';

function resetCalls() {
  fake.calls.list = fake.calls.query = fake.calls.result = fake.calls.describe = fake.calls.count = 0;
}

/** The counts of a round: one GROUP BY ExecutionStatus, one for overdue, one per state, in parallel. */
const COUNTS = 2 + Object.keys(LETTER_STATES).length;
const nextHref = (page: string) => /<a href="([^"]+)" rel="next">/.exec(page)?.[1]?.replace(/&amp;/g, '&');

test('a page of a 10,000-letter register: visibility asked for that page and the counts, a status only for each row without a memo, overdue letters first', async () => {
  resetCalls();
  const started = Date.now();
  const page = await agent.get('/rounds/big');
  const took = Date.now() - started;
  expect(page.status).toBe(200);
  // One request for the overdue letters (3), one for the other running letters filling the page.
  expect(fake.calls.list).toBe(2);
  expect(fake.calls.count).toBe(COUNTS);
  // Page 1 is the three overdue letters, then the first 47 other running letters visibility
  // gives, by next action within the page: letter-1 to letter-4, letter-7 (paused) to letter-11,
  // ... Ten of them have no memo this code can read (letter-1 to letter-4, letter-7 to letter-11,
  // letter-9003): one status query each, and none for the rest.
  expect(fake.calls.query).toBe(10);
  expect(fake.calls.result).toBe(0);
  expect(fake.calls.describe).toBe(0);
  expect(took).toBeLessThan(3000);

  const ids = rowIds(page.text);
  expect(ids).toHaveLength(50);
  expect(ids.slice(0, 4)).toEqual(['letter-9003', 'letter-9501', 'letter-10000', 'letter-1']);
  expect(page.text).toContain('<strong>10000</strong> letters · <strong>3</strong> overdue');
  expect(page.text).toContain('Page 1 of 200');
  expect(page.text).toContain('Letters 1 to 50 of 10000.');
  expect(page.text).toContain('<progress id="round-progress" max="10000" value="2856">');

  // Without a memo: the row from the letter's status (received dates, the next action's kind).
  const fromStatus = rowOf(page.text, 'letter-9003');
  expect(fromStatus).toContain('Recipient of letter-9003');
  expect(fromStatus).toContain('Office of letter-9003');
  expect(fromStatus).toContain('Send a reminder');
  expect(rowOf(page.text, 'letter-2')).toContain('Problem Profile / Strategic Needs Assessment: <span class="received">received Monday 2 November 2020</span>');
  expect(rowOf(page.text, 'letter-11')).toContain('Recipient of letter-11');
  // With both memos: the whole row from the listing alone, dates and the next action's kind too.
  const fromMemos = rowOf(page.text, 'letter-9501');
  expect(fromMemos).toContain('Recipient of letter-9501');
  expect(fromMemos).toContain('Problem Profile / Strategic Needs Assessment: <span class="received">received Monday 2 November 2020</span>');
  expect(fromMemos).toContain('Response Strategy: <span class="outstanding">outstanding</span>');
  expect(fromMemos).toContain('Send a reminder');
  expect(fromMemos).toContain('Overdue');
  // With the register memo only (started before the workflow published progress): which
  // documents are outstanding from the search attribute; their dates are on the letter's page.
  const fromMemo = rowOf(page.text, 'letter-16');
  expect(fromMemo).toContain('Recipient of letter-16<br><span class="muted">Police and Crime Commissioner</span>');
  expect(fromMemo).toContain('<td data-label="Organisation">Office of letter-16</td>');
  expect(fromMemo).toContain('Problem Profile / Strategic Needs Assessment: <span class="answered">received or declined</span>');
  expect(fromMemo).toContain('Response Strategy: <span class="outstanding">outstanding</span>');
  expect(fromMemo).toContain('Updates on progress on delivery: <span class="answered">received or declined</span>');
  expect(fromMemo).toContain('Partly answered');
  expect(fromMemo).not.toContain('Not available');
});

test('the next-page link carries the page token: one visibility request, and no status for a page whose letters all have a memo', async () => {
  const href = nextHref((await agent.get('/rounds/big')).text);
  expect(href).toMatch(/^\/rounds\/big\?after=[A-Za-z0-9_-]+&page=2$/);
  resetCalls();
  const page = await agent.get(href!);
  expect(page.status).toBe(200);
  const ids = rowIds(page.text);
  expect(ids).toHaveLength(50);
  expect(ids[0]).toBe('letter-66');
  expect(fake.calls).toEqual({ list: 1, query: 0, result: 0, describe: 0, count: COUNTS });
  expect(page.text).toContain('Page 2 of 200');
  expect(page.text).toContain('Letters 51 to 100 of 10000.');
  expect(page.text).toContain('<a href="/rounds/big" rel="first">First page</a>');
  // ?page=2 without a token walks page 1's token: the same letters.
  expect(rowIds((await agent.get('/rounds/big?page=2')).text)).toEqual(ids);
  // The token of page 3, from page 2's link, continues where page 2 ended.
  const third = rowIds((await agent.get(nextHref(page.text)!)).text);
  expect(third).toHaveLength(50);
  expect(third.filter((id) => ids.includes(id))).toEqual([]);
  for (const id of ids) expect(rowOf(page.text, id)).toContain(`<td data-label="Organisation">Office of ${id}</td>`);
  expect(page.text).not.toContain('Not available');
});

test('paging, sorting and filtering the register', async () => {
  const last = await agent.get('/rounds/big?page=200');
  expect(rowIds(last.text)).toHaveLength(50);
  expect(last.text).toContain('Page 200 of 200');
  expect(last.text).toContain('rel="prev"');
  expect(last.text).not.toContain('rel="next"');
  // Past the end: the last page.
  expect(rowIds((await agent.get('/rounds/big?page=999')).text)).toEqual(rowIds(last.text));

  const byLetter = rowIds((await agent.get('/rounds/big?sort=letter')).text);
  expect(byLetter.slice(0, 3)).toEqual(['letter-1', 'letter-2', 'letter-3']);
  const byLetterDesc = rowIds((await agent.get('/rounds/big?sort=letter&dir=desc')).text);
  expect(byLetterDesc.slice(0, 3)).toEqual(['letter-10000', 'letter-9999', 'letter-9998']);
  // By recipient or organisation: within the page shown (names from the memos; the page says so),
  // numbers in names in numeric order; letters without a readable memo (on page 1: letter-1 to
  // letter-4, letter-7 to letter-11, letter-9003) last.
  const firstPage = rowIds((await agent.get('/rounds/big')).text);
  const withoutMemo = ['letter-1', 'letter-10', 'letter-11', 'letter-2', 'letter-3', 'letter-4', 'letter-7', 'letter-8', 'letter-9', 'letter-9003'];
  resetCalls();
  const byRecipient = await agent.get('/rounds/big?sort=recipient');
  expect(fake.calls.list).toBe(2);
  const recipientIds = rowIds(byRecipient.text);
  expect([...recipientIds].sort()).toEqual([...firstPage].sort());
  expect(recipientIds.slice(0, 3)).toEqual(['letter-14', 'letter-15', 'letter-16']);
  expect(recipientIds.slice(-10).sort()).toEqual(withoutMemo);
  expect(byRecipient.text).toContain('Sorted within this page only');
  const byOrganisationDesc = rowIds((await agent.get('/rounds/big?sort=organisation&dir=desc')).text);
  expect(byOrganisationDesc.slice(0, 10).sort()).toEqual(withoutMemo);
  expect(byOrganisationDesc.slice(10, 12)).toEqual(['letter-10000', 'letter-9501']);
  const secondByRecipient = await agent.get('/rounds/big?sort=recipient&page=2');
  expect(rowIds(secondByRecipient.text).sort()).toEqual(rowIds((await agent.get('/rounds/big?page=2')).text).sort());
  expect(secondByRecipient.text).toContain('Page 2 of 200');
  expect(nextHref(secondByRecipient.text)).toMatch(/[?&]sort=recipient(&|$)/);

  resetCalls();
  const overdue = await agent.get('/rounds/big?state=overdue');
  expect(rowIds(overdue.text)).toEqual(['letter-9003', 'letter-9501', 'letter-10000']);
  // Only letter-9003 has no memo.
  expect(fake.calls.query).toBe(1);

  resetCalls();
  const complete = await agent.get('/rounds/big?state=complete&page=2');
  const ids = rowIds(complete.text);
  expect(ids).toHaveLength(50);
  expect(complete.text).toContain('Letters 51 to 100 of 1428');
  expect(ids.every((id) => (Number(id.slice('letter-'.length)) - 1) % states.length === states.indexOf('complete'))).toBe(true);
  expect(complete.text).toContain('Complete: every requested document received or declined');
  expect(fake.calls.query + fake.calls.result).toBe(0);

  // A made-up filter or sort is ignored rather than trusted.
  const odd = await agent.get('/rounds/big?state=%3Cscript%3E&sort=evil');
  expect(odd.status).toBe(200);
  expect(odd.text).not.toContain('<script>');
  expect(rowIds(odd.text)[0]).toBe('letter-9003');
});

test('a finished letter without a memo is read from its workflow result, an open one by its status query', async () => {
  resetCalls();
  const page = await agent.get('/rounds/small');
  expect(rowIds(page.text)).toEqual(['london', 'kent']);
  // One visibility request per phase (overdue: none, running: london, finished: kent).
  expect(fake.calls).toEqual({ list: 3, query: 1, result: 1, describe: 0, count: COUNTS });
  expect(rowOf(page.text, 'kent')).toContain('Recipient of kent');
  expect(rowOf(page.text, 'london')).toContain('Recipient of london');
});

test("a memo's text is escaped like every other value", async () => {
  const page = await agent.get('/rounds/tricky');
  const row = rowOf(page.text, 'x');
  expect(row).toContain('&lt;script&gt;alert(1)&lt;/script&gt;<br><span class="muted">&lt;b&gt;bold&lt;/b&gt;</span>');
  expect(row).toContain('A &amp; B &quot;Office&quot;');
  expect(page.text).not.toContain('<script>');
});

test('the rounds page summarises every round', async () => {
  const page = await agent.get('/');
  expect(page.status).toBe(200);
  expect(page.text).toContain('<a href="/rounds/big">big</a>');
  expect(page.text).toContain('<a href="/rounds/small">small</a>');
  expect(page.text).toContain('<progress id="progress-1" max="2" value="1">');
  expect(page.text).toContain('1 of 2 complete or declined (50%)');
  expect(page.text).toMatch(/href="\/rounds\/big\?state=overdue" class="overdue">3</);
});

test('an unknown round or letter is a 404 page; a page token the register did not give out is refused (422)', async () => {
  const round = await agent.get('/rounds/nope');
  expect(round.status).toBe(404);
  expect(round.text).toContain('There are no letters in round');
  const letter = await agent.get('/letters/nope/nothing');
  expect(letter.status).toBe(404);
  // No route of its own for this: the dashboard's error handler answers a NotFoundError with 404.
  const csv = await agent.get('/rounds/nope/export.csv');
  expect(csv.status).toBe(404);
  expect(csv.text).toContain('<h1>Not found</h1>');
  expect(csv.text).toContain('no letters in round');
  // A page token the register did not give out: a refusal, not a missing page; said so, with the way back.
  const token = await agent.get('/rounds/big?after=nope.&page=2');
  expect(token.status).toBe(422);
  expect(token.text).toContain('<h1>Refused</h1>');
  expect(token.text).toContain('start again from the first page');
});
