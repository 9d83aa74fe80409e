// The worker side of the mailbox (issue 13): makes sure the mailbox workflow runs, and wakes
// its poll as soon as mail arrives: IMAP IDLE on a connection of its own, or a watch on the
// local folder the mail sink fills. The workflow still polls every ROUNDS_INBOX_POLL seconds, so
// a missed wake-up only delays a message. An unreachable server is retried with backoff and
// reported through `report`; it never throws into the worker.
import fs from 'node:fs';
import { Client, WorkflowExecutionAlreadyStartedError, type ConnectionLike } from '@temporalio/client';
import { ImapFlow } from 'imapflow';
import { FolderSource, ImapSource, type MailSource } from '../activities/inbox';
import { TASK_QUEUE } from '../workflows/letter-api';
import * as mb from '../workflows/mailbox-api';
import type { mailbox } from '../workflows/mailbox';

export interface InboxWatcherOptions {
  connection: ConnectionLike;
  namespace: string;
  source: MailSource;
  taskQueue?: string;
  pollSeconds?: number;
  workflowId?: string;
  report?: (message: string) => void;
}

/** The mail source the environment asks for: IMAP_URL, else the local folder (the embedded default). */
export function mailSourceFromEnv(localFolder: string, env: NodeJS.ProcessEnv = process.env): MailSource {
  return env.IMAP_URL ? new ImapSource(env.IMAP_URL, env) : new FolderSource(localFolder);
}

export function pollSecondsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.ROUNDS_INBOX_POLL;
  if (raw === undefined) return mb.DEFAULT_POLL_SECONDS;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 1 || n > 86_400) throw new Error(`ROUNDS_INBOX_POLL: expected seconds from 1 to 86400, got ${JSON.stringify(raw)}`);
  return n;
}

export class InboxWatcher {
  private readonly client: Client;
  private readonly workflowId: string;
  private stopped = false;
  private imap?: ImapFlow;
  private watcher?: fs.FSWatcher;
  private retry?: NodeJS.Timeout;
  private wakeTimer?: NodeJS.Timeout;
  private lastWake = 0;

  constructor(private readonly opts: InboxWatcherOptions) {
    this.client = new Client({ connection: opts.connection, namespace: opts.namespace });
    this.workflowId = opts.workflowId ?? mb.MAILBOX_WORKFLOW_ID;
  }

  async start(): Promise<this> {
    await this.ensureWorkflow();
    if (this.opts.source instanceof ImapSource) void this.idle(0);
    else if (this.opts.source instanceof FolderSource) {
      const source = this.opts.source;
      source.uidValidity(); // creates the folder
      this.watcher = fs.watch(source.dir, () => this.wakeSoon());
    }
    return this;
  }

  /** Starts the mailbox workflow unless it is running. */
  async ensureWorkflow(): Promise<void> {
    try {
      await this.client.workflow.start<typeof mailbox>(mb.MAILBOX_WORKFLOW_TYPE, {
        workflowId: this.workflowId,
        taskQueue: this.opts.taskQueue ?? TASK_QUEUE,
        args: [{ pollSeconds: this.opts.pollSeconds }],
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  /**
   * Wakes the poll at most once a second: a burst of new mail (an IDLE 'exists' per message) is
   * one signal, not one each. The workflow reads everything there is once woken, and a stream of
   * signals would make its workflow tasks fail over and over (a signal arriving while a task
   * completes fails it with UnhandledCommand) and stall it: bench/README.md, replies.
   */
  wakeSoon(): void {
    if (this.wakeTimer || this.stopped) return;
    const delay = Math.max(0, this.lastWake + 1000 - Date.now());
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined;
      this.lastWake = Date.now();
      void this.wake();
    }, delay);
  }

  async wake(): Promise<void> {
    try {
      await this.client.workflow.getHandle(this.workflowId).signal(mb.mailArrived);
    } catch (err) {
      this.opts.report?.(`inbox: could not wake the mailbox workflow: ${(err as Error).message}`);
    }
  }

  /** IDLE on a connection of its own; reconnects with backoff (5 s doubling to 5 minutes). */
  private async idle(failures: number): Promise<void> {
    const source = this.opts.source;
    if (this.stopped || !(source instanceof ImapSource)) return;
    const client = new ImapFlow({ ...source.options });
    this.imap = client;
    client.on('error', (err: Error) => this.opts.report?.(`inbox: ${this.opts.source.description}: ${err.message}`));
    client.on('exists', () => this.wakeSoon());
    client.on('close', () => {
      if (this.stopped) return;
      this.retry = setTimeout(() => void this.idle(0), 5000);
    });
    try {
      await client.connect();
      await client.mailboxOpen(source.mailbox, { readOnly: true });
      await this.wake(); // anything that came while we were away
    } catch (err) {
      this.opts.report?.(`inbox: ${this.opts.source.description} unreachable: ${(err as Error).message}; trying again`);
      client.removeAllListeners('close');
      client.close();
      if (this.stopped) return;
      this.retry = setTimeout(() => void this.idle(failures + 1), Math.min(300_000, 5000 * 2 ** Math.min(failures, 6)));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    clearTimeout(this.wakeTimer);
    this.watcher?.close();
    if (this.imap) {
      this.imap.removeAllListeners('close');
      await this.imap.logout().catch(() => this.imap?.close());
    }
  }
}
