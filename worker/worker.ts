// The worker: runs letter workflows and their activities on the 'request-rounds' task queue.
import v8 from 'node:v8';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type EmailConfig, type InboxConfig } from '../activities';
import { PAYLOAD_CONVERTER_PATH, workflowBundleForWorker } from './bundle';
import { unreachable, type TemporalSettings } from './connection';
import { TASK_QUEUE } from '../workflows/letter-api';
import { DEFAULT_TUNING, workflowThreadV8Flags, type WorkerTuning } from './tuning';

export interface LetterWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  email: EmailConfig;
  /** Where the mailbox workflow's poll activity reads mail and keeps it (worker/inbox-watcher.ts). */
  inbox?: InboxConfig;
  taskQueue?: string;
  /** A bundle built with BUNDLE_OPTIONS (tests build it once); otherwise the prebuilt one (compiled build) or one built at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** The tuning (worker/tuning.ts); what is not given comes from DEFAULT_TUNING. `rounds worker` and `npm start` pass tuningFromEnv(). */
  tuning?: Partial<WorkerTuning>;
}

export { DEFAULT_TUNING };

export async function createLetterWorker(opts: LetterWorkerOptions): Promise<{ worker: Worker; close: () => void }> {
  const workflowBundle = opts.workflowBundle ?? (await workflowBundleForWorker());
  // The mailbox's sender match lists open letters through the worker's own connection.
  const { activities, close } = createActivities(opts.email, opts.inbox && { temporal: { connection: opts.connection, namespace: opts.namespace }, ...opts.inbox });
  const { workflowHeapMb, workflowSemiSpaceMb, ...sdkTuning } = { ...DEFAULT_TUNING, ...opts.tuning };
  // Set before Worker.create starts the workflow thread: V8 reads its flags when an isolate is made.
  for (const flag of workflowThreadV8Flags({ workflowHeapMb, workflowSemiSpaceMb })) v8.setFlagsFromString(flag);
  const worker = await Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue ?? TASK_QUEUE,
    activities,
    workflowBundle,
    dataConverter: { payloadConverterPath: PAYLOAD_CONVERTER_PATH },
    ...sdkTuning,
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
