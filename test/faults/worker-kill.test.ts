// kill -9 the worker (its own process, `node bin/rounds.js worker`) again and again while a
// round of 200 letters sends its chases and escalations, restarting it each time. At the SMTP
// server, counted by Message-ID: nothing is lost; a duplicate can only come from a worker
// that died after the server accepted a message and before it noted that in the sent journal
// (activities/sent-journal.ts; the workers share one, as workers on one host do), and is then
// the same message with the same Message-ID (README, "Email: what is guaranteed"). Emails that were being sent by a killed worker are retried when their 20 s
// heartbeat timeout expires (workflows/letter.ts), not after the 2-minute start-to-close.
import type { Client, Connection } from '@temporalio/client';
import { MailSink } from '../../worker/dev/mail-sink';
import { completedCount, connectTo, essence, expectedMessageIds, historyTrouble, Ledger, pendingActivities, pendingWorkflowTask, report, statusOf, untilFirstTasksRan } from './support/harness';
import { waitWhileProgressing } from '../../worker/dev/wait';
import { DevServer, generateRound, parseMessageId, runRounds, sleep, tempDir, waitFor, WorkerProcess, type GeneratedRound } from '../../worker/dev/processes';

const LETTERS = 200;
const MIN_KILLS = 5;

let server: DevServer;
let connection: Connection;
let client: Client;
let sink: MailSink;
const ledger = new Ledger();
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  // Each kill times out the workflow tasks the dead worker held, and a slow (busy) worker times
  // out more; from the 4th attempt the server adds a backoff to a workflow task's timeout
  // (5 s, doubling, up to history.workflowTaskRetryMaxInterval: 10 minutes by default), so after
  // many kills a letter can wait minutes for its task to come back: slower, never lost. Capped
  // here at 10 s so that "stuck" (no email for 90 s) still means stuck. README, "Email: what is guaranteed".
  server = await DevServer.start({ dynamicConfig: { 'history.workflowTaskRetryMaxInterval': '10s' } });
  ({ connection, client } = await connectTo(server.address));
  sink = await new MailSink({ dir: tempDir('rounds-kill-outbox-') }).start();
  ledger.attach(sink);
});

afterAll(async () => {
  for (const w of workers) await w.kill9().catch(() => undefined);
  await sink?.stop();
  await connection?.close();
  await server?.stop();
});

function startWorker(): WorkerProcess {
  const w = new WorkerProcess({ address: server.address, smtpUrl: sink.url });
  workers.push(w);
  return w;
}

test(`kill -9 the worker at least ${MIN_KILLS} times while ${LETTERS} letters send: no email lost, duplicates only as the same message`, async () => {
  const round = generateRound(tempDir('rounds-kill-'), 'kill', LETTERS, [
    // The first chase a minute after the start: time for a busy machine to run all 200 letters'
    // first workflow tasks (checked below), since a letter that starts late skips overdue steps.
    ['60 seconds', 'chase'],
    ['64 seconds', 'chase'],
    ['68 seconds', 'escalate'],
    ['72 seconds', 'close'],
  ]);
  let worker = startWorker();
  await worker.ready;
  const started = await runRounds(['--address', server.address, 'start', round.dir, '--sent-on', 'now']);
  expect(started.stderr).toBe('');
  expect(started.code).toBe(0);
  const dueAt = (await statusOf(client, round.roundId, round.letterIds[0])).steps.map((s) => Date.parse(s.dueAt));
  const expected = expectedMessageIds(round, [0, 1, 2]);
  const firstTasksMs = await untilFirstTasksRan(client, round, dueAt[0] - 1000);

  // Kill it mid-send: once each new worker has started sending (after a kill, the letters it
  // had cached wait out the sticky queue's 10 s timeout first), let it send a few more emails
  // (or run a moment), then SIGKILL it; at least MIN_KILLS times, until the escalation is due.
  await sleep(Math.max(0, dueAt[0] - Date.now()));
  const sent = () => ledger.of(round.roundId).length;
  const kills: { at: number; atS: number; sentBefore: number; sentInLastSecond: number; upMs: number }[] = [];
  const killUntil = dueAt[2] + 2000;
  // On a busy machine a restarted worker takes longer to get going and emails trickle, so a kill
  // can land between emails (not mid-send): the loop goes on (at most 12 kills, 300 s) until
  // MIN_KILLS of them were mid-send, as long as emails are left to send.
  const loopDeadline = Date.now() + 300_000;
  const midSend = () => kills.filter((k) => k.sentInLastSecond > 0).length;
  while ((midSend() < MIN_KILLS || Date.now() < killUntil) && Date.now() < loopDeadline && kills.length < 12 && sent() < expected.length) {
    const before = sent();
    const resumeBy = Date.now() + 20_000;
    while (sent() === before && Date.now() < resumeBy) await sleep(20);
    const mark = sent();
    const wantMore = 2 + Math.floor(Math.random() * 25);
    const upTo = Date.now() + 200 + Math.random() * 2500;
    while (Date.now() < upTo && sent() - mark < wantMore) await sleep(10);
    const now = Date.now();
    const recent = ledger.of(round.roundId).filter((a) => a.at > now - 1000).length;
    await worker.kill9();
    kills.push({ at: Date.now(), atS: Math.round((now - dueAt[0]) / 100) / 10, sentBefore: sent(), sentInLastSecond: recent, upMs: now - worker.readyAt });
    worker = startWorker();
    await worker.ready;
  }
  expect(kills.length).toBeGreaterThanOrEqual(MIN_KILLS);
  expect(midSend()).toBeGreaterThanOrEqual(MIN_KILLS);

  // The last worker stays up. Everything must arrive and every letter close.
  // Emails of a killed worker come back after its 20 s heartbeat timeout plus a backoff of
  // 5-20 s (attempts 2-3, the most seen here), so a minute and a half without a new email is
  // stuck, not slow; a slow machine gets longer as long as emails keep arriving.
  const arrived = () => ledger.byMessageId(round.roundId).size;
  await waitWhileProgressing('every expected email', () => expected.every((id) => ledger.byMessageId(round.roundId).has(id)), arrived, 90_000, 240_000).catch(async (err: Error) => {
    throw new Error(`${err.message}\n${await whatIsMissing(round, expected, kills)}`);
  });
  await waitFor('every letter to close', async () => (await completedCount(client, round.roundId)) >= LETTERS, 60_000, 1000);
  expect(worker.running).toBe(true);

  const { lost, duplicated, unexpected, delivered } = ledger.account(round.roundId, expected);
  const copies = [...duplicated.values()].reduce((n, list) => n + list.length - 1, 0);
  // A duplicate must be the same message: same Message-ID (by construction here) and the same
  // headers and body that a receiver or mail client would compare.
  const sameMessage = await Promise.all([...duplicated.values()].map(async (list) => new Set(await Promise.all(list.map((a) => essence(a.message.raw)))).size === 1));

  // How long before a kill each duplicated email was first accepted: the window in which an
  // accepted email is not yet known to Temporal as sent.
  const beforeKill = [...duplicated.values()]
    .map((list) => {
      const next = kills.find((k) => k.at >= list[0].at);
      return next ? next.at - list[0].at : NaN;
    })
    .sort((a, b) => a - b);
  const troubles = await Promise.all(round.letterIds.map((id) => historyTrouble(client, round.roundId, id)));
  const finals = await Promise.all(round.letterIds.map((id) => statusOf(client, round.roundId, id)));
  report(`worker killed ${kills.length} times while ${LETTERS} letters sent ${expected.length} emails`, {
    kills: kills.map((k) => `+${k.atS}s after first due (up ${k.upMs} ms, ${k.sentInLastSecond} sent in the last second, ${k.sentBefore} so far)`).join('; '),
    everyFirstWorkflowTaskRanWithinMs: firstTasksMs,
    killedMidSend: midSend(),
    expected: expected.length,
    delivered,
    lost: lost.length,
    duplicatedMessageIds: duplicated.size,
    extraCopies: copies,
    duplicatesIdentical: sameMessage.every(Boolean),
    notSentAgainThanksToJournal: workers.reduce((n, w) => n + (w.output.match(/email not sent again/g) ?? []).length, 0),
    duplicateFirstAcceptedBeforeKillMs: beforeKill.length ? `min ${beforeKill[0]}, median ${beforeKill[Math.floor(beforeKill.length / 2)]}, max ${beforeKill[beforeKill.length - 1]}` : 'none',
    lastEmailAfterFirstDueS: Math.round((Math.max(...ledger.of(round.roundId).map((a) => a.at)) - dueAt[0]) / 1000),
    workflowTaskTimeouts: troubles.reduce((n, t) => n + t.taskTimedOut, 0),
    workflowTaskFailures: troubles.reduce((n, t) => n + t.taskFailed.length, 0),
    maxWorkflowTaskAttempt: Math.max(...troubles.map((t) => t.maxTaskAttempt)),
    maxEmailAttempt: Math.max(...troubles.map((t) => t.maxEmailAttempt)),
    smtpServerErrors: ledger.serverErrors.length,
    temporalServerErrorLines: server.errorLines,
  });

  expect(lost).toEqual([]);
  expect(unexpected).toEqual([]);
  // Duplicates: the README allows them only as the very same message. In practice they do
  // happen here (a kill between SMTP acceptance and the activity's completion), so the
  // assertion is on their nature, and the count is printed above.
  expect(sameMessage.every(Boolean)).toBe(true);
  for (const [id, list] of duplicated) expect(list.every((a) => a.message.messageId === id)).toBe(true);
  // Kills time tasks out, but nothing may fail (a failure here would be non-determinism on replay).
  expect(troubles.flatMap((t) => t.taskFailed)).toEqual([]);
  // Each letter went through its whole policy and recorded each email once.
  for (const s of finals) {
    expect(s.state).toBe('unanswered');
    expect(s.emails.map((e) => e.messageId)).toEqual(expectedMessageIds({ ...round, letterIds: [s.letterId] }, [0, 1, 2]));
  }
  // The kill loop (at most 300 s) and the wait for the last emails (at most 240 s) bound it.
}, 600_000);

/** When emails are missing: which, what their letters' pending activities say, and the kills, so that a failure in CI explains itself. */
async function whatIsMissing(round: GeneratedRound, expected: string[], kills: unknown[]): Promise<string> {
  const got = ledger.byMessageId(round.roundId);
  const missing = expected.filter((id) => !got.has(id));
  const letters = [...new Set(missing.map((id) => parseMessageId(id)?.letterId).filter((id): id is string => !!id))];
  const pending = await Promise.all(
    letters.slice(0, 12).map(async (id) => ({
      letter: id,
      pending: await pendingActivities(client, round.roundId, id).catch((e: Error) => e.message),
      task: await pendingWorkflowTask(client, round.roundId, id).catch((e: Error) => e.message),
    })),
  );
  const last = workers[workers.length - 1];
  return [
    `missing ${missing.length} of ${expected.length} at ${new Date().toISOString()}, from ${letters.length} letters`,
    `kills: ${JSON.stringify(kills)}`,
    ...pending.map((p) => `${p.letter}: activities ${JSON.stringify(p.pending)}; ${JSON.stringify(p.task)}`),
    `last worker running: ${last?.running}; its output ends:`,
    (last?.output ?? '').slice(-3000),
    `the Temporal server logged ${server.errorLines} error lines; the last ones:`,
    server.log.slice(-3000),
  ].join('\n');
}
