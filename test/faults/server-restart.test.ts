// The Temporal dev server is stopped mid-round and started again (same SQLite file, same
// port) while the worker keeps running. Every letter's state and schedule is the same
// afterwards, and the chases that fell due while the server was down are sent once it is back.
import type { Client, Connection } from '@temporalio/client';
import type { LetterStatus } from '../../domain/types';
import { MailSink } from '../../worker/dev/mail-sink';
import { completedCount, connectTo, expectedMessageIds, Ledger, report, scheduledCount, statuses, statusOf } from './support/harness';
import { DevServer, generateRound, runRounds, sleep, tempDir, waitFor, WorkerProcess } from '../../worker/dev/processes';

const LETTERS = 50;
const DOWN_MS = 15_000;

let server: DevServer;
let connection: Connection;
let client: Client;
let worker: WorkerProcess;
let sink: MailSink;
const ledger = new Ledger();

beforeAll(async () => {
  server = await DevServer.start();
  ({ connection, client } = await connectTo(server.address));
  sink = await new MailSink({ dir: tempDir('rounds-restart-outbox-') }).start();
  ledger.attach(sink);
  worker = new WorkerProcess({ address: server.address, smtpUrl: sink.url });
  await worker.ready;
});

afterAll(async () => {
  await worker?.stop();
  await sink?.stop();
  await connection?.close();
  await server?.stop();
});

/** The parts of a status that must survive a server restart untouched. */
const lasting = (s: LetterStatus) => ({
  roundId: s.roundId,
  letterId: s.letterId,
  recipient: s.recipient,
  subject: s.subject,
  letterDate: s.letterDate,
  sentOn: s.sentOn,
  documents: s.documents,
  steps: s.steps.map((x) => ({ index: x.index, action: x.action, dueAt: x.dueAt })),
});

test(`the Temporal server stops for ${DOWN_MS / 1000} s mid-round: letters intact, chases due meanwhile sent when it is back`, async () => {
  const round = generateRound(tempDir('rounds-restart-'), 'restart', LETTERS, [
    ['25 seconds', 'chase'],
    ['33 seconds', 'chase'],
    ['38 seconds', 'escalate'],
    ['42 seconds', 'close'],
  ]);
  const started = await runRounds(['--address', server.address, 'start', round.dir, '--sent-on', 'now']);
  expect(started.code).toBe(0);
  await waitFor('the round to be scheduled', async () => (await scheduledCount(client, round.roundId)) >= LETTERS, 30_000, 500);
  // A receipt on one letter, so "intact" covers recorded documents too.
  const partial = await runRounds(['--address', server.address, 'receive', `${round.roundId}/${round.letterIds[0]}`, '--doc', 'problemProfile']);
  expect(partial.code).toBe(0);

  const before = await statuses(client, round);
  const registerBefore = JSON.parse((await runRounds(['--address', server.address, 'status', round.roundId, '--json'])).stdout) as { letterId: string; state: string; nextActionAt: string }[];
  const dueAt = [...before.values()][0].steps.map((s) => Date.parse(s.dueAt));
  expect(registerBefore).toHaveLength(LETTERS);

  // Down from 8 s before the first chase is due, for DOWN_MS.
  await sleep(Math.max(0, dueAt[0] - 8000 - Date.now()));
  await server.stop();
  const downAt = Date.now();
  await sleep(DOWN_MS);
  const sentWhileDown = ledger.of(round.roundId).length;
  const workerAliveWhileDown = worker.running;
  await server.restart();
  const upAt = Date.now();

  // Right after: every letter is there, with the same documents and schedule.
  const after = await waitFor('statuses after the restart', () => statuses(client, round), 30_000, 500);
  for (const id of round.letterIds) {
    const b = before.get(id)!;
    const a = after.get(id)!;
    expect(lasting(a)).toEqual(lasting(b));
    // the timeline only grows (a chase may already have been recorded after the restart)
    expect(a.timeline.slice(0, b.timeline.length)).toEqual(b.timeline);
  }
  expect(after.get(round.letterIds[0])!.documents.problemProfile?.receivedOn).toBeDefined();
  const registerAfter = await waitFor(
    'the register after the restart',
    async () => {
      const r = await runRounds(['--address', server.address, 'status', round.roundId, '--json']);
      return r.code === 0 ? (JSON.parse(r.stdout) as { letterId: string; state: string; nextActionAt: string }[]) : undefined;
    },
    30_000,
    1000,
  );
  expect(registerAfter.map((r) => r.letterId).sort()).toEqual(registerBefore.map((r) => r.letterId).sort());

  // The chases that fell due while it was down go out once it is back; then the rest of the policy.
  const chases = expectedMessageIds(round, [0]);
  await waitFor('the chases due during the outage', () => chases.every((id) => ledger.byMessageId(round.roundId).has(id)), 90_000, 250);
  const all = expectedMessageIds(round, [0, 1, 2]);
  await waitFor('every email of the round', () => all.every((id) => ledger.byMessageId(round.roundId).has(id)), 120_000, 500);
  await waitFor('every letter to close', async () => (await completedCount(client, round.roundId)) >= LETTERS, 60_000, 1000);
  const { lost, duplicated, unexpected } = ledger.account(round.roundId, all);
  const chaseArrivals = ledger.of(round.roundId).filter((a) => a.message.messageId?.includes('.step-0@'));

  report(`Temporal server down ${Math.round((upAt - downAt) / 1000)} s (the first chase fell due ${Math.round((dueAt[0] - downAt) / 1000)} s into it)`, {
    workerAliveWhileDown,
    workerAliveAfter: worker.running,
    sentWhileDown,
    firstChaseAfterRestartS: Math.round((Math.min(...chaseArrivals.map((a) => a.at)) - upAt) / 100) / 10,
    lastChaseAfterRestartS: Math.round((Math.max(...chaseArrivals.map((a) => a.at)) - upAt) / 100) / 10,
    lost: lost.length,
    duplicated: duplicated.size,
  });

  expect(workerAliveWhileDown).toBe(true);
  expect(worker.running).toBe(true);
  expect(sentWhileDown).toBe(0);
  expect(chaseArrivals.every((a) => a.at >= upAt)).toBe(true);
  expect(lost).toEqual([]);
  expect(unexpected).toEqual([]);
  expect([...duplicated.keys()]).toEqual([]);
  const first = await statusOf(client, round.roundId, round.letterIds[0]);
  expect(first.state).toBe('unanswered');
  expect(first.documents.problemProfile?.receivedOn).toBeDefined();
  expect(first.emails.map((e) => e.outstanding)).toEqual([
    ['responseStrategy', 'deliveryUpdate'],
    ['responseStrategy', 'deliveryUpdate'],
    ['responseStrategy', 'deliveryUpdate'],
  ]);
});
