// The worker: runs letter workflows and their activities on the 'request-rounds' task queue.
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type EmailConfig } from '../activities';
import { TASK_QUEUE } from '../workflows/letter-api';

export interface LetterWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  email: EmailConfig;
  taskQueue?: string;
  /** A prebuilt bundle (tests build it once); otherwise the workflows are bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  tuning?: Partial<Pick<WorkerOptions, 'maxCachedWorkflows' | 'maxConcurrentActivityTaskExecutions' | 'maxConcurrentWorkflowTaskExecutions'>>;
}

export async function createLetterWorker(opts: LetterWorkerOptions): Promise<{ worker: Worker; close: () => void }> {
  const { activities, close } = createActivities(opts.email);
  const worker = await Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue ?? TASK_QUEUE,
    activities,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: require.resolve('../workflows') }),
    ...opts.tuning,
  });
  return { worker, close };
}
