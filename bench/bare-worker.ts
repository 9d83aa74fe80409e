// The punctuality baseline's worker (bench/bare-workflow.ts): the SDK's defaults, one activity
// that sends one email through the same nodemailer pool settings to SMTP_URL (the bench's sink, as the letters'
// emails go). Prints a ready line like `rounds worker`.
//   TEMPORAL_ADDRESS=127.0.0.1:7233 SMTP_URL=smtp://127.0.0.1:2525 node -r tsx/cjs bench/bare-worker.ts
import { NativeConnection, Worker } from '@temporalio/worker';
import nodemailer from 'nodemailer';
import { transportOptions } from '../activities/email';

export const BARE_TASK_QUEUE = 'bench-bare-chase';

function activities(smtpUrl: string) {
  // The letters' own pool settings (5 connections); `{ url, pool }` would make nodemailer drop the pool.
  const transport = nodemailer.createTransport(transportOptions(smtpUrl));
  return {
    activities: {
      async sendOne(index: number): Promise<void> {
        await transport.sendMail({
          from: 'bench@example.org',
          to: 'recipient@example.org',
          subject: `bare chase ${index}`,
          text: 'A reminder.',
          messageId: `<bare-${index}@bench.invalid>`,
        });
      },
    },
    close: () => transport.close(),
  };
}
export type BareActivities = ReturnType<typeof activities>['activities'];

async function main(): Promise<void> {
  const smtpUrl = process.env.SMTP_URL;
  if (!smtpUrl) throw new Error('SMTP_URL is not set');
  const address = process.env.TEMPORAL_ADDRESS ?? 'localhost:7233';
  const connection = await NativeConnection.connect({ address });
  const a = activities(smtpUrl);
  const worker = await Worker.create({
    connection,
    namespace: 'default',
    taskQueue: BARE_TASK_QUEUE,
    activities: a.activities,
    workflowsPath: require.resolve('./bare-workflow'),
  });
  console.log(`worker: task queue ${BARE_TASK_QUEUE} on ${address} (bench baseline)`);
  const stop = () => worker.shutdown();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await worker.run();
  a.close();
  await connection.close();
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(2);
  });
}
