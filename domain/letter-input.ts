// What a letter workflow is started with, made safe to hold: every text cleaned and capped
// (domain/text.ts), every field of the expected type. `rounds start` and the dashboard clean
// what they send (cleanLetterInput); the workflow reads whatever it was given (readLetterInput)
// and, instead of failing its task, lists what it could not use so the letter can say so
// (state needs-attention).
import { IANAZone } from 'luxon';
import { isIsoDate } from './calendar';
import { isDocumentKey, type DocumentKey } from './documents';
import { DEFAULT_POLICY, MAX_CLOSURES, MAX_STEPS, STEP_ACTIONS, type Policy, type PolicyStep } from './policy';
import { cleanText, echo } from './text';
import type { LetterInput, Person, Recipient } from './types';

/** Length caps for the texts of a letter's input. */
export const INPUT_LIMITS = {
  id: 100,
  name: 200,
  line: 500,
  email: 320,
  addresses: 50,
  addressLines: 20,
  /** The letter itself, for --send: fifty times a seed letter. */
  body: 512 * 1024,
  /** The covering note of an attached letter (round.yaml's template, at most 4,000 characters, filled in). */
  coverNote: 32 * 1024,
} as const;

const line = (s: string, max: number = INPUT_LIMITS.line) => cleanText(s, max);
const optLine = (s: string | undefined, max: number = INPUT_LIMITS.line) => (s === undefined ? undefined : line(s, max));

function cleanPerson(p: Person): Person {
  return { ...p, name: line(p.name, INPUT_LIMITS.name), email: line(p.email, INPUT_LIMITS.email), role: optLine(p.role) };
}

function cleanRecipient(r: Recipient): Recipient {
  const emails = (xs: string[]) => xs.slice(0, INPUT_LIMITS.addresses).map((e) => line(e, INPUT_LIMITS.email));
  return {
    ...r,
    name: line(r.name, INPUT_LIMITS.name),
    role: optLine(r.role),
    organisation: optLine(r.organisation),
    salutation: optLine(r.salutation),
    address: r.address?.slice(0, INPUT_LIMITS.addressLines).map((a) => line(a)),
    email: line(r.email, INPUT_LIMITS.email),
    cc: emails(r.cc),
    escalateTo: emails(r.escalateTo),
  };
}

/** The same input with every text cleaned of control and bidi characters and capped. Leaves out undefined fields it added nothing to. */
export function cleanLetterInput(input: LetterInput): LetterInput {
  const out: LetterInput = {
    ...input,
    roundId: line(input.roundId, INPUT_LIMITS.id),
    letterId: line(input.letterId, INPUT_LIMITS.id),
    recipient: dropUndefined(cleanRecipient(input.recipient)),
    sender: dropUndefined(cleanPerson(input.sender)),
    coordinator: dropUndefined(cleanPerson(input.coordinator)),
    subject: line(input.subject),
  };
  return dropUndefined(out);
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

// ---- reading whatever the workflow was started with ----

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a workflow's start argument. Never throws: a field that is missing or of the wrong
 * type gets a harmless stand-in and a problem in the list ("documents: expected ...").
 */
export function readLetterInput(raw: unknown): { input: LetterInput; problems: string[] } {
  const problems: string[] = [];
  const r: Obj = isObj(raw) ? raw : {};
  if (!isObj(raw)) problems.push(`expected the letter's fields (roundId, letterId, recipient, ...), got ${echo(raw)}`);
  const str = (o: Obj, field: string, where: string, fallback = ''): string => {
    const v = o[field];
    if (typeof v === 'string') return v;
    problems.push(`${where}${field}: expected text, got ${echo(v)}`);
    return fallback;
  };
  const optStr = (o: Obj, field: string, where: string): string | undefined => (o[field] === undefined ? undefined : str(o, field, where));
  const strings = (o: Obj, field: string, where: string): string[] => {
    const v = o[field];
    if (v === undefined) return [];
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    problems.push(`${where}${field}: expected a list of texts, got ${echo(v)}`);
    return [];
  };
  const person = (field: string): Person => {
    const v = r[field];
    if (!isObj(v)) {
      problems.push(`${field}: expected { name, email }, got ${echo(v)}`);
      return { name: '', email: '' };
    }
    return dropUndefined({ name: str(v, 'name', `${field}.`), email: str(v, 'email', `${field}.`), role: optStr(v, 'role', `${field}.`) });
  };
  const rv = isObj(r.recipient) ? r.recipient : {};
  if (!isObj(r.recipient)) problems.push(`recipient: expected { name, email, ... }, got ${echo(r.recipient)}`);
  const recipient: Recipient = dropUndefined({
    name: str(rv, 'name', 'recipient.'),
    role: optStr(rv, 'role', 'recipient.'),
    organisation: optStr(rv, 'organisation', 'recipient.'),
    address: rv.address === undefined ? undefined : strings(rv, 'address', 'recipient.'),
    email: str(rv, 'email', 'recipient.'),
    cc: strings(rv, 'cc', 'recipient.'),
    escalateTo: strings(rv, 'escalateTo', 'recipient.'),
    salutation: optStr(rv, 'salutation', 'recipient.'),
  });
  const date = (field: string, fallback: string): string => {
    const v = r[field];
    if (isIsoDate(v)) return v;
    problems.push(`${field}: expected a date like 2020-10-13, got ${echo(v)}`);
    return fallback;
  };
  const letterDate = date('letterDate', '1970-01-01');
  const sentOn = r.sentOn === undefined ? letterDate : date('sentOn', letterDate);
  let sentAt: string | undefined;
  if (r.sentAt !== undefined) {
    if (typeof r.sentAt === 'string' && Number.isFinite(Date.parse(r.sentAt))) sentAt = new Date(Date.parse(r.sentAt)).toISOString();
    else problems.push(`sentAt: expected an instant like 2020-10-13T09:30:00Z, got ${echo(r.sentAt)}`);
  }
  let documents: DocumentKey[] = [];
  if (Array.isArray(r.documents) && r.documents.length > 0 && r.documents.every(isDocumentKey)) documents = [...new Set(r.documents as DocumentKey[])];
  else problems.push(`documents: expected a non-empty list of document keys, got ${echo(r.documents)}`);
  const policy = readPolicy(r.policy, problems);
  let delivery: LetterInput['delivery'] = 'record-sent';
  if (r.delivery === 'send' || r.delivery === 'record-sent') delivery = r.delivery;
  else problems.push(`delivery: expected 'send' or 'record-sent', got ${echo(r.delivery)}`);
  let body: LetterInput['body'];
  if (r.body !== undefined) {
    const b = r.body;
    if (isObj(b) && typeof b.text === 'string' && typeof b.html === 'string' && b.text.length + b.html.length <= INPUT_LIMITS.body) body = { text: b.text, html: b.html };
    else problems.push(`body: expected { text, html } of at most ${INPUT_LIMITS.body} characters`);
  }
  if (delivery === 'send' && !body) problems.push('body: delivery is send, but there is no letter to send');
  let attachLetter: LetterInput['attachLetter'];
  if (r.attachLetter !== undefined) {
    const a = r.attachLetter;
    const pdfOk = (p: unknown) => p === undefined || (isObj(p) && typeof p.sha256 === 'string' && /^[0-9a-f]{64}$/.test(p.sha256) && Number.isInteger(p.size));
    if (isObj(a) && typeof a.fileName === 'string' && /^[^\\/\r\n\0]{1,200}\.pdf$/i.test(a.fileName) && pdfOk(a.pdf)) {
      const pdf = a.pdf as { sha256: string; size: number } | undefined;
      attachLetter = { fileName: a.fileName, ...(pdf ? { pdf: { sha256: pdf.sha256, size: pdf.size } } : {}) };
    } else problems.push(`attachLetter: expected { fileName: '<name>.pdf', pdf?: { sha256, size } }, got ${echo(a)}`);
  }
  let coverNote: LetterInput['coverNote'];
  if (r.coverNote !== undefined) {
    const c = r.coverNote;
    if (isObj(c) && typeof c.text === 'string' && typeof c.html === 'string' && c.text.length + c.html.length <= INPUT_LIMITS.coverNote) coverNote = { text: c.text, html: c.html };
    else problems.push(`coverNote: expected { text, html } of at most ${INPUT_LIMITS.coverNote} characters`);
  }
  let replyTag: LetterInput['replyTag'];
  if (r.replyTag === 'plus') replyTag = 'plus';
  else if (r.replyTag !== undefined) problems.push(`replyTag: expected plus or nothing, got ${echo(r.replyTag)}`);
  const input: LetterInput = {
    roundId: str(r, 'roundId', '', '?'),
    letterId: str(r, 'letterId', '', '?'),
    recipient,
    sender: person('sender'),
    coordinator: person('coordinator'),
    subject: str(r, 'subject', ''),
    letterDate,
    sentOn,
    sentAt,
    documents,
    policy,
    delivery,
    body,
    attachLetter,
    coverNote,
    replyTag,
  };
  // A line break in a field that becomes an email header is refused (never cleaned away): it
  // could inject headers, and the letter should say so rather than send something else.
  const oneLine: [string, string | undefined][] = [
    ['subject', input.subject],
    ...(['name', 'role', 'organisation', 'salutation', 'email'] as const).map((k): [string, string | undefined] => [`recipient.${k}`, recipient[k]]),
    ...recipient.cc.map((e, i): [string, string] => [`recipient.cc[${i}]`, e]),
    ...recipient.escalateTo.map((e, i): [string, string] => [`recipient.escalateTo[${i}]`, e]),
    ...(['sender', 'coordinator'] as const).flatMap((p) => (['name', 'email', 'role'] as const).map((k): [string, string | undefined] => [`${p}.${k}`, input[p][k]])),
  ];
  for (const [field, value] of oneLine) {
    if (value !== undefined && /[\r\n]/.test(value)) problems.push(`${field}: must be one line (it becomes an email header), got ${echo(value)}`);
  }
  return { input: cleanLetterInput(dropUndefined(input)), problems };
}

const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;
/** A bank holiday table of a few decades (about 8 a year). */
const MAX_HOLIDAYS = 1000;

function readPolicy(raw: unknown, problems: string[]): Policy {
  const none: Policy = { ...DEFAULT_POLICY, steps: [] };
  if (!isObj(raw)) {
    problems.push(`policy: expected { steps, sendAt, timezone, closures }, got ${echo(raw)}`);
    return none;
  }
  const bad = (message: string): Policy => {
    problems.push(`policy.${message}`);
    return none;
  };
  if (typeof raw.sendAt !== 'string' || !TIME_RE.test(raw.sendAt)) return bad(`sendAt: expected a time like 09:30, got ${echo(raw.sendAt)}`);
  if (typeof raw.timezone !== 'string' || !IANAZone.isValidZone(raw.timezone)) return bad(`timezone: expected a time zone like Europe/London, got ${echo(raw.timezone)}`);
  if (!Array.isArray(raw.closures) || raw.closures.length > MAX_CLOSURES || !raw.closures.every(isIsoDate)) {
    return bad(`closures: expected at most ${MAX_CLOSURES} dates like 2020-12-29, got ${echo(raw.closures)}`);
  }
  if (!Array.isArray(raw.steps) || raw.steps.length === 0 || raw.steps.length > MAX_STEPS) {
    return bad(`steps: expected 1 to ${MAX_STEPS} steps, got ${echo(raw.steps)}`);
  }
  const steps: PolicyStep[] = [];
  for (const [i, s] of raw.steps.entries()) {
    const a = isObj(s) && isObj(s.after) ? s.after : undefined;
    const action = isObj(s) ? s.action : undefined;
    const wd = a?.unit === 'workingDays' && Number.isInteger(a.days) && (a.days as number) >= 0;
    const dur = a?.unit === 'duration' && Number.isFinite(a.ms) && (a.ms as number) > 0;
    if (!(wd || dur) || !(STEP_ACTIONS as readonly unknown[]).includes(action)) {
      return bad(`steps[${i}]: expected { after: { unit: 'workingDays', days } or { unit: 'duration', ms }, action: chase, escalate or close }, got ${echo(s)}`);
    }
    steps.push({ after: wd ? { unit: 'workingDays', days: a!.days as number } : { unit: 'duration', ms: a!.ms as number }, action: action as PolicyStep['action'] });
  }
  if (raw.afterReply !== undefined && raw.afterReply !== 'hold' && raw.afterReply !== 'continue') return bad(`afterReply: expected hold or continue, got ${echo(raw.afterReply)}`);
  const policy: Policy = { steps, sendAt: raw.sendAt, timezone: raw.timezone, closures: raw.closures as string[] };
  if (raw.afterReply !== undefined) policy.afterReply = raw.afterReply as 'hold' | 'continue';
  if (raw.publicationWindow !== undefined) {
    const w = raw.publicationWindow;
    const wd = isObj(w) && w.unit === 'workingDays' && Number.isInteger(w.days) && (w.days as number) >= 0 && (w.days as number) <= 1000;
    const dur = isObj(w) && w.unit === 'duration' && Number.isFinite(w.ms) && (w.ms as number) > 0;
    if (!(wd || dur)) return bad(`publicationWindow: expected { unit: 'workingDays', days } or { unit: 'duration', ms }, got ${echo(w)}`);
    policy.publicationWindow = wd ? { unit: 'workingDays', days: w.days as number } : { unit: 'duration', ms: w.ms as number };
  }
  if (raw.holidays !== undefined) {
    const ok = Array.isArray(raw.holidays) && raw.holidays.length <= MAX_HOLIDAYS &&
      raw.holidays.every((h) => Array.isArray(h) && h.length === 2 && isIsoDate(h[0]) && typeof h[1] === 'string' && h[1].length <= 100);
    if (!ok) return bad(`holidays: expected at most ${MAX_HOLIDAYS} [date, name] pairs like ['2020-12-28', 'Boxing Day (substitute day)'], got ${echo(raw.holidays)}`);
    policy.holidays = (raw.holidays as [string, string][]).map(([d, n]) => [d, n]);
  }
  return policy;
}
