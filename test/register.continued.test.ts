// A letter whose history grows long goes on in a new run (continue-as-new, issue 16). Its earlier
// run stays in visibility as ContinuedAsNew under the same workflow id; the register, the counts
// and the exports must still list and count that letter once. A real dev server, told to suggest
// continue-as-new after 40 history events, and the real worker running the real letter workflow.
import type { Client, Connection } from '@temporalio/client';
import { MailSink } from '../worker/dev/mail-sink';
import { DevServer, generateRound, runRounds, tempDir, waitFor, WorkerProcess } from '../worker/dev/processes';
import { connectTo } from './faults/support/harness';
import { queries } from '../client/queries';
import { registerCounts } from '../client/register-query';
import * as api from '../workflows/letter-api';

let server: DevServer;
let connection: Connection;
let client: Client;
let worker: WorkerProcess;
let sink: MailSink;

beforeAll(async () => {
  server = await DevServer.start({ dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': 40 } });
  ({ connection, client } = await connectTo(server.address));
  sink = await new MailSink({ dir: tempDir('rounds-continued-outbox-') }).start();
  worker = new WorkerProcess({ address: server.address, smtpUrl: sink.url });
  await worker.ready;
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await sink?.stop();
  await connection?.close();
  await server?.stop();
});

test('a letter that continued as new is listed and counted once by `rounds status` and the register counts', async () => {
  const round = generateRound(tempDir('rounds-continued-'), 'continued', 2, [['30 working days', 'chase'], ['40 working days', 'close']]);
  const started = await runRounds(['--address', server.address, 'start', round.dir, '--sent-on', 'now']);
  expect(started.code).toBe(0);
  const handle = client.workflow.getHandle(api.workflowIdFor(round.roundId, round.letterIds[0]));
  await waitFor('the letter to be sent', async () => (await handle.query(api.status)).state === 'awaiting', 60_000, 250);
  const firstRun = (await handle.describe()).runId;

  // Notes until the server suggests a new run and the letter takes it.
  for (let i = 1; i <= 30 && (await handle.describe()).runId === firstRun; i++) {
    await handle.executeUpdate(api.addNote, { args: [{ text: `note ${i}`, by: 'test' }] });
  }
  const current = await handle.describe();
  expect(current.runId).not.toBe(firstRun);
  expect((await client.workflow.getHandle(handle.workflowId, firstRun).describe()).status.name).toBe('CONTINUED_AS_NEW');
  expect((await handle.query(api.status)).timeline.filter((e) => e.kind === 'note')).not.toHaveLength(0);

  // Visibility has both runs of that letter; the lists take the current one only.
  const base = queries.roundLetters(round.roundId);
  await waitFor(
    'visibility to show the continued run',
    async () => (await client.workflow.count(`WorkflowType = "${api.WORKFLOW_TYPE}" AND RoundId = "${round.roundId}"`)).count === 3,
    30_000,
    250,
  );
  const counts = await registerCounts(client, base);
  expect(counts.letters).toBe(2);
  expect(counts.byStatus).toEqual({ Running: 2 });
  const json = await runRounds(['--address', server.address, 'status', round.roundId, '--json']);
  expect(json.code).toBe(0);
  const rows = JSON.parse(json.stdout) as { letterId: string }[];
  expect(rows.map((r) => r.letterId).sort()).toEqual(round.letterIds);
  const all = await runRounds(['--address', server.address, 'status']);
  expect(all.stdout).toMatch(/continued\s+2\b/);
}, 180_000);
