// A worker process like `rounds worker`, with its tuning given as JSON in BENCH_WORKER_TUNING
// (e.g. '{"maxCachedWorkflows":500}'), so the bench can compare settings side by side without
// editing worker/worker.ts. `{"sdkDefaults":true}` runs with the SDK's own defaults (what
// worker.ts used before it set any). Prints the same ready line as `rounds worker`.
//   TEMPORAL_ADDRESS=127.0.0.1:7233 SMTP_URL=smtp://127.0.0.1:2525 node -r tsx/cjs bench/worker-variant.ts
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { temporalSettings } from '../worker/connection';
import { connectWorker, createLetterWorker, type LetterWorkerOptions } from '../worker/worker';
import { TASK_QUEUE } from '../workflows/letter-api';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger((process.env.ROUNDS_LOG_LEVEL as 'WARN') ?? 'WARN') });
  const smtpUrl = process.env.SMTP_URL;
  if (!smtpUrl) throw new Error('SMTP_URL is not set');
  const { v8Flags, ...raw } = JSON.parse(process.env.BENCH_WORKER_TUNING ?? '{}') as Record<string, unknown> & { sdkDefaults?: boolean; v8Flags?: string };
  // V8 flags set now apply to isolates created later: the workflow thread's, where cached letters live.
  if (v8Flags) (require('node:v8') as typeof import('node:v8')).setFlagsFromString(v8Flags);
  const settings = temporalSettings();
  const connection = await connectWorker(settings);
  let worker: Worker;
  let close: () => void;
  if (raw.sdkDefaults) {
    // Exactly what createLetterWorker did before it had defaults of its own.
    const acts = createActivities({ smtpUrl });
    close = acts.close;
    worker = await Worker.create({
      connection,
      namespace: settings.namespace,
      taskQueue: TASK_QUEUE,
      activities: acts.activities,
      workflowsPath: require.resolve('../workflows'),
    });
  } else {
    ({ worker, close } = await createLetterWorker({
      connection,
      namespace: settings.namespace,
      email: { smtpUrl },
      tuning: raw as LetterWorkerOptions['tuning'],
    }));
  }
  console.log(`worker: task queue ${TASK_QUEUE} on ${settings.address} (bench variant ${JSON.stringify(raw)})`);
  if (process.env.BENCH_WORKER_MEMLOG) {
    const mb = (n: number) => Math.round(n / 1048576);
    setInterval(() => {
      const m = process.memoryUsage();
      console.log(`memory: rss ${mb(m.rss)} heapTotal ${mb(m.heapTotal)} heapUsed ${mb(m.heapUsed)} external ${mb(m.external)} arrayBuffers ${mb(m.arrayBuffers)}`);
    }, Number(process.env.BENCH_WORKER_MEMLOG)).unref();
  }
  const stop = () => worker.shutdown();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await worker.run();
  close();
  await connection.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
