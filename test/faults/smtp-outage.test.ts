// The SMTP server goes away for ~16 s just as a round's chases fall due, then comes back on
// the same port. The send activity fails (connection refused, or 421 on connections that
// were open), Temporal retries it with backoff, and every chase arrives once, after the
// server is back. The retries show in the letters' pending activities (attempt > 1).
import type { Client, Connection } from '@temporalio/client';
import { MailSink } from '../../worker/dev/mail-sink';
import { completedCount, connectTo, expectedMessageIds, Ledger, pendingActivities, report, scheduledCount, statusOf } from './support/harness';
import { DevServer, generateRound, runRounds, sleep, tempDir, waitFor, WorkerProcess } from '../../worker/dev/processes';

const LETTERS = 60;
const OUTAGE_MS = 16_000;

let server: DevServer;
let connection: Connection;
let client: Client;
let worker: WorkerProcess;
const sinks: MailSink[] = [];
const ledger = new Ledger();
const outbox = tempDir('rounds-outage-outbox-');

beforeAll(async () => {
  server = await DevServer.start();
  ({ connection, client } = await connectTo(server.address));
  const sink = await new MailSink({ dir: outbox }).start();
  sinks.push(sink);
  ledger.attach(sink);
  worker = new WorkerProcess({ address: server.address, smtpUrl: sink.url, env: { ROUNDS_LOG_LEVEL: 'WARN' } });
  await worker.ready;
});

afterAll(async () => {
  await worker?.stop();
  await Promise.all(sinks.map((s) => s.stop()));
  await connection?.close();
  await server?.stop();
});

test(`an SMTP outage of ${OUTAGE_MS / 1000} s while chases fall due: each is retried and arrives once, after the server is back`, async () => {
  const round = generateRound(tempDir('rounds-outage-'), 'outage', LETTERS, [
    ['15 seconds', 'chase'],
    ['38 seconds', 'escalate'],
    ['42 seconds', 'close'],
  ]);
  const started = await runRounds(['--address', server.address, 'start', round.dir, '--sent-on', 'now']);
  expect(started.code).toBe(0);
  const dueAt = (await statusOf(client, round.roundId, round.letterIds[0])).steps.map((s) => Date.parse(s.dueAt));
  await waitFor('the round to be scheduled', async () => (await scheduledCount(client, round.roundId)) >= LETTERS, 30_000, 500);

  // Down 2 s before the chases are due. stop() closes the listening socket at once; connections
  // nodemailer keeps open in its pool get "421 Server shutting down" until they close.
  await sleep(Math.max(0, dueAt[0] - 2000 - Date.now()));
  const [first] = sinks;
  const port = first.port;
  const stopping = first.stop();
  const downAt = Date.now();

  // While it is down: the letters' send activities are being retried.
  let maxAttempt = 0;
  const failures = new Set<string>();
  const watched = round.letterIds.slice(0, 8);
  while (Date.now() < downAt + OUTAGE_MS) {
    for (const id of watched) {
      for (const p of await pendingActivities(client, round.roundId, id).catch(() => [])) {
        maxAttempt = Math.max(maxAttempt, p.attempt);
        if (p.lastFailure) failures.add(p.lastFailure.replace(/\d+\.\d+\.\d+\.\d+:\d+/g, '<addr>'));
      }
    }
    await sleep(1000);
  }
  const sentDuringOutage = ledger.of(round.roundId).filter((a) => a.at > downAt + 500).length;

  // Back, on the same port.
  const second = await new MailSink({ dir: outbox, port }).start();
  sinks.push(second);
  ledger.attach(second);
  const upAt = Date.now();
  await stopping;

  const chases = expectedMessageIds(round, [0]);
  const all = expectedMessageIds(round, [0, 1]);
  await waitFor('every chase after the outage', () => chases.every((id) => ledger.byMessageId(round.roundId).has(id)), 90_000, 250);
  const chasesDoneAt = Date.now();
  await waitFor('every escalation', () => all.every((id) => ledger.byMessageId(round.roundId).has(id)), 90_000, 500);
  await waitFor('every letter to close', async () => (await completedCount(client, round.roundId)) >= LETTERS, 60_000, 1000);

  const { lost, duplicated, unexpected } = ledger.account(round.roundId, all);
  const chaseArrivals = ledger.of(round.roundId).filter((a) => a.message.messageId?.includes('.step-0@'));
  const workerLog = worker.output.split('\n').filter((l) => /activity|smtp|ECONNREFUSED|421/i.test(l));
  report(`SMTP down for ${Math.round((upAt - downAt) / 1000)} s from ${Math.round((downAt - dueAt[0]) / 1000)} s before ${LETTERS} chases were due`, {
    maxAttemptSeenWhileDown: maxAttempt,
    failuresSeen: [...failures].slice(0, 3),
    sentWhileDown: sentDuringOutage,
    chasesDeliveredAfterBackS: `${Math.round((Math.min(...chaseArrivals.map((a) => a.at)) - upAt) / 100) / 10} to ${Math.round((chasesDoneAt - upAt) / 100) / 10}`,
    lost: lost.length,
    duplicated: duplicated.size,
    workerLogLinesAboutFailures: workerLog.length,
  });

  expect(sentDuringOutage).toBe(0);
  expect(maxAttempt).toBeGreaterThan(1);
  expect(failures.size).toBeGreaterThan(0);
  expect(chaseArrivals.every((a) => a.at >= upAt)).toBe(true);
  expect(lost).toEqual([]);
  expect(unexpected).toEqual([]);
  expect([...duplicated.keys()]).toEqual([]);
  for (const id of round.letterIds.slice(0, 5)) {
    const s = await statusOf(client, round.roundId, id);
    expect(s.state).toBe('unanswered');
    expect(s.emails).toHaveLength(2);
  }
});
