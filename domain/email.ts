// The emails a letter sends: the letter itself, chases and the escalation. Pure, so the
// workflow renders them deterministically and tests can read exactly what was sent.
import { DateTime } from 'luxon';
import { DOCUMENT_LABELS, type DocumentKey } from './documents';
import type { LetterInput, Person, ReplyAttachment } from './types';
import { HeaderInjectionError } from './errors';

export interface EmailMessage {
  from: Person;
  to: string[];
  cc: string[];
  replyTo: Person;
  subject: string;
  text: string;
  html: string;
  /** '<...>' form, deterministic per letter and step, so receivers can drop duplicates. */
  messageId: string;
  inReplyTo?: string;
  references?: string[];
  /** Files attached by reference: the email activity reads their bytes from the document store by SHA-256. */
  attachments?: ReplyAttachment[];
}

/** 'resend-N': the letter sent again after correctAddress (its N-th resend), threaded to the first send. */
export type EmailStep = 'letter' | `step-${number}` | `resend-${number}`;

/** A deterministic Message-ID: the same letter and step always give the same id. */
export function messageIdFor(roundId: string, letterId: string, step: EmailStep, senderEmail: string): string {
  const domain = (senderEmail.split('@')[1] ?? 'request-rounds.invalid').toLowerCase().replace(/[^a-z0-9.-]/g, '');
  const local = [roundId, letterId, step].map((p) => p.replace(/[^A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]/g, '_')).join('.');
  return `<${local}@${domain || 'request-rounds.invalid'}>`;
}

/** Header values from input files must not smuggle in headers: refuse CR/LF (and NUL). */
export function assertSafeHeader(field: string, value: string): void {
  if (/[\r\n\0]/.test(value)) {
    throw new HeaderInjectionError(`${field} contains a line break, which could inject email headers: ${JSON.stringify(value)}`);
  }
}

export function assertSafeMessage(m: EmailMessage): void {
  const people: [string, Person][] = [
    ['from', m.from],
    ['replyTo', m.replyTo],
  ];
  for (const [field, p] of people) {
    assertSafeHeader(`${field}.name`, p.name);
    assertSafeHeader(`${field}.email`, p.email);
  }
  m.to.forEach((a, i) => assertSafeHeader(`to[${i}]`, a));
  m.cc.forEach((a, i) => assertSafeHeader(`cc[${i}]`, a));
  assertSafeHeader('subject', m.subject);
  assertSafeHeader('messageId', m.messageId);
  if (m.inReplyTo) assertSafeHeader('inReplyTo', m.inReplyTo);
  m.references?.forEach((r, i) => assertSafeHeader(`references[${i}]`, r));
  m.attachments?.forEach((a, i) => assertSafeHeader(`attachments[${i}].name`, a.name));
}

/** 'Tuesday 13 October 2020', as people write dates in the UK. */
export function formatLongDate(isoDate: string): string {
  const d = DateTime.fromISO(isoDate, { zone: 'utc', locale: 'en-GB' });
  return d.isValid ? d.toFormat('cccc d LLLL yyyy') : isoDate;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function letterMessageId(input: LetterInput): string {
  return messageIdFor(input.roundId, input.letterId, 'letter', input.sender.email);
}

/** The letter itself, when the round is started with --send. */
export function renderLetterEmail(input: LetterInput): EmailMessage {
  const body = input.body ?? { text: '', html: '' };
  return {
    from: input.sender,
    to: [input.recipient.email],
    cc: input.recipient.cc,
    replyTo: input.coordinator,
    subject: input.subject,
    text: body.text,
    html: body.html,
    messageId: letterMessageId(input),
  };
}

/**
 * The letter sent as offices send it: the covering note (LetterInput.coverNote) as the body and
 * the letter as a PDF attachment, already made and stored (its reference). Same Message-ID and
 * subject as the letter in the body would have, so chases thread on it alike.
 */
export function renderCoverEmail(input: LetterInput, attachment: ReplyAttachment): EmailMessage {
  const note = input.coverNote ?? { text: '', html: '' };
  return { ...renderLetterEmail(input), text: note.text, html: note.html, attachments: [attachment] };
}

/**
 * The letter sent again after a bounce (correctAddress): a Message-ID of its own (receivers that
 * saw the first send, e.g. those in cc, would drop a second message with the same id as a
 * duplicate), and In-Reply-To/References naming the first send, so the resend, replies to it and
 * replies to the first send are one thread, and any of them names the letter.
 */
export function renderLetterResend(input: LetterInput, resend: number, sent: EmailMessage = renderLetterEmail(input)): EmailMessage {
  const first = letterMessageId(input);
  return { ...sent, messageId: messageIdFor(input.roundId, input.letterId, `resend-${resend}`, input.sender.email), inReplyTo: first, references: [first] };
}

/** A chase (kind 'chase') or the escalation (kind 'escalate'), listing only outstanding documents. */
export function renderFollowUp(
  input: LetterInput,
  kind: 'chase' | 'escalate',
  stepIndex: number,
  chaseNumber: number,
  outstanding: DocumentKey[],
  /** The deadline that passed, stated in the first chase. */
  deadline?: { workingDays: number; on: string },
): EmailMessage {
  const letterDate = formatLongDate(input.letterDate);
  const quoted = `"${input.subject}"`;
  const greeting = input.recipient.salutation ?? `Dear ${input.recipient.name},`;
  const docs = outstanding.map((k) => DOCUMENT_LABELS[k]);
  const received = input.documents.filter((k) => !outstanding.includes(k)).map((k) => DOCUMENT_LABELS[k]);
  const c = input.coordinator;
  const subject =
    kind === 'chase'
      ? `${chaseNumber > 1 ? 'Second reminder' : 'Reminder'}: ${input.subject} (our letter of ${letterDate})`
      : `Escalation: ${input.subject} (our letter of ${letterDate})`;
  const opening =
    kind === 'chase'
      ? `On ${letterDate} we wrote to you (${quoted}) asking for some documents${deadline ? `; we asked for a reply within ${deadline.workingDays} working day${deadline.workingDays === 1 ? '' : 's'}, by ${formatLongDate(deadline.on)}` : ''}. We have not yet received the following:`
      : `On ${letterDate} we wrote to ${input.recipient.name} (${quoted}) and have since sent reminders. The following are still outstanding, and we are now raising this with you:`;
  const thanks = received.length > 0 ? `Thank you for what you have sent so far (${received.join('; ')}).` : undefined;
  const closing = `Please send them, or tell us when we can expect them, to ${c.name}${c.role ? `, ${c.role}` : ''}, at ${c.email} (a reply to this email reaches them).`;
  const text = [
    greeting,
    '',
    opening,
    '',
    ...docs.map((d) => `  - ${d}`),
    '',
    ...(thanks ? [thanks, ''] : []),
    closing,
    '',
    'Yours sincerely,',
    '',
    input.sender.name,
    '',
  ].join('\n');
  const html = [
    `<p>${escapeHtml(greeting)}</p>`,
    `<p>${escapeHtml(opening)}</p>`,
    `<ul>${docs.map((d) => `<li>${escapeHtml(d)}</li>`).join('')}</ul>`,
    thanks ? `<p>${escapeHtml(thanks)}</p>` : '',
    `<p>${escapeHtml(closing)}</p>`,
    `<p>Yours sincerely,<br>${escapeHtml(input.sender.name)}</p>`,
  ].join('\n');
  const original = letterMessageId(input);
  return {
    from: input.sender,
    to: [input.recipient.email],
    cc: kind === 'escalate' ? [...input.recipient.cc, ...input.recipient.escalateTo] : input.recipient.cc,
    replyTo: c,
    subject,
    text,
    html,
    messageId: messageIdFor(input.roundId, input.letterId, `step-${stepIndex}`, input.sender.email),
    inReplyTo: original,
    references: [original],
  };
}
