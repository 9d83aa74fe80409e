// `npm run test:cluster`: request-rounds on the real Temporal server (built once into .tools/),
// with PostgreSQL persistence and PostgreSQL (SQL, advanced) visibility, configured by the
// deploy/ files docker-compose.yml uses, and run from the compiled build (NODE_ENV=production,
// dist/). A fresh cluster has no namespace: `rounds setup` makes it. Then two workers and two
// dashboards play a round of 200 letters while one worker is killed (kill -9) during a burst
// of chases, the Temporal server restarts mid-round, and PostgreSQL stops for 15 s. Afterwards
// every expected email is at the SMTP sink (duplicates only as the same message), every letter
// is in the right state, and the register's counts by state are the truth. The dashboards share
// sign-ins through PostgreSQL (client/web/sessions.ts). Last, the server's frontend goes on
// mTLS with a CA made here, and a worker and the CLI connect with TEMPORAL_TLS_* variables.
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { addUser } from '../../client/users';
import type { LetterRow } from '../../client/queries';
import { MailSink } from '../../worker/dev/mail-sink';
import { WebAgent } from '../../worker/dev/web-agent';
import { waitWhileProgressing } from '../../worker/dev/wait';
import { essence, expectedMessageIds, Ledger, report, statuses } from '../faults/support/harness';
import { generateRound, runRounds, sleep, tempDir, vmRssKb, waitFor, WorkerProcess } from '../../worker/dev/processes';
import { clientTls, DashboardProcess, makeCertificates, Postgres, TemporalServer, tlsEnv } from '../../worker/dev/cluster';

const NAMESPACE = 'rounds';
const LETTERS = 200;
const PG_DOWN_MS = 15_000;
const PRODUCTION = { NODE_ENV: 'production' };

let pg: Postgres;
let server: TemporalServer;
let connection: Connection;
let client: Client;
let sink: MailSink;
const ledger = new Ledger();
const workers: WorkerProcess[] = [];
const dashboards: DashboardProcess[] = [];
const figures: Record<string, unknown> = {};

beforeAll(async () => {
  let t = Date.now();
  pg = await Postgres.start();
  figures.postgresStartMs = Date.now() - t;
  t = Date.now();
  server = await TemporalServer.start(pg);
  figures.schemaAndServerStartMs = Date.now() - t;
  connection = await Connection.connect({ address: server.address, connectTimeout: '5s' });
  client = new Client({ connection, namespace: NAMESPACE });
  sink = await new MailSink({ dir: tempDir('rounds-cluster-outbox-') }).start();
  ledger.attach(sink);
}, 600_000);

afterAll(async () => {
  for (const w of workers) await w.kill9().catch(() => undefined);
  for (const d of dashboards) await d.stop().catch(() => undefined);
  await sink?.stop();
  await connection?.close().catch(() => undefined);
  await server?.stop();
  await pg?.destroy();
  report('cluster figures', figures);
}, 120_000);

const cli = (args: string[], env: Record<string, string> = {}) =>
  runRounds(['--address', server.address, '--namespace', NAMESPACE, ...args], { ...PRODUCTION, ...env });

function startWorker(env: Record<string, string> = {}): WorkerProcess {
  const w = new WorkerProcess({ address: server.address, namespace: NAMESPACE, smtpUrl: sink.url, env: { ...PRODUCTION, ...env } });
  workers.push(w);
  return w;
}

test('a fresh cluster has no namespace: start says to run `rounds setup`, which makes it, and again changes nothing', async () => {
  const round = generateRound(tempDir('rounds-cluster-setup-'), 'before-setup', 1, [['1 hour', 'close']]);
  let r = await cli(['start', round.dir, '--sent-on', 'now']);
  expect(r.stderr).toContain(`namespace '${NAMESPACE}' on ${server.address} does not exist`);
  expect(r.stderr).toContain('`rounds setup`');
  expect(r.stderr).not.toContain('unexpected error');
  expect(r.code).toBe(2);

  r = await cli(['setup']);
  expect(r.stderr).toBe('');
  expect(r.stdout).toContain(`namespace ${NAMESPACE}: created, retention 30 days`);
  expect(r.stdout).toContain('search attributes: added RoundId, LetterState, NextActionAt, Outstanding');
  expect(r.code).toBe(0);
  figures.setupMs = Math.round(r.ms);
  figures.setupAttributesAcceptedAfter = /after ([\d.]+ s)/.exec(r.stdout)?.[1];

  r = await cli(['setup']);
  expect(r.stdout).toContain(`namespace ${NAMESPACE}: exists, retention 30 days (left as it is)`);
  expect(r.stdout).toContain('search attributes: all there already');
  expect(r.code).toBe(0);
}, 180_000);

test(`${LETTERS} letters on two workers and two dashboards through kill -9, a server restart and ${PG_DOWN_MS / 1000} s without PostgreSQL`, async () => {
  const varDir = tempDir('rounds-cluster-var-');
  const { password } = await addUser(path.join(varDir, 'users.json'), 'sam', 'staff');
  const dashboardOptions = { address: server.address, namespace: NAMESPACE, databaseUrl: pg.url('rounds'), varDir, smtpUrl: sink.url };
  const [a, b] = await Promise.all([DashboardProcess.start(dashboardOptions), DashboardProcess.start(dashboardOptions)]);
  dashboards.push(a, b);
  let first = startWorker();
  const second = startWorker();
  await Promise.all([first.ready, second.ready]);
  figures.workerStartMs = [first.readyAt - first.startedAt, second.readyAt - second.startedAt];

  const round = generateRound(tempDir('rounds-cluster-'), 'cluster', LETTERS, [
    ['75 seconds', 'chase'],
    ['110 seconds', 'chase'],
    ['135 seconds', 'escalate'],
    ['150 seconds', 'close'],
  ]);
  const started = await cli(['start', round.dir, '--sent-on', 'now']);
  expect(started.stderr).toBe('');
  expect(started.stdout).toBe(`round cluster: started ${LETTERS} letters\n`);
  figures.roundStartMs = Math.round(started.ms);
  const first1 = await waitFor('the first letter', () => client.workflow.getHandle('cluster/l001').query<{ steps: { dueAt: string }[] }>('status'), 30_000, 500);
  const dueAt = first1.steps.map((s) => Date.parse(s.dueAt));

  // The dashboards: one person, two dashboard processes behind "one address" (one cookie jar).
  const agent = new WebAgent(a.url);
  const door = (d: DashboardProcess) => ((agent as { baseUrl: string }).baseUrl = d.url);
  door(a);
  expect((await agent.signIn('sam', password)).status).toBe(303);
  door(b);
  const onB = await agent.get('/');
  expect(onB.status).toBe(200); // signed in on A, valid on B
  door(a);
  const letterPath = '/letters/cluster/l001';
  const receipt = await agent.post(`${letterPath}/receipt`, {
    _csrf: await agent.csrfFrom(letterPath),
    documents: ['problemProfile', 'responseStrategy', 'deliveryUpdate'],
    note: 'recorded on dashboard A',
  });
  expect(receipt.status).toBe(303);
  door(b);
  const seenOnB = await agent.get(letterPath);
  expect(seenOnB.status).toBe(200);
  expect(seenOnB.text).toContain('recorded on dashboard A');
  expect(seenOnB.text).toContain('Complete');
  // A restart of dashboard A signs no one out.
  await a.restart();
  door(a);
  expect((await agent.get('/')).status).toBe(200);

  // Fault 1: kill -9 one worker in the burst of first chases; the other carries on.
  const sent = () => ledger.of(round.roundId).length;
  await sleep(Math.max(0, dueAt[0] - Date.now()));
  await waitFor('the first chases to go out', () => sent() >= 20, 60_000, 20);
  figures.sentAtKill = sent();
  figures.killedWorkerRssMb = Math.round(first.rssKb() / 1024);
  await first.kill9();
  const killedAt = Date.now();

  // Fault 2: the Temporal server restarts once the first chases are out (while the dead worker's letters wait on their sticky queue).
  await waitFor('the first chases to be out', () => sent() >= LETTERS - 1, 90_000, 200);
  figures.serverRestartMs = await server.restart();
  first = startWorker(); // the killed worker's replacement
  await first.ready;

  // Fault 3: PostgreSQL stops for 15 s just before the second chases fall due.
  await sleep(Math.max(0, dueAt[1] - 5_000 - Date.now()));
  const pgStoppedAt = Date.now();
  await pg.stop();
  await sleep(PG_DOWN_MS - (Date.now() - pgStoppedAt));
  await pg.resume();
  figures.postgresDownMs = Date.now() - pgStoppedAt;

  const expected = expectedMessageIds({ ...round, letterIds: round.letterIds.filter((id) => id !== 'l001') }, [0, 1, 2]);
  const arrived = () => ledger.byMessageId(round.roundId).size;
  await waitWhileProgressing('every expected email', () => expected.every((id) => ledger.byMessageId(round.roundId).has(id)), arrived, 120_000, 360_000).catch((err: Error) => {
    const got = ledger.byMessageId(round.roundId);
    throw new Error(`${err.message}\nmissing: ${expected.filter((id) => !got.has(id)).slice(0, 20).join(', ')}\nserver log:\n${server.output.slice(-3000)}\nworker:\n${workers.at(-1)?.output.slice(-3000)}`);
  });
  await waitFor('every letter to close', async () => (await client.workflow.count(`RoundId = "${round.roundId}" AND ExecutionStatus = "Completed"`)).count >= LETTERS, 120_000, 1000);

  // Sign-out on B ends the session on A: the cookie a second tab (or a thief) still holds is refused there.
  const heldCookie = agent.cookieHeader();
  door(b);
  const out = await agent.post('/logout', { _csrf: await agent.csrfFrom('/') });
  expect(out.status).toBe(303);
  const withHeldCookie = await fetch(`${a.url}/`, { redirect: 'manual', headers: { cookie: heldCookie } });
  expect(withHeldCookie.status).toBe(303);
  expect(withHeldCookie.headers.get('location')).toMatch(/^\/login/);

  // Emails: nothing lost, nothing unexpected, duplicates only as the very same message.
  const { lost, duplicated, unexpected, delivered } = ledger.account(round.roundId, expected);
  const sameMessage = await Promise.all([...duplicated.values()].map(async (list) => new Set(await Promise.all(list.map((x) => essence(x.message.raw)))).size === 1));
  const lateness = (step: number) =>
    ledger
      .of(round.roundId)
      .filter((x) => x.message.messageId?.includes(`.step-${step}@`))
      .map((x) => x.at - dueAt[step])
      .sort((p, q) => p - q);
  const pct = (xs: number[], p: number) => (xs.length ? Math.round(xs[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] / 100) / 10 : NaN);

  // States: the truth from each letter's own query, against the register (visibility) and the CLI.
  const truth = await statuses(client, round);
  const truthCounts: Record<string, number> = {};
  for (const s of truth.values()) truthCounts[s.state] = (truthCounts[s.state] ?? 0) + 1;
  const registerCounts: Record<string, number> = {};
  for (const state of Object.keys(truthCounts)) {
    registerCounts[state] = (await client.workflow.count(`RoundId = "${round.roundId}" AND LetterState = "${state}"`)).count;
  }
  const status = await cli(['status', round.roundId, '--json']);
  expect(status.code).toBe(0);
  const cliCounts: Record<string, number> = {};
  for (const row of JSON.parse(status.stdout) as LetterRow[]) cliCounts[row.state] = (cliCounts[row.state] ?? 0) + 1;

  Object.assign(figures, {
    expected: expected.length,
    delivered,
    lost: lost.length,
    duplicatedMessageIds: duplicated.size,
    extraCopies: [...duplicated.values()].reduce((n, list) => n + list.length - 1, 0),
    duplicatesIdentical: sameMessage.every(Boolean),
    chase1LatenessS: `p50 ${pct(lateness(0), 50)}, p99 ${pct(lateness(0), 99)}, max ${pct(lateness(0), 100)}`,
    chase2LatenessS: `p50 ${pct(lateness(1), 50)}, p99 ${pct(lateness(1), 99)}, max ${pct(lateness(1), 100)} (PostgreSQL down from 5 s before due)`,
    escalationLatenessS: `p50 ${pct(lateness(2), 50)}, p99 ${pct(lateness(2), 99)}, max ${pct(lateness(2), 100)}`,
    killAfterFirstDueS: Math.round((killedAt - dueAt[0]) / 100) / 10,
    truthCounts,
    registerCounts,
    workerRssMbAtEnd: workers.filter((w) => w.running).map((w) => Math.round(vmRssKb(w.pid) / 1024)),
  });

  expect(lost).toEqual([]);
  expect(unexpected).toEqual([]);
  expect(sameMessage.every(Boolean)).toBe(true);
  expect(truth.get('l001')?.state).toBe('complete');
  expect(truth.get('l001')?.emails).toEqual([]);
  for (const id of round.letterIds.filter((x) => x !== 'l001')) {
    const s = truth.get(id)!;
    expect([id, s.state]).toEqual([id, 'unanswered']);
    expect(s.emails.map((e) => e.messageId)).toEqual(expectedMessageIds({ ...round, letterIds: [id] }, [0, 1, 2]));
  }
  expect(truthCounts).toEqual({ complete: 1, unanswered: LETTERS - 1 });
  expect(registerCounts).toEqual(truthCounts);
  expect(cliCounts).toEqual(truthCounts);
  expect(workers.filter((w) => w.running)).toHaveLength(2);

  for (const w of workers) await w.stop();
}, 900_000);

test('the frontend on mTLS with a CA made here: plain and certificate-less clients are refused; a worker and the CLI connect with TEMPORAL_TLS_* variables', async () => {
  const certs = makeCertificates();
  await connection.close();
  figures.tlsServerRestartMs = await server.restart({ certs, requireClientAuth: true });
  connection = await Connection.connect({ address: server.address, connectTimeout: '5s', ...clientTls(certs, true) });
  client = new Client({ connection, namespace: NAMESPACE });

  const plain = await Connection.connect({ address: server.address, connectTimeout: '2s' }).then(
    async (c) => c.workflowService.getSystemInfo({}).then(() => 'answered', () => 'refused').finally(() => c.close()),
    () => 'refused',
  );
  expect(plain).toBe('refused');
  const noCert = await cli(['status'], tlsEnv(certs, false));
  expect(noCert.code).toBe(2);
  expect(noCert.stderr).not.toContain('unexpected error');

  const listed = await cli(['status'], tlsEnv(certs, true));
  expect(listed.stderr).toBe('');
  expect(listed.stdout).toContain('cluster');
  expect(listed.code).toBe(0);

  const worker = startWorker(tlsEnv(certs, true));
  await worker.ready;
  const round = generateRound(tempDir('rounds-cluster-tls-'), 'tls', 5, [
    ['20 seconds', 'chase'],
    ['25 seconds', 'close'],
  ]);
  const started = await cli(['start', round.dir, '--sent-on', 'now'], tlsEnv(certs, true));
  expect(started.stdout).toBe('round tls: started 5 letters\n');
  const expected = expectedMessageIds(round, [0]);
  await waitFor('the chases over mTLS', () => expected.every((id) => ledger.byMessageId(round.roundId).has(id)), 120_000, 250);
  await waitFor('the letters to close', async () => (await client.workflow.count(`RoundId = "tls" AND ExecutionStatus = "Completed"`)).count >= 5, 60_000, 1000);
  figures.tlsRound = `${expected.length} chases delivered, 5 letters closed over mTLS`;
  await worker.stop();
}, 300_000);
