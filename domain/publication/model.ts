// What a published round contains, built from the letters' statuses through an explicit
// allow-list (issue 14, "privacy by construction"): a field reaches the site only if it is
// named in PUBLIC_FIELDS and copied by `publicRound`. Nothing here reads or writes files
// (the I/O shell is client/publish.ts); the same input always gives the same output.
import { localDateOf, workingDaysBetween } from '../calendar';
import { DOCUMENT_LABELS, type DocumentKey } from '../documents';
import { LETTER_STATES, type LetterState } from '../states';
import type { LetterStatus, StoredFile } from '../types';

/** A person whose name never appears on the site: each is replaced by their role. */
export interface StaffMember {
  name: string;
  role: string;
}

export interface PublicationInput {
  rounds: {
    roundId: string;
    title?: string;
    letters: LetterStatus[];
    /** The letter as sent (a rendered HTML fragment, domain/letter-file/render.ts), by letter id, when known. */
    letterHtml?: Record<string, string>;
    /** Sender, coordinator and anyone else whose name is replaced by their role. */
    staff?: StaffMember[];
  }[];
  /** The day overdue documents are counted to ('YYYY-MM-DD'). */
  asOf: string;
}

/**
 * Every field of a letter's status that may be published, by where it is used. Anything not
 * listed (the addressee's name and email, cc, escalation contacts, notes, who recorded what,
 * email subjects and recipients, unpublished documents, originals of redacted copies,
 * decline reasons not marked publishable) is never read by the generator.
 */
export const PUBLIC_FIELDS = {
  letter: ['letterId', 'recipient.role', 'recipient.organisation', 'subject', 'letterDate', 'sentOn', 'state'],
  document: ['requested', 'receivedOn', 'declinedOn'],
  /** Only when the decline reason was marked publishable (setPublication declineReasonOf). */
  declineReason: ['declineReason'],
  /** Only attachments marked publish; the redacted copy instead of the file when there is one. */
  attachment: ['id', 'document', 'title', 'receivedOn', 'file.name', 'file.mediaType', 'file.size', 'file.sha256'],
  /**
   * A filed reply: only its date and the attachments marked publishable (setPublication reply),
   * each as its redacted copy when there is one. Never its text, subject, sender or raw message.
   */
  reply: ['date', 'filedAt', 'attachments[published].name', 'attachments[published].contentType', 'attachments[published].size', 'attachments[published].sha256'],
  /** Dates only: when chases were sent (no addresses, no subjects). */
  timeline: ['chase.at'],
} as const;

export type DocumentOutcome =
  | { status: 'received'; on: string }
  | { status: 'declined'; on: string; reason?: string }
  | { status: 'outstanding' }
  | { status: 'overdue'; workingDays: number };

export interface PublicDocument {
  key: DocumentKey;
  label: string;
  outcome: DocumentOutcome;
}

export interface PublicFile {
  /** Which attachment of the letter ('d1'...). */
  id: string;
  document?: DocumentKey;
  title: string;
  receivedOn: string;
  /** True when what is published is a redacted copy. */
  redacted: boolean;
  /** True for an attachment of a filed reply (id 'r<reply>-<attachment>'). */
  fromReply?: boolean;
  file: StoredFile;
  /** Path in the site, from its root. */
  path: string;
}

export interface PublicLetter {
  letterId: string;
  slug: string;
  organisation: string;
  role: string;
  subject: string;
  letterDate: string;
  sentOn: string;
  state: LetterState;
  stateDescription: string;
  /** The date the first chase fell due: an answer by then is in time. */
  dueOn?: string;
  chasedOn: string[];
  /** When the last requested document was received or declined (absent while any is outstanding). */
  answeredOn?: string;
  answeredInTime?: boolean;
  workingDaysToAnswer?: number;
  documents: PublicDocument[];
  files: PublicFile[];
  /** The letter as sent, with email addresses and staff names replaced. */
  letterHtml?: string;
}

export interface Figures {
  letters: number;
  answered: number;
  answeredInTime: number;
  medianWorkingDaysToAnswer: number | null;
  chases: number;
}

export interface PublicRoundData {
  roundId: string;
  slug: string;
  title: string;
  letters: PublicLetter[];
  figures: Figures;
  byOrganisation: ({ organisation: string } & Figures)[];
}

export const EMAIL_RE = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;

/** A file or folder name from an id: letters, digits, '.', '_' and '-' only, never '.' or '..'. */
export function slug(id: string): string {
  const s = id.replace(/[^A-Za-z0-9._-]/g, '_');
  return /^\.*$/.test(s) ? `_${s}` : s;
}

/** Free text about to be published: email addresses removed, staff names replaced by their roles. */
export function scrubText(text: string, staff: StaffMember[]): string {
  let t = text.replace(EMAIL_RE, '[email address removed]');
  for (const p of [...staff].sort((a, b) => b.name.length - a.name.length)) {
    if (p.name.trim().length < 3) continue;
    t = t.split(p.name).join(`[${p.role}]`);
  }
  return t;
}

/** The letter's HTML with mailto links unwrapped, then scrubbed like any text. */
export function scrubLetterHtml(html: string, staff: StaffMember[]): string {
  const unlinked = html.replace(/<a\b[^>]*href="mailto:[^"]*"[^>]*>([\s\S]*?)<\/a>/gi, '$1');
  return scrubText(unlinked, staff);
}

const TIMEZONE = 'Europe/London';

export function publicRounds(input: PublicationInput): PublicRoundData[] {
  return [...input.rounds]
    .sort((a, b) => a.roundId.localeCompare(b.roundId))
    .map((r) => {
      const staff = r.staff ?? [];
      const letters = [...r.letters].sort((a, b) => a.letterId.localeCompare(b.letterId)).map((s) => publicLetter(s, r.roundId, staff, input.asOf, r.letterHtml?.[s.letterId]));
      const orgs = [...new Set(letters.map((l) => l.organisation))].sort((a, b) => a.localeCompare(b));
      return {
        roundId: r.roundId,
        slug: slug(r.roundId),
        title: scrubText(r.title ?? r.roundId, staff),
        letters,
        figures: figures(letters),
        byOrganisation: orgs.map((organisation) => ({ organisation, ...figures(letters.filter((l) => l.organisation === organisation)) })),
      };
    });
}

/** One letter, copied field by field from the allow-list above. */
function publicLetter(s: LetterStatus, roundId: string, staff: StaffMember[], asOf: string, letterHtml: string | undefined): PublicLetter {
  const first = s.steps[0];
  const dueOn = first ? localDateOf(first.dueAt, TIMEZONE) : undefined;
  const requested = (Object.keys(DOCUMENT_LABELS) as DocumentKey[]).filter((k) => s.documents[k]?.requested);
  const published = new Set(s.publishedDeclineReasons ?? []);
  const documents: PublicDocument[] = requested.map((key) => {
    const d = s.documents[key]!;
    let outcome: DocumentOutcome;
    if (d.receivedOn) outcome = { status: 'received', on: d.receivedOn };
    else if (d.declinedOn) outcome = { status: 'declined', on: d.declinedOn, ...(published.has(key) && d.declineReason ? { reason: scrubText(d.declineReason, staff) } : {}) };
    else if (dueOn && asOf > dueOn) outcome = { status: 'overdue', workingDays: workingDaysBetween(dueOn, asOf) };
    else outcome = { status: 'outstanding' };
    return { key, label: DOCUMENT_LABELS[key], outcome };
  });
  const answers = documents.flatMap((d) => (d.outcome.status === 'received' || d.outcome.status === 'declined' ? [d.outcome.on] : []));
  const answeredOn = answers.length === documents.length && documents.length > 0 ? answers.sort().at(-1) : undefined;
  const letterSlug = slug(s.letterId);
  const files: PublicFile[] = (s.attachments ?? [])
    .filter((a) => a.publish)
    .map((a) => {
      const file = a.redacted ?? a.file;
      return {
        id: a.id,
        ...(a.document ? { document: a.document } : {}),
        title: scrubText(a.title, staff),
        receivedOn: a.receivedOn,
        redacted: a.redacted !== undefined,
        file: { sha256: file.sha256, size: file.size, name: slug(file.name), mediaType: file.mediaType },
        path: `rounds/${slug(roundId)}/documents/${letterSlug}-${slug(a.id)}-${slug(file.name)}`,
      };
    });
  // Attachments of filed replies marked publishable: the reply's date and the file, nothing else of the reply.
  (s.replies ?? []).forEach((r, n) => {
    const at = Date.parse(r.date ?? '');
    const on = localDateOf(Number.isNaN(at) ? r.filedAt : at, TIMEZONE);
    for (const p of r.published ?? []) {
      const a = r.attachments[p.attachment - 1];
      if (!a) continue;
      const file = p.redacted ?? { sha256: a.sha256, size: a.size, name: a.name, mediaType: a.contentType };
      const id = `r${n + 1}-${p.attachment}`;
      files.push({
        id,
        title: `Reply received on ${on}, attachment ${p.attachment}`,
        receivedOn: on,
        redacted: p.redacted !== undefined,
        fromReply: true,
        file: { sha256: file.sha256, size: file.size, name: slug(file.name), mediaType: file.mediaType },
        path: `rounds/${slug(roundId)}/documents/${letterSlug}-${slug(id)}-${slug(file.name)}`,
      });
    }
  });
  return {
    letterId: s.letterId,
    slug: letterSlug,
    organisation: scrubText(s.recipient.organisation ?? s.recipient.role ?? s.letterId, staff),
    role: scrubText(s.recipient.role ?? '', staff),
    subject: scrubText(s.subject, staff),
    letterDate: s.letterDate,
    sentOn: s.sentOn,
    state: s.state,
    stateDescription: LETTER_STATES[s.state],
    ...(dueOn ? { dueOn } : {}),
    chasedOn: s.timeline.filter((e) => e.kind === 'chase').map((e) => localDateOf(e.at, TIMEZONE)),
    ...(answeredOn
      ? { answeredOn, answeredInTime: dueOn ? answeredOn <= dueOn : true, workingDaysToAnswer: workingDaysBetween(s.sentOn, answeredOn) }
      : {}),
    documents,
    files,
    ...(letterHtml !== undefined ? { letterHtml: scrubLetterHtml(letterHtml, staff) } : {}),
  };
}

function figures(letters: PublicLetter[]): Figures {
  const days = letters.flatMap((l) => (l.workingDaysToAnswer === undefined ? [] : [l.workingDaysToAnswer])).sort((a, b) => a - b);
  const mid = Math.floor(days.length / 2);
  return {
    letters: letters.length,
    answered: letters.filter((l) => l.answeredOn).length,
    answeredInTime: letters.filter((l) => l.answeredInTime).length,
    medianWorkingDaysToAnswer: days.length === 0 ? null : days.length % 2 ? days[mid] : (days[mid - 1] + days[mid]) / 2,
    chases: letters.reduce((n, l) => n + l.chasedOn.length, 0),
  };
}
