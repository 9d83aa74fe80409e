// What the replies tests (test/replies.*.test.ts) share: the letter worker with an inbox (a
// mail source and a document store) on a test server, and the mailbox workflow that reads the
// source, polling once a day (the tests wake it with mailArrived, or IDLE does); and waiting
// until the mailbox has read a message just delivered.
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { MailSource } from '../../activities/inbox';
import type { Policy } from '../../domain/policy';
import * as api from '../../workflows/letter-api';
import type { mailbox } from '../../workflows/mailbox';
import * as mb from '../../workflows/mailbox-api';
import { waitFor } from '../../worker/dev/wait';
import { createLetterWorker } from '../../worker/worker';
import { SHORT_POLICY, workflowBundle } from './temporal';

/** Steps an hour apart: nothing fires while a test runs in real time. */
export const SLOW_POLICY: Policy = { ...SHORT_POLICY, steps: SHORT_POLICY.steps.map((s, i) => ({ ...s, after: { unit: 'duration' as const, ms: (i + 1) * 3_600_000 } })) };

export interface InboxWorker {
  box: WorkflowHandle<typeof mailbox>;
  /** Terminates the mailbox workflow and shuts the worker down. */
  stop(): Promise<void>;
}

export async function startInboxWorker(
  env: TestWorkflowEnvironment,
  opts: {
    smtpUrl: string;
    source: MailSource;
    documentsDir: string;
    /** The mailbox workflow's id: one per test file by default; the dashboard asks it by mb.MAILBOX_WORKFLOW_ID. */
    mailboxId?: string;
  },
): Promise<InboxWorker> {
  const { worker, close } = await createLetterWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    email: { smtpUrl: opts.smtpUrl },
    inbox: { source: opts.source, documentsDir: opts.documentsDir },
    workflowBundle: await workflowBundle(),
  });
  const running = worker.run();
  const stopWorker = async () => {
    worker.shutdown();
    await running;
    close();
  };
  let box: WorkflowHandle<typeof mailbox>;
  try {
    box = await env.client.workflow.start<typeof mailbox>(mb.MAILBOX_WORKFLOW_TYPE, {
      taskQueue: api.TASK_QUEUE,
      workflowId: opts.mailboxId ?? `mailbox-${process.pid}`,
      args: [{ pollSeconds: 86_400 }],
    });
  } catch (err) {
    await stopWorker();
    throw err;
  }
  return {
    box,
    stop: async () => {
      await box.terminate().catch(() => undefined);
      await stopWorker();
    },
  };
}

/** Runs `deliver` (a message into the mailbox's source), then wakes the mailbox until it has read it. */
export async function deliveredAndRead(box: WorkflowHandle<typeof mailbox>, deliver: () => Promise<unknown> | unknown, what = 'the mailbox to read the message'): Promise<void> {
  const before = (await box.query(mb.inbox)).lastUid;
  await deliver();
  await waitFor(
    what,
    async () => {
      await box.signal(mb.mailArrived);
      return (await box.query(mb.inbox)).lastUid > before;
    },
    20_000,
    200,
  );
}
