// Incoming mail: what kind of message it is (bounce, automatic reply, genuine reply) and which
// letter it answers. Pure: the inbox activity reads the message (mailparser) into an
// IncomingMail, and the mailbox workflow files it with these rules.
import type { DocumentKey } from './documents';

/** A file in the document store (activities/document-store.ts has the same shape). */
export interface DocumentRef {
  sha256: string;
  size: number;
}

/** What the inbox keeps of a parsed message: plain data, small enough for a workflow payload. */
export interface IncomingMail {
  messageId: string;
  /** The raw message in the document store. */
  raw: DocumentRef;
  from?: string;
  fromName?: string;
  to: string[];
  cc: string[];
  /** Delivered-To and X-Original-To: where the server delivered it (carries a +tag). */
  deliveredTo: string[];
  subject: string;
  date?: string;
  inReplyTo?: string;
  references: string[];
  /** Header names lower-cased; only those the classifier reads. */
  headers: Record<string, string>;
  /** The top-level Content-Type, with its parameters (report-type). */
  contentType: string;
  /** The message/delivery-status part's text, when there is one. */
  deliveryStatus?: string;
  /** Headers of the returned original message (text/rfc822-headers or message/rfc822 part). */
  returned?: { messageId?: string; inReplyTo?: string; references: string[]; subject?: string };
  excerpt: string;
  attachments: IncomingAttachment[];
  /** What went wrong reading it (a part that would not parse, a size limit): filed with the message. */
  problems: string[];
}

export interface IncomingAttachment extends DocumentRef {
  name: string;
  contentType: string;
}

/** The headers the classifier reads (the inbox activity keeps only these). */
export const CLASSIFIER_HEADERS = ['auto-submitted', 'x-autoreply', 'x-autorespond', 'precedence', 'x-failed-recipients', 'x-auto-response-suppress'] as const;

export type MailKind =
  | { kind: 'bounce'; recipients: string[]; reason: string; envelopeId?: string }
  | { kind: 'delayed'; recipients: string[]; reason: string; envelopeId?: string }
  | { kind: 'auto-reply'; reason: string }
  | { kind: 'reply' };

export interface DeliveryStatus {
  envelopeId?: string;
  recipients: { recipient: string; action: string; status?: string; diagnostic?: string }[];
}

/** Reads an RFC 3464 message/delivery-status body: a per-message group, then one group per recipient. */
export function parseDeliveryStatus(text: string): DeliveryStatus {
  const unfolded = text.replace(/\r\n/g, '\n').replace(/\n[ \t]+/g, ' ');
  const groups = unfolded.split(/\n\s*\n/).map((g) => {
    const fields: Record<string, string> = {};
    for (const line of g.split('\n')) {
      const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line.trim());
      if (m) fields[m[1].toLowerCase()] = m[2].trim();
    }
    return fields;
  });
  const envelopeId = groups.find((g) => g['original-envelope-id'])?.['original-envelope-id'];
  const recipients = groups
    .filter((g) => g.action && (g['final-recipient'] || g['original-recipient']))
    .map((g) => ({
      recipient: addressOf(g['original-recipient'] ?? g['final-recipient']),
      action: g.action.toLowerCase(),
      status: g.status,
      diagnostic: g['diagnostic-code'],
    }));
  return { envelopeId, recipients };
}

/** "rfc822; a@b" to "a@b". */
function addressOf(typed: string): string {
  const i = typed.indexOf(';');
  return (i >= 0 ? typed.slice(i + 1) : typed).trim().toLowerCase();
}

const OUT_OF_OFFICE_SUBJECT = /^\s*(auto(matic)?[ -]?(reply|response)|out of (the )?office|on leave|on holiday|away from (the )?office|abwesenheit|absence|automatische antwort|r[ée]ponse automatique)\b|\b(out of (the )?office|autoreply|auto-reply)\b/i;

/** Bounces first: mail servers mark their bounces Auto-Submitted too. */
export function classify(mail: Pick<IncomingMail, 'headers' | 'contentType' | 'deliveryStatus' | 'subject' | 'from'>): MailKind {
  const h = mail.headers;
  const isReport = /^multipart\/report\b/i.test(mail.contentType) && /report-type\s*=\s*"?delivery-status"?/i.test(mail.contentType);
  if (isReport && mail.deliveryStatus) {
    const ds = parseDeliveryStatus(mail.deliveryStatus);
    const failed = ds.recipients.filter((r) => r.action === 'failed');
    if (failed.length > 0) {
      return { kind: 'bounce', recipients: failed.map((r) => r.recipient), reason: reasonOf(failed), envelopeId: ds.envelopeId };
    }
    const delayed = ds.recipients.filter((r) => r.action === 'delayed');
    if (delayed.length > 0) {
      return { kind: 'delayed', recipients: delayed.map((r) => r.recipient), reason: reasonOf(delayed), envelopeId: ds.envelopeId };
    }
    // Action: delivered / relayed / expanded: a receipt of delivery, nothing a person wrote.
    return { kind: 'auto-reply', reason: `delivery report (${ds.recipients.map((r) => r.action).join(', ') || 'no action'})` };
  }
  if (h['x-failed-recipients']) {
    const recipients = h['x-failed-recipients'].split(',').map((a) => a.trim().toLowerCase()).filter(Boolean);
    return { kind: 'bounce', recipients, reason: 'the mail server could not deliver it (X-Failed-Recipients)' };
  }
  const auto = h['auto-submitted']?.trim().toLowerCase();
  if (auto && auto !== 'no') return { kind: 'auto-reply', reason: `Auto-Submitted: ${auto}` };
  if (h['x-autoreply'] !== undefined) return { kind: 'auto-reply', reason: 'X-Autoreply' };
  if (h['x-autorespond'] !== undefined) return { kind: 'auto-reply', reason: 'X-Autorespond' };
  const precedence = h.precedence?.trim().toLowerCase();
  if (precedence && ['auto_reply', 'bulk', 'junk', 'list'].includes(precedence)) return { kind: 'auto-reply', reason: `Precedence: ${precedence}` };
  if (OUT_OF_OFFICE_SUBJECT.test(mail.subject)) return { kind: 'auto-reply', reason: 'an out-of-office subject' };
  if (mail.from && /^(mailer-daemon|postmaster)@/i.test(mail.from)) {
    return { kind: 'bounce', recipients: [], reason: `a message from ${mail.from} (no delivery report)` };
  }
  return { kind: 'reply' };
}

function reasonOf(rs: DeliveryStatus['recipients']): string {
  return rs.map((r) => `${r.recipient}: ${r.diagnostic ?? r.status ?? r.action}`).join('; ');
}

// ---- matching ----

export type MatchMethod = 'message-id' | 'reply-tag' | 'subject-tag' | 'sender';

/** A letter a message may belong to, best first; a Message-ID local part can split more than one way. */
export interface MatchCandidate {
  roundId: string;
  letterId: string;
  by: MatchMethod;
  /** 'low' for a sender match: staff see it as a guess. */
  confidence: 'high' | 'low';
}

const ID = '[A-Za-z0-9][A-Za-z0-9._-]{0,99}';
const SUBJECT_TAG_RE = new RegExp(`\\[(${ID})/(${ID})\\]`, 'g');

/** The tag every letter and chase subject carries: '[vru-2020/kent]'. */
export function subjectTag(roundId: string, letterId: string): string {
  return `[${roundId}/${letterId}]`;
}

export function withSubjectTag(subject: string, roundId: string, letterId: string): string {
  const tag = subjectTag(roundId, letterId);
  return subject.includes(tag) ? subject : `${subject} ${tag}`;
}

/**
 * The letters our Message-ID `<round.letter.step@domain>` (domain/email.ts) can name. messageIdFor
 * writes a dot in an id as '_', so an id with '_' may have had dots: both readings are offered
 * and the caller keeps the one whose letter exists.
 */
export function lettersFromMessageId(messageId: string): { roundId: string; letterId: string }[] {
  const m = /^<?([^@<>\s]+)@[^<>\s]+>?$/.exec(messageId.trim());
  const parts = m?.[1].split('.');
  if (!parts || parts.length !== 3 || !/^(letter|step-\d+|resend-\d+)$/.test(parts[2])) return [];
  const [round, letter] = parts;
  const readings = [
    { roundId: round, letterId: letter },
    { roundId: round.replace(/_/g, '.'), letterId: letter.replace(/_/g, '.') },
  ];
  const re = new RegExp(`^${ID}$`);
  return readings.filter((r, i) => re.test(r.roundId) && re.test(r.letterId) && (i === 0 || r.roundId !== round || r.letterId !== letter));
}

/** The letters a tagged address `coordinator+round.letter@domain` can name. */
export function lettersFromTaggedAddress(address: string): { roundId: string; letterId: string }[] {
  const m = /^[^+@\s]+\+([^@\s]+)@/.exec(address.trim());
  return m ? splits(m[1]) : [];
}

export function taggedAddress(email: string, roundId: string, letterId: string): string {
  const at = email.lastIndexOf('@');
  return `${email.slice(0, at)}+${roundId}.${letterId}${email.slice(at)}`;
}

function splits(s: string): { roundId: string; letterId: string }[] {
  const out: { roundId: string; letterId: string }[] = [];
  const re = new RegExp(`^${ID}$`);
  for (let i = s.indexOf('.'); i > 0; i = s.indexOf('.', i + 1)) {
    const roundId = s.slice(0, i);
    const letterId = s.slice(i + 1);
    if (re.test(roundId) && re.test(letterId)) out.push({ roundId, letterId });
  }
  return out;
}

/** Mail domains many unrelated people share: a sender there is matched by exact address only. */
const SHARED_MAIL_DOMAINS = new Set([
  'gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'hotmail.co.uk', 'live.com', 'live.co.uk', 'msn.com',
  'yahoo.com', 'yahoo.co.uk', 'icloud.com', 'me.com', 'aol.com', 'btinternet.com', 'protonmail.com', 'proton.me', 'gmx.com', 'mail.com',
]);

/** The longest list of keys a letter carries in its RecipientEmails search attribute (Temporal caps a value at 2 KB). */
export const RECIPIENT_KEYS_MAX_CHARS = 1500;

/**
 * What the sender match looks a letter up by (its RecipientEmails search attribute): each
 * address of the recipient, cc and escalation contacts, lower-cased, then '@domain' for each
 * of their domains (not shared ones like gmail.com). The recipient's own address first; cut
 * off at RECIPIENT_KEYS_MAX_CHARS.
 */
export function recipientKeys(r: { email: string; cc?: readonly string[]; escalateTo?: readonly string[] }): string[] {
  const addresses = [r.email, ...(r.cc ?? []), ...(r.escalateTo ?? [])].map((a) => a.trim().toLowerCase()).filter((a) => /^[^@\s]+@[^@\s]+$/.test(a));
  const domains = addresses.map((a) => a.slice(a.indexOf('@') + 1)).filter((d) => !SHARED_MAIL_DOMAINS.has(d)).map((d) => `@${d}`);
  const keys: string[] = [];
  let chars = 0;
  for (const k of [...new Set([...addresses, ...domains])]) {
    if (chars + k.length > RECIPIENT_KEYS_MAX_CHARS) break;
    keys.push(k);
    chars += k.length;
  }
  return keys;
}

/** The keys a sender is looked up by: its address, and '@domain' unless the domain is a shared one. */
export function senderKeys(from: string): { address: string; domain?: string } {
  const address = from.trim().toLowerCase();
  const domain = address.includes('@') ? address.slice(address.lastIndexOf('@') + 1) : '';
  return { address, ...(domain && !SHARED_MAIL_DOMAINS.has(domain) ? { domain: `@${domain}` } : {}) };
}

/** An open letter, as the sender match sees it. */
export interface OpenLetter {
  roundId: string;
  letterId: string;
  emails: string[];
}

/**
 * The letters a message may answer, in the order: In-Reply-To/References naming one of
 * our Message-IDs (for a bounce, those of the returned original), a tagged reply-to address, the
 * subject tag, then the sender's address or domain when exactly one open letter has it.
 */
export function matchCandidates(
  mail: Pick<IncomingMail, 'inReplyTo' | 'references' | 'to' | 'cc' | 'deliveredTo' | 'subject' | 'from' | 'returned'>,
  openLetters: OpenLetter[] = [],
  envelopeId?: string,
): MatchCandidate[] {
  const out: MatchCandidate[] = [];
  const add = (cs: { roundId: string; letterId: string }[], by: MatchMethod, confidence: 'high' | 'low' = 'high') => {
    for (const c of cs) {
      if (!out.some((o) => o.roundId === c.roundId && o.letterId === c.letterId)) out.push({ ...c, by, confidence });
    }
  };
  const ids = [
    ...(envelopeId ? [envelopeId] : []),
    ...(mail.returned ? [mail.returned.messageId, mail.returned.inReplyTo, ...mail.returned.references] : []),
    mail.inReplyTo,
    ...[...mail.references].reverse(),
  ].filter((x): x is string => typeof x === 'string' && x.length > 0);
  for (const id of ids) add(lettersFromMessageId(id), 'message-id');
  for (const a of [...mail.deliveredTo, ...mail.to, ...mail.cc]) add(lettersFromTaggedAddress(a), 'reply-tag');
  for (const subject of [mail.subject, mail.returned?.subject ?? '']) {
    for (const m of subject.matchAll(SUBJECT_TAG_RE)) add([{ roundId: m[1], letterId: m[2] }], 'subject-tag');
  }
  if (out.length === 0 && mail.from) add(bySender(mail.from, openLetters), 'sender', 'low');
  return out;
}

function bySender(from: string, open: OpenLetter[]): { roundId: string; letterId: string }[] {
  const { address, domain } = senderKeys(from);
  const exact = open.filter((l) => l.emails.some((e) => e.toLowerCase() === address));
  const only = (ls: OpenLetter[]) => (ls.length === 1 ? [{ roundId: ls[0].roundId, letterId: ls[0].letterId }] : []);
  if (exact.length > 0 || !domain) return only(exact);
  return only(open.filter((l) => l.emails.some((e) => `@${e.toLowerCase().split('@')[1]}` === domain)));
}

// ---- what a reply carries ----

const DOCUMENT_WORDS: [RegExp, DocumentKey][] = [
  [/problem[ _-]*profile|strategic[ _-]*needs[ _-]*assessment|\bsna\b/i, 'problemProfile'],
  [/response[ _-]*strategy/i, 'responseStrategy'],
  [/\bdeliver(y|ies)\b/i, 'deliveryUpdate'],
];

/** Document keys a reply seems to carry, from its attachment names and text (a suggestion for triage). */
export function suggestDocuments(mail: Pick<IncomingMail, 'attachments' | 'excerpt' | 'subject'>, requested: readonly DocumentKey[]): DocumentKey[] {
  const haystack = [...mail.attachments.map((a) => a.name), mail.subject, mail.excerpt].join('\n');
  return DOCUMENT_WORDS.filter(([re, key]) => requested.includes(key) && re.test(haystack)).map(([, key]) => key);
}
