// The worker: runs letter workflows and their activities on the 'request-rounds' task queue.
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type EmailConfig, type InboxConfig } from '../activities';
import { PAYLOAD_CONVERTER_PATH, workflowBundleForWorker } from './bundle';
import { unreachable, type TemporalSettings } from './connection';
import { TASK_QUEUE } from '../workflows/letter-api';

export interface LetterWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  email: EmailConfig;
  /** Where the mailbox workflow's poll activity reads mail and keeps it (worker/inbox-watcher.ts). */
  inbox?: InboxConfig;
  taskQueue?: string;
  /** A bundle built with BUNDLE_OPTIONS (tests build it once); otherwise the prebuilt one (compiled build) or one built at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  tuning?: Partial<
    Pick<WorkerOptions, 'maxCachedWorkflows' | 'maxConcurrentActivityTaskExecutions' | 'maxConcurrentWorkflowTaskExecutions' | 'nonStickyToStickyPollRatio'>
  >;
}

/**
 * Defaults measured with `npm run bench` (10,000 open letters, 500 chases due at one moment;
 * figures in bench/README.md). The SDK's own defaults size the workflow cache from the heap
 * limit (about 2,300 workflows under Node's 4 GB), which cost 2.2 GB of RSS with a round of
 * 10,000 letters whose timers fire days apart, and bought nothing: a letter wakes a few times
 * a month, and replaying its short history (under 60 events) takes milliseconds.
 */
export const DEFAULT_TUNING = {
  // ~0.4 MB per cached letter. 250 and 1,000 gave the same chase punctuality in the bench.
  maxCachedWorkflows: 250,
  // A newly started letter, a replay after eviction and every letter after a worker restart
  // poll the normal (non-sticky) queue; the SDK's 0.2 leaves 2 of 10 pollers there. Equal
  // shares doubled how fast a new round gets its first task (83 to 165 letters/s), at ~1 s more
  // p99 when 500 cached letters are chased at one moment.
  nonStickyToStickyPollRatio: 1,
  // SMTP goes through a pool of 5 connections (activities/email.ts): more activities at once
  // only queue inside nodemailer. Fewer slots keep the rest queued in Temporal, so a worker that
  // dies leaves at most this many sends waiting out their 2-minute start-to-close timeout.
  maxConcurrentActivityTaskExecutions: 20,
} satisfies LetterWorkerOptions['tuning'];

export async function createLetterWorker(opts: LetterWorkerOptions): Promise<{ worker: Worker; close: () => void }> {
  const workflowBundle = opts.workflowBundle ?? (await workflowBundleForWorker());
  // The mailbox's sender match lists open letters through the worker's own connection.
  const { activities, close } = createActivities(opts.email, opts.inbox && { temporal: { connection: opts.connection, namespace: opts.namespace }, ...opts.inbox });
  const worker = await Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue ?? TASK_QUEUE,
    activities,
    workflowBundle,
    dataConverter: { payloadConverterPath: PAYLOAD_CONVERTER_PATH },
    ...DEFAULT_TUNING,
    ...opts.tuning,
  });
  return { worker, close };
}

export async function connectWorker(settings: TemporalSettings): Promise<NativeConnection> {
  try {
    return await NativeConnection.connect(settings.connectionOptions);
  } catch (err) {
    throw unreachable(settings, err);
  }
}
