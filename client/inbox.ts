// `rounds inbox`: the coordinator's mailbox as the mailbox workflow sees it (holding pen,
// latest filed messages, whether the mailbox can be read), and filing a message by hand.
import fs from 'node:fs';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { DocumentStore, documentsDir } from '../activities/document-store';
import { humanTime } from '../domain/time-format';
import * as mb from '../workflows/mailbox-api';
import { UserError } from './errors';
import { CLI_TIMEZONE } from './terminal-format';
import { varDir } from './users';

const NOT_RUNNING = 'the mailbox workflow is not running: start the service (`npm start` or `rounds worker`), which starts it';
/** The largest .eml `inbox import` accepts, as for the mailbox (activities/inbox.ts). */
const MAX_EML_BYTES = 50 * 1024 * 1024;

export async function inboxState(client: Client, workflowId = mb.MAILBOX_WORKFLOW_ID): Promise<mb.MailboxState> {
  try {
    return await client.workflow.getHandle(workflowId).query(mb.inbox);
  } catch (err) {
    throw asUserError(err);
  }
}

/** Stores the .eml in the document store (the worker reads it from there) and files it like mail from the mailbox. */
export async function importEml(client: Client, file: string, by: string, workflowId = mb.MAILBOX_WORKFLOW_ID): Promise<mb.FileOutcome> {
  let raw: Buffer;
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_EML_BYTES) throw new UserError(`${file}: ${Math.round(size / 1024 / 1024)} MB, over the ${MAX_EML_BYTES / 1024 / 1024} MB limit for an email`);
    raw = fs.readFileSync(file);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return importEmlBytes(client, raw, file, by, new DocumentStore(documentsDir(varDir())), workflowId);
}

/** The bytes of an .eml (`inbox import`, the dashboard's "File an email") stored and filed like mail from the mailbox. */
export async function importEmlBytes(client: Client, raw: Buffer, name: string, by: string, store: DocumentStore, workflowId = mb.MAILBOX_WORKFLOW_ID): Promise<mb.FileOutcome> {
  if (raw.length > MAX_EML_BYTES) throw new UserError(`${name}: ${Math.round(raw.length / 1024 / 1024)} MB, over the ${MAX_EML_BYTES / 1024 / 1024} MB limit for an email`);
  if (!/^[\x21-\x39\x3b-\x7e]+:/m.test(raw.subarray(0, 4096).toString('latin1'))) {
    throw new UserError(`${name}: this does not look like an email (.eml): no header line like "Subject: ..." at its start`);
  }
  const ref = await store.put(raw);
  try {
    return await client.workflow.getHandle(workflowId).executeUpdate(mb.importMail, { args: [{ sha256: ref.sha256, by }] });
  } catch (err) {
    throw asUserError(err);
  }
}

export async function fileFromPen(client: Client, messageId: string, target: string, by: string, workflowId = mb.MAILBOX_WORKFLOW_ID): Promise<mb.FileOutcome> {
  const [roundId, letterId, ...rest] = target.split('/');
  if (!roundId || !letterId || rest.length > 0) throw new UserError(`expected <roundId>/<letterId> (like vru-2020/kent), got '${target}'`);
  try {
    return await client.workflow.getHandle(workflowId).executeUpdate(mb.fileFromPen, { args: [{ messageId, roundId, letterId, by }] });
  } catch (err) {
    throw asUserError(err);
  }
}

export async function dismissFromPen(client: Client, messageId: string, reason: string, by: string, workflowId = mb.MAILBOX_WORKFLOW_ID): Promise<void> {
  try {
    await client.workflow.getHandle(workflowId).executeUpdate(mb.dismiss, { args: [{ messageId, reason, by }] });
  } catch (err) {
    throw asUserError(err);
  }
}

function asUserError(err: unknown): unknown {
  if (err instanceof WorkflowNotFoundError) return new UserError(NOT_RUNNING);
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) return new UserError(err.cause.message);
  if (err instanceof WorkflowUpdateFailedError && err.cause) return new UserError((err.cause as Error).message);
  return err;
}

export function formatOutcome(o: mb.FileOutcome): string {
  return o.filed ? `${o.messageId}: filed on ${o.roundId}/${o.letterId} as ${o.kind} (matched by ${o.by})` : `${o.messageId}: not matched, kept in the holding pen: ${o.why}`;
}

export function formatInbox(s: mb.MailboxState): string {
  const lines: string[] = [];
  if (s.lastError) lines.push(`The mailbox cannot be read (since ${humanTime(s.lastError.since, CLI_TIMEZONE)}, ${s.lastError.failures} attempts): ${s.lastError.message}`, '');
  lines.push(`Holding pen: ${s.pen.length === 0 ? 'empty' : `${s.pen.length} message${s.pen.length === 1 ? '' : 's'} no letter was found for`}`);
  for (const e of s.pen) {
    lines.push(`  ${e.mail.messageId}`, `    from ${e.mail.from ?? '(nobody)'}, ${humanTime(e.at, CLI_TIMEZONE)}: ${e.mail.subject || '(no subject)'}`, `    ${e.kind.kind}; ${e.why}`);
  }
  if (s.penOverflow > 0) lines.push(`  (${s.penOverflow} older messages were dropped from a full pen; they are still in the mailbox)`);
  lines.push('', `Latest filed (${s.recent.length}):`);
  for (const e of s.recent.slice(-20).reverse()) {
    const where = e.dismissed ? `dismissed: ${e.dismissed}` : `${e.roundId}/${e.letterId} (${e.by})`;
    lines.push(`  ${humanTime(e.at, CLI_TIMEZONE)}  ${e.kind.padEnd(10)} ${e.from ?? ''}: ${e.subject}  -> ${where}`);
  }
  if (s.rescans > 0) lines.push('', `The mailbox was rescanned ${s.rescans} time(s) after its UIDVALIDITY changed (nothing is filed twice).`);
  return lines.join('\n');
}
