// The sender: the header above the date (name, address, email, telephone), the
// signature below the sign-off (name, then title), and the opening words ("As
// Independent Anti-Slavery Commissioner, I ..."), which agree or not on a title.
import { type LetterIssues, quote } from './issues';
import type { Confidence, Inferred, Sender } from './parsed-letter';
import { EMAIL, ROLE_CUE, VALEDICTION, findPostcode, looksLikeName } from './patterns';
import type { Sentence } from './sentences';
import type { Line } from './text';

export interface Signature {
  lines: Line[];
  name?: Inferred<string>;
  title?: Inferred<string>;
  lastLine?: number;
}

/** The sign-off ("Yours sincerely") after the salutation, if any. */
export function findValediction(afterSalutation: Line[]): Line | undefined {
  return afterSalutation.find((l) => l.kind === 'text' && l.text.length < 60 && VALEDICTION.test(l.text));
}

/** The sender's header: the last text lines before the date line (`headerEnd`; 0 when there is none). */
export function senderHeaderLines(lines: Line[], headerEnd: number): Line[] {
  return headerEnd ? lines.filter((l) => l.no < headerEnd && (l.kind === 'text' || l.kind === 'heading')).slice(-12) : [];
}

/** Email addresses in the sender's header, lower case: the coordinator is someone else. */
export function emailsIn(header: Line[]): Set<string> {
  const emails = new Set<string>();
  for (const l of header) for (const m of l.text.matchAll(EMAIL)) emails.add(m[0].toLowerCase());
  return emails;
}

/** Up to four lines after the sign-off: a name, then the title. */
export function readSignature(lines: Line[], valediction: Line | undefined): Signature {
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

/** A signature with a title but no name, a missing sign-off, nothing after the sign-off. */
export function checkSignOff(sender: Sender | undefined, signature: Signature, valediction: Line | undefined, issues: LetterIssues): void {
  if (!sender?.name) {
    if (signature.lines.length && signature.title) {
      issues.warn(signature.lines[0]!.no, `the signature gives a title (${quote(signature.title.value)}) but no name; the sender's name is not known`);
    }
  }
  if (!valediction) {
    issues.warn(null, "no sign-off found ('Yours sincerely', 'Yours faithfully', 'Kind regards'): the letter may be truncated");
  } else if (!signature.lines.length) {
    issues.warn(valediction.no, `nothing follows ${quote(valediction.text)}: the signature is missing, the letter may be truncated`);
  }
}

interface OpeningTitle {
  title: string;
  line: number;
}

/** "As Independent Anti-Slavery Commissioner, I am writing ...": the sender's title. */
function openingTitle(sentences: Sentence[]): OpeningTitle | undefined {
  for (const s of sentences.slice(0, 5)) {
    const m = /^As\s{1,3}(?:the\s{1,3}|an?\s{1,3})?(\p{Lu}[^,]{2,80}?),\s{0,3}(?:I|we)\b/u.exec(s.text);
    if (m && ROLE_CUE.test(m[1]!)) return { title: m[1]!, line: s.line };
  }
  return undefined;
}

/** The sender from the header, signature and opening words, or undefined when none says anything. */
export function readSender(header: Line[], signature: Signature, sentences: Sentence[]): Sender | undefined {
  const sender: Sender = {};
  const opening = openingTitle(sentences);
  const headerTitle = readHeader(header, signature.title?.value ?? opening?.title, sender);
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

/**
 * The header's labelled email and telephone, name and address, into `sender`; returns a
 * title run into the address line, if any. `known` is the title from elsewhere.
 */
function readHeader(header: Line[], known: string | undefined, sender: Sender): string | undefined {
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
      const split = splitTitleFromAddress(t, known);
      if (split.title) headerTitle = split.title;
      sender.address = { value: split.address, line: l.no, confidence: headerTitle ? 'high' : 'medium', source: t };
      continue;
    }
    if (!sender.name && looksLikeName(t)) {
      sender.name = { value: t, line: l.no, confidence: 'medium', source: t };
    }
  }
  return headerTitle;
}

/**
 * "Independent Anti-Slavery Commissioner 5th Floor, Globe House ...": a title run into
 * the address. Cut at the known title, else at the first number.
 */
function splitTitleFromAddress(t: string, known: string | undefined): { address: string; title?: string } {
  if (known && t.toLowerCase().startsWith(known.toLowerCase()) && t.length > known.length) {
    return { address: t.slice(known.length).replace(/^[\s,]+/, ''), title: known };
  }
  const firstNumber = /(?:^|\s)\d/.exec(t);
  const prefix = firstNumber ? t.slice(0, firstNumber.index).trim() : '';
  if (prefix && ROLE_CUE.test(prefix)) {
    return { address: t.slice(firstNumber!.index).trim(), title: prefix.replace(/,$/, '') };
  }
  return { address: t };
}
