// The mailbox workflow's public API (issue 13): one long-running workflow per coordinator
// mailbox that reads new mail through short poll activities and files each message on its letter.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { IncomingMail, MailKind } from '../domain/replies';

export const MAILBOX_WORKFLOW_TYPE = 'mailbox';
export const MAILBOX_WORKFLOW_ID = 'mailbox';
/** How often the mailbox is read when nothing wakes it (ROUNDS_INBOX_POLL, seconds). */
export const DEFAULT_POLL_SECONDS = 60;

export interface MailboxInput {
  pollSeconds?: number;
  /** Carried over continue-as-new. */
  state?: MailboxState;
}

export interface MailboxState {
  uidValidity?: string;
  lastUid: number;
  pen: PenEntry[];
  /** The latest filed messages, newest last (at most RECENT_KEEP). */
  recent: FiledEntry[];
  /** Why the mailbox could not be read, and since when (cleared by the next good poll). */
  lastError?: { message: string; since: string; failures: number };
  rescans: number;
  /** Pen entries dropped because the pen was full (oldest first). */
  penOverflow: number;
}

/** A message no letter could be found for: waits in the holding pen for staff. */
export interface PenEntry {
  mail: IncomingMail;
  kind: MailKind;
  at: string;
  why: string;
}

export interface FiledEntry {
  messageId: string;
  subject: string;
  from?: string;
  kind: MailKind['kind'];
  roundId?: string;
  letterId?: string;
  by: string;
  at: string;
  /** 'dismissed' from the pen, with the reason. */
  dismissed?: string;
}

export interface FileFromPenPayload {
  messageId: string;
  roundId: string;
  letterId: string;
  by?: string;
}
export interface DismissPayload {
  messageId: string;
  reason: string;
  by?: string;
}
export interface ImportMailPayload {
  /** The raw message, already in the document store. */
  sha256: string;
  by?: string;
}
export type FileOutcome = { filed: true; roundId: string; letterId: string; kind: MailKind['kind']; by: string; messageId: string } | { filed: false; messageId: string; why: string };

/** New mail may be there (IDLE on the worker, the mail sink, a test): poll now. */
export const mailArrived = defineSignal('mailArrived');
export const fileFromPen = defineUpdate<FileOutcome, [FileFromPenPayload]>('fileFromPen');
export const dismiss = defineUpdate<void, [DismissPayload]>('dismiss');
export const importMail = defineUpdate<FileOutcome, [ImportMailPayload]>('importMail');
export const inbox = defineQuery<MailboxState>('inbox');
