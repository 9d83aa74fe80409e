// One letter's state and its rules: what was requested, what came in, which policy steps
// remain. Plain data and methods, no Temporal: the workflow holds one of these, wires its
// messages to the methods and waits on its timers (see workflows/letter.ts).
import { addWorkingDays, isInCalendar, isIsoDate, localDateOf, localTimeOn, nextWorkingDay, parseIsoDate } from './calendar';
import { DOCUMENT_KEYS, DOCUMENT_LABELS, isDocumentKey, type DocumentKey } from './documents';
import { readLetterInput } from './letter-input';
import { DEFAULT_PUBLICATION_WINDOW, MAX_CLOSURES, type Policy, type StepAction } from './policy';
import {
  calendarOf,
  nextPending,
  replanOn,
  planFrom,
  planSteps,
  shiftByWorkingDays,
  shiftForPause,
  shiftPending,
  shiftUntil,
  stepsToSkip,
  type ScheduledStep,
} from './schedule';
import { explainStep, firstDeadline, type StepExplanation } from './explain';
import { formatLongDate } from './email';
import { suggestDocuments } from './replies';
import { LETTER_STATES, type LetterState } from './states';
import { cap, cleanText, echo, echoText } from './text';
import type {
  CalendarPayload,
  CloseLetterPayload,
  CalendarPreview,
  CorrectAddressPayload,
  FileMailPayload,
  ReplyRecord,
  TriagePayload,
  DeclinePayload,
  DocumentStatus,
  EmailRecord,
  ExtendPayload,
  LetterInput,
  LetterProgress,
  LetterStatus,
  NotePayload,
  PausePayload,
  ReceiptPayload,
  ResumePayload,
  TimelineEntry,
  Attachment,
  AttachDocumentPayload,
  SetPublicationPayload,
  StoredFile,
  WithdrawPayload,
} from './types';
import { AlreadyAppliedError, CalendarError, LetterRuleError, ScheduleError } from './errors';

const MAX_TEXT = 4000;
const MAX_NAME = 200;
/** The most of a message kept in the timeline (a rejected signal's reason, a failed email's error). */
const MAX_MESSAGE = 500;
/**
 * The timeline keeps its first and last entries in full; those between are counted, not kept,
 * so that no number of signals can make the status outgrow what a query can return.
 */
export const TIMELINE_KEEP = { first: 20, last: 100 } as const;

const note = (s: string | undefined) => (s === undefined ? undefined : cleanText(s, MAX_TEXT, { multiline: true }));
const name = (s: string | undefined) => (s === undefined ? undefined : cleanText(s, MAX_NAME));

type Ended = 'complete' | 'declined' | 'unanswered' | 'withdrawn';

/** A letter's state carried into a new run of its workflow (continue-as-new). */
export type CarriedLetter = Pick<
  Letter,
  | 'steps'
  | 'documents'
  | 'timeline'
  | 'emails'
  | 'pausedAt'
  | 'ended'
  | 'attention'
  | 'unusableInput'
  | 'omitted'
  | 'closureReasons'
  | 'firstPlanned'
  // publication (issue 14) and replies (issue 13): carried too, or a new run would forget them.
  | 'attachments'
  | 'publishedDeclineReasons'
  | 'replies'
  | 'filedMail'
  | 'heldBy'
  | 'undeliverable'
  | 'undeliverableSince'
  | 'resendPending'
  // the publication window (issue 14)
  | 'publicationUntil'
  | 'publicationClosed'
>;

export class Letter {
  /** Not readonly: a calendar change (changeCalendar) replaces its policy's closures or holidays. */
  input: LetterInput;
  /** Why each closure added by changeCalendar was added. */
  closureReasons: Record<string, string> = {};
  steps: ScheduledStep[];
  documents: Partial<Record<DocumentKey, DocumentStatus>> = {};
  timeline: TimelineEntry[] = [];
  emails: EmailRecord[] = [];
  pausedAt: string | null = null;
  ended: Ended | null = null;
  /** Why the letter's steps cannot go on (state needs-attention); null when they can. */
  attention: string | null = null;
  /** The input itself was unusable (not just its schedule): only withdraw and notes apply. */
  unusableInput = false;
  /** Timeline entries dropped from the middle (see TIMELINE_KEEP). */
  omitted = 0;
  /** The first step's date as first planned: the deadline "answered within the first deadline" is measured against. */
  firstPlanned: string | null = null;
  /** Bumped on every change, so the workflow can wake up and re-plan. */
  version = 0;
  /** Documents received by post or by hand (publication, issue 14). */
  attachments: Attachment[] = [];
  /** Declined documents whose reason may be published. */
  publishedDeclineReasons: DocumentKey[] = [];
  // ---- replies in (issue 13) ----
  replies: ReplyRecord[] = [];
  /** Message-IDs of every message filed here (replies, automatic replies, bounces): each is filed once. */
  filedMail: string[] = [];
  heldBy: string | null = null;
  undeliverable: string | null = null;
  undeliverableSince: string | null = null;
  /** correctAddress asked for the letter to be sent again (the workflow sends it, then clears this). */
  resendPending = false;
  // ---- the publication window (issue 14) ----
  /** While a finished letter is open for publication updates: when that window ends (ISO instant). */
  publicationUntil: string | null = null;
  /** The window has ended (expired or closeLetter): it is never opened again. */
  publicationClosed = false;

  /** Never throws: an input that cannot be used, or a schedule that cannot be planned, puts the letter in needs-attention. */
  constructor(raw: LetterInput, startedAt: string, carried?: CarriedLetter) {
    const { input, problems } = readLetterInput(raw);
    this.input = { ...input, sentAt: input.sentAt ?? startedAt };
    for (const key of input.documents) this.documents[key] = { requested: true };
    this.steps = [];
    if (carried) {
      // A new run of the same letter (continue-as-new): its state as the last run left it.
      Object.assign(this, carried);
      return;
    }
    if (problems.length > 0) {
      this.unusableInput = true;
      const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
      this.needsAttention(startedAt, `the letter was started with fields it cannot use: ${problems.slice(0, 5).join('; ')}${more}`);
      return;
    }
    try {
      this.steps = planSteps(input.policy, { sentOn: input.sentOn, sentAt: this.input.sentAt! });
      if (this.steps[0]) this.firstPlanned = localDateOf(this.steps[0].dueAt, input.policy.timezone);
    } catch (err) {
      if (!(err instanceof ScheduleError)) throw err;
      this.needsAttention(startedAt, `its steps cannot be planned: ${err.message}`);
    }
  }

  /** What a new run of this letter starts from (continue-as-new); the input is carried beside it. */
  carry(): CarriedLetter {
    const { steps, documents, timeline, emails, pausedAt, ended, attention, unusableInput, omitted, closureReasons, firstPlanned } = this;
    const { attachments, publishedDeclineReasons, replies, filedMail, heldBy, undeliverable, undeliverableSince, resendPending } = this;
    const { publicationUntil, publicationClosed } = this;
    return {
      ...{ steps, documents, timeline, emails, pausedAt, ended, attention, unusableInput, omitted, closureReasons, firstPlanned },
      ...{ attachments, publishedDeclineReasons, replies, filedMail, heldBy, undeliverable, undeliverableSince, resendPending },
      ...{ publicationUntil, publicationClosed },
    };
  }

  // ---- what the letter looks like now ----

  get state(): LetterState {
    if (this.ended) return this.ended;
    if (this.attention) return 'needs-attention';
    if (this.undeliverable) return 'undeliverable';
    if (this.pausedAt) return 'paused';
    if (this.fired('escalate')) return 'escalated';
    if (this.received().length > 0) return 'partial';
    if (this.fired('chase')) return 'chased';
    return 'awaiting';
  }

  outstanding(): DocumentKey[] {
    return this.input.documents.filter((k) => !this.documents[k]?.receivedOn && !this.documents[k]?.declinedOn);
  }

  received(): DocumentKey[] {
    return this.input.documents.filter((k) => this.documents[k]?.receivedOn);
  }

  nextStep(): ScheduledStep | undefined {
    if (this.ended || this.pausedAt || this.attention || this.undeliverable || this.heldBy) return undefined;
    return nextPending(this.steps);
  }

  nextAction(): { kind: StepAction; at: string } | null {
    const step = this.nextStep();
    return step ? { kind: step.action, at: step.dueAt } : null;
  }

  progress(): LetterProgress {
    const answered: LetterProgress['answered'] = {};
    for (const k of this.input.documents) {
      const d = this.documents[k];
      if (d?.receivedOn) answered[k] = { receivedOn: d.receivedOn };
      else if (d?.declinedOn) answered[k] = { declinedOn: d.declinedOn };
    }
    return { next: this.nextAction()?.kind ?? null, answered };
  }

  /** progress() with what statistics need (issue 16): kept apart so letters started before it publish what they did. */
  progressWithStats(): LetterProgress {
    const first = this.firstPlanned;
    return { ...this.progress(), sentOn: this.input.sentOn, ...(first ? { firstDeadline: first } : {}), chases: this.emails.filter((e) => e.kind === 'chase').length };
  }

  status(): LetterStatus {
    const i = this.input;
    return {
      roundId: i.roundId,
      letterId: i.letterId,
      recipient: i.recipient,
      subject: i.subject,
      letterDate: i.letterDate,
      sentOn: i.sentOn,
      state: this.state,
      stateDescription: LETTER_STATES[this.state],
      ...(this.attention ? { attention: this.attention } : {}),
      documents: this.documents,
      outstanding: this.outstanding(),
      nextAction: this.nextAction(),
      steps: this.steps,
      timeline: this.shownTimeline(),
      emails: this.emails,
      ...(this.attachments.length > 0 ? { attachments: this.attachments } : {}),
      ...(this.publishedDeclineReasons.length > 0 ? { publishedDeclineReasons: this.publishedDeclineReasons } : {}),
      ...(this.replies.length > 0 ? { replies: this.replies } : {}),
      ...(this.heldBy ? { heldBy: this.heldBy } : {}),
      ...(this.undeliverable ? { undeliverable: this.undeliverable } : {}),
      ...(this.publicationUntil ? { publicationOpenUntil: this.publicationUntil } : {}),
      explanations: this.explanations(),
    };
  }

  /** Why each step falls when it does (domain/explain.ts); a step that cannot be explained is left out, never fails the query. */
  explanations(): StepExplanation[] {
    const ctx = { policy: this.input.policy, letterDate: this.input.letterDate, sentOn: this.input.sentOn, closureReasons: this.closureReasons };
    return this.steps.flatMap((s) => {
      try {
        return [explainStep(s, ctx)];
      } catch {
        return [];
      }
    });
  }

  /** The deadline the first chase states ("within 20 working days, by Tuesday 10 November 2020"). */
  firstDeadline(): { workingDays: number; on: string } | undefined {
    try {
      return firstDeadline(this.steps, { policy: this.input.policy, letterDate: this.input.letterDate, sentOn: this.input.sentOn });
    } catch {
      return undefined;
    }
  }

  /** The timeline as shown: with a marker where entries were left out. */
  private shownTimeline(): TimelineEntry[] {
    if (this.omitted === 0) return this.timeline;
    const { first } = TIMELINE_KEEP;
    const marker: TimelineEntry = {
      at: this.timeline[first].at,
      kind: 'omitted',
      message: `${this.omitted} ${this.omitted === 1 ? 'entry' : 'entries'} omitted (the timeline keeps its first ${first} and last ${TIMELINE_KEEP.last} entries)`,
    };
    return [...this.timeline.slice(0, first), marker, ...this.timeline.slice(first)];
  }

  /** The letter cannot go on by itself: it shows why, and waits for a fix (see README, "Needs attention"). */
  needsAttention(now: string, reason: string): void {
    this.attention = cap(reason, MAX_MESSAGE * 2);
    this.log(now, { kind: 'needs-attention', message: this.attention });
  }

  // ---- the clock ----

  /** Marks as skipped all but the latest step already due (a late import fires one catch-up). */
  skipOverdue(now: string): void {
    for (const index of stepsToSkip(this.steps, Date.parse(now))) {
      this.steps[index] = { ...this.steps[index], status: 'skipped' };
      this.log(now, { kind: 'skipped', step: index, note: `${this.steps[index].action} due ${this.steps[index].dueAt} skipped: a later step was also due` });
    }
  }

  /** Records that a step happened (its email, if any, already sent). */
  stepFired(index: number, now: string, email?: EmailRecord): void {
    const step = this.steps[index];
    this.steps[index] = { ...step, status: 'done', firedAt: now };
    if (email) this.emails.push(email);
    if (step.action === 'close') {
      this.log(now, { kind: 'closed', step: index, documents: this.outstanding(), note: 'closed as unanswered' });
      this.end('unanswered', now);
      return;
    }
    this.log(now, {
      kind: step.action === 'chase' ? 'chase' : 'escalation',
      step: index,
      documents: email?.outstanding ?? this.outstanding(),
      messageId: email?.messageId,
      subject: email?.subject,
      to: email?.to,
    });
  }

  stepFailed(index: number, now: string, message: string): void {
    this.steps[index] = { ...this.steps[index], status: 'done', firedAt: now };
    this.log(now, { kind: 'email-failed', step: index, message: cap(message, MAX_MESSAGE) });
  }

  /** The letter itself could not be sent (the server refused it for good): chasing goes on, staff can see why. */
  letterFailed(now: string, message: string): void {
    this.log(now, { kind: 'email-failed', message: cap(message, MAX_MESSAGE) });
  }

  letterSent(now: string, email?: EmailRecord): void {
    if (email) {
      this.emails.push(email);
      this.log(now, { kind: 'sent', messageId: email.messageId, subject: email.subject, to: email.to, on: this.input.sentOn, ...(email.attachments ? { attachments: email.attachments } : {}) });
    } else {
      this.log(now, { kind: 'recorded-sent', on: this.input.sentOn });
    }
  }

  // ---- what staff record (validate first: a rejected request changes nothing) ----

  validateReceipt(p: ReceiptPayload, now: string): void {
    this.mustBeOpen();
    checkObject(p, ['documents', 'receivedOn', 'by', 'note']);
    const docs = this.checkDocuments(p.documents, 'documents', true);
    for (const key of docs) {
      const d = this.documents[key]!;
      if (d.receivedOn) throw new LetterRuleError(`${key} was already recorded as received on ${d.receivedOn}`);
      if (d.declinedOn) throw new LetterRuleError(`${key} was recorded as declined on ${d.declinedOn}; it cannot also be received`);
    }
    this.checkDate(p.receivedOn, 'receivedOn', now);
    checkText(p.by, 'by', MAX_NAME);
    checkText(p.note, 'note', MAX_TEXT);
  }

  recordReceipt(p: ReceiptPayload, now: string): LetterStatus {
    this.validateReceipt(p, now);
    const on = p.receivedOn ?? this.today(now);
    const docs = unique(p.documents);
    for (const key of docs) this.documents[key] = { ...this.documents[key]!, receivedOn: on, receivedBy: name(p.by) };
    this.log(now, { kind: 'receipt', documents: docs, on, by: name(p.by), note: note(p.note) });
    this.endIfNothingOutstanding(now);
    return this.status();
  }

  validateDecline(p: DeclinePayload, now: string): void {
    this.mustBeOpen();
    checkObject(p, ['documents', 'reason', 'on', 'by']);
    if (p.documents !== undefined) {
      for (const key of this.checkDocuments(p.documents, 'documents', true)) {
        if (!this.outstanding().includes(key)) throw new LetterRuleError(`${key} is not outstanding (already received or declined)`);
      }
    }
    if (typeof p.reason !== 'string' || p.reason.trim() === '') throw new LetterRuleError('reason: say why the request was declined (got nothing)');
    checkText(p.reason, 'reason', MAX_TEXT);
    this.checkDate(p.on, 'on', now);
    checkText(p.by, 'by', MAX_NAME);
  }

  recordDecline(p: DeclinePayload, now: string): LetterStatus {
    this.validateDecline(p, now);
    const on = p.on ?? this.today(now);
    const docs = p.documents ? unique(p.documents) : this.outstanding();
    for (const key of docs) this.documents[key] = { ...this.documents[key]!, declinedOn: on, declineReason: note(p.reason) };
    this.log(now, { kind: 'decline', documents: docs, on, by: name(p.by), note: note(p.reason) });
    this.endIfNothingOutstanding(now);
    return this.status();
  }

  /**
   * Checks an extension and plans it, exactly as extendDeadline will apply it: the steps it
   * returns are the letter's steps afterwards. On a letter that needs attention, `until`
   * plans the remaining steps again from that date (the fix for a schedule that could not be planned).
   */
  validateExtend(p: ExtendPayload, now: string): ScheduledStep[] {
    this.mustBeOpen();
    checkObject(p, ['until', 'workingDays', 'reason', 'by']);
    if (this.unusableInput) {
      throw new LetterRuleError(`the letter needs attention: ${this.attention}. An extension cannot fix that; withdraw the letter and start it again`);
    }
    if ((p.until === undefined) === (p.workingDays === undefined)) {
      throw new LetterRuleError('give either until (a date like 2020-12-01) or workingDays (a whole number), not both or neither');
    }
    if (p.workingDays !== undefined && (!Number.isInteger(p.workingDays) || p.workingDays < 1 || p.workingDays > 250)) {
      throw new LetterRuleError(`workingDays: expected a whole number from 1 to 250, got ${echo(p.workingDays)}`);
    }
    const until = p.until === undefined ? undefined : this.checkUntil(p.until);
    checkText(p.reason, 'reason', MAX_TEXT);
    checkText(p.by, 'by', MAX_NAME);
    const field = until !== undefined ? 'until' : 'workingDays';
    try {
      if (this.attention) {
        if (until === undefined) {
          throw new LetterRuleError(`the letter needs attention (${this.attention}); give until (a date) to plan its remaining steps again from that date`);
        }
        const today = this.today(now);
        if (until <= today) throw new LetterRuleError(`until: ${until} is not later than today (${today})`);
        const remaining = this.steps.length === 0 ? this.input.policy.steps.map((_, i) => i) : this.steps.filter((s) => s.status === 'pending').map((s) => s.index);
        if (remaining.length === 0) throw new LetterRuleError('there is no remaining step to plan');
        const planned = planFrom(this.input.policy, remaining, until);
        const kept = this.steps.filter((s) => s.status !== 'pending');
        return [...kept, ...planned].sort((a, b) => a.index - b.index);
      }
      const next = nextPending(this.steps);
      if (!next) throw new LetterRuleError('there is no pending step to extend');
      if (until !== undefined) {
        const current = localDateOf(next.dueAt, this.input.policy.timezone);
        if (until <= current) throw new LetterRuleError(`until: ${until} is not later than the next ${next.action}, due on ${current}`);
      }
      const shift = until !== undefined ? shiftUntil(next, until, this.input.policy, this.steps) : shiftByWorkingDays(p.workingDays!);
      const why = p.reason === undefined ? '' : `: ${cap(note(p.reason)!, 200)}`;
      const because = until !== undefined ? `extended to ${formatLongDate(until)} (${shift.workingDays} working days later)${why}` : `extended by ${p.workingDays} working days${why}`;
      return shiftPending(this.steps, this.input.policy, shift, because);
    } catch (err) {
      if (err instanceof ScheduleError) throw new LetterRuleError(`${field}: the steps cannot be moved there: ${err.message}`);
      throw err;
    }
  }

  extendDeadline(p: ExtendPayload, now: string): LetterStatus {
    this.steps = this.validateExtend(p, now);
    const fixed = this.attention;
    this.attention = null;
    const to = nextPending(this.steps)!;
    this.log(now, {
      kind: 'extension',
      by: name(p.by),
      note: note(p.reason),
      on: localDateOf(to.dueAt, this.input.policy.timezone),
      message: `next ${to.action} moved to ${to.dueAt}${fixed ? ' (the steps are planned again; the letter no longer needs attention)' : ''}`,
    });
    return this.status();
  }

  /** `until` of an extension: a real date that is a working day on the calendar. */
  private checkUntil(until: unknown): string {
    let date: string;
    try {
      date = parseIsoDate(until);
    } catch (err) {
      if (!(err instanceof CalendarError)) throw err;
      throw new LetterRuleError(`until: ${err.message}`);
    }
    let working: string;
    try {
      working = nextWorkingDay(date, calendarOf(this.input.policy));
    } catch (err) {
      if (!(err instanceof CalendarError)) throw err;
      throw new LetterRuleError(`until: ${err.message.replace(/^\w+: /, '')}`);
    }
    if (working !== date) throw new LetterRuleError(`until: ${date} is not a working day; choose a weekday that is not a bank holiday`);
    return date;
  }

  validatePause(p: PausePayload): void {
    this.mustBeOpen();
    checkObject(p, ['reason', 'by']);
    if (this.pausedAt) throw new LetterRuleError(`the letter is already paused (since ${this.pausedAt})`);
    checkText(p.reason, 'reason', MAX_TEXT);
    checkText(p.by, 'by', MAX_NAME);
  }

  pause(p: PausePayload, now: string): LetterStatus {
    this.validatePause(p);
    this.pausedAt = now;
    this.log(now, { kind: 'paused', by: name(p.by), note: note(p.reason) });
    return this.status();
  }

  validateResume(p: ResumePayload): void {
    this.mustBeOpen();
    checkObject(p, ['by']);
    if (!this.pausedAt) throw new LetterRuleError('the letter is not paused');
    checkText(p.by, 'by', MAX_NAME);
  }

  /**
   * Resuming moves the remaining steps later by the working days (or time) the letter was
   * paused. When they cannot be moved (the calendar ends), the letter resumes into needs-attention.
   */
  resume(p: ResumePayload, now: string): LetterStatus {
    this.validateResume(p);
    let problem: string | undefined;
    try {
      const shift = shiftForPause(this.pausedAt!, now, this.input.policy, this.steps);
      const tz = this.input.policy.timezone;
      const because = `paused from ${formatLongDate(localDateOf(this.pausedAt!, tz))} to ${formatLongDate(localDateOf(now, tz))} (${shift.workingDays} working days)`;
      this.steps = shiftPending(this.steps, this.input.policy, shift, because);
    } catch (err) {
      if (!(err instanceof ScheduleError)) throw err;
      problem = err.message;
    }
    this.pausedAt = null;
    const next = nextPending(this.steps);
    this.log(now, { kind: 'resumed', by: name(p.by), message: next && !problem ? `next ${next.action} due ${next.dueAt}` : undefined });
    if (problem) this.needsAttention(now, `its remaining steps cannot be moved after the pause: ${problem}`);
    return this.status();
  }

  validateWithdraw(p: WithdrawPayload): void {
    this.mustBeOpen();
    checkObject(p, ['reason', 'by']);
    checkText(p.reason, 'reason', MAX_TEXT);
    checkText(p.by, 'by', MAX_NAME);
  }

  withdraw(p: WithdrawPayload, now: string): LetterStatus {
    this.validateWithdraw(p);
    this.log(now, { kind: 'withdrawn', by: name(p.by), note: note(p.reason) });
    this.end('withdrawn', now);
    return this.status();
  }

  validateNote(p: NotePayload): void {
    this.refuseInPublicationWindow();
    checkObject(p, ['text', 'by']);
    if (typeof p.text !== 'string' || p.text.trim() === '') throw new LetterRuleError('text: the note is empty');
    checkText(p.text, 'text', MAX_TEXT);
    checkText(p.by, 'by', MAX_NAME);
  }

  addNote(p: NotePayload, now: string): LetterStatus {
    this.validateNote(p);
    this.log(now, { kind: 'note', by: name(p.by), note: note(p.text) });
    return this.status();
  }

  /** A signal that failed validation: recorded, not applied. */
  rejected(now: string, what: string, message: string): void {
    this.log(now, { kind: 'rejected', message: cap(cleanText(`${what} rejected: ${message}`, MAX_MESSAGE * 2), MAX_MESSAGE) });
  }

  // ---- publication (issue 14): documents received, and what may be published ----
  // Allowed on a finished letter too: publishing is decided after the answer is in.

  validateAttachDocument(p: AttachDocumentPayload, now: string): void {
    checkObject(p, ['document', 'title', 'file', 'receivedOn', 'by']);
    if (this.attachments.length >= MAX_ATTACHMENTS) throw new LetterRuleError(`a letter keeps at most ${MAX_ATTACHMENTS} documents`);
    if (p.document !== undefined) this.checkDocuments([p.document], 'document', true);
    if (p.document === undefined && (typeof p.title !== 'string' || p.title.trim() === '')) {
      throw new LetterRuleError('title: say what the document is (or give document, the requested document it is)');
    }
    checkText(p.title, 'title', MAX_NAME);
    checkStoredFile(p.file, 'file');
    this.checkDate(p.receivedOn, 'receivedOn', now);
    checkText(p.by, 'by', MAX_NAME);
  }

  attachDocument(p: AttachDocumentPayload, now: string): LetterStatus {
    this.validateAttachDocument(p, now);
    const a: Attachment = {
      id: `d${this.attachments.length + 1}`,
      ...(p.document ? { document: p.document } : {}),
      title: name(p.title?.trim() || undefined) ?? DOCUMENT_LABELS[p.document!],
      file: storedFile(p.file),
      receivedOn: p.receivedOn ?? this.today(now),
      ...(p.by !== undefined ? { by: name(p.by) } : {}),
      publish: false,
    };
    this.attachments.push(a);
    this.touchPublicationWindow(now);
    this.log(now, { kind: 'document', by: a.by, on: a.receivedOn, ...(a.document ? { documents: [a.document] } : {}), message: `${a.id}: ${a.title} (${a.file.name}) added` });
    return this.status();
  }

  validateSetPublication(p: SetPublicationPayload): void {
    checkObject(p, ['attachment', 'declineReasonOf', 'reply', 'replyAttachment', 'publish', 'redacted', 'by']);
    const given = [p.attachment, p.declineReasonOf, p.reply].filter((x) => x !== undefined).length;
    if (given !== 1) {
      throw new LetterRuleError('give one of attachment (a document id like d1), declineReasonOf (a declined document key) or reply (a filed reply\'s Message-ID)');
    }
    if (typeof p.publish !== 'boolean') throw new LetterRuleError(`publish: expected true or false, got ${echo(p.publish)}`);
    if (p.replyAttachment !== undefined && p.reply === undefined) throw new LetterRuleError('replyAttachment: only with reply (which reply the attachment belongs to)');
    if (p.attachment !== undefined && !this.attachments.some((a) => a.id === p.attachment)) {
      const ids = this.attachments.map((a) => a.id).join(', ') || 'none yet';
      throw new LetterRuleError(`attachment: no document '${echoText(p.attachment)}' on this letter (it has: ${ids})`);
    }
    if (p.declineReasonOf !== undefined) {
      const [key] = this.checkDocuments([p.declineReasonOf], 'declineReasonOf', true);
      if (!this.documents[key]?.declinedOn) throw new LetterRuleError(`declineReasonOf: ${key} was not declined`);
      if (p.redacted !== undefined) throw new LetterRuleError('redacted: only a document has a redacted copy, not a decline reason');
    }
    if (p.reply !== undefined) {
      const reply = this.replies.find((r) => r.messageId === p.reply);
      if (!reply) throw new LetterRuleError(`reply: no reply ${echo(p.reply)} is filed on this letter`);
      const n = reply.attachments.length;
      if (n === 0) throw new LetterRuleError(`reply: the reply ${p.reply} has no attachments; only a reply's attachments are published, never its text`);
      if (p.replyAttachment !== undefined && (!Number.isInteger(p.replyAttachment) || p.replyAttachment < 1 || p.replyAttachment > n)) {
        throw new LetterRuleError(`replyAttachment: expected a number from 1 to ${n} (the reply's attachments in order), got ${echo(p.replyAttachment)}`);
      }
      if (p.redacted !== undefined && p.replyAttachment === undefined) {
        throw new LetterRuleError('redacted: a redacted copy replaces one attachment; say which with replyAttachment');
      }
    }
    if (p.redacted !== undefined) {
      if (!p.publish) throw new LetterRuleError('redacted: a redacted copy is only given when the document is published (publish: true)');
      checkStoredFile(p.redacted, 'redacted');
    }
    checkText(p.by, 'by', MAX_NAME);
  }

  setPublication(p: SetPublicationPayload, now: string): LetterStatus {
    this.validateSetPublication(p);
    let what: string;
    if (p.attachment !== undefined) {
      const i = this.attachments.findIndex((a) => a.id === p.attachment);
      const { redacted: _old, ...a } = this.attachments[i];
      this.attachments[i] = { ...a, publish: p.publish, ...(p.publish && p.redacted ? { redacted: storedFile(p.redacted) } : {}) };
      what = `${a.id} (${a.title}) ${p.publish ? (p.redacted ? 'published as a redacted copy' : 'published') : 'not published'}`;
    } else if (p.reply !== undefined) {
      const reply = this.replies.find((r) => r.messageId === p.reply)!;
      const which = p.replyAttachment !== undefined ? [p.replyAttachment] : reply.attachments.map((_, i) => i + 1);
      const kept = (reply.published ?? []).filter((x) => !which.includes(x.attachment));
      const added = p.publish ? which.map((attachment) => ({ attachment, ...(p.redacted ? { redacted: storedFile(p.redacted) } : {}) })) : [];
      const published = [...kept, ...added].sort((a, b) => a.attachment - b.attachment);
      if (published.length > 0) reply.published = published;
      else delete reply.published;
      const names = which.map((i) => reply.attachments[i - 1].name).join(', ');
      what = `the reply ${reply.messageId}'s ${which.length === 1 ? 'attachment' : 'attachments'} ${names} ${p.publish ? (p.redacted ? 'published as a redacted copy' : 'published') : 'not published'}`;
    } else {
      const key = p.declineReasonOf!;
      this.publishedDeclineReasons = this.publishedDeclineReasons.filter((k) => k !== key);
      if (p.publish) this.publishedDeclineReasons.push(key);
      what = `the reason ${key} was declined ${p.publish ? 'published' : 'not published'}`;
    }
    this.touchPublicationWindow(now);
    this.log(now, { kind: 'publication', by: name(p.by), message: what });
    return this.status();
  }

  // ---- the publication window (issue 14) ----
  // A finished letter (other than a withdrawn one) stays open for publication updates for a
  // while (policy.publicationWindow), restarted by each; its state stays what it ended as.

  /** Whether the workflow should stay open for publication now that the letter has ended. */
  get publicationWindowApplies(): boolean {
    const w = this.input.policy.publicationWindow ?? DEFAULT_PUBLICATION_WINDOW;
    return this.ended !== null && this.ended !== 'withdrawn' && !this.unusableInput && !this.publicationClosed && (w.unit === 'duration' || w.days > 0);
  }

  /** Opens the window when the letter has ended (a run continued during the window keeps its end). */
  openPublicationWindow(now: string): void {
    if (this.publicationUntil !== null || !this.publicationWindowApplies) return;
    this.publicationUntil = publicationWindowEnd(this.input.policy, now);
  }

  /** The window has run out: the workflow completes. */
  publicationWindowEnded(): void {
    this.publicationUntil = null;
    this.publicationClosed = true;
  }

  validateCloseLetter(p: CloseLetterPayload): void {
    checkObject(p, ['by', 'reason']);
    if (!this.ended) throw new LetterRuleError(`the letter is ${this.state}, still going on; closeLetter ends the publication window of a finished letter (to stop a letter, withdraw it)`);
    if (this.publicationUntil === null) throw new LetterRuleError(`the letter is ${this.ended} and not open for publication; there is nothing to close`);
    checkText(p.by, 'by', MAX_NAME);
    checkText(p.reason, 'reason', MAX_TEXT);
  }

  /** Ends the publication window early: the workflow completes, its state as it ended. */
  closeLetter(p: CloseLetterPayload, now: string): LetterStatus {
    this.validateCloseLetter(p);
    this.publicationWindowEnded();
    this.log(now, { kind: 'publication', by: name(p.by), note: note(p.reason), message: 'closed: no more publication changes' });
    return this.status();
  }

  private touchPublicationWindow(now: string): void {
    if (this.publicationUntil !== null) this.publicationUntil = publicationWindowEnd(this.input.policy, now) ?? this.publicationUntil;
  }

  private refuseInPublicationWindow(): void {
    if (this.ended && this.publicationUntil !== null) {
      throw new LetterRuleError(`the letter is ${this.ended}; until ${this.publicationUntil} it accepts only publication changes (attachDocument, setPublication, closeLetter)`);
    }
  }

  // ---- replies in (issue 13): mail filed by the mailbox workflow, its triage, bounces ----

  /** Files a message (signal fileMail); false when this Message-ID was filed before (a re-delivered or re-scanned message). */
  fileMail(p: FileMailPayload, now: string): boolean {
    if (this.filedMail.includes(p.messageId)) return false;
    this.filedMail.push(p.messageId);
    const from = p.from === undefined ? undefined : cleanText(p.from, MAX_NAME);
    const subject = cleanText(p.subject, MAX_NAME * 2);
    const reason = p.reason === undefined ? undefined : cap(cleanText(p.reason, MAX_MESSAGE * 2), MAX_MESSAGE);
    if (p.kind === 'auto-reply' || p.kind === 'delayed') {
      this.log(now, { kind: p.kind === 'delayed' ? 'delivery-delayed' : 'auto-reply', messageId: p.messageId, from, subject, note: reason });
      return true;
    }
    if (p.kind === 'bounce') {
      if (this.ended) {
        this.log(now, { kind: 'bounce', messageId: p.messageId, from, subject, note: reason });
        return true;
      }
      this.undeliverable = reason ?? 'the letter could not be delivered';
      this.undeliverableSince ??= now;
      this.log(now, { kind: 'bounce', messageId: p.messageId, from, subject, message: `undeliverable: ${this.undeliverable}` });
      return true;
    }
    const reply: ReplyRecord = {
      messageId: p.messageId,
      from,
      date: p.date,
      subject,
      excerpt: cleanText(p.excerpt, 1000, { multiline: true }),
      attachments: p.attachments.slice(0, 200).map((a) => ({ ...a, name: cleanText(a.name, MAX_NAME), contentType: cleanText(a.contentType, MAX_NAME) })),
      raw: p.raw,
      filedAt: now,
      matchedBy: p.matchedBy,
      confidence: p.confidence,
      suggested: suggestDocuments({ attachments: p.attachments, excerpt: p.excerpt, subject: p.subject }, this.outstanding()),
      ...(p.problems && p.problems.length > 0 ? { problems: p.problems.slice(0, 20).map((x) => cap(x, MAX_MESSAGE)) } : {}),
    };
    this.replies.push(reply);
    const hold = !this.ended && (this.input.policy.afterReply ?? 'hold') === 'hold';
    if (hold && !this.heldBy) this.heldBy = p.messageId;
    this.log(now, {
      kind: 'reply',
      messageId: p.messageId,
      from,
      subject,
      on: p.date,
      note: reply.excerpt.slice(0, 300),
      attachments: reply.attachments.slice(0, 20),
      message: `matched by ${p.matchedBy}${p.confidence === 'low' ? ' (low confidence)' : ''}${hold ? '; chases held until it is triaged' : ''}`,
    });
    return true;
  }

  validateTriage(p: TriagePayload, now: string): void {
    checkObject(p, ['messageId', 'documents', 'by', 'note']);
    const reply = this.replies.find((r) => r.messageId === p.messageId);
    if (!reply) throw new LetterRuleError(`messageId: no reply ${echo(p.messageId)} is filed on this letter`);
    if (reply.triaged) throw new LetterRuleError(`the reply ${p.messageId} was already triaged on ${reply.triaged.at}`);
    if (!Array.isArray(p.documents)) throw new LetterRuleError(`documents: expected a list of document keys (empty for "no documents yet"), got ${echo(p.documents)}`);
    if (p.documents.length > 0) this.validateReceipt({ documents: p.documents, by: p.by, note: p.note }, now);
    checkText(p.by, 'by', MAX_NAME);
    checkText(p.note, 'note', MAX_TEXT);
  }

  /** Triage: records the documents the reply carries (linked to it), or none ("no documents yet"); releases the hold. */
  triageReply(p: TriagePayload, now: string): LetterStatus {
    this.validateTriage(p, now);
    const reply = this.replies.find((r) => r.messageId === p.messageId)!;
    const docs = unique(p.documents);
    reply.triaged = { at: now, documents: docs, by: name(p.by) };
    if (this.heldBy === p.messageId) this.heldBy = this.replies.find((r) => !r.triaged)?.messageId ?? null;
    if (docs.length > 0) {
      const on = this.today(now);
      for (const key of docs) this.documents[key] = { ...this.documents[key]!, receivedOn: on, receivedBy: name(p.by) };
      this.log(now, { kind: 'receipt', documents: docs, on, by: name(p.by), note: note(p.note), messageId: p.messageId });
      this.endIfNothingOutstanding(now);
    } else {
      this.log(now, { kind: 'triaged', messageId: p.messageId, by: name(p.by), note: note(p.note), message: 'no documents yet: the schedule goes on' });
    }
    return this.status();
  }

  validateCorrectAddress(p: CorrectAddressPayload): void {
    this.mustBeOpen();
    checkObject(p, ['email', 'cc', 'escalateTo', 'by', 'reason']);
    if (p.email === undefined && p.cc === undefined && p.escalateTo === undefined) throw new LetterRuleError('give email, cc or escalateTo (the corrected addresses)');
    if (p.email !== undefined) checkEmail(p.email, 'email');
    for (const field of ['cc', 'escalateTo'] as const) {
      const list = p[field];
      if (list === undefined) continue;
      if (!Array.isArray(list) || list.length > 20) throw new LetterRuleError(`${field}: expected a list of at most 20 email addresses, got ${echo(list)}`);
      list.forEach((a, i) => checkEmail(a, `${field}[${i}]`));
    }
    checkText(p.by, 'by', MAX_NAME);
    checkText(p.reason, 'reason', MAX_TEXT);
    // Not after a bounce (issue 16): a corrected contact for the next email. The same contact
    // again changes nothing, so a round-wide correction can be run twice.
    if (!this.undeliverable && this.contactChanges(p).length === 0) {
      throw new AlreadyAppliedError(`the letter already has these addresses (${contactText(this.input.recipient)}); nothing to change`);
    }
  }

  /** Which of the letter's addresses the payload changes (empty: none). */
  private contactChanges(p: CorrectAddressPayload): string[] {
    const r = this.input.recipient;
    const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x.toLowerCase() === b[i].toLowerCase());
    return [
      ...(p.email !== undefined && p.email.toLowerCase() !== r.email.toLowerCase() ? ['email'] : []),
      ...(p.cc !== undefined && !same(p.cc, r.cc) ? ['cc'] : []),
      ...(p.escalateTo !== undefined && !same(p.escalateTo, r.escalateTo) ? ['escalateTo'] : []),
    ];
  }

  /**
   * New addresses. After a bounce the letter is sent again to them and the schedule resumes;
   * otherwise (a corrected contact, issue 16) the next email goes to them and nothing else changes.
   */
  correctAddress(p: CorrectAddressPayload, now: string): LetterStatus {
    this.validateCorrectAddress(p);
    if (!this.undeliverable) {
      const r = this.input.recipient;
      const before = contactText(r);
      this.input = { ...this.input, recipient: { ...r, email: p.email ?? r.email, cc: p.cc ?? r.cc, escalateTo: p.escalateTo ?? r.escalateTo } };
      const after = contactText(this.input.recipient);
      this.log(now, { kind: 'address-corrected', by: name(p.by), note: note(p.reason), to: [this.input.recipient.email], message: `contact corrected: the next email goes to ${after} (was ${before})` });
      return this.status();
    }
    const r = this.input.recipient;
    this.input.recipient = { ...r, email: p.email ?? r.email, cc: p.cc ?? r.cc, escalateTo: p.escalateTo ?? r.escalateTo };
    this.resendPending = this.input.delivery === 'send';
    // Resent: the steps count again from now, as if the letter were first sent today; otherwise
    // the time it was undeliverable is added to them, like a pause.
    try {
      const from = this.resendPending ? this.input.sentAt! : this.undeliverableSince ?? now;
      this.steps = shiftPending(this.steps, this.input.policy, shiftForPause(from, now, this.input.policy, this.steps));
    } catch (err) {
      if (!(err instanceof ScheduleError)) throw err;
      this.needsAttention(now, `the steps cannot be moved after the address was corrected: ${err.message}`);
    }
    this.undeliverable = null;
    this.undeliverableSince = null;
    this.log(now, { kind: 'address-corrected', by: name(p.by), note: note(p.reason), to: [this.input.recipient.email], message: this.resendPending ? 'the letter is sent again and the schedule resumes' : 'the schedule resumes' });
    return this.status();
  }

  // ---- calendar changes (issue 16): closures and a new bank holiday table reach the letter by message ----

  /**
   * Checks a calendar change and plans it: the letter's policy and steps afterwards, and which
   * steps moved. Closures add every day from `from` to `to`; `holidays` replaces the bank
   * holiday table the letter counts with (it keeps the one it started with until told).
   */
  validateCalendar(p: CalendarPayload): { policy: Policy; steps: ScheduledStep[]; moved: { from: ScheduledStep; to: ScheduledStep }[] } {
    this.mustBeOpen();
    checkObject(p, ['from', 'to', 'reason', 'holidays', 'by']);
    if (typeof p.reason !== 'string' || p.reason.trim() === '') throw new LetterRuleError('reason: say why the calendar changes (e.g. office closed), got nothing');
    checkText(p.reason, 'reason', MAX_NAME);
    checkText(p.by, 'by', MAX_NAME);
    if (p.from === undefined && p.holidays === undefined) throw new LetterRuleError('give from (and to) for a closure, or holidays for a new bank holiday table');
    const policy: Policy = { ...this.input.policy };
    if (p.from !== undefined || p.to !== undefined) {
      const from = this.checkCalendarDate(p.from, 'from');
      const to = p.to === undefined ? from : this.checkCalendarDate(p.to, 'to');
      if (to < from) throw new LetterRuleError(`to: ${to} is before from (${from})`);
      const days = closedDays(from, to);
      if (days.length > 366) throw new LetterRuleError(`to: a closure of at most 366 days, got ${days.length} (${from} to ${to})`);
      const closures = [...new Set([...policy.closures, ...days])].sort();
      if (closures.length > MAX_CLOSURES) throw new LetterRuleError(`the letter would have ${closures.length} closed days; at most ${MAX_CLOSURES}`);
      policy.closures = closures;
    }
    if (p.holidays !== undefined) {
      if (!Array.isArray(p.holidays) || p.holidays.length > 1000 || !p.holidays.every((h) => Array.isArray(h) && h.length === 2 && isIsoDate(h[0]) && typeof h[1] === 'string' && h[1].length <= 100)) {
        throw new LetterRuleError(`holidays: expected at most 1000 [date, name] pairs like ['2020-12-28', 'Boxing Day (substitute day)'], got ${echo(p.holidays)}`);
      }
      policy.holidays = p.holidays.map(([d, n]) => [d, cleanText(n, 100)]);
    }
    const reason = cap(cleanText(p.reason, MAX_NAME), MAX_NAME);
    const because = p.from !== undefined ? `${closureText(p.from, p.to)}: ${reason}` : `new bank holiday table: ${reason}`;
    try {
      const steps = replanOn(this.steps, this.input.policy, policy, this.input.sentOn, because);
      const moved = steps.flatMap((to, i) => (to.dueAt !== this.steps[i].dueAt ? [{ from: this.steps[i], to }] : []));
      return { policy, steps, moved };
    } catch (err) {
      if (err instanceof ScheduleError) throw new LetterRuleError(`the remaining steps cannot be planned on the new calendar: ${err.message}`);
      throw err;
    }
  }

  /**
   * A calendar change the letter already has (every day of the closure already closed, or the
   * same bank holiday table): refused, so that re-running `rounds calendar close` after an
   * interruption moves nothing twice and adds nothing to the timeline. Called by the workflow's
   * validator only (an update accepted before this existed replays as it ran).
   */
  refuseRepeatedCalendar(p: CalendarPayload): void {
    const policy = this.input.policy;
    const closed = p.from === undefined || closedDays(p.from, p.to ?? p.from).every((d) => policy.closures.includes(d));
    const sameTable = p.holidays === undefined || JSON.stringify(p.holidays.map(([d, n]) => [d, cleanText(n, 100)])) === JSON.stringify(policy.holidays);
    if (closed && sameTable) {
      const what = p.from !== undefined ? `is already ${closureText(p.from, p.to)}` : 'already counts with this bank holiday table';
      throw new AlreadyAppliedError(`the letter ${what}; nothing to change`);
    }
  }

  changeCalendar(p: CalendarPayload, now: string): LetterStatus {
    const { policy, steps, moved } = this.validateCalendar(p);
    const reason = cap(cleanText(p.reason, MAX_NAME), MAX_NAME);
    if (p.from !== undefined) for (const d of closedDays(p.from, p.to ?? p.from)) this.closureReasons[d] = reason;
    this.input = { ...this.input, policy };
    this.steps = steps;
    this.log(now, { kind: 'calendar', by: name(p.by), note: reason, message: this.calendarText(p, policy, moved) });
    return this.status();
  }

  /**
   * What a calendar change would do, without doing it (the dashboard's Calendar page and `rounds
   * calendar close --dry-run` show it before anything is sent): the timeline text it would add,
   * or why the letter would refuse it, or that it already has it.
   */
  previewCalendar(p: CalendarPayload): CalendarPreview {
    try {
      const { policy, moved } = this.validateCalendar(p);
      this.refuseRepeatedCalendar(p);
      return { outcome: 'changes', message: this.calendarText(p, policy, moved) };
    } catch (err) {
      if (err instanceof AlreadyAppliedError) return { outcome: 'unchanged', message: err.message };
      if (err instanceof LetterRuleError) return { outcome: 'refused', message: err.message };
      throw err;
    }
  }

  /** "closed from ... to ...: chase 2 moved from ... to ...: office closed" (or "no remaining step moved"). */
  private calendarText(p: CalendarPayload, policy: Policy, moved: { from: ScheduledStep; to: ScheduledStep }[]): string {
    const reason = cap(cleanText(p.reason, MAX_NAME), MAX_NAME);
    const tz = policy.timezone;
    const what = moved.map(({ from, to }) => {
      const nth = from.action === 'chase' ? `chase ${this.steps.filter((s) => s.action === 'chase' && s.index <= from.index).length}` : from.action === 'escalate' ? 'escalation' : 'close';
      return `${nth} moved from ${formatLongDate(localDateOf(from.dueAt, tz))} to ${formatLongDate(localDateOf(to.dueAt, tz))}`;
    });
    const change = p.from !== undefined ? closureText(p.from, p.to) : 'new bank holiday table';
    return `${change}: ${what.length ? `${what.join('; ')}: ${reason}` : 'no remaining step moved'}`;
  }

  private checkCalendarDate(value: unknown, field: string): string {
    try {
      const date = parseIsoDate(value);
      if (!isInCalendar(date)) throw new LetterRuleError(`${field}: ${date} is outside the working-day calendar`);
      return date;
    } catch (err) {
      if (!(err instanceof CalendarError)) throw err;
      throw new LetterRuleError(`${field}: ${err.message}`);
    }
  }

  // ---- helpers ----

  private fired(action: StepAction): boolean {
    return this.steps.some((s) => s.action === action && s.status === 'done');
  }

  private end(state: Ended, now: string): void {
    this.ended = state;
    this.attention = null;
    this.steps = this.steps.map((s) => (s.status === 'pending' ? { ...s, status: 'cancelled' } : s));
    if (state === 'complete' || state === 'declined') this.log(now, { kind: 'complete', message: LETTER_STATES[state] });
  }

  private endIfNothingOutstanding(now: string): void {
    if (this.outstanding().length > 0) return;
    this.end(this.received().length > 0 ? 'complete' : 'declined', now);
  }

  private mustBeOpen(): void {
    if (this.ended) throw new LetterRuleError(`the letter is ${this.ended}; nothing more can be recorded on it`);
  }

  private log(at: string, entry: Omit<TimelineEntry, 'at'>): void {
    const clean = Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined)) as Omit<TimelineEntry, 'at'>;
    this.timeline.push({ at, ...clean });
    if (this.timeline.length > TIMELINE_KEEP.first + TIMELINE_KEEP.last) {
      this.timeline.splice(TIMELINE_KEEP.first, 1);
      this.omitted++;
    }
    this.version++;
  }

  private today(now: string): string {
    return localDateOf(now, this.input.policy.timezone);
  }

  private checkDocuments(docs: unknown, field: string, mustBeRequested: boolean): DocumentKey[] {
    if (!Array.isArray(docs) || docs.length === 0) {
      throw new LetterRuleError(`${field}: expected a non-empty list of document keys (${DOCUMENT_KEYS.join(', ')}), got ${docs === undefined ? 'nothing' : echo(docs)}`);
    }
    docs.forEach((key, i) => {
      if (!isDocumentKey(key)) {
        throw new LetterRuleError(`${field}[${i}]: '${echoText(key)}' is not a document key (expected one of ${DOCUMENT_KEYS.join(', ')})`);
      }
      if (mustBeRequested && !this.documents[key]?.requested) {
        throw new LetterRuleError(
          `${key} (${DOCUMENT_LABELS[key]}) was not requested in this letter (requested: ${this.input.documents.join(', ')})`,
        );
      }
    });
    return docs as DocumentKey[];
  }

  private checkDate(value: unknown, field: string, now: string): void {
    if (value === undefined) return;
    try {
      parseIsoDate(value);
    } catch (err) {
      if (!(err instanceof CalendarError)) throw err;
      throw new LetterRuleError(`${field}: ${err.message}`);
    }
    if (typeof value !== 'string') return; // (parseIsoDate has checked it is)
    if (value < this.input.letterDate) {
      throw new LetterRuleError(`${field}: ${value} is before the letter's date, ${this.input.letterDate}`);
    }
    const today = this.today(now);
    if (value > today) throw new LetterRuleError(`${field}: ${value} is in the future (today is ${today})`);
  }
}

/** A recipient's addresses, as a timeline entry or a refusal says them. */
function contactText(r: { email: string; cc: string[]; escalateTo: string[] }): string {
  return [r.email, ...(r.cc.length ? [`cc ${r.cc.join(', ')}`] : []), ...(r.escalateTo.length ? [`escalations to ${r.escalateTo.join(', ')}`] : [])].join('; ');
}

function closureText(from: string, to: string | undefined): string {
  return to && to !== from ? `closed from ${formatLongDate(from)} to ${formatLongDate(to)}` : `closed on ${formatLongDate(from)}`;
}

/** Every date from `from` to `to`, inclusive (both real dates, checked by the caller). */
function closedDays(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = from; d <= to && days.length <= 366; d = addDays(d, 1)) days.push(d);
  return days;
}

function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

function checkObject(p: unknown, allowed: string[]): void {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) {
    throw new LetterRuleError(`expected an object with ${allowed.join(', ')}; got ${p === undefined ? 'nothing' : echo(p)}`);
  }
  for (const key of Object.keys(p)) {
    if (!allowed.includes(key)) throw new LetterRuleError(`unknown field '${echoText(key)}' (expected ${allowed.join(', ')})`);
  }
}

function checkText(value: unknown, field: string, max: number): void {
  if (value === undefined) return;
  if (typeof value !== 'string') throw new LetterRuleError(`${field}: expected text, got ${echo(value)}`);
  if (value.length > max) throw new LetterRuleError(`${field}: at most ${max} characters, got ${value.length}`);
}

const MAX_ATTACHMENTS = 50;

/**
 * When a publication window opened (or restarted) at `now` ends: policy.publicationWindow
 * (default 40 working days) later, at the policy's local time; null for a window of 0 working
 * days. Past the end of the working-day calendar, the same number of weeks in calendar days.
 */
export function publicationWindowEnd(policy: Policy, now: string): string | null {
  const w = policy.publicationWindow ?? DEFAULT_PUBLICATION_WINDOW;
  if (w.unit === 'duration') return new Date(Date.parse(now) + w.ms).toISOString();
  if (w.days === 0) return null;
  try {
    return localTimeOn(addWorkingDays(localDateOf(now, policy.timezone), w.days, calendarOf(policy)), policy.sendAt, policy.timezone);
  } catch (err) {
    if (!(err instanceof CalendarError)) throw err;
    return new Date(Date.parse(now) + Math.ceil((w.days * 7) / 5) * 86_400_000).toISOString();
  }
}
/** The largest document a letter refers to (the store holds it; the letter only its reference). */
const MAX_FILE_BYTES = 100 * 1024 * 1024;

function checkStoredFile(f: unknown, field: string): void {
  checkObject(f, ['sha256', 'size', 'name', 'mediaType']);
  const file = f as StoredFile;
  if (typeof file.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(file.sha256)) throw new LetterRuleError(`${field}.sha256: expected 64 lowercase hex digits (a document store reference), got ${echo(file.sha256)}`);
  if (!Number.isInteger(file.size) || file.size < 1 || file.size > MAX_FILE_BYTES) throw new LetterRuleError(`${field}.size: expected a whole number of bytes from 1 to ${MAX_FILE_BYTES}, got ${echo(file.size)}`);
  if (typeof file.name !== 'string' || file.name.trim() === '') throw new LetterRuleError(`${field}.name: expected the file's name, got ${echo(file.name)}`);
  checkText(file.name, `${field}.name`, MAX_NAME);
  if (typeof file.mediaType !== 'string' || !/^[a-z]+\/[a-z0-9.+-]+$/i.test(file.mediaType)) throw new LetterRuleError(`${field}.mediaType: expected a media type like application/pdf, got ${echo(file.mediaType)}`);
}

function storedFile(f: StoredFile): StoredFile {
  return { sha256: f.sha256, size: f.size, name: name(f.name)!, mediaType: f.mediaType.toLowerCase() };
}

function checkEmail(value: unknown, field: string): void {
  if (typeof value !== 'string' || value.length > 254 || !/^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/.test(value)) {
    throw new LetterRuleError(`${field}: expected an email address like name@example.org, got ${echo(value)}`);
  }
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
