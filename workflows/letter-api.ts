// The letter workflow's public API, in one place: its messages and search attributes.
// The CLI, the dashboard and tests import these objects, never string names.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  AttachDocumentPayload,
  SetPublicationPayload,
  CloseLetterPayload,
  CorrectAddressPayload,
  FileMailPayload,
  TriagePayload,
  CalendarPayload,
  CalendarPreview,
  DeclinePayload,
  ExtendPayload,
  LetterStatus,
  NotePayload,
  PausePayload,
  ReceiptPayload,
  ResumePayload,
  WithdrawPayload,
} from '../domain/types';
import { STAFF_ACTIONS as A } from '../domain/staff-actions';

export const TASK_QUEUE = 'request-rounds';
export const WORKFLOW_TYPE = 'letter';

/** For tools that can only signal (e.g. `temporal workflow signal`); validated like recordReceipt, a bad one is recorded as rejected. */
export const documentsReceived = defineSignal<[ReceiptPayload]>('documentsReceived');
// The seven staff actions' updates, named in domain/staff-actions.ts.
export const recordReceipt = defineUpdate<LetterStatus, [ReceiptPayload]>(A.receipt.update);
export const recordDecline = defineUpdate<LetterStatus, [DeclinePayload]>(A.decline.update);
export const extendDeadline = defineUpdate<LetterStatus, [ExtendPayload]>(A.extend.update);
export const pause = defineUpdate<LetterStatus, [PausePayload]>(A.pause.update);
export const resume = defineUpdate<LetterStatus, [ResumePayload]>(A.resume.update);
export const withdraw = defineUpdate<LetterStatus, [WithdrawPayload]>(A.withdraw.update);
export const addNote = defineUpdate<LetterStatus, [NotePayload]>(A.note.update);
export const status = defineQuery<LetterStatus>('status');
// Publication (issue 14): a document received by post or by hand (its bytes in the document store), and what may be published.
export const attachDocument = defineUpdate<LetterStatus, [AttachDocumentPayload]>('attachDocument');
export const setPublication = defineUpdate<LetterStatus, [SetPublicationPayload]>('setPublication');
/** Ends a finished letter's publication window early (its workflow then completes). */
export const closeLetter = defineUpdate<LetterStatus, [CloseLetterPayload]>('closeLetter');

// Replies in (issue 13): the mailbox workflow files mail with fileMail (idempotent by
// Message-ID); staff triage a reply and correct a bounced address.
export const fileMail = defineSignal<[FileMailPayload]>('fileMail');
export const triageReply = defineUpdate<LetterStatus, [TriagePayload]>('triageReply');
export const correctAddress = defineUpdate<LetterStatus, [CorrectAddressPayload]>('correctAddress');

// ---- issue 16: deadlines ----
/** A closure or a new bank holiday table: the letter's remaining working-day steps are planned again on it. */
export const changeCalendar = defineUpdate<LetterStatus, [CalendarPayload]>('changeCalendar');
/** What changeCalendar would do to this letter, changing nothing (read-only: a query). */
export const calendarPreview = defineQuery<CalendarPreview, [CalendarPayload]>('calendarPreview');
/**
 * The failure type of an update refused because the letter already has that change (the same
 * closure, the same corrected contact): round-wide changes report such a letter as unchanged.
 */
export const ALREADY_APPLIED = 'AlreadyApplied';

export const RoundId = defineSearchAttributeKey('RoundId', SearchAttributeType.KEYWORD);
export const LetterState = defineSearchAttributeKey('LetterState', SearchAttributeType.KEYWORD);
export const NextActionAt = defineSearchAttributeKey('NextActionAt', SearchAttributeType.DATETIME);
export const Outstanding = defineSearchAttributeKey('Outstanding', SearchAttributeType.KEYWORD_LIST);

/**
 * Replies in (issue 13): the recipient's, cc and escalation addresses and their '@domain's
 * (domain/replies.ts recipientKeys), so the mailbox finds the one open letter a sender belongs
 * to with one visibility query. Set by the client at start; the letter keeps it in step after
 * correctAddress.
 */
export const RecipientEmails = defineSearchAttributeKey('RecipientEmails', SearchAttributeType.KEYWORD_LIST);

export const SEARCH_ATTRIBUTES = [RoundId, LetterState, NextActionAt, Outstanding, RecipientEmails];

/** Memo keys: 'register' is written by the client at start (client/letter-memo.ts), 'progress' (a LetterProgress) by the workflow. */
export const PROGRESS_MEMO_KEY = 'progress';

export function workflowIdFor(roundId: string, letterId: string): string {
  return `${roundId}/${letterId}`;
}
