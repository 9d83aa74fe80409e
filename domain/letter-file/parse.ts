// The letter parser: text in, inferences out, each with its line and a confidence, and
// specific issues where the letter is unclear. Pure: no I/O, no clock, no randomness,
// so it can run anywhere (CLI, dashboard, tests) and gives the same answer every time.
//
// How it reads a letter, in order:
//   1. normalise (BOM, line endings, size cap) and split into lines of plain text,
//      keeping original line numbers (text.ts);
//   2. find the anchors: the date line, the salutation ("Dear ..."), the sign-off
//      ("Yours sincerely");
//   3. the lines before the date are the sender's header; the block between the date
//      and the salutation is the recipient (name, role, organisation, address);
//   4. the body (salutation to sign-off) is cut into sentences, rejoining a sentence
//      that a footnote block split across a page break; sentences that ask for
//      something say which documents are requested, clauses that say "published"
//      say which are not;
//   5. footnotes, coordinator, publication, subject, signature; then consistency checks
//      that turn a truncated, shuffled or odd letter into specific issues.
//
// Robustness: at most MAX_LETTER_CHARS are read, header fields are looked for in the
// first HEADER_LINES lines only, all patterns are linear, and parseLetter catches
// anything unexpected and reports it as an issue: it never throws.

import { DOCUMENT_KEYS, type DocumentKey, DOCUMENT_LABELS } from '../documents';
import {
  BUILDING_CUE, CLAUSE_BREAK, EMAIL, ORG_CUE, PUBLISHED_CUE, REQUEST_CUE, ROLE_CUE, SALUTATION, VALEDICTION,
  editDistance, findDocumentMentions, findPostcode, looksLikeName, parseDateLine,
} from './patterns';
import {
  MAX_LETTER_CHARS, type Line, formatFromFileName, linesOfHtml, linesOfText, looksLikeHtml, looksLikeMarkdown,
} from './text';
import type {
  Confidence, Coordinator, Footnote, Inferred, LetterFormat, LetterIssue, LetterSource, ParsedLetter, Sender,
} from './parsed-letter';

/** Header fields (date, recipient, salutation) are looked for in this many lines. */
const HEADER_LINES = 300;
/** At most this many issues are listed; the last one says how many more there were. */
const MAX_ISSUES = 40;

export function parseLetter(input: LetterSource): ParsedLetter {
  const fileName = typeof input?.fileName === 'string' ? input.fileName : '';
  const text = typeof input?.text === 'string' ? input.text : '';
  try {
    return new LetterReader(fileName, text, input?.format).read();
  } catch (err) {
    // Not expected; but a letter must never crash `rounds check`.
    const message = err instanceof Error ? err.message : String(err);
    return {
      ...emptyResult(formatFromFileName(fileName) ?? 'txt'),
      issues: [{ level: 'error', line: null, message: `the parser failed on this letter (${message.slice(0, 200)}); please report it` }],
    };
  }
}

function emptyResult(format: LetterFormat): ParsedLetter {
  return {
    format,
    documents: { value: [], line: null, confidence: 'low' },
    alreadyPublished: { value: [], line: null, confidence: 'low' },
    publicationRequested: { value: false, line: null, confidence: 'low' },
    footnotes: [],
    issues: [],
  };
}

// ---------------------------------------------------------------------------------
// Paragraphs and sentences.

interface Para {
  kind: 'text' | 'heading' | 'footnote' | 'rule';
  lines: Line[];
  text: string;
}

function paragraphs(lines: Line[]): Para[] {
  const out: Para[] = [];
  let cur: Para | null = null;
  const close = () => {
    if (cur) out.push(cur);
    cur = null;
  };
  for (const line of lines) {
    if (line.kind === 'blank') {
      close();
    } else if (line.kind === 'rule' || line.kind === 'heading') {
      close();
      out.push({ kind: line.kind, lines: [line], text: line.text });
    } else if (line.kind === 'footnote') {
      close();
      cur = { kind: 'footnote', lines: [line], text: line.text };
    } else if (cur) {
      // A text line after a footnote line continues the note.
      cur.lines.push(line);
      cur.text = cur.text ? `${cur.text} ${line.text}` : line.text;
    } else {
      cur = { kind: 'text', lines: [line], text: line.text };
    }
  }
  close();
  return out;
}

interface Piece {
  text: string;
  line: number;
  start: number;
}

interface Sentence {
  text: string;
  line: number;
  endLine: number;
  /** The sentence runs across paragraphs joined over a footnote block. */
  stitched: boolean;
  terminated: boolean;
  /** Offsets → lines, for finding the line of something inside the sentence. */
  pieces: Piece[];
  offset: number;
}

const SUBJECT_LINE = /^(?:re|subject|ref)\s{0,2}[:.-]\s{0,3}(\S.{1,200})$/i;
const TERMINATED = /[.!?…:]["'”’)\]]*$/;
const ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'dr', 'st', 'no', 'eg', 'e.g', 'ie', 'i.e', 'etc', 'prof', 'cllr', 'vs', 'approx', 'rt', 'hon', 'ref', 'tel']);

/** The line of a character offset in joined pieces (binary search: chains can be long). */
function lineAt(pieces: Piece[], offset: number): number {
  let lo = 0;
  let hi = pieces.length - 1;
  if (hi < 0) return 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (pieces[mid]!.start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return pieces[lo]!.line;
}

/** Is there a join point strictly inside (from, to)? `points` is sorted. */
function joinedWithin(points: number[], from: number, to: number): boolean {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid]! <= from) lo = mid + 1;
    else hi = mid;
  }
  return lo < points.length && points[lo]! < to;
}

function splitSentences(pieces: Piece[], stitchedAt: number[]): Sentence[] {
  const text = pieces.map((p) => p.text).join(' ');
  const out: Sentence[] = [];
  let start = 0;
  const push = (end: number) => {
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const s = raw.trim();
    if (s) {
      const from = start + lead;
      const to = start + lead + s.length;
      out.push({
        text: s,
        line: lineAt(pieces, from),
        endLine: lineAt(pieces, Math.max(from, to - 1)),
        stitched: joinedWithin(stitchedAt, from, to),
        terminated: TERMINATED.test(s),
        pieces,
        offset: from,
      });
    }
    start = end;
  };
  const boundary = /[.!?…]+["'”’)\]]*(?=\s+["'“‘(\[]?[\p{Lu}\d])/gu;
  for (const m of text.matchAll(boundary)) {
    const at = m.index ?? 0;
    if (m[0][0] === '.') {
      const before = /([A-Za-z.]{1,6})$/.exec(text.slice(Math.max(0, at - 6), at));
      if (before && ABBREVIATIONS.has(before[1]!.toLowerCase())) continue;
      // Initials ("J. Smith") are not sentence ends.
      if (/(?:^|\s)\p{Lu}$/u.test(text.slice(Math.max(0, at - 2), at))) continue;
    }
    push(at + m[0].length);
  }
  push(text.length);
  return out;
}

interface Chain {
  paras: Para[];
  /** Footnote/rule lines skipped between joined paragraphs. */
  gaps: { from: number; to: number; joinedLine: number; fromLine: number }[];
}

function startsLower(text: string): boolean {
  return /^["'“‘(]?\p{Ll}/u.test(text);
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

function quote(text: string, max = 60): string {
  const t = text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
  return `'${t}'`;
}

function tail(text: string, max = 50): string {
  if (text.length <= max) return `'${text}'`;
  const end = text.slice(text.length - max + 1);
  const space = end.indexOf(' ');
  return `'…${(space >= 0 && space < 20 ? end.slice(space + 1) : end).trimStart()}'`;
}

function listMarks(marks: string[]): string {
  return marks.length === 1 ? marks[0]! : `${marks.slice(0, -1).join(', ')} and ${marks[marks.length - 1]}`;
}

function ordered(keys: Iterable<DocumentKey>): DocumentKey[] {
  const set = new Set(keys);
  return DOCUMENT_KEYS.filter((k) => set.has(k));
}

function docNames(keys: DocumentKey[]): string {
  return listMarks(keys.map((k) => DOCUMENT_LABELS[k]));
}

// ---------------------------------------------------------------------------------

class LetterReader {
  private issues: LetterIssue[] = [];
  private format: LetterFormat = 'txt';
  private lines: Line[] = [];
  private unfinished: { line: number; text: string }[] = [];
  private requestEndLine: number | null = null;

  constructor(private readonly fileName: string, private readonly original: string, private readonly givenFormat?: LetterFormat) {}

  private warn(line: number | null, message: string) {
    this.issues.push({ level: 'warning', line, message: line === null ? message : `line ${line}: ${message}` });
  }

  private error(line: number | null, message: string) {
    this.issues.push({ level: 'error', line, message: line === null ? message : `line ${line}: ${message}` });
  }

  read(): ParsedLetter {
    const text = this.normalise();
    const result = emptyResult(this.format);
    if (text.trim() === '') {
      this.error(null, 'the letter is empty: there is no text to read');
      return this.finish(result);
    }
    this.checkControlCharacters(text);
    this.lines = this.format === 'html' ? linesOfHtml(text) : linesOfText(text);
    const lines = this.lines;
    const header = lines.slice(0, HEADER_LINES);

    // ---- anchors
    const salutation = header.find((l) => l.kind === 'text' && l.text.length < 150 && SALUTATION.test(l.text));
    const afterSal = salutation ? lines.filter((l) => l.no > salutation.no) : lines;
    const valediction = afterSal.find((l) => l.kind === 'text' && l.text.length < 60 && VALEDICTION.test(l.text));
    const date = this.findDate(header, salutation);

    // ---- recipient block and sender header
    const block = this.recipientBlock(lines, date?.lineObj, salutation);
    if (salutation) {
      result.salutation = { value: salutation.text, line: salutation.no, confidence: 'high', source: salutation.text };
    } else {
      this.warn(null, "no salutation found (a line such as 'Dear Sophie,')");
    }
    if (date?.inferred) result.date = date.inferred;
    this.readRecipient(block, result);
    if (result.salutation && result.recipientName) this.checkSalutation(result.salutation, result.recipientName);

    // ---- body
    const bodyStart = salutation?.no ?? (block.length ? block[block.length - 1]!.no : date?.lineObj.no ?? 0);
    const bodyEnd = valediction?.no ?? Number.POSITIVE_INFINITY;
    const bodyLines = lines.filter((l) => l.no > bodyStart && l.no < bodyEnd);
    const sentences = this.readBody(bodyLines);

    // ---- footnotes
    result.footnotes = this.readFootnotes(lines);

    // ---- documents, request sentence
    this.readDocuments(sentences, result);
    for (const u of this.unfinished) {
      if (result.requestSentence && !result.requestSentence.value.match(TERMINATED) && u.line === this.requestEndLine) continue;
      this.warn(u.line, `paragraph ends mid-sentence (${tail(u.text)}): the letter may be truncated, or its paragraphs out of order`);
    }

    // ---- coordinator, publication, subject
    const headerEnd = date && (!salutation || date.lineObj.no < salutation.no) ? date.lineObj.no : 0;
    const senderHeader = headerEnd ? lines.filter((l) => l.no < headerEnd && (l.kind === 'text' || l.kind === 'heading')).slice(-12) : [];
    const senderEmails = new Set<string>();
    for (const l of senderHeader) for (const m of l.text.matchAll(EMAIL)) senderEmails.add(m[0].toLowerCase());
    const coordinator = this.readCoordinator(sentences, senderEmails);
    if (coordinator) result.coordinator = coordinator;
    result.publicationRequested = this.readPublication(sentences);
    const subject = this.readSubject(header, salutation, sentences);
    if (subject) result.subject = subject;

    // ---- sender: header block, signature, opening words
    const signature = this.readSignature(lines, valediction);
    const sender = this.readSender(senderHeader, signature, sentences);
    if (sender) result.sender = sender;
    if (!sender?.name) {
      if (signature.lines.length && signature.title) {
        this.warn(signature.lines[0]!.no, `the signature gives a title (${quote(signature.title.value)}) but no name; the sender's name is not known`);
      }
    }
    if (!valediction) {
      this.warn(null, "no sign-off found ('Yours sincerely', 'Yours faithfully', 'Kind regards'): the letter may be truncated");
    } else if (!signature.lines.length) {
      this.warn(valediction.no, `nothing follows ${quote(valediction.text)}: the signature is missing, the letter may be truncated`);
    }

    // ---- consistency
    this.checkOrder([
      ['date', result.date?.line ?? null],
      ['recipient address', block[0]?.no ?? null],
      ['salutation', result.salutation?.line ?? null],
      ['request for documents', result.requestSentence?.line ?? null],
      ['sign-off', valediction?.no ?? null],
    ]);
    this.checkAfterSignature(lines, signature.lastLine ?? valediction?.no ?? null);
    return this.finish(result);
  }

  private finish(result: ParsedLetter): ParsedLetter {
    result.format = this.format;
    let issues = this.issues;
    if (issues.length > MAX_ISSUES) {
      const more = issues.length - (MAX_ISSUES - 1);
      issues = [...issues.slice(0, MAX_ISSUES - 1), { level: 'warning', line: null, message: `… and ${more} more issues` }];
    }
    result.issues = issues;
    return result;
  }

  // -------------------------------------------------------------------------------
  private normalise(): string {
    let text = this.original;
    const originalLength = text.length;
    // Cap before any whole-text work; keep a margin for line endings that shrink.
    if (text.length > MAX_LETTER_CHARS * 2) text = text.slice(0, MAX_LETTER_CHARS * 2);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    text = text.replace(/\r\n?/g, '\n');
    if (text.length > MAX_LETTER_CHARS) {
      // Cut at a line end so the last line read is whole.
      const cut = text.lastIndexOf('\n', MAX_LETTER_CHARS);
      text = text.slice(0, cut > MAX_LETTER_CHARS / 2 ? cut : MAX_LETTER_CHARS);
      this.warn(null, `the letter is ${originalLength.toLocaleString('en-GB')} characters long, far longer than a letter; only the first ${text.length.toLocaleString('en-GB')} were read`);
    }
    // A Word or PDF letter arrives converted to HTML: its format is given, not read from its name.
    const byName = this.givenFormat ?? formatFromFileName(this.fileName);
    const html = looksLikeHtml(text);
    if (byName === null) {
      this.format = html ? 'html' : looksLikeMarkdown(text) ? 'md' : 'txt';
      const ext = /\.([^./\\]{1,10})$/.exec(this.fileName)?.[1];
      this.warn(null, `${ext ? `the extension .${ext} is not .md, .txt or .html` : 'the file name has no extension'}; read as ${this.format} from its content`);
    } else if (byName !== 'html' && html) {
      this.format = 'html';
      this.warn(null, `the file is named .${byName} but its content is an HTML document; read as HTML`);
    } else {
      this.format = byName;
    }
    return text;
  }

  private checkControlCharacters(text: string) {
    let count = 0;
    let first = -1;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if ((c < 32 && c !== 9 && c !== 10 && c !== 12) || c === 0x7f || c === 0xfffd) {
        if (first < 0) first = i;
        count++;
      }
    }
    if (count > 0 && (count >= 20 || count / text.length > 0.001)) {
      const line = text.slice(0, first).split('\n').length;
      this.warn(line, `${count.toLocaleString('en-GB')} control or replacement characters in the text (the first here): is this a text file, in the right encoding?`);
    }
  }

  // -------------------------------------------------------------------------------
  private findDate(header: Line[], salutation: Line | undefined): { lineObj: Line; inferred: Inferred<string> | undefined } | undefined {
    const found: { line: Line; iso: string | null; text: string }[] = [];
    for (const l of header) {
      if (l.kind !== 'text' && l.kind !== 'heading') continue;
      const d = parseDateLine(l.text);
      if (d) found.push({ line: l, iso: d.iso, text: d.text });
    }
    for (const f of found) {
      if (f.iso === null) this.warn(f.line.no, `${quote(f.text)} looks like a date but no such day exists`);
    }
    const valid = found.filter((f) => f.iso !== null);
    if (!valid.length) {
      this.warn(null, "no date found (a line such as '13 October 2020' before the salutation)");
      return undefined;
    }
    const beforeSal = salutation ? valid.filter((f) => f.line.no < salutation.no) : valid;
    const pool = beforeSal.length ? beforeSal : valid;
    const chosen = pool[0]!;
    if (pool.length > 1) {
      const others = pool.slice(1);
      const count = pool.length === 2 ? 'two' : String(pool.length);
      this.warn(chosen.line.no, `${count} dates found: ${chosen.text} and ${others.map((o) => `${o.text} (line ${o.line.no})`).join(', ')}; using the first`);
    }
    const confidence: Confidence = pool.length > 1 ? 'medium' : beforeSal.length ? (salutation ? 'high' : 'medium') : 'low';
    return { lineObj: chosen.line, inferred: { value: chosen.iso!, line: chosen.line.no, confidence, source: chosen.text } };
  }

  // -------------------------------------------------------------------------------
  /** The recipient's name-and-address lines. */
  private recipientBlock(lines: Line[], dateLine: Line | undefined, salutation: Line | undefined): Line[] {
    const isBlockLine = (l: Line) => l.kind === 'text' || l.kind === 'heading';
    let block: Line[] = [];
    if (salutation) {
      let i = lines.indexOf(salutation) - 1;
      // A subject line ("Re: ...", or a bold line) between the address and "Dear" is
      // not the address: step over it.
      for (let hops = 0; hops < 3; hops++) {
        while (i >= 0 && lines[i]!.kind === 'blank') i--;
        const l = lines[i];
        if (!l || !(SUBJECT_LINE.test(l.text) || (l.bold && wordCount(l.text) <= 12))) break;
        if (i > 0 && lines[i - 1]!.kind !== 'blank') break;
        i--;
      }
      while (i >= 0 && isBlockLine(lines[i]!) && block.length < 15) {
        block.unshift(lines[i]!);
        i--;
      }
      if (dateLine) {
        const at = block.indexOf(dateLine);
        if (at >= 0) block = block.slice(at + 1);
      }
      // A date written after the salutation puts the date paragraph elsewhere; the
      // block before "Dear" may still be only a date.
      block = block.filter((l) => !parseDateLine(l.text));
    } else if (dateLine) {
      let i = lines.indexOf(dateLine) + 1;
      while (i < lines.length && lines[i]!.kind === 'blank') i++;
      while (i < lines.length && isBlockLine(lines[i]!) && block.length < 15) {
        block.push(lines[i]!);
        i++;
      }
    } else {
      for (const p of paragraphs(lines.slice(0, 80))) {
        if (p.kind === 'text' && p.lines.length <= 15 && p.lines.some((l) => findPostcode(l.text)) && p.lines.every((l) => l.text.length <= 100)) {
          block = p.lines;
          break;
        }
      }
    }
    if (!block.length) {
      this.warn(null, "no recipient name and address found (expected between the date and 'Dear ...')");
      return [];
    }
    const plausible = block.every((l) => l.text.length <= 120 && wordCount(l.text) <= 14) && !block.some((l) => SALUTATION.test(l.text));
    if (!plausible) {
      this.warn(block[0]!.no, `the lines before the salutation (${quote(block[0]!.text)}) do not look like a name and address`);
      return [];
    }
    return block;
  }

  private readRecipient(block: Line[], result: ParsedLetter) {
    if (!block.length) return;
    let i = 0;
    const first = block[0]!;
    const firstText = first.text;
    if (looksLikeName(firstText)) {
      result.recipientName = { value: firstText, line: first.no, confidence: 'high', source: firstText };
      i = 1;
    } else if (!ROLE_CUE.test(firstText) && !ORG_CUE.test(firstText) && !BUILDING_CUE.test(firstText) && !findPostcode(firstText) && wordCount(firstText) <= 6 && !/\d/.test(firstText)) {
      result.recipientName = { value: firstText, line: first.no, confidence: 'low', source: firstText };
      this.warn(first.no, `${quote(firstText)} is read as the recipient's name, but it does not look like one`);
      i = 1;
    } else {
      this.warn(first.no, `the recipient block starts with ${quote(firstText)}, not a name; the recipient's name is not known`);
    }
    // Up to two lines of role and organisation, in either order, before the address.
    const STARTS_AS_ORG = /^(?:the\s{1,3})?(?:office|department|ministry|directorate|secretariat)\b/i;
    for (let n = 0; n < 2 && i < block.length; n++) {
      const l = block[i]!;
      const t = l.text;
      if (findPostcode(t) || (BUILDING_CUE.test(t) && !ORG_CUE.test(t))) break;
      const org = ORG_CUE.test(t);
      const role = ROLE_CUE.test(t);
      if (org && (!role || STARTS_AS_ORG.test(t) || result.role) && !result.organisation) {
        result.organisation = { value: t, line: l.no, confidence: 'high', source: t };
      } else if (role && !result.role) {
        result.role = { value: t, line: l.no, confidence: 'high', source: t };
      } else {
        break;
      }
      i++;
    }
    // No organisation line: a Police and Crime Commissioner is a "corporation sole" (the
    // office-holder is the legal body), so the role line ("Avon and Somerset Police and
    // Crime Commissioner") names the organisation. We do not invent an "Office of ..."
    // name: real offices are named inconsistently ("Office of the Police and Crime
    // Commissioner", "OPCC for ..."), and a wrong name is worse than the role's own.
    if (!result.organisation && result.role && /\b(?:police,?\s{1,3}(?:fire\s{1,3})?(?:and|&)\s{1,3}crime|police)\s{1,3}commissioner\b/i.test(result.role.value)) {
      result.organisation = { value: result.role.value, line: result.role.line, confidence: 'medium', source: result.role.value };
    }
    const addressLines = block.slice(i);
    if (!addressLines.length) {
      this.warn(block[block.length - 1]!.no, 'the recipient block has no postal address');
      return;
    }
    let postcodeLine: Line | undefined;
    let postcode: string | null = null;
    for (const l of addressLines) {
      const p = findPostcode(l.text);
      if (p) {
        postcodeLine = l;
        postcode = p;
      }
    }
    let confidence: Confidence = postcodeLine === addressLines[addressLines.length - 1] ? 'high' : 'medium';
    if (!postcodeLine) {
      this.warn(addressLines[addressLines.length - 1]!.no, 'no UK postcode in the recipient address; is it complete?');
    } else if (postcodeLine !== addressLines[addressLines.length - 1]) {
      this.warn(postcodeLine.no, `the address continues after the postcode (${quote(addressLines[addressLines.length - 1]!.text)})`);
    }
    if (this.checkAddressTypos(addressLines)) confidence = confidence === 'high' ? 'medium' : 'low';
    result.address = {
      value: addressLines.map((l) => l.text),
      line: addressLines[0]!.no,
      confidence,
      source: addressLines.map((l) => l.text).join(', '),
    };
    if (postcodeLine && postcode) {
      result.postcode = { value: postcode, line: postcodeLine.no, confidence: 'high', source: postcodeLine.text };
    }
  }

  /**
   * Two words of the address a letter apart ("Arnot Hill House" / "Arnotd Hill Park")
   * suggest a typo. The address is kept as written (it is what was sent); a person is
   * told, so they can correct recipients.csv if it matters.
   */
  private checkAddressTypos(address: Line[]): boolean {
    const words: { w: string; next: string; line: Line }[] = [];
    for (const l of address) {
      if (findPostcode(l.text) && wordCount(l.text) <= 2) continue;
      const ws = l.text.split(/[\s,]+/).filter(Boolean);
      ws.forEach((w, k) => {
        if (/^\p{Lu}\p{L}{3,}$/u.test(w)) words.push({ w, next: (ws[k + 1] ?? '').toLowerCase(), line: l });
      });
    }
    const reported = new Set<string>();
    const pairs: { a: (typeof words)[number]; b: (typeof words)[number]; shared: boolean }[] = [];
    for (let x = 0; x < words.length && x < 60; x++) {
      for (let y = x + 1; y < words.length && y < 60; y++) {
        const a = words[x]!;
        const b = words[y]!;
        if (a.line === b.line || a.w === b.w) continue;
        const la = a.w.toLowerCase();
        const lb = b.w.toLowerCase();
        if (la === lb || la + 's' === lb || lb + 's' === la) continue;
        if (editDistance(la, lb, 1) !== 1) continue;
        const shared = a.next !== '' && a.next === b.next;
        if (!shared && Math.min(la.length, lb.length) < 5) continue;
        pairs.push({ a, b, shared });
      }
    }
    pairs.sort((p, q) => Number(q.shared) - Number(p.shared));
    let any = false;
    for (const { a, b } of pairs) {
      if (reported.has(a.w) || reported.has(b.w)) continue;
      reported.add(a.w);
      reported.add(b.w);
      any = true;
      this.warn(b.line.no, `address words ${quote(b.w)} (in ${quote(b.line.text)}) and ${quote(a.w)} (line ${a.line.no}) differ by one letter: a typo? kept as written`);
    }
    return any;
  }

  private checkSalutation(sal: Inferred<string>, name: Inferred<string>) {
    const greeting = sal.value.replace(SALUTATION, '').replace(/[,.:;!]+$/, '').trim();
    if (!greeting || /^(?:sir|madam|sir\s*(?:\/|or)\s*madam|colleague|colleagues|all|commissioner|team|it may concern.*)$/i.test(greeting)) return;
    const nameWords = new Set(name.value.toLowerCase().split(/[\s,]+/));
    const greetWords = greeting.toLowerCase().split(/[\s,]+/).filter((w) => !/^(?:mr|mrs|ms|miss|mx|dr|dame|sir|lord|lady|cllr|prof)\.?$/.test(w));
    if (greetWords.length && !greetWords.some((w) => nameWords.has(w))) {
      this.warn(sal.line, `the salutation ${quote(sal.value)} does not name the recipient ${quote(name.value)} (line ${name.line})`);
    }
  }

  // -------------------------------------------------------------------------------
  /** Sentences of the body, rejoining sentences split by a footnote block. */
  private readBody(bodyLines: Line[]): Sentence[] {
    const paras = paragraphs(bodyLines);
    const chains: Chain[] = [];
    let pendingGap: Line[] = [];
    for (const p of paras) {
      if (p.kind === 'footnote' || p.kind === 'rule') {
        pendingGap.push(...p.lines);
        continue;
      }
      if (p.kind === 'heading') {
        pendingGap = [];
        chains.push({ paras: [p], gaps: [] });
        continue;
      }
      const prev = chains[chains.length - 1];
      const prevPara = prev?.paras[prev.paras.length - 1];
      if (prev && prevPara && prevPara.kind === 'text' && !TERMINATED.test(prevPara.text) && startsLower(p.text)) {
        const lastPrevLine = prevPara.lines[prevPara.lines.length - 1]!.no;
        prev.gaps.push({
          from: pendingGap[0]?.no ?? lastPrevLine,
          to: pendingGap[pendingGap.length - 1]?.no ?? lastPrevLine,
          joinedLine: p.lines[0]!.no,
          fromLine: lastPrevLine,
        });
        prev.paras.push(p);
      } else {
        chains.push({ paras: [p], gaps: [] });
      }
      pendingGap = [];
    }
    const sentences: Sentence[] = [];
    for (const chain of chains) {
      if (chain.paras[0]!.kind === 'heading') continue;
      const pieces: Piece[] = [];
      const stitchedAt: number[] = [];
      let offset = 0;
      chain.paras.forEach((p, k) => {
        if (k > 0) stitchedAt.push(offset);
        for (const l of p.lines) {
          pieces.push({ text: l.text, line: l.no, start: offset });
          offset += l.text.length + 1;
        }
      });
      for (const g of chain.gaps) {
        const footnoteLines = g.from !== g.fromLine ? ` after ${g.from === g.to ? `line ${g.from}` : `lines ${g.from}–${g.to}`}` : '';
        this.warn(g.fromLine, `a sentence breaks off here and continues on line ${g.joinedLine}${footnoteLines} (a page break?); read as one sentence`);
      }
      const first = chain.paras[0]!;
      if (startsLower(first.text) && wordCount(first.text) >= 2) {
        this.warn(first.lines[0]!.no, `paragraph starts mid-sentence (${quote(first.text, 50)}): part of a sentence may be missing or out of order`);
      }
      const last = chain.paras[chain.paras.length - 1]!;
      if (!TERMINATED.test(last.text) && wordCount(last.text) >= 6) {
        // Reported after the documents are read, unless it is the request sentence
        // (which gets its own, more specific, warning).
        this.unfinished.push({ line: last.lines[last.lines.length - 1]!.no, text: last.text });
      }
      sentences.push(...splitSentences(pieces, stitchedAt));
    }
    return sentences;
  }

  // -------------------------------------------------------------------------------
  private readFootnotes(lines: Line[]): Footnote[] {
    const paras = paragraphs(lines).filter((p) => p.kind === 'footnote');
    const notes: Footnote[] = [];
    const seen = new Map<string, number>();
    let dupIssues = 0;
    for (const p of paras) {
      const head = p.lines[0]!;
      const mark = head.footnote!.mark;
      const text = p.text;
      if (seen.has(mark)) {
        if (dupIssues++ < 5) this.warn(head.no, `footnote ${mark} is written twice (first on line ${seen.get(mark)}); both kept`);
      } else {
        seen.set(mark, head.no);
      }
      notes.push({ mark, text, line: head.no });
    }
    const mangled = lines.filter((l) => l.mangled);
    if (mangled.length) {
      const nos = mangled.map((l) => l.no);
      this.warn(nos[0]!, `footnote marks written as broken HTML ('<sup>&</sup>lt;sup>1</sup>') on ${nos.length === 1 ? `line ${nos[0]}` : `lines ${listMarks(nos.map(String))}`}; read as plain footnote numbers`);
    }
    // References in the text (not in footnotes themselves).
    const refs = new Map<string, number>();
    for (const l of lines) {
      if (l.kind === 'footnote') continue;
      for (const r of l.refs) if (!refs.has(r)) refs.set(r, l.no);
    }
    let reported = 0;
    const limit = 8;
    for (const [mark, line] of refs) {
      if (seen.has(mark)) continue;
      if (reported++ < limit) this.warn(line, `footnote ${mark} is marked here but its text is missing: the letter may be truncated`);
    }
    for (const [mark, line] of seen) {
      const ref = refs.get(mark);
      if (ref === undefined) {
        if (reported++ < limit) this.warn(line, `footnote ${mark} has no mark in the text`);
      } else if (line < ref) {
        if (reported++ < limit) this.warn(line, `footnote ${mark} comes before its mark (line ${ref}): paragraphs may be out of order`);
      }
    }
    if (reported > limit) this.warn(null, `… ${reported - limit} more footnote problems`);
    return notes;
  }

  // -------------------------------------------------------------------------------
  private readDocuments(sentences: Sentence[], result: ParsedLetter) {
    const requested = new Set<DocumentKey>();
    const published = new Set<DocumentKey>();
    const mentioned = new Map<DocumentKey, number>();
    let requestSentence: Sentence | undefined;
    let publishedLine: number | null = null;
    let publishedSource: string | undefined;
    for (const s of sentences) {
      const mentions = findDocumentMentions(s.text);
      if (!mentions.length) continue;
      const asks = REQUEST_CUE.test(s.text);
      // Split into clauses at "however", "but", ";": one clause can note what is
      // published while the next asks for the rest.
      const cuts = [0];
      CLAUSE_BREAK.lastIndex = 0;
      for (const m of s.text.matchAll(CLAUSE_BREAK)) cuts.push(m.index ?? 0);
      cuts.push(s.text.length);
      const newlyRequested: DocumentKey[] = [];
      for (let c = 0; c + 1 < cuts.length; c++) {
        const clause = s.text.slice(cuts[c], cuts[c + 1]);
        const inClause = mentions.filter((m) => m.index >= cuts[c]! && m.index < cuts[c + 1]!);
        if (!inClause.length) continue;
        const clausePublished = PUBLISHED_CUE.test(clause) && !REQUEST_CUE.test(clause);
        for (const m of inClause) {
          if (clausePublished) {
            published.add(m.key);
            if (publishedLine === null) {
              publishedLine = s.line;
              publishedSource = s.text;
            }
          } else if (asks) {
            if (!requested.has(m.key)) newlyRequested.push(m.key);
            requested.add(m.key);
          } else if (!mentioned.has(m.key)) {
            mentioned.set(m.key, s.line);
          }
        }
      }
      if (newlyRequested.length && !requestSentence) requestSentence = s;
    }
    for (const k of requested) {
      if (published.has(k)) {
        published.delete(k);
        this.warn(requestSentence?.line ?? null, `${DOCUMENT_LABELS[k]} is both noted as published and asked for; read as asked for`);
      }
    }
    if (requestSentence) {
      const s = requestSentence;
      this.requestEndLine = s.endLine;
      let confidence: Confidence = 'high';
      if (s.stitched) confidence = 'medium';
      if (!s.terminated) {
        confidence = 'low';
        this.warn(s.endLine, `the request for documents ends without a full stop (${tail(s.text)}): it may be cut short, and documents named after the cut are missing`);
      }
      result.requestSentence = { value: s.text, line: s.line, confidence: s.terminated ? (s.stitched ? 'medium' : 'high') : 'low', source: s.text };
      result.documents = { value: ordered(requested), line: s.line, confidence, source: s.text };
    } else {
      const guessed = [...mentioned.keys()].filter((k) => !published.has(k));
      if (guessed.length) {
        const line = Math.min(...guessed.map((k) => mentioned.get(k)!));
        result.documents = { value: ordered(guessed), line, confidence: 'low' };
        this.warn(line, `no sentence asks for documents in a recognised way ('I would be grateful if you would share ...'); ${docNames(ordered(guessed))} read as requested because they are mentioned`);
      } else if (published.size) {
        this.error(publishedLine, `no requested documents found: ${docNames(ordered(published))} noted as published, and nothing else is asked for`);
      } else {
        this.error(null, `no requested documents found: no sentence mentions a ${docNames([...DOCUMENT_KEYS])}`);
      }
    }
    result.alreadyPublished = published.size
      ? { value: ordered(published), line: publishedLine, confidence: 'high', source: publishedSource }
      : { value: [], line: null, confidence: requestSentence ? 'high' : 'low' };
  }

  // -------------------------------------------------------------------------------
  private readCoordinator(sentences: Sentence[], senderEmails: Set<string>): Coordinator | undefined {
    const CUE = /co-?ordinat|contact|responses?\b|get\s+in\s+touch|quer(?:y|ies)|enquir|questions/i;
    let best: { s: Sentence; email: string; index: number; cue: boolean } | undefined;
    for (const s of sentences) {
      if (s.text.indexOf('@') < 0) continue;
      const cue = CUE.test(s.text);
      for (const m of s.text.matchAll(EMAIL)) {
        const email = m[0];
        if (senderEmails.has(email.toLowerCase())) continue;
        if (!best || (cue && !best.cue)) best = { s, email, index: m.index ?? 0, cue };
        if (best.cue) break;
      }
      if (best?.cue) break;
    }
    if (!best) {
      this.warn(null, 'no coordinator email found in the letter (someone who co-ordinates responses, with an email address)');
      return undefined;
    }
    const { s, email } = best;
    const emailLine = lineAt(s.pieces, s.offset + best.index);
    const coordinator: Coordinator = {
      name: { value: '', line: null, confidence: 'low' },
      email: { value: email, line: emailLine, confidence: best.cue ? 'high' : 'medium', source: s.text },
    };
    // Names: runs of two to four capitalised words, with emails blanked out so
    // "April.McCoig@..." is not read as words.
    const text = s.text.replace(EMAIL, (m) => ' '.repeat(m.length));
    const local = email.split('@')[0]!.toLowerCase().split(/[._'-]+/).filter((p) => p.length > 1);
    const candidates: { name: string; index: number; matchesEmail: boolean }[] = [];
    for (const m of text.matchAll(/(?<![\p{L}'’-])\p{Lu}[\p{L}'’-]{0,30}(?:[ \t]{1,2}\p{Lu}[\p{L}'’-]{0,30}){1,3}/gu)) {
      let name = m[0];
      let index = m.index ?? 0;
      // Drop leading words that are not names: "Please", "Contact", "As".
      while (/^(?:Please|Contact|As|The|My|Our|I|Dear|If|Finally|Email|Ms|Mr|Mrs|Dr)\s/.test(name)) {
        const cut = name.indexOf(' ') + 1;
        name = name.slice(cut).trimStart();
        index += cut;
      }
      if (!looksLikeName(name)) continue;
      const words = name.toLowerCase().split(/\s+/);
      const matchesEmail = local.length >= 2 && local.every((p) => words.includes(p));
      candidates.push({ name, index, matchesEmail });
    }
    const chosen = candidates.find((c) => c.matchesEmail) ?? candidates[0];
    if (chosen) {
      coordinator.name = {
        value: chosen.name,
        line: lineAt(s.pieces, s.offset + chosen.index),
        confidence: chosen.matchesEmail ? 'high' : 'medium',
        source: s.text,
      };
      const role = this.coordinatorRole(text, chosen.index, chosen.name.length);
      if (role) coordinator.role = { value: role, line: lineAt(s.pieces, s.offset + chosen.index), confidence: 'medium', source: s.text };
    } else if (local.length >= 2 && local.every((p) => /^\p{L}+$/u.test(p))) {
      const fromEmail = email.split('@')[0]!.split(/[._'-]+/).filter(Boolean).map((p) => p[0]!.toUpperCase() + p.slice(1)).join(' ');
      coordinator.name = { value: fromEmail, line: emailLine, confidence: 'low', source: email };
      this.warn(emailLine, `no coordinator name near ${email}; ${quote(fromEmail)} is read from the address`);
    } else {
      coordinator.name = { value: email.split('@')[0]!, line: emailLine, confidence: 'low', source: email };
      this.warn(emailLine, `no coordinator name near ${email}`);
    }
    return coordinator;
  }

  /** "April McCoig, the Victims and Partnerships lead within my office" → the role. */
  private coordinatorRole(text: string, index: number, length: number): string | undefined {
    const after = text.slice(index + length, index + length + 200);
    const m =
      /^\s{0,2}[,(]\s{0,2}(?:who\s{1,3}is\s{1,3})?(?:the|my|our)\s{1,3}([^,;.()]{2,100}?)(?=\s{1,3}(?:within|in|at|of|for|from|on)\s{1,3}(?:my|our|the)\s{1,3}(?:office|team|organisation|organization|secretariat)\b|\s{0,2}[,)]|\s{1,3}(?:will|who|can|is)\b)/i.exec(after) ??
      /^\s{0,2}\(([^()]{2,80})\)/.exec(after);
    if (m && m[1]!.trim()) return m[1]!.trim();
    const before = text.slice(Math.max(0, index - 120), index);
    const b = /(?:the|my|our)\s{1,3}([^,;.()]{2,80}?),?\s{1,3}$/i.exec(before);
    if (b && ROLE_CUE.test(b[1]!)) return b[1]!.trim();
    return undefined;
  }

  // -------------------------------------------------------------------------------
  private readPublication(sentences: Sentence[]): Inferred<boolean> {
    // "enables me to publish your letter", "your response may be published", "with a
    // view to publication of your reply": publishing the recipient's answer.
    const ASK = /\bpublish\w{0,3}\b[^.;]{0,80}?\b(?:your|the|this|a)\s{1,3}(?:letter|response|reply|answer)s?\b|\b(?:your|the)\s{1,3}(?:letter|response|reply|answer)\b[^.;]{0,80}?\b(?:publish\w{0,3}|publication)\b|\bpublication\s{1,3}of\s{1,3}(?:your|the)\s{1,3}(?:letter|response|reply|answer)\b/i;
    const NOT = /\b(?:not|never|won't|will\s{1,3}not|don't|do\s{1,3}not|no\s{1,3}intention)\b[^.;]{0,40}?\bpublish/i;
    for (const s of sentences) {
      if (!ASK.test(s.text)) continue;
      return { value: !NOT.test(s.text), line: s.line, confidence: 'high', source: s.text };
    }
    this.warn(null, 'no request to publish the response found; publicationRequested is false');
    return { value: false, line: null, confidence: 'low' };
  }

  // -------------------------------------------------------------------------------
  private readSubject(header: Line[], salutation: Line | undefined, sentences: Sentence[]): Inferred<string> | undefined {
    // An explicit subject line: "Re: ...", "Subject: ...".
    for (const l of header) {
      if (l.kind !== 'text' && l.kind !== 'heading') continue;
      const m = SUBJECT_LINE.exec(l.text);
      if (m) return { value: m[1]!.trim(), line: l.no, confidence: 'high', source: l.text };
    }
    // A bold or heading line right after the salutation.
    if (salutation) {
      const next = this.lines.find((l) => l.no > salutation.no && l.kind !== 'blank');
      if (next && (next.bold || next.kind === 'heading') && wordCount(next.text) <= 12 && !TERMINATED.test(next.text)) {
        return { value: next.text, line: next.no, confidence: 'medium', source: next.text };
      }
    }
    // Otherwise the topic the letter defines an acronym for and then keeps using:
    // "Violence Reduction Units (VRUs)" then "the VRUs", "the London VRU".
    const body = sentences.map((s) => s.text).join(' ');
    const defined: { phrase: string; acronym: string; line: number; count: number }[] = [];
    let looked = 0;
    for (const s of sentences) {
      if (defined.length >= 20 || looked > 200) break;
      for (const m of s.text.matchAll(/\(([A-Z]{2,8})(s?)\)/g)) {
        if (defined.length >= 20 || ++looked > 200) break;
        const acronym = m[1]!;
        const phrase = this.expandAcronym(s.text.slice(Math.max(0, (m.index ?? 0) - 160), m.index ?? 0), acronym);
        if (!phrase || defined.some((d) => d.acronym === acronym)) continue;
        const count = [...body.matchAll(new RegExp(`\\b${acronym}s?\\b`, 'g'))].length;
        defined.push({ phrase: `${phrase} (${acronym}${m[2]})`, acronym, line: lineAt(s.pieces, s.offset + (m.index ?? 0)), count });
      }
    }
    if (!defined.length) return undefined;
    const best = defined.reduce((a, b) => (b.count > a.count ? b : a));
    if (best.count < 2) return undefined;
    return { value: best.phrase, line: best.line, confidence: best.count >= 3 ? 'medium' : 'low', source: best.phrase };
  }

  /** The words before "(VRU)" whose initials spell it: "Violence Reduction Units". */
  private expandAcronym(before: string, acronym: string): string | null {
    const words = before.trimEnd().split(/\s+/);
    const letters = acronym.toLowerCase().split('');
    let j = letters.length - 1;
    let k = words.length - 1;
    while (k >= 0 && j >= 0) {
      const w = words[k]!;
      if (/^(?:and|of|for|the|in|on|&)$/i.test(w) && j < letters.length - 1) {
        k--;
        continue;
      }
      if (!/^\p{Lu}/u.test(w) || w[0]!.toLowerCase() !== letters[j]) return null;
      j--;
      k--;
    }
    if (j >= 0) return null;
    return words.slice(k + 1).join(' ');
  }

  // -------------------------------------------------------------------------------
  private readSignature(lines: Line[], valediction: Line | undefined): { lines: Line[]; name?: Inferred<string>; title?: Inferred<string>; lastLine?: number } {
    if (!valediction) return { lines: [] };
    let i = lines.indexOf(valediction) + 1;
    let blanks = 0;
    while (i < lines.length && lines[i]!.kind === 'blank' && blanks < 8) {
      i++;
      blanks++;
    }
    const sig: Line[] = [];
    while (i < lines.length && (lines[i]!.kind === 'text' || lines[i]!.kind === 'heading') && sig.length < 4) {
      sig.push(lines[i]!);
      i++;
    }
    if (sig.some((l) => l.text.length > 120)) return { lines: [] };
    let name: Inferred<string> | undefined;
    const titleLines: Line[] = [];
    for (const l of sig) {
      if (!name && !titleLines.length && looksLikeName(l.text)) {
        name = { value: l.text, line: l.no, confidence: 'high', source: l.text };
      } else {
        titleLines.push(l);
      }
    }
    const title = titleLines.length
      ? { value: titleLines.map((l) => l.text).join(', '), line: titleLines[0]!.no, confidence: 'medium' as Confidence, source: titleLines.map((l) => l.text).join(', ') }
      : undefined;
    return { lines: sig, name, title, lastLine: sig[sig.length - 1]?.no };
  }

  private readSender(header: Line[], signature: ReturnType<LetterReader['readSignature']>, sentences: Sentence[]): Sender | undefined {
    const sender: Sender = {};
    // "As Independent Anti-Slavery Commissioner, I am writing ...": the sender's title.
    let opening: { title: string; line: number } | undefined;
    for (const s of sentences.slice(0, 5)) {
      const m = /^As\s{1,3}(?:the\s{1,3}|an?\s{1,3})?(\p{Lu}[^,]{2,80}?),\s{0,3}(?:I|we)\b/u.exec(s.text);
      if (m && ROLE_CUE.test(m[1]!)) {
        opening = { title: m[1]!, line: s.line };
        break;
      }
    }
    let headerTitle: string | undefined;
    for (const l of header) {
      const t = l.text;
      const email = /^e-?mail\s{0,2}[:.]?\s{0,3}/i.test(t) ? [...t.matchAll(EMAIL)][0] : undefined;
      if (email && !sender.email) {
        sender.email = { value: email[0], line: l.no, confidence: 'high', source: t };
        continue;
      }
      const tel = /^(?:tel|telephone|phone|t)\s{0,2}[:.]\s{0,3}(\+?[0-9(][0-9 ()+-]{5,30}[0-9])/i.exec(t);
      if (tel) {
        if (!sender.telephone) sender.telephone = { value: tel[1]!.trim(), line: l.no, confidence: 'high', source: t };
        continue;
      }
      if (l.kind === 'heading' && looksLikeName(t) && !sender.name) {
        sender.name = { value: t, line: l.no, confidence: 'high', source: t };
        continue;
      }
      if (findPostcode(t) && !sender.address) {
        // "Independent Anti-Slavery Commissioner 5th Floor, Globe House ...": a title
        // run into the address. Cut at the known title, else at the first number.
        let address = t;
        const known = signature.title?.value ?? opening?.title;
        if (known && t.toLowerCase().startsWith(known.toLowerCase()) && t.length > known.length) {
          headerTitle = known;
          address = t.slice(known.length).replace(/^[\s,]+/, '');
        } else {
          const firstNumber = /(?:^|\s)\d/.exec(t);
          const prefix = firstNumber ? t.slice(0, firstNumber.index).trim() : '';
          if (prefix && ROLE_CUE.test(prefix)) {
            headerTitle = prefix.replace(/,$/, '');
            address = t.slice(firstNumber!.index).trim();
          }
        }
        sender.address = { value: address, line: l.no, confidence: headerTitle ? 'high' : 'medium', source: t };
        continue;
      }
      if (!sender.name && looksLikeName(t)) {
        sender.name = { value: t, line: l.no, confidence: 'medium', source: t };
      }
    }
    if (!sender.email) {
      for (const l of header) {
        const m = [...l.text.matchAll(EMAIL)][0];
        if (m) {
          sender.email = { value: m[0], line: l.no, confidence: 'medium', source: l.text };
          break;
        }
      }
    }
    if (!sender.name && signature.name) sender.name = signature.name;
    const title = signature.title;
    if (title) {
      const agrees = [opening?.title, headerTitle].some((t) => t && t.toLowerCase() === title.value.toLowerCase());
      sender.title = { ...title, confidence: agrees ? 'high' : 'medium' };
    } else if (opening) {
      sender.title = { value: opening.title, line: opening.line, confidence: 'medium', source: opening.title };
    } else if (headerTitle) {
      sender.title = { value: headerTitle, line: sender.address?.line ?? null, confidence: 'medium', source: headerTitle };
    }
    return Object.keys(sender).length ? sender : undefined;
  }

  // -------------------------------------------------------------------------------
  private checkOrder(anchors: [string, number | null][]) {
    const present = anchors.filter((a): a is [string, number] => a[1] !== null);
    for (let k = 0; k + 1 < present.length; k++) {
      const [a, la] = present[k]!;
      const [b, lb] = present[k + 1]!;
      if (lb < la) this.warn(lb, `the ${b} comes before the ${a} (line ${la}): paragraphs may be out of order`);
    }
  }

  private checkAfterSignature(lines: Line[], after: number | null) {
    if (after === null) return;
    // Paragraphs, so that a footnote's second line is not taken for stray text.
    const stray = paragraphs(lines.filter((l) => l.no > after)).filter((p) => p.kind === 'text');
    if (stray.length) {
      const first = stray[0]!.lines[0]!;
      this.warn(first.no, `text after the sign-off (${quote(first.text, 50)}): paragraphs may be out of order`);
    }
  }
}
