// The register a page at a time (issue 17) on a real Temporal dev server (the time-skipping
// server has no visibility): 120 letters on a task queue no worker polls, their search
// attributes set at start, 10 of them terminated; read by client/register-query.ts, `rounds
// status` and the dashboard's register page.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { letterMemo } from '../client/letter-memo';
import { queries, type LetterRow } from '../client/queries';
import { registerCounts, registerPage, registerPageNumber, registerRows } from '../client/register-query';
import { ensureSearchAttributes } from '../worker/search-attributes';
import { devServerOptions } from '../worker/dev/temporal-binaries';
import * as api from '../workflows/letter-api';
import { startDashboard, WebAgent } from './support/browser';
import { rounds } from './support/cli';

let env: TestWorkflowEnvironment;
let address: string;
const round = 'paged';
const base = queries.roundLetters(round);
const now = Date.now();
const id = (i: number) => `l${String(i).padStart(3, '0')}`;

// 0-29 overdue (chased, next action 1-30 minutes ago), 30-99 due later (awaiting), 100-109 with no
// next action (paused), 110-119 finished (terminated).
function kind(i: number): { state: string; next: Date | null } {
  if (i < 30) return { state: 'chased', next: new Date(now - (i + 1) * 60_000) };
  if (i < 100) return { state: 'awaiting', next: new Date(now + (i + 1) * 60_000) };
  if (i < 110) return { state: 'paused', next: null };
  return { state: 'awaiting', next: new Date(now + 3_600_000) };
}

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createLocal(devServerOptions());
  await ensureSearchAttributes(env.connection, 'default');
  address = (env.connection.options as { address: string }).address;
  const ids = Array.from({ length: 120 }, (_, i) => i);
  for (let at = 0; at < ids.length; at += 20) {
    await Promise.all(
      ids.slice(at, at + 20).map(async (i) => {
        const k = kind(i);
        const h = await env.client.workflow.start(api.WORKFLOW_TYPE, {
          taskQueue: 'no-worker-polls-this',
          workflowId: api.workflowIdFor(round, id(i)),
          args: [],
          memo: letterMemo({ recipient: { name: `Recipient ${id(i)}`, email: 'x@example.org', cc: [], escalateTo: [] }, letterDate: '2020-10-13', documents: ['responseStrategy'] }),
          typedSearchAttributes: [
            { key: api.RoundId, value: round },
            { key: api.LetterState, value: k.state },
            ...(k.next ? [{ key: api.NextActionAt, value: k.next }] : []),
            { key: api.Outstanding, value: ['responseStrategy'] },
          ],
        });
        if (i >= 110) await h.terminate('finished for the test');
      }),
    );
  }
  // Visibility catches up a moment later.
  for (let tries = 0; tries < 100; tries++) {
    const c = await env.client.workflow.count(`${base} AND ExecutionStatus != "Running"`);
    const all = await env.client.workflow.count(base);
    if (c.count === 10 && all.count === 120) break;
    await new Promise((r) => setTimeout(r, 200));
  }
}, 120_000);
afterAll(async () => {
  await env?.teardown();
});

const ids = (rows: LetterRow[]) => rows.map((r) => r.letterId);

test('page 1 is the overdue letters (earliest first), then the open ones; page 2 goes on; the last page ends with the finished ones', async () => {
  const at = new Date(now);
  const p1 = await registerPage(env.client, base, { at });
  expect(p1.rows).toHaveLength(50);
  expect(ids(p1.rows.slice(0, 30))).toEqual(Array.from({ length: 30 }, (_, i) => id(29 - i)));
  expect(p1.rows.slice(0, 30).every((r) => r.state === 'chased' && Date.parse(r.nextActionAt!) < now)).toBe(true);
  expect(p1.rows.slice(30).every((r) => r.executionStatus === 'RUNNING' && r.state !== 'chased')).toBe(true);
  expect(p1.rows[0].recipient?.name).toBe('Recipient l029');
  expect(p1.next).toMatch(/^[A-Za-z0-9_-]+$/);

  const p2 = await registerPage(env.client, base, { token: p1.next });
  expect(p2.rows).toHaveLength(50);
  expect(p2.rows.every((r) => r.executionStatus === 'RUNNING' && r.state !== 'chased')).toBe(true);
  const p3 = await registerPage(env.client, base, { token: p2.next });
  expect(p3.rows).toHaveLength(20);
  expect(p3.next).toBeUndefined();
  expect(ids(p3.rows.slice(10)).sort()).toEqual(Array.from({ length: 10 }, (_, i) => id(110 + i)));
  expect(p3.rows.slice(10).every((r) => r.executionStatus === 'TERMINATED' && r.nextActionAt === null)).toBe(true);

  // Every letter once, no page repeating another's.
  const all = [...p1.rows, ...p2.rows, ...p3.rows];
  expect(new Set(ids(all)).size).toBe(120);
  expect(ids((await registerPageNumber(env.client, base, 3, { at })).rows)).toEqual(ids(p3.rows));
  // The stream for exports: the same phases in the same order whatever its page size (sorted within each request).
  const streamed: LetterRow[] = [];
  for await (const r of registerRows(env.client, base, { at, pageSize: 7 })) streamed.push(r);
  expect(ids(streamed.slice(0, 30)).sort()).toEqual(ids(p1.rows.slice(0, 30)).sort());
  expect(new Set(ids(streamed)).size).toBe(120);
  expect(ids(streamed.slice(110)).sort()).toEqual(ids(p3.rows.slice(10)).sort());
});

test('counts by execution status, by our state (one count per state) and overdue', async () => {
  expect(await registerCounts(env.client, base, new Date(now))).toEqual({
    letters: 120,
    byStatus: { Running: 110, Terminated: 10 },
    byState: { awaiting: 80, chased: 30, paused: 10 },
    overdue: 30,
  });
});

test('`rounds status <round>` shows page 1 and the counts; --page, --json and --csv; a bad page is refused', async () => {
  const a = ['--address', address];
  let r = await rounds([...a, 'status', round]);
  expect(r.code).toBe(0);
  const lines = r.stdout.split('\n');
  expect(lines[2]).toMatch(/^paged\/l029 +Recipient l029 +chased +responseStrategy .*OVERDUE$/);
  expect(lines.filter((l) => l.startsWith('paged/'))).toHaveLength(50);
  expect(r.stdout).toContain('round paged: 120 letters, 30 overdue; awaiting 80, chased 30, paused 10\n');
  expect(r.stdout).toContain('page 1 (50 letters, overdue first); next: rounds status paged --page 2');

  r = await rounds([...a, 'status', round, '--page', '3']);
  expect(r.stdout.split('\n').filter((l) => l.startsWith('paged/'))).toHaveLength(20);
  expect(r.stdout).not.toContain('--page 4');

  r = await rounds([...a, 'status', round, '--json']);
  const rows = JSON.parse(r.stdout) as LetterRow[];
  expect(rows).toHaveLength(120);
  expect(rows[0].letterId).toBe('l029');

  r = await rounds([...a, 'status', round, '--csv']);
  const csv = r.stdout.split('\r\n');
  expect(csv[0]).toMatch(/^\uFEFFRound,Letter,/);
  expect(csv).toHaveLength(122); // header, 120 rows, and the empty string after the last CRLF
  expect(csv[1]).toMatch(/^paged,l029,paged\/l029,Recipient l029,/);

  r = await rounds([...a, 'status', round, '--page', '0']);
  expect(r.code).toBe(1);
  r = await rounds([...a, 'status', '--page', '2']);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain("--page, --all and --csv are for one round's register");
});

test("the dashboard's register: overdue letters first, and the next-page link (a page token) continues to the finished ones", async () => {
  const dashboard = await startDashboard(env.client, { users: [['viv', 'viewer']] });
  try {
    const agent = new WebAgent(dashboard.url);
    expect((await agent.signIn('viv', dashboard.passwords.viv)).status).toBe(303);
    const rowIds = (page: string) => [...page.matchAll(/<tr data-letter="([^"]+)">/g)].map((m) => m[1]);
    const nextHref = (page: string) => /<a href="([^"]+)" rel="next">/.exec(page)?.[1]?.replace(/&amp;/g, '&');

    const p1 = await agent.get(`/rounds/${round}`);
    expect(p1.status).toBe(200);
    expect(rowIds(p1.text)).toHaveLength(50);
    expect(rowIds(p1.text).slice(0, 30)).toEqual(Array.from({ length: 30 }, (_, i) => id(29 - i)));
    expect(p1.text).toContain('<strong>120</strong> letters · <strong>30</strong> overdue');
    expect(p1.text).toContain('Page 1 of 3');

    const p2 = await agent.get(nextHref(p1.text)!);
    expect(p2.text).toContain('Page 2 of 3');
    expect(p2.text).toContain(`<a href="/rounds/${round}" rel="first">First page</a>`);
    const p3 = await agent.get(nextHref(p2.text)!);
    expect(p3.text).toContain('Page 3 of 3');
    expect(nextHref(p3.text)).toBeUndefined();
    const seen = [...rowIds(p1.text), ...rowIds(p2.text), ...rowIds(p3.text)];
    expect(new Set(seen).size).toBe(120);
    expect(rowIds(p3.text).slice(10).sort()).toEqual(Array.from({ length: 10 }, (_, i) => id(110 + i)));
    // The state filter is a visibility query too.
    expect(rowIds((await agent.get(`/rounds/${round}?state=paused`)).text).sort()).toEqual(Array.from({ length: 10 }, (_, i) => id(100 + i)));
  } finally {
    await dashboard.close();
  }
});

test('an export lists each letter once, even when a letter moves to a later phase while it is being read', async () => {
  // A round of its own: 3 overdue letters and 2 open ones. The first overdue letter closes after
  // it has been read, so it then matches the 'closed' phase read later; as a chase (overdue ->
  // open) would. The same happened for real in the server-restart fault test.
  const moving = 'moving';
  const handles = await Promise.all(
    [0, 1, 2, 3, 4].map((i) =>
      env.client.workflow.start(api.WORKFLOW_TYPE, {
        taskQueue: 'no-worker-polls-this',
        workflowId: api.workflowIdFor(moving, id(i)),
        args: [],
        typedSearchAttributes: [
          { key: api.RoundId, value: moving },
          { key: api.LetterState, value: i < 3 ? 'chased' : 'awaiting' },
          { key: api.NextActionAt, value: new Date(i < 3 ? now - (i + 1) * 60_000 : now + 3_600_000) },
        ],
      }),
    ),
  );
  const movingBase = queries.roundLetters(moving);
  const visible = async (query: string, n: number) => {
    for (let tries = 0; tries < 100 && (await env.client.workflow.count(query)).count !== n; tries++) await new Promise((r) => setTimeout(r, 200));
    expect((await env.client.workflow.count(query)).count).toBe(n);
  };
  await visible(movingBase, 5);

  const rows = registerRows(env.client, movingBase, { at: new Date(now), pageSize: 1 });
  const first = await rows.next();
  expect(first.done).toBe(false);
  const firstRow = first.value as LetterRow;
  expect(firstRow.state).toBe('chased');
  await handles.find((h) => h.workflowId === firstRow.workflowId)!.terminate('closed while the export reads the round');
  await visible(`${movingBase} AND ExecutionStatus != "Running"`, 1);

  const rest: LetterRow[] = [];
  for await (const r of rows) rest.push(r);
  const listed = ids([firstRow, ...rest]);
  expect(listed.sort()).toEqual([0, 1, 2, 3, 4].map(id));
});
