// The bench's baselines, run as their own process like the CLI they are compared with, and
// timed from inside (so process startup is not counted against them). Prints one JSON line.
//   node -r tsx/cjs bench/bare.ts start <roundDir> <concurrency> <taskQueue>
//     client.workflow.start for every letter of the round: the very requests startLetters
//     sends (startRequest: input, id reuse policy, search attributes, memo), to <taskQueue>.
//   node -r tsx/cjs bench/bare.ts list <roundId> <runs>
//     client.workflow.list of the round's letters (the visibility query rounds status uses),
//     iterated to the end, <runs> times.
// TEMPORAL_ADDRESS says where the server is.
import { Client, Connection, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { letterInputs, startRequest } from '../client/letters';
import { queries } from '../client/queries';
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
    } else {
      throw new Error(`unknown command '${command}' (start or list)`);
    }
  } finally {
    await connection.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
