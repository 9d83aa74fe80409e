// The register of a 10,000-letter round: one visibility listing, status queries only for
// the 50 letters on the page, overdue first, sorting, filtering and paging. Letters come
// from a stand-in client (no Temporal server needed to hold 10,000 workflows).
import type { DocumentKey } from '../domain/documents';
import type { LetterState } from '../domain/states';
import { fakeClient, startDashboard, WebAgent, type Dashboard, type FakeLetter } from './support/browser';

const HOUR = 3_600_000;
const now = Date.now();
const states: LetterState[] = ['awaiting', 'partial', 'chased', 'escalated', 'complete', 'declined', 'paused'];

function bigRound(): FakeLetter[] {
  return Array.from({ length: 10_000 }, (_, i) => {
    const state = states[i % states.length];
    const finished = state === 'complete' || state === 'declined';
    // Three letters are overdue, and they sort late by name.
    const overdueRank = [9002, 9500, 9999].indexOf(i);
    const nextActionAt =
      finished || state === 'paused' ? null : new Date(overdueRank >= 0 ? now - (3 - overdueRank) * HOUR : now + (i + 1) * HOUR).toISOString();
    return {
      roundId: 'big',
      letterId: `letter-${i + 1}`,
      state,
      nextActionAt,
      outstanding: (finished ? [] : state === 'partial' ? ['responseStrategy'] : ['problemProfile', 'responseStrategy']) as DocumentKey[],
      executionStatus: finished ? 'COMPLETED' : 'RUNNING',
    };
  });
}

const small: FakeLetter[] = [
  { roundId: 'small', letterId: 'kent', state: 'complete', nextActionAt: null, outstanding: [], executionStatus: 'COMPLETED' },
  { roundId: 'small', letterId: 'london', state: 'awaiting', nextActionAt: new Date(now + HOUR).toISOString(), outstanding: ['deliveryUpdate'] },
];

let dashboard: Dashboard;
let fake: ReturnType<typeof fakeClient>;
let agent: WebAgent;

beforeAll(async () => {
  fake = fakeClient([...bigRound(), ...small]);
  dashboard = await startDashboard(fake.client, { users: [['viv', 'viewer']] });
  agent = new WebAgent(dashboard.url);
  expect((await agent.signIn('viv', dashboard.passwords.viv)).status).toBe(303);
});

afterAll(async () => {
  await dashboard?.close();
});

const rowIds = (page: string) => [...page.matchAll(/<tr data-letter="([^"]+)">/g)].map((m) => m[1]);

function resetCalls() {
  fake.calls.list = fake.calls.query = fake.calls.result = fake.calls.describe = 0;
}

test('a page of a 10,000-letter register asks for 50 statuses, overdue letters first', async () => {
  resetCalls();
  const started = Date.now();
  const page = await agent.get('/rounds/big');
  const took = Date.now() - started;
  expect(page.status).toBe(200);
  expect(fake.calls.list).toBe(1);
  expect(fake.calls.query + fake.calls.result).toBe(50);
  expect(took).toBeLessThan(3000);

  const ids = rowIds(page.text);
  expect(ids).toHaveLength(50);
  expect(ids.slice(0, 4)).toEqual(['letter-9003', 'letter-9501', 'letter-10000', 'letter-1']);
  expect(page.text).toContain('<strong>10000</strong> letters · <strong>3</strong> overdue');
  expect(page.text).toContain('Page 1 of 200');
  expect(page.text).toContain('Letters 1 to 50 of 10000.');
  expect(page.text).toContain('Recipient of letter-9003');
  expect(page.text).toContain('<progress id="round-progress" max="10000" value="2856">');
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

  resetCalls();
  const overdue = await agent.get('/rounds/big?state=overdue');
  expect(rowIds(overdue.text)).toEqual(['letter-9003', 'letter-9501', 'letter-10000']);
  expect(fake.calls.query).toBe(3);

  const complete = await agent.get('/rounds/big?state=complete&page=2');
  const ids = rowIds(complete.text);
  expect(ids).toHaveLength(50);
  expect(complete.text).toContain('Letters 51 to 100 of 1428');
  expect(ids.every((id) => (Number(id.slice('letter-'.length)) - 1) % states.length === states.indexOf('complete'))).toBe(true);
  // Finished letters are read from their workflow's result, not by a query.
  expect(complete.text).toContain('Complete: every requested document received or declined');

  // A made-up filter or sort is ignored rather than trusted.
  const odd = await agent.get('/rounds/big?state=%3Cscript%3E&sort=evil');
  expect(odd.status).toBe(200);
  expect(odd.text).not.toContain('<script>');
  expect(rowIds(odd.text)[0]).toBe('letter-9003');
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

test('an unknown round or letter is a 404 page', async () => {
  const round = await agent.get('/rounds/nope');
  expect(round.status).toBe(404);
  expect(round.text).toContain('There are no letters in round');
  const letter = await agent.get('/letters/nope/nothing');
  expect(letter.status).toBe(404);
  expect((await agent.get('/rounds/nope/export.csv')).status).toBe(404);
});
