// Operations on letters, shared by the CLI and the dashboard: start a round, read a letter,
// send it a message. Errors come back as UserError (the person can fix it) or SystemError.
import {
  Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { CALENDAR_YEARS, holidayTableFrom } from '../domain/calendar';
import type { Policy } from '../domain/policy';
import fs from 'node:fs';
import { DocumentStore, documentsDir, type DocumentRef } from '../activities/document-store';
import { coverNoteFields, renderCoverNote } from '../domain/cover-note';
import type { letter } from '../workflows/letter';
import { cleanLetterInput } from '../domain/letter-input';
import { officeFormatOf } from '../domain/letter-file/office';
import { planLetter, resolveSentOn } from '../domain/start';
import type { RoundPlan } from '../domain/round';
import { recipientKeys } from '../domain/replies';
import type { LetterInput, LetterStatus } from '../domain/types';
import * as api from '../workflows/letter-api';
import { AlreadyAppliedUserError, NotFoundError, UserError } from './errors';
import { letterMemo } from './letter-memo';
import { ScheduleError, SentOnError } from '../domain/errors';
import { STAFF_ACTIONS, type StaffAction } from '../domain/staff-actions';
import { varDir } from './users';
import { forEachLimit } from './concurrency';

export interface StartOptions {
  delivery: 'send' | 'record-sent';
  /** With 'send': the letter in the email's body (--inline), instead of a covering note with the letter attached as a PDF. */
  inline?: boolean;
  /** PDF letters already put in the document store (storeLetterPdfs), by letter id: attached as they are. */
  letterPdfs?: Map<string, DocumentRef>;
  /** Overrides when the letters count as sent: a date, or 'now'. */
  sentOn?: string;
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
  now?: Date;
}

export interface StartResult {
  started: string[];
  alreadyStarted: string[];
}

/**
 * Puts each PDF letter's bytes in the document store, so the worker attaches them as they are
 * (the store must be the workers' ROUNDS_DOCUMENTS_DIR). Other letters are printed by the worker.
 */
export async function storeLetterPdfs(plan: RoundPlan, store: DocumentStore): Promise<Map<string, DocumentRef>> {
  const refs = new Map<string, DocumentRef>();
  for (const l of plan.letters) {
    if (!l.file || officeFormatOf(l.file) !== 'pdf') continue;
    try {
      refs.set(l.letterId, await store.put(await fs.promises.readFile(l.file)));
    } catch (err) {
      throw new UserError(`${l.file}: cannot put it in the document store (${store.dir}): ${(err as Error).message}`);
    }
  }
  return refs;
}

/**
 * For `start --send` (not --inline) and the dashboard's "email each letter": the round's PDF
 * letters put in the document store the workers read (ROUNDS_DOCUMENTS_DIR, else var/documents).
 */
export async function pdfLettersForSending(
  plan: RoundPlan,
  opts: Pick<StartOptions, 'delivery' | 'inline'>,
  store: DocumentStore = new DocumentStore(documentsDir(varDir())),
): Promise<Map<string, DocumentRef> | undefined> {
  return opts.delivery === 'send' && !opts.inline ? storeLetterPdfs(plan, store) : undefined;
}

export function letterInputs(plan: RoundPlan, opts: Pick<StartOptions, 'delivery' | 'inline' | 'letterPdfs' | 'sentOn' | 'now'>): LetterInput[] {
  const { round } = plan;
  const now = opts.now ?? new Date();
  let sentOn: string | undefined = round.sentOn;
  let sentAt: string | undefined;
  if (opts.sentOn) {
    try {
      ({ sentOn, sentAt } = resolveSentOn(opts.sentOn, plan, now));
    } catch (err) {
      if (err instanceof SentOnError) throw new UserError(`--sent-on: ${err.message}`);
      throw err;
    }
  }
  const inputs = plan.letters.map((l): LetterInput => {
    if (opts.delivery === 'send' && !l.body) throw new UserError(`${l.letterId}: --send needs the letter's own file under letters/ to send, and there is none`);
    let attach: Pick<LetterInput, 'attachLetter' | 'coverNote'> = {};
    if (opts.delivery === 'send' && !opts.inline) {
      const fileName = `${l.letterId}.pdf`;
      let pdf: DocumentRef | undefined;
      if (l.file && officeFormatOf(l.file) === 'pdf') {
        pdf = opts.letterPdfs?.get(l.letterId);
        if (!pdf) throw new UserError(`${l.file}: a PDF letter is attached as it is, so it must be put in the document store first (storeLetterPdfs)`);
      }
      const fields = coverNoteFields({ recipient: l.recipient, subject: round.subject, letterDate: l.letterDate, coordinator: round.coordinator, sender: round.sender }, fileName);
      attach = { attachLetter: { fileName, ...(pdf ? { pdf: { sha256: pdf.sha256, size: pdf.size } } : {}) }, coverNote: renderCoverNote(round.coverNote, fields) };
    }
    return cleanLetterInput({
      roundId: round.id,
      letterId: l.letterId,
      recipient: { ...l.recipient, address: l.address },
      sender: round.sender,
      coordinator: { name: round.coordinator.name, email: round.coordinator.email, ...(round.coordinator.role ? { role: round.coordinator.role } : {}) },
      ...(round.coordinator.replyTag ? { replyTag: round.coordinator.replyTag } : {}),
      subject: round.subject,
      letterDate: l.letterDate,
      sentOn: sentOn ?? l.letterDate,
      sentAt,
      documents: l.documents,
      policy: withHolidays(l.policy, sentOn ?? l.letterDate),
      delivery: opts.delivery,
      body: opts.delivery === 'send' ? l.body : undefined,
      ...attach,
    });
  });
  // Nothing starts that cannot run: every step of every letter is planned as its workflow will plan it.
  const problems: string[] = [];
  for (const input of inputs) {
    try {
      planLetter(input, now);
    } catch (err) {
      if (!(err instanceof ScheduleError)) throw err;
      problems.push(`letter ${input.letterId}: ${err.message}`);
    }
  }
  if (problems.length > 0) {
    const more = problems.length > 10 ? `\n(and ${problems.length - 10} more)` : '';
    throw new UserError(`the letters' steps cannot be planned; nothing was started:\n${problems.slice(0, 10).join('\n')}${more}`);
  }
  return inputs;
}

/**
 * The letter keeps the bank holidays in force when it starts (from its year on), so a worker
 * with a regenerated table does not move its dates; a new table reaches it by `changeCalendar`.
 */
function withHolidays(policy: Policy, sentOn: string | undefined): Policy {
  const year = Number(sentOn?.slice(0, 4));
  return Number.isInteger(year) && year >= CALENDAR_YEARS.first ? { ...policy, holidays: holidayTableFrom(year) } : policy;
}

/** How a letter's workflow is started (bench/bare.ts sends exactly this, as its baseline). */
export function startRequest(input: LetterInput, taskQueue: string = api.TASK_QUEUE) {
  return {
    taskQueue,
    workflowId: api.workflowIdFor(input.roundId, input.letterId),
    args: [input] as [LetterInput],
    workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
    typedSearchAttributes: [
      { key: api.RoundId, value: input.roundId },
      { key: api.LetterState, value: 'awaiting' },
      { key: api.Outstanding, value: input.documents },
      { key: api.RecipientEmails, value: recipientKeys(input.recipient) },
    ],
    // What the register shows that never changes (recipient, requested documents): listings carry it.
    memo: letterMemo(input),
  };
}

/** Starts one workflow per letter, with its register memo (client/letter-memo.ts). Idempotent: a letter whose workflow exists (open or closed) is not started again. */
export async function startLetters(client: Client, inputs: LetterInput[], opts: Pick<StartOptions, 'concurrency' | 'onProgress'> = {}): Promise<StartResult> {
  const result: StartResult = { started: [], alreadyStarted: [] };
  let done = 0;
  await forEachLimit(inputs, opts.concurrency ?? 32, async (input) => {
    const workflowId = api.workflowIdFor(input.roundId, input.letterId);
    try {
      // Typed by the workflow function (a type-only import: the CLI never loads workflow code), so
      // startRequest's args must be the letter workflow's parameters.
      await client.workflow.start<typeof letter>(api.WORKFLOW_TYPE, startRequest(input));
      result.started.push(workflowId);
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      result.alreadyStarted.push(workflowId);
    }
    opts.onProgress?.(++done, inputs.length);
  });
  return result;
}

export const NO_WORKER = `no worker is polling task queue ${api.TASK_QUEUE} (start one with \`npm start\` or \`rounds worker\`)`;

/**
 * Whether a worker polls the letters' task queue for workflow tasks, which every query and
 * update needs: one describeTaskQueue call. Undefined when the server cannot say (the
 * time-skipping test server does not implement it) or the call fails: then the caller goes
 * ahead and the operation itself reports what is wrong.
 */
export async function workerPolling(client: Client, taskQueue: string = api.TASK_QUEUE): Promise<boolean | undefined> {
  try {
    const { pollers } = await client.workflowService.describeTaskQueue({
      namespace: client.options.namespace,
      taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    return (pollers?.length ?? 0) > 0;
  } catch {
    return undefined;
  }
}

export async function letterStatus(client: Client, workflowId: string): Promise<LetterStatus> {
  try {
    return await client.workflow.getHandle(workflowId).query(api.status);
  } catch (err) {
    throw asUserError(err, workflowId);
  }
}

/** The letter's updates that are not staff actions (those are named in domain/staff-actions.ts's table). */
type OtherUpdateName = 'triageReply' | 'correctAddress' | 'changeCalendar' | 'attachDocument' | 'setPublication' | 'closeLetter';

/** Every update a letter takes, by name: the staff actions' from their table, the others above. */
export type UpdateName = (typeof STAFF_ACTIONS)[StaffAction]['update'] | OtherUpdateName;
export type Updates = { [K in UpdateName]: (typeof api)[K] };

// Checked by tsc: Updates holds every update workflows/letter-api.ts defines, and nothing else.
// A new staff action in the table that letter-api.ts has no update for fails above; an update
// letter-api.ts defines that is in neither list fails here.
type ApiUpdateName = { [K in keyof typeof api]: (typeof api)[K] extends { type: 'update' } ? K : never }[keyof typeof api];
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type UpdatesAreTheApis = Assert<Same<UpdateName, ApiUpdateName>>;
type Assert<T extends true> = T;

export type PayloadOf<D> = D extends UpdateDefinition<LetterStatus, [infer P]> ? P : never;

/** Sends one of the letter's updates; a rejection comes back as a UserError with the workflow's own message. */
export async function updateLetter<K extends keyof Updates>(
  client: Client,
  workflowId: string,
  name: K,
  payload: PayloadOf<Updates[K]>,
): Promise<LetterStatus> {
  const def = api[name] as UpdateDefinition<LetterStatus, [PayloadOf<Updates[K]>]>;
  try {
    return await client.workflow.getHandle(workflowId).executeUpdate(def, { args: [payload] });
  } catch (err) {
    // An update to a workflow that has completed comes back as "not found": say which it is.
    if (err instanceof WorkflowNotFoundError && (await hasFinished(client, workflowId))) {
      throw new UserError(`${workflowId}: the letter's workflow has finished; nothing more can be recorded on it`);
    }
    throw asUserError(err, workflowId);
  }
}

async function hasFinished(client: Client, workflowId: string): Promise<boolean> {
  try {
    return (await client.workflow.getHandle(workflowId).describe()).status.name !== 'RUNNING';
  } catch {
    return false;
  }
}

function asUserError(err: unknown, workflowId: string): unknown {
  if (err instanceof WorkflowNotFoundError) return new NotFoundError(`no letter with id '${workflowId}' (ids look like <roundId>/<letterId>; see \`rounds status\`)`);
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    if (err.cause.type === api.ALREADY_APPLIED) return new AlreadyAppliedUserError(`${workflowId}: ${err.cause.message}`);
    return new UserError(`${workflowId}: ${err.cause.message}`);
  }
  const message = (err as Error)?.message ?? '';
  if (/workflow execution already completed|already completed/i.test(message)) {
    return new UserError(`${workflowId}: the letter's workflow has finished; nothing more can be recorded on it`);
  }
  return err;
}
