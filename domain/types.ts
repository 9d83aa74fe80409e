// Types shared by the workflow, its callers (CLI, dashboard) and the activities.
import type { DocumentKey } from './documents';
import type { StepExplanation } from './explain';
import type { Policy, StepAction } from './policy';
import type { ScheduledStep } from './schedule';
import type { LetterState } from './states';

export interface Person {
  name: string;
  email: string;
  role?: string;
}

export interface Recipient {
  name: string;
  role?: string;
  organisation?: string;
  /** Postal address lines, as on the letter. */
  address?: string[];
  email: string;
  cc: string[];
  /** Who receives the escalation, besides the recipient. */
  escalateTo: string[];
  salutation?: string;
}

/** Everything a letter workflow is started with. */
export interface LetterInput {
  roundId: string;
  letterId: string;
  recipient: Recipient;
  sender: Person;
  coordinator: Person;
  /**
   * round.yaml's coordinator.replyTag (issue 13): 'plus' sends the letter and its chases with
   * Reply-To coordinator+<roundId>.<letterId>@domain, so a reply names its letter.
   */
  replyTag?: 'plus';
  /** The letter's subject line, quoted in chases. */
  subject: string;
  /** The date written on the letter, 'YYYY-MM-DD'. */
  letterDate: string;
  /** The date the letter counts as sent (working-day steps count from it). Defaults to letterDate. */
  sentOn: string;
  /** The instant it counts as sent (plain-duration steps count from it). Defaults to the workflow's start. */
  sentAt?: string;
  documents: DocumentKey[];
  policy: Policy;
  /** 'send': the workflow emails the letter itself first; 'record-sent': it was sent by other means. */
  delivery: 'send' | 'record-sent';
  /** The letter rendered for email, when delivery is 'send'. */
  body?: { text: string; html: string };
  /**
   * Sent as offices do (`rounds start --send`, not --inline): the email is the covering note and
   * the letter goes as a PDF attachment named fileName. `pdf`: the letter was a PDF, stored as it
   * is in the document store; otherwise the worker prints `body.html` to PDF (activities/letter-pdf.ts).
   * Absent: the letter is the email's body (--send --inline, and letters started before this existed).
   */
  attachLetter?: { fileName: string; pdf?: { sha256: string; size: number } };
  /** The covering note for an attached letter, filled in from round.yaml's coverNote (domain/cover-note.ts). */
  coverNote?: { text: string; html: string };
}

export interface ReceiptPayload {
  documents: DocumentKey[];
  receivedOn?: string;
  by?: string;
  note?: string;
}
export interface DeclinePayload {
  /** The documents declined; all outstanding ones when omitted. */
  documents?: DocumentKey[];
  reason: string;
  on?: string;
  by?: string;
}
export interface ExtendPayload {
  /** New date for the next action ('YYYY-MM-DD'); or use workingDays. */
  until?: string;
  workingDays?: number;
  reason?: string;
  by?: string;
}
export interface PausePayload {
  reason?: string;
  by?: string;
}
export interface ResumePayload {
  by?: string;
}
export interface WithdrawPayload {
  reason?: string;
  by?: string;
}
/** A calendar change: a closure from `from` to `to` (inclusive), or a new bank holiday table. */
export interface CalendarPayload {
  from?: string;
  to?: string;
  reason: string;
  holidays?: [string, string][];
  by?: string;
}
/** What a calendar change would do to a letter, without doing it (query calendarPreview). */
export interface CalendarPreview {
  /** 'changes': it would be applied (message: what would move); 'unchanged': the letter already has it; 'refused': why not. */
  outcome: 'changes' | 'unchanged' | 'refused';
  message: string;
}
export interface NotePayload {
  text: string;
  by?: string;
}

export type TimelineKind =
  | 'sent'
  | 'recorded-sent'
  | 'chase'
  | 'escalation'
  | 'closed'
  | 'skipped'
  | 'receipt'
  | 'decline'
  | 'extension'
  | 'paused'
  | 'resumed'
  | 'withdrawn'
  | 'note'
  | 'rejected'
  | 'email-failed'
  | 'complete'
  /** The calendar changed (a closure, a new bank holiday table); message says what moved. */
  | 'calendar'
  /** The letter cannot go on by itself (state needs-attention); message says why. */
  | 'needs-attention'
  /** Stands for entries left out of a long timeline; message says how many. */
  | 'omitted'
  // ---- publication (issue 14) ----
  /** A document received by post or by hand was added (attachDocument); message names it. */
  | 'document'
  /** What may be published was changed (setPublication); message says what. */
  | 'publication'
  // Replies in (issue 13): filed mail, its triage, bounces and the corrected address.
  | 'reply'
  | 'auto-reply'
  | 'bounce'
  | 'delivery-delayed'
  | 'triaged'
  | 'address-corrected';

export interface TimelineEntry {
  /** Workflow time, ISO 8601. */
  at: string;
  kind: TimelineKind;
  by?: string;
  documents?: DocumentKey[];
  on?: string;
  note?: string;
  step?: number;
  messageId?: string;
  subject?: string;
  to?: string[];
  message?: string;
  /** A filed message's sender and attachments (kind reply); for kind sent, the letter's PDF as it was attached. */
  from?: string;
  attachments?: ReplyAttachment[];
}

export interface DocumentStatus {
  requested: boolean;
  receivedOn?: string;
  receivedBy?: string;
  declinedOn?: string;
  declineReason?: string;
}

/**
 * What a register row shows that changes as the letter goes on, published by the workflow in
 * its memo (key 'progress') so that registers read it from visibility with no query per letter.
 */
export interface LetterProgress {
  /** The kind of the next step (its time is the NextActionAt search attribute). */
  next: StepAction | null;
  /** Requested documents that are no longer outstanding, with when. */
  answered: Partial<Record<DocumentKey, { receivedOn: string } | { declinedOn: string }>>;
  /** For statistics (issue 16; letters started before it lack them): the date working days count from, the first step's planned date, chases sent. */
  sentOn?: string;
  firstDeadline?: string;
  chases?: number;
}

export interface EmailRecord {
  kind: 'letter' | 'chase' | 'escalation';
  step?: number;
  messageId: string;
  subject: string;
  to: string[];
  cc: string[];
  sentAt: string;
  outstanding: DocumentKey[];
  /** What was attached (the letter as a PDF): name, type, size and SHA-256 of the bytes sent. */
  attachments?: ReplyAttachment[];
}

export interface LetterStatus {
  roundId: string;
  letterId: string;
  recipient: Recipient;
  subject: string;
  letterDate: string;
  sentOn: string;
  state: LetterState;
  stateDescription: string;
  /** Why the letter needs attention (state needs-attention), for a person to read. */
  attention?: string;
  documents: Partial<Record<DocumentKey, DocumentStatus>>;
  outstanding: DocumentKey[];
  nextAction: { kind: StepAction; at: string } | null;
  steps: ScheduledStep[];
  timeline: TimelineEntry[];
  emails: EmailRecord[];
  /** Documents received and stored (attachDocument), with what may be published of each; absent when none. */
  attachments?: Attachment[];
  /** Requested documents whose decline reason may be published (setPublication); absent when none. */
  publishedDeclineReasons?: DocumentKey[];
  /** Genuine replies filed on the letter (issue 13). */
  replies?: ReplyRecord[];
  /** The Message-ID of the reply that holds chases until staff triage it. */
  heldBy?: string;
  /** Why the letter is undeliverable (state undeliverable). */
  undeliverable?: string;
  /** A finished letter open for publication changes (issue 14): until when (ISO instant). */
  publicationOpenUntil?: string;
  /** Why each step falls when it does (domain/explain.ts). */
  explanations?: StepExplanation[];
}

// ---- publication (issue 14): documents received, and what may be published ----

/** A file in the document store (activities/document-store.ts), as a letter keeps it: a reference, never the bytes. */
export interface StoredFile {
  sha256: string;
  size: number;
  /** The file's name as uploaded (cleaned), used for the published copy's name. */
  name: string;
  mediaType: string;
}

/** attachDocument: a document received by post or by hand, already put in the document store. */
export interface AttachDocumentPayload {
  /** Which requested document it is, if it is one. */
  document?: DocumentKey;
  /** What it is, in the office's words (defaults to the requested document's label). */
  title?: string;
  file: StoredFile;
  receivedOn?: string;
  by?: string;
}

/** setPublication: exactly one of attachment / declineReasonOf / reply. */
export interface SetPublicationPayload {
  /** An attachment's id ('d1', 'd2', ...). */
  attachment?: string;
  /** A declined document whose reason is meant. */
  declineReasonOf?: DocumentKey;
  /** A filed reply (its Message-ID): its attachments are published, never its text or sender. */
  reply?: string;
  /** With reply: which attachment (1 = the first); absent: all of them. */
  replyAttachment?: number;
  publish: boolean;
  /** For an attachment: a redacted copy (in the store) published instead of the original. */
  redacted?: StoredFile;
  by?: string;
}

export interface Attachment {
  id: string;
  document?: DocumentKey;
  title: string;
  file: StoredFile;
  receivedOn: string;
  by?: string;
  publish: boolean;
  redacted?: StoredFile;
}

/** closeLetter: ends a finished letter's publication window early. */
export interface CloseLetterPayload {
  by?: string;
  reason?: string;
}

// ---- replies in (issue 13) ----

export interface ReplyAttachment {
  name: string;
  contentType: string;
  size: number;
  sha256: string;
}

/** What a filed message is, as the mailbox workflow sends it and the letter keeps it. */
interface FiledMessage {
  messageId: string;
  from?: string;
  date?: string;
  subject: string;
  excerpt: string;
  attachments: ReplyAttachment[];
  /** The raw message in the document store. */
  raw: { sha256: string; size: number };
  matchedBy: string;
  confidence: 'high' | 'low';
  problems?: string[];
}

export interface ReplyRecord extends FiledMessage {
  filedAt: string;
  /** Attachments marked publishable (setPublication reply), by position (1 = the first), with a redacted copy when given. */
  published?: { attachment: number; redacted?: StoredFile }[];
  /** Documents the reply seems to carry (a suggestion for triage). */
  suggested: DocumentKey[];
  triaged?: { at: string; documents: DocumentKey[]; by?: string };
}

/** A message the mailbox workflow files on a letter (signal fileMail). */
export interface FileMailPayload extends FiledMessage {
  kind: 'reply' | 'auto-reply' | 'bounce' | 'delayed';
  /** Why it was classed so (a bounce's diagnostic, the auto-reply header). */
  reason?: string;
}

export interface TriagePayload {
  messageId: string;
  /** Documents the reply carries: recorded as received, linked to the reply. Empty: 'no documents yet'. */
  documents: DocumentKey[];
  by?: string;
  note?: string;
}

export interface CorrectAddressPayload {
  email?: string;
  cc?: string[];
  escalateTo?: string[];
  by?: string;
  reason?: string;
}
