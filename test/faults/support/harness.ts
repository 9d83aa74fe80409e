// What the fault tests share: a client, the mail that arrived (across sink restarts),
// which emails a round must send, and a letter's status and history.
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { simpleParser } from 'mailparser';
import { messageIdFor } from '../../../domain/email';
import type { LetterStatus } from '../../../domain/types';
import type { MailSink, SinkMessage } from '../../../worker/dev/mail-sink';
import { ensureSearchAttributes } from '../../../worker/search-attributes';
import * as api from '../../../workflows/letter-api';
import { parseMessageId, type GeneratedRound } from '../../../worker/dev/processes';

export const SENDER = 'office@test-office.example.org'; // generateRound's sender

export async function connectTo(address: string): Promise<{ connection: Connection; client: Client }> {
  const connection = await Connection.connect({ address, connectTimeout: '5s' });
  await ensureSearchAttributes(connection, 'default');
  return { connection, client: new Client({ connection, namespace: 'default' }) };
}

export interface Arrival {
  at: number;
  message: SinkMessage;
}

/** Every message any of the attached sinks accepted, with the time it was accepted. */
export class Ledger {
  readonly arrivals: Arrival[] = [];
  /** Errors the sinks' SMTP servers reported (a client that vanished mid-transaction: ECONNRESET). */
  readonly serverErrors: string[] = [];

  attach(sink: MailSink): void {
    sink.on('message', (message: SinkMessage) => this.arrivals.push({ at: Date.now(), message }));
    // A client whose connection resets mid-message (a worker killed while sending) makes the
    // sink report a connection error (MailSink handles the SMTP server's 'error' event); count them.
    sink.on('connectionError', (err: Error & { code?: string }) => this.serverErrors.push(err.code ?? err.message));
  }

  of(roundId: string): Arrival[] {
    return this.arrivals.filter((a) => a.message.messageId && parseMessageId(a.message.messageId)?.roundId === roundId);
  }

  byMessageId(roundId: string): Map<string, Arrival[]> {
    const map = new Map<string, Arrival[]>();
    for (const a of this.of(roundId)) {
      const list = map.get(a.message.messageId!) ?? [];
      list.push(a);
      map.set(a.message.messageId!, list);
    }
    return map;
  }

  /** Lost = expected but never arrived; duplicated = arrived more than once; unexpected = arrived but not expected. */
  account(roundId: string, expected: string[]): { lost: string[]; duplicated: Map<string, Arrival[]>; unexpected: string[]; delivered: number } {
    const got = this.byMessageId(roundId);
    const want = new Set(expected);
    return {
      lost: expected.filter((id) => !got.has(id)),
      duplicated: new Map([...got].filter(([, list]) => list.length > 1)),
      unexpected: [...got.keys()].filter((id) => !want.has(id)),
      delivered: got.size,
    };
  }
}

/** The Message-IDs a round must send: one per letter and email step (chases and the escalation). */
export function expectedMessageIds(round: GeneratedRound, emailSteps: number[]): string[] {
  return round.letterIds.flatMap((letterId) => emailSteps.map((i) => messageIdFor(round.roundId, letterId, `step-${i}`, SENDER)));
}

/** What a person would compare between two copies of an email: everything but the Date and transport headers. */
export async function essence(raw: Buffer): Promise<string> {
  const m = await simpleParser(raw);
  return JSON.stringify({
    messageId: m.messageId,
    subject: m.subject,
    from: m.from?.text,
    to: Array.isArray(m.to) ? m.to.map((t) => t.text) : m.to?.text,
    cc: Array.isArray(m.cc) ? m.cc.map((t) => t.text) : m.cc?.text,
    replyTo: m.replyTo?.text,
    inReplyTo: m.inReplyTo,
    references: m.references,
    letter: m.headers.get('x-request-rounds-letter'),
    text: m.text,
    html: m.html,
  });
}

export function letterHandle(client: Client, roundId: string, letterId: string) {
  return client.workflow.getHandle(api.workflowIdFor(roundId, letterId));
}

export async function statusOf(client: Client, roundId: string, letterId: string): Promise<LetterStatus> {
  return letterHandle(client, roundId, letterId).query(api.status);
}

/** Every letter's status (a few queries at a time). */
export async function statuses(client: Client, round: GeneratedRound, concurrency = 8): Promise<Map<string, LetterStatus>> {
  const out = new Map<string, LetterStatus>();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < round.letterIds.length) {
        const id = round.letterIds[next++];
        out.set(id, await statusOf(client, round.roundId, id));
      }
    }),
  );
  return out;
}

export async function countWhere(client: Client, query: string): Promise<number> {
  return (await client.workflow.count(query)).count;
}

/** Letters of the round that have run their first workflow task (it publishes NextActionAt). */
export const scheduledCount = (client: Client, roundId: string) => countWhere(client, `RoundId = "${roundId}" AND NextActionAt > "2000-01-01T00:00:00Z"`);
export const completedCount = (client: Client, roundId: string) => countWhere(client, `RoundId = "${roundId}" AND ExecutionStatus = "Completed"`);

const EventType = temporal.api.enums.v1.EventType;

/** Counts of the events that say something went wrong in a workflow task. */
export async function historyTrouble(
  client: Client,
  roundId: string,
  letterId: string,
): Promise<{ events: number; taskFailed: string[]; taskTimedOut: number; maxTaskAttempt: number; maxEmailAttempt: number }> {
  const history = await letterHandle(client, roundId, letterId).fetchHistory();
  const events = history.events ?? [];
  return {
    events: events.length,
    taskFailed: events
      .filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)
      .map((e) => e.workflowTaskFailedEventAttributes?.failure?.message ?? 'workflow task failed'),
    taskTimedOut: events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT).length,
    // Retried workflow tasks are written once they complete, with their attempt number.
    maxTaskAttempt: Math.max(0, ...events.map((e) => e.workflowTaskScheduledEventAttributes?.attempt ?? 0)),
    maxEmailAttempt: Math.max(0, ...events.map((e) => e.activityTaskStartedEventAttributes?.attempt ?? 0)),
  };
}

/** A pending activity as `temporal workflow describe` shows it: attempt, state, when it runs next, why the last attempt failed. */
export interface PendingActivity {
  activityId: string;
  attempt: number;
  state: string;
  lastFailure?: string;
  lastStartedAt?: string;
  nextAttemptAt?: string;
  lastWorker?: string;
}

const ts = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) =>
  t?.seconds != null ? new Date(Number(t.seconds) * 1000 + Math.round((t.nanos ?? 0) / 1e6)).toISOString() : undefined;

/** Pending activities of a letter. */
export async function pendingActivities(client: Client, roundId: string, letterId: string): Promise<PendingActivity[]> {
  const d = await letterHandle(client, roundId, letterId).describe();
  return (d.raw.pendingActivities ?? []).map((p) => ({
    activityId: p.activityId ?? '',
    attempt: p.attempt ?? 0,
    state: temporal.api.enums.v1.PendingActivityState[p.state ?? 0] ?? String(p.state),
    lastFailure: p.lastFailure?.message ?? undefined,
    lastStartedAt: ts(p.lastStartedTime),
    nextAttemptAt: ts(p.nextAttemptScheduleTime),
    lastWorker: p.lastWorkerIdentity ?? undefined,
  }));
}

/**
 * Waits until every letter of the round has run its first workflow task (history past its first
 * task, none pending), polling the server's describe (no worker involved). A letter whose first
 * task runs after some of its steps are due skips all but the latest (Letter.skipOverdue), so a
 * test that counts emails must know its letters started in time: throws, saying how many had
 * not, if they are not all going by `deadline` (ms since the epoch). Returns the ms it took.
 */
export async function untilFirstTasksRan(client: Client, round: GeneratedRound, deadline: number): Promise<number> {
  const from = Date.now();
  let waiting = [...round.letterIds];
  while (waiting.length) {
    const still: string[] = [];
    for (let i = 0; i < waiting.length; i += 20) {
      const batch = waiting.slice(i, i + 20);
      const done = await Promise.all(
        batch.map(async (id) => {
          const d = await letterHandle(client, round.roundId, id).describe();
          return d.historyLength >= 4 && !d.raw.pendingWorkflowTask;
        }),
      );
      batch.forEach((id, k) => done[k] || still.push(id));
    }
    waiting = still;
    if (!waiting.length) break;
    if (Date.now() > deadline) {
      throw new Error(`${waiting.length} of ${round.letterIds.length} letters had not run their first workflow task ${Math.round((Date.now() - from) / 1000)} s after the start, when their first step fell due (e.g. ${waiting.slice(0, 5).join(', ')}): the machine is too slow for this schedule`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return Date.now() - from;
}

/** A letter's pending workflow task (attempt, state, times) and its last history events: why a letter with no pending activity is not moving. */
export async function pendingWorkflowTask(client: Client, roundId: string, letterId: string): Promise<Record<string, unknown>> {
  const handle = letterHandle(client, roundId, letterId);
  const d = await handle.describe();
  const t = d.raw.pendingWorkflowTask;
  const events = (await handle.fetchHistory()).events ?? [];
  return {
    status: d.status.name,
    workflowTask: t ? { state: temporal.api.enums.v1.PendingWorkflowTaskState[t.state ?? 0], attempt: t.attempt, scheduledAt: ts(t.scheduledTime), startedAt: ts(t.startedTime) } : null,
    lastEvents: events.slice(-4).map((e) => `${EventType[e.eventType ?? 0]?.replace('EVENT_TYPE_', '')}@${ts(e.eventTime)}`),
  };
}

/** Prints a test's figures so they show in the jest output. */
export function report(title: string, figures: Record<string, unknown>): void {
  const lines = Object.entries(figures).map(([k, v]) => `  ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  process.stdout.write(`\n${title}\n${lines.join('\n')}\n`);
}
