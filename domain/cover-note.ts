// The covering note: the short email that carries a letter sent as a PDF attachment
// (`rounds start --send`). round.yaml may give its text as `coverNote`, a template with
// placeholders in braces; without one, DEFAULT_COVER_NOTE. Pure: the client renders it per
// letter when a round starts, and `rounds check` refuses a template it could not fill.
import { escapeHtml, formatLongDate } from './email';

/** What a template may name, and what each stands for. */
export const COVER_NOTE_PLACEHOLDERS = {
  salutation: "the recipient's salutation, as the letter (or recipients.csv) gives it, else 'Dear <name>,'",
  name: "the recipient's name",
  role: "the recipient's role",
  organisation: "the recipient's organisation",
  subject: "the round's subject",
  letterDate: "the letter's date, written out (Tuesday 13 October 2020)",
  attachment: "the attached file's name (london.pdf)",
  coordinator: "the coordinator's name",
  coordinatorRole: "the coordinator's role",
  coordinatorEmail: "the coordinator's email address",
  sender: "the sender's name",
} as const;

export type CoverNotePlaceholder = keyof typeof COVER_NOTE_PLACEHOLDERS;
export type CoverNoteFields = Record<CoverNotePlaceholder, string>;

/** Longer than any covering note needs; it travels in every letter's workflow input. */
export const MAX_COVER_NOTE_CHARS = 4000;

export const DEFAULT_COVER_NOTE = [
  '{salutation}',
  '',
  'Please find attached our letter of {letterDate}: "{subject}" ({attachment}).',
  '',
  '{coordinator}, {coordinatorRole}, co-ordinates the responses; a reply to this email reaches them ({coordinatorEmail}).',
  '',
  'Yours sincerely,',
  '',
  '{sender}',
].join('\n');

const PLACEHOLDER = /\{([^{}\s]*)\}/g;

/** The problems with a template, each a sentence; none when it can be filled for every letter. */
export function coverNoteProblems(template: string): string[] {
  const problems: string[] = [];
  if (template.length > MAX_COVER_NOTE_CHARS) problems.push(`${template.length} characters: a covering note has at most ${MAX_COVER_NOTE_CHARS}`);
  const known = Object.keys(COVER_NOTE_PLACEHOLDERS);
  const unknown = [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((n) => !known.includes(n)))];
  if (unknown.length > 0) {
    problems.push(`unknown placeholder${unknown.length === 1 ? '' : 's'} ${unknown.map((n) => `{${n}}`).join(', ')} (the placeholders are ${known.map((n) => `{${n}}`).join(', ')})`);
  }
  // A brace that opens no placeholder is most likely a typo ("{salutation" or "salutation}").
  const stray = template.replace(PLACEHOLDER, '');
  if (/[{}]/.test(stray)) problems.push("a '{' or '}' that is not part of a placeholder like {salutation}");
  return problems;
}

/** The note filled in for one letter, as plain text and as HTML (paragraphs at blank lines). */
export function renderCoverNote(template: string | undefined, fields: CoverNoteFields): { text: string; html: string } {
  const source = (template ?? DEFAULT_COVER_NOTE).replace(/\r\n?/g, '\n');
  const fill = (value: (name: CoverNotePlaceholder) => string) =>
    source.replace(PLACEHOLDER, (whole, name: string) => (name in fields ? value(name as CoverNotePlaceholder) : whole));
  const text = fill((n) => fields[n])
    // A placeholder with nothing to say ('{coordinatorRole}' for a coordinator with no role) leaves no stray ', ,'.
    .replace(/, ,/g, ',')
    .replace(/ ,/g, ',')
    .replace(/[ \t]+\n/g, '\n')
    .trim();
  const html = text
    .split(/\n{2,}/)
    .map((p) => `<p>${p.split('\n').map(escapeHtml).join('<br>\n')}</p>`)
    .join('\n');
  return { text: `${text}\n`, html };
}

export interface CoverNoteSubject {
  recipient: { name: string; role?: string; organisation?: string; salutation?: string };
  subject: string;
  letterDate: string;
  coordinator: { name: string; role?: string; email: string };
  sender: { name: string };
}

export function coverNoteFields(l: CoverNoteSubject, attachment: string): CoverNoteFields {
  return {
    salutation: l.recipient.salutation ?? `Dear ${l.recipient.name},`,
    name: l.recipient.name,
    role: l.recipient.role ?? '',
    organisation: l.recipient.organisation ?? '',
    subject: l.subject,
    letterDate: formatLongDate(l.letterDate),
    attachment,
    coordinator: l.coordinator.name,
    coordinatorRole: l.coordinator.role ?? '',
    coordinatorEmail: l.coordinator.email,
    sender: l.sender.name,
  };
}
