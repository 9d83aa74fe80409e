// The bench's baselines, run as their own process like the CLI they are compared with, and
// timed from inside (so process startup is not counted against them). Prints one JSON line.
//   node -r tsx/cjs bench/bare.ts start <roundDir> <concurrency> <taskQueue>
//     client.workflow.start for every letter of the round: the very requests startLetters
//     sends (startRequest: input, id reuse policy, search attributes, memo), to <taskQueue>.
//   node -r tsx/cjs bench/bare.ts list <roundId> <runs>
//     client.workflow.list of the round's letters (the visibility query rounds status uses),
//     iterated to the end, <runs> times.
//   node -r tsx/cjs bench/bare.ts page <roundId> <runs>
//     the first register page and its counts, <runs> times each, alternating: the bare way (the
//     first 50 rows of client.workflow.list and client.workflow.count of the round, in parallel)
//     and ours (client/register-query.ts: registerPage and registerCounts, in parallel). A first
//     run of each is left out (it warms the connection).
//   node -r tsx/cjs bench/bare.ts chase <count> <dueAt ms> <concurrency>
//     starts <count> bench/bare-workflow.ts workflows due at <dueAt>.
// TEMPORAL_ADDRESS says where the server is.
import { Client, Connection, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { letterInputs, startRequest } from '../client/letters';
import { PAGE_SIZE, queries } from '../client/queries';
import { registerCounts, registerPage } from '../client/register-query';
import { BARE_TASK_QUEUE } from './bare-worker';
import { loadRoundFolder } from '../client/round-folder';
import * as api from '../workflows/letter-api';
import type { letter } from '../workflows/letter';

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS ?? 'localhost:7233' });
  const client = new Client({ connection, namespace: 'default' });
  try {
    if (command === 'start') {
      const [dir, concurrency, taskQueue] = args;
      const inputs = letterInputs(await loadRoundFolder(dir), { delivery: 'record-sent', sentOn: 'now' });
      let next = 0;
      let started = 0;
      const t = performance.now();
      const loop = async () => {
        while (next < inputs.length) {
          const input = inputs[next++];
          try {
            await client.workflow.start<typeof letter>(api.WORKFLOW_TYPE, startRequest(input, taskQueue));
            started++;
          } catch (err) {
            if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(Number(concurrency), inputs.length) }, loop));
      console.log(JSON.stringify({ started, ms: performance.now() - t }));
    } else if (command === 'list') {
      const [roundId, runs] = args;
      const times: number[] = [];
      let rows = 0;
      for (let i = 0; i < Number(runs); i++) {
        const t = performance.now();
        rows = 0;
        for await (const _ of client.workflow.list({ query: queries.roundLetters(roundId), pageSize: 1000 })) rows++;
        times.push(performance.now() - t);
      }
      console.log(JSON.stringify({ rows, times }));
    } else if (command === 'page') {
      const [roundId, runs] = args;
      const base = queries.roundLetters(roundId);
      const bare: number[] = [];
      const ours: number[] = [];
      let rows = { bare: 0, ours: 0 };
      for (let i = 0; i <= Number(runs); i++) {
        let t = performance.now();
        const [page] = await Promise.all([
          (async () => {
            const got = [];
            for await (const info of client.workflow.list({ query: base, pageSize: PAGE_SIZE })) {
              got.push(info);
              if (got.length === PAGE_SIZE) break;
            }
            return got;
          })(),
          client.workflow.count(base),
        ]);
        if (i > 0) bare.push(performance.now() - t);
        t = performance.now();
        const [mine] = await Promise.all([registerPage(client, base), registerCounts(client, base)]);
        if (i > 0) ours.push(performance.now() - t);
        rows = { bare: page.length, ours: mine.rows.length };
      }
      console.log(JSON.stringify({ rows, bare, ours }));
    } else if (command === 'chase') {
      const [count, dueAt, concurrency] = args.map(Number);
      let next = 0;
      const loop = async () => {
        while (next < count) {
          const i = next++;
          await client.workflow.start('bareChase', { taskQueue: BARE_TASK_QUEUE, workflowId: `bench-bare-chase/${i}`, args: [dueAt, i] });
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, count) }, loop));
      console.log(JSON.stringify({ started: count }));
    } else {
      throw new Error(`unknown command '${command}' (start, list, page or chase)`);
    }
  } finally {
    await connection.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
