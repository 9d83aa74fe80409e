// A round folder's contents, parsed and checked: round.yaml, recipients.csv and the letters'
// inferences merged into one plan per letter. Pure (text in, plan out); client/round-folder.ts
// reads the files. Every problem names the file, the line or field, and what was expected.
import { parse as parseCsv } from 'csv-parse/sync';
import { parseDocument, visit } from 'yaml';
import { z } from 'zod';
import { DOCUMENT_KEYS, isDocumentKey, type DocumentKey } from './documents';
import { isIsoDate, parseIsoDate } from './calendar';
import { DEFAULT_POLICY, parsePolicy, parseSteps, type Policy } from './policy';
import { coverNoteProblems } from './cover-note';
import { didYouMean } from './suggest';
import type { Person, Recipient } from './types';
import { CalendarError, PolicyError } from './errors';

export interface RoundIssue {
  level: 'error' | 'warning';
  file: string;
  line?: number;
  /** Where in a Word or PDF letter ('page 2, paragraph 3'), which has no lines to show; printed instead of the line. */
  position?: string;
  field?: string;
  message: string;
  letterId?: string;
}

/**
 * How big a round folder's files may be, and how many letters a round may have: far more
 * than any real round needs, small enough that a wrong file (a 10 MB letter, a spreadsheet
 * export of everything) is refused by `check` instead of failing at `start`. A letter sent
 * with --send travels in its workflow's input as text and HTML, and Temporal refuses an input
 * over 2 MB: 256 KB (fifty times the seed letters) keeps every letter well within that.
 */
export const ROUND_LIMITS = {
  roundYamlBytes: 256 * 1024,
  recipientsCsvBytes: 20 * 1024 * 1024,
  letterFileBytes: 256 * 1024,
  lettersPerRound: 20_000,
} as const;

export function formatIssue(i: RoundIssue): string {
  const where = [i.file, i.position ?? (i.line !== undefined ? `line ${i.line}` : undefined), i.field].filter(Boolean).join(', ');
  return `${where}: ${i.message}`;
}

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const EMAIL_RE = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;
/** A real date (see parseIsoDate); its message says why not, e.g. "'2020-02-30' is not a date (February 2020 has 29 days)". */
const isoDate = z.string().superRefine((value, ctx) => {
  try {
    parseIsoDate(value);
  } catch (err) {
    if (!(err instanceof CalendarError)) throw err;
    ctx.addIssue({ code: 'custom', message: err.message, params: { quotesValue: true } });
  }
});
const noLineBreak = (s: string) => !/[\r\n]/.test(s);

const personSchema = z
  .object({
    name: z.string().min(1).refine(noLineBreak, 'must be one line'),
    email: z.string().regex(EMAIL_RE, 'expected an email address like april.mccoig@example.org'),
    role: z.string().refine(noLineBreak, 'must be one line').optional(),
  })
  .strict();

/** The coordinator: a person, and how replies find their letter (replyTag: plus puts coordinator+<round>.<letter>@... as Reply-To). */
const coordinatorSchema = personSchema
  .extend({ replyTag: z.enum(['plus'], { message: "expected plus (Reply-To: the coordinator's address with +<round>.<letter>), or leave it out" }).optional() })
  .strict();

const roundSchema = z
  .object({
    id: z.string().regex(ID_RE, 'expected letters, digits, dot, dash or underscore, like vru-2020'),
    title: z.string().min(1),
    subject: z.string().min(1).refine(noLineBreak, 'must be one line (it becomes an email subject)'),
    letterDate: isoDate.optional(),
    sentOn: isoDate.optional(),
    sender: personSchema,
    coordinator: coordinatorSchema,
    documents: z.array(z.enum(DOCUMENT_KEYS)).min(1).optional(),
    policy: z.unknown().optional(),
    /** The covering note of a letter sent as a PDF attachment (domain/cover-note.ts). */
    coverNote: z
      .string()
      .min(1)
      .superRefine((value, ctx) => {
        for (const problem of coverNoteProblems(value)) ctx.addIssue({ code: 'custom', message: problem, params: { quotesValue: true } });
      })
      .optional(),
  })
  .strict();

export interface RoundConfig {
  id: string;
  title: string;
  subject: string;
  letterDate?: string;
  sentOn?: string;
  sender: Person;
  coordinator: Person & { replyTag?: 'plus' };
  documents?: DocumentKey[];
  policy: Policy;
  /** The covering note's template (domain/cover-note.ts); the default when absent. */
  coverNote?: string;
}

/** Parses round.yaml. Returns the config, or issues naming the field and (where known) the line. */
export function parseRoundYaml(text: string, file = 'round.yaml'): { config?: RoundConfig; issues: RoundIssue[] } {
  const lineOf = (offset: number | undefined) => (offset === undefined ? undefined : text.slice(0, offset).split('\n').length);
  let doc: ReturnType<typeof parseDocument>;
  let raw: unknown;
  try {
    doc = parseDocument(stripBom(text), { prettyErrors: true });
    if (doc.errors.length > 0) {
      // The first error only: the rest usually follow from it (one unclosed bracket gave hundreds).
      const e = doc.errors[0];
      const pos = e.linePos?.[0];
      const message = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      return { issues: [{ level: 'error', file, line: pos?.line, message: `not valid YAML${pos ? ` (column ${pos.col})` : ''}: ${message}` }] };
    }
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // toJS refuses aliases that expand too far (a "billion laughs"); deep nesting can overflow the stack.
    if (err instanceof ReferenceError && /alias/i.test(err.message)) {
      let line: number | undefined;
      visit(doc!, {
        Alias(_, node) {
          line = lineOf(node.range?.[0]);
          return visit.BREAK;
        },
      });
      return { issues: [{ level: 'error', file, line, message: 'too many aliases: its *references expand into a huge document (a "billion laughs"); a round file needs no aliases' }] };
    }
    return { issues: [{ level: 'error', file, message: `not valid YAML: ${(err as Error).message}` }] };
  }
  const fieldLine = (path: (string | number)[]) => {
    const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    return lineOf(node?.range?.[0]);
  };
  const parsed = roundSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      issues: parsed.error.issues.map((i) => {
        const path = i.path.filter((p): p is string | number => typeof p !== 'symbol');
        const field = path.join('.') || '(top level)';
        const got = path.length > 0 ? (doc.getIn(path) as unknown) : raw;
        let message = i.message;
        if (i.code === 'unrecognized_keys') {
          const line = fieldLine([...path, i.keys[0]]);
          const known = Object.keys(path.length === 0 ? roundSchema.shape : path[0] === 'coordinator' ? coordinatorSchema.shape : personSchema.shape);
          const guess = didYouMean(i.keys[0], known);
          return { level: 'error' as const, file, line, field: [...path, i.keys[0]].join('.'), message: `unknown field${guess ? ` (did you mean ${guess}?)` : ''} (expected ${known.join(', ')})` };
        }
        else if (i.code === 'custom' && i.params?.quotesValue) message = i.message;
        else if (got === undefined) message = `missing (${i.message})`;
        else message = `${i.message}; got ${JSON.stringify(got)}`;
        return { level: 'error' as const, file, line: fieldLine(path), field, message };
      }),
    };
  }
  try {
    const policy = parsePolicy(parsed.data.policy, DEFAULT_POLICY);
    return { config: { ...parsed.data, policy } as RoundConfig, issues: [] };
  } catch (err) {
    if (!(err instanceof PolicyError)) throw err;
    const path = err.field.replace(/\[(\d+)\]/g, '.$1').split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    return { issues: [{ level: 'error', file, line: fieldLine(path), field: err.field, message: err.message.slice(err.field.length + 2) }] };
  }
}

export const RECIPIENT_COLUMNS = ['letter', 'email', 'cc', 'escalateTo', 'name', 'role', 'organisation', 'salutation', 'documents', 'letterDate', 'steps'] as const;
type Column = (typeof RECIPIENT_COLUMNS)[number];

export interface RecipientRow {
  line: number;
  letter: string;
  values: Partial<Record<Column, string>>;
}

/** Parses recipients.csv: UTF-8 with or without BOM, LF or CRLF, a header row, one row per letter. */
export function parseRecipientsCsv(text: string, file = 'recipients.csv'): { rows: RecipientRow[]; issues: RoundIssue[] } {
  const issues: RoundIssue[] = [];
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(stripBom(text), { info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as never;
  } catch (err) {
    const e = err as Error & { lines?: number };
    return { rows: [], issues: [{ level: 'error', file, line: e.lines, message: `not valid CSV: ${e.message}` }] };
  }
  if (records.length === 0) return { rows: [], issues: [{ level: 'error', file, line: 1, message: 'empty: expected a header row like letter,email,cc' }] };
  const header = records[0].record;
  // An unknown column is an error, not a warning: a misspelt 'escalateTo' would otherwise start
  // the round and send escalations to nobody.
  const columns: (Column | undefined)[] = [];
  header.forEach((h, i) => {
    const where = { level: 'error' as const, file, line: 1, field: `column ${i + 1}` };
    if ((RECIPIENT_COLUMNS as readonly string[]).includes(h)) {
      const first = columns.indexOf(h as Column);
      if (first >= 0) issues.push({ ...where, message: `'${h}' again (it is column ${first + 1} too): each column once` });
      columns.push(first >= 0 ? undefined : (h as Column));
      return;
    }
    columns.push(undefined);
    if (h === '') return; // a nameless column (a spreadsheet's trailing comma) is fine while it stays empty: see the rows
    const guess = didYouMean(h, RECIPIENT_COLUMNS);
    issues.push({ ...where, message: `unknown column '${h}'${guess ? ` (did you mean ${guess}?)` : ''}; the columns are ${RECIPIENT_COLUMNS.join(', ')}` });
  });
  if (!columns.includes('letter')) {
    issues.push({ level: 'error', file, line: 1, message: `no 'letter' column in the header (got ${header.join(', ')}); it names each letter file without extension` });
    return { rows: [], issues };
  }
  const seen = new Map<string, number>();
  const rows: RecipientRow[] = [];
  for (const { record, info } of records.slice(1)) {
    const line = info.lines;
    if (record.length > header.length) {
      issues.push({ level: 'error', file, line, message: `${record.length} values but the header has ${header.length} columns (a comma inside a value needs quotes)` });
      continue;
    }
    const values: Partial<Record<Column, string>> = {};
    record.forEach((v, i) => {
      const c = columns[i];
      if (c && v !== '') values[c] = v;
      if (header[i] === '' && v !== '') issues.push({ level: 'error', file, line, field: `column ${i + 1}`, message: `'${v}' is in a column with no name in the header (line 1)` });
    });
    const letter = values.letter;
    if (!letter) {
      issues.push({ level: 'error', file, line, field: 'letter', message: 'empty: every row needs the letter id (the letter file name without extension)' });
      continue;
    }
    if (!ID_RE.test(letter)) {
      issues.push({ level: 'error', file, line, field: 'letter', message: `'${letter}' is not a usable letter id (letters, digits, dot, dash, underscore)` });
      continue;
    }
    if (seen.has(letter)) {
      issues.push({ level: 'error', file, line, field: 'letter', message: `duplicate letter id '${letter}' (also on line ${seen.get(letter)})` });
      continue;
    }
    seen.set(letter, line);
    rows.push({ line, letter, values });
  }
  return { rows, issues };
}

/** What the letter file itself said, as far as the parser could tell (all optional). */
export interface LetterInference {
  file: string;
  date?: string;
  name?: string;
  role?: string;
  organisation?: string;
  salutation?: string;
  email?: string;
  documents?: DocumentKey[];
  address?: string[];
  /** Documents the letter says are already published (so not requested). */
  alreadyPublished?: DocumentKey[];
  publicationRequested?: boolean;
  /** Where in the file each field was found, and how sure the parser is (for `rounds check`). */
  where?: Partial<Record<string, string>>;
  body?: { text: string; html: string };
  issues: RoundIssue[];
}

export interface LetterPlan {
  letterId: string;
  file?: string;
  recipient: Recipient;
  documents: DocumentKey[];
  letterDate: string;
  address?: string[];
  alreadyPublished: DocumentKey[];
  publicationRequested?: boolean;
  /** The round's policy, or this letter's override from the recipients.csv `steps` column. */
  policy: Policy;
  /** Where each field came from, for `rounds check`. */
  sources: Record<string, string>;
  body?: { text: string; html: string };
}

export interface RoundPlan {
  round: RoundConfig;
  letters: LetterPlan[];
  issues: RoundIssue[];
}

/** Merges round.yaml defaults, the letters' inferences and recipients.csv (which wins). */
export function planRound(
  round: RoundConfig,
  rows: RecipientRow[],
  inferences: Map<string, LetterInference>,
  csvFile = 'recipients.csv',
): RoundPlan {
  const issues: RoundIssue[] = [];
  const ids = [...new Set([...inferences.keys(), ...rows.map((r) => r.letter)])].sort();
  const byId = new Map(rows.map((r) => [r.letter, r]));
  const letters: LetterPlan[] = [];
  for (const letterId of ids) {
    const row = byId.get(letterId);
    const inf = inferences.get(letterId);
    const sources: Record<string, string> = {};
    const pick = <T>(field: string, fromCsv: T | undefined, fromLetter: T | undefined, fromRound?: T): T | undefined => {
      if (fromCsv !== undefined) {
        sources[field] = `${csvFile} line ${row!.line}`;
        return fromCsv;
      }
      if (fromLetter !== undefined) {
        sources[field] = inf!.where?.[field] ? `${inf!.file} ${inf!.where[field]}` : inf!.file;
        return fromLetter;
      }
      if (fromRound !== undefined) sources[field] = 'round.yaml';
      return fromRound;
    };
    const bad = (field: string, message: string) =>
      issues.push({ level: 'error', file: row ? csvFile : (inf?.file ?? csvFile), line: row?.line, field, message, letterId });
    if (inf) issues.push(...inf.issues.map((i) => ({ ...i, letterId })));
    if (row && !inf && inferences.size > 0) {
      issues.push({ level: 'warning', file: csvFile, line: row.line, field: 'letter', letterId, message: `no letter file letters/${letterId}.(md|txt|html); the row's fields are used alone` });
    }
    const v = row?.values ?? {};
    const list = (field: 'cc' | 'escalateTo'): string[] => {
      const items = (v[field] ?? '').split(/[;,]/).map((s) => s.trim()).filter(Boolean);
      items.forEach((e) => EMAIL_RE.test(e) || bad(field, `'${e}' is not an email address`));
      return items;
    };
    let documents: DocumentKey[] | undefined;
    if (v.documents !== undefined) {
      const keys = v.documents.split(';').map((s) => s.trim()).filter(Boolean);
      const unknown = keys.filter((k) => !isDocumentKey(k));
      if (unknown.length > 0) bad('documents', `unknown document key ${unknown.map((k) => `'${k}'`).join(', ')} (expected ${DOCUMENT_KEYS.join(', ')}, separated by ';')`);
      else documents = keys as DocumentKey[];
    }
    documents = pick('documents', documents, inf?.documents, round.documents);
    if (!documents || documents.length === 0) bad('documents', 'no requested documents: the letter names none, and neither recipients.csv nor round.yaml says which');
    const email = pick('email', v.email, inf?.email);
    if (!email) bad('email', 'no email address for this letter: add it in the email column of recipients.csv');
    else if (!EMAIL_RE.test(email)) bad('email', `'${email}' is not an email address`);
    const name = pick('name', v.name, inf?.name);
    if (!name) bad('name', 'no recipient name: the letter does not say, so add it in the name column');
    let csvDate: string | undefined;
    if (v.letterDate !== undefined) {
      if (isIsoDate(v.letterDate)) csvDate = v.letterDate;
      else bad('letterDate', dateProblem(v.letterDate));
    }
    const letterDate = pick('letterDate', csvDate, inf?.date, round.letterDate);
    if (!letterDate) bad('letterDate', 'no date: the letter has none; set letterDate in round.yaml or recipients.csv');
    let policy = round.policy;
    if (v.steps !== undefined) {
      try {
        policy = { ...round.policy, steps: parseSteps(parseStepsCell(v.steps), 'steps') };
        sources.steps = `${csvFile} line ${row!.line}`;
      } catch (err) {
        if (!(err instanceof PolicyError)) throw err;
        bad('steps', `${err.message} (write steps like '20 working days: chase; 40 working days: escalate; 60 working days: close')`);
      }
    }
    const cc = list('cc');
    const escalateTo = list('escalateTo');
    for (const [field, value] of Object.entries({ name, role: v.role ?? inf?.role, organisation: v.organisation ?? inf?.organisation, salutation: v.salutation ?? inf?.salutation })) {
      if (value && /[\r\n]/.test(value)) bad(field, 'must be one line');
    }
    letters.push({
      letterId,
      file: inf?.file,
      recipient: {
        name: name ?? '',
        role: pick('role', v.role, inf?.role),
        organisation: pick('organisation', v.organisation, inf?.organisation),
        salutation: pick('salutation', v.salutation, inf?.salutation),
        email: email ?? '',
        cc,
        escalateTo,
      },
      documents: documents ?? [],
      letterDate: letterDate ?? '',
      address: pick('address', undefined, inf?.address),
      alreadyPublished: inf?.alreadyPublished ?? [],
      publicationRequested: inf?.publicationRequested,
      policy,
      sources,
      body: inf?.body,
    });
  }
  if (letters.length === 0) issues.push({ level: 'error', file: csvFile, message: 'the round has no letters: add files under letters/ or rows to recipients.csv' });
  if (letters.length > ROUND_LIMITS.lettersPerRound) {
    issues.push({ level: 'error', file: csvFile, message: `the round has ${letters.length} letters: at most ${ROUND_LIMITS.lettersPerRound} in one round (split it into several rounds)` });
  }
  return { round, letters, issues };
}

/** '20 working days: chase; 40 working days: escalate' → the raw steps parsePolicy expects. */
function parseStepsCell(cell: string): { after: string; action: string }[] {
  return cell
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const i = part.lastIndexOf(':');
      return i < 0 ? { after: part, action: '' } : { after: part.slice(0, i).trim(), action: part.slice(i + 1).trim() };
    });
}

function dateProblem(value: string): string {
  try {
    parseIsoDate(value);
    return '';
  } catch (err) {
    return (err as Error).message;
  }
}

function stripBom(s: string): string {
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}
