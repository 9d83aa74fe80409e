// The letter parser: text in, inferences out, each with its line and a confidence, and
// specific issues where the letter is unclear. Pure: no I/O, no clock, no randomness,
// so it can run anywhere (CLI, dashboard, tests) and gives the same answer every time.
//
// This file only orchestrates; each part of the letter has its own reader, and every
// reader adds what it finds wrong to one LetterIssues (issues.ts), in reading order.
// How it reads a letter, in order:
//   1. normalise (BOM, line endings, size cap, format) (read-source.ts) and split into
//      lines of plain text, keeping original line numbers (text.ts);
//   2. find the anchors: the date line (read-date.ts), the salutation ("Dear ...",
//      read-salutation.ts), the sign-off ("Yours sincerely", read-sender.ts);
//   3. the lines before the date are the sender's header; the block between the date
//      and the salutation is the recipient (name, role, organisation, address:
//      read-recipient.ts);
//   4. the body (salutation to sign-off) is cut into sentences (read-body.ts,
//      sentences.ts), rejoining a sentence that a footnote block split across a page
//      break; sentences that ask for something say which documents are requested,
//      clauses that say "published" say which are not (read-documents.ts);
//   5. footnotes (read-footnotes.ts), coordinator (read-coordinator.ts), publication
//      (read-publication.ts), subject (read-subject.ts), sender and signature
//      (read-sender.ts); then consistency checks (check-order.ts) that turn a
//      truncated, shuffled or odd letter into specific issues.
//
// Robustness: at most MAX_LETTER_CHARS are read, header fields are looked for in the
// first HEADER_LINES lines only, all patterns are linear, and parseLetter catches
// anything unexpected and reports it as an issue: it never throws.

import { LetterIssues } from './issues';
import type { LetterFormat, LetterSource, ParsedLetter } from './parsed-letter';
import { readBody } from './read-body';
import { readCoordinator } from './read-coordinator';
import { type LetterDate, findDate } from './read-date';
import { readDocuments, reportUnfinished } from './read-documents';
import { readFootnotes } from './read-footnotes';
import { readPublication } from './read-publication';
import { readRecipient, recipientBlock } from './read-recipient';
import { checkSalutation, findSalutation, readSalutation } from './read-salutation';
import {
  checkSignOff, emailsIn, findValediction, readSender, readSignature, senderHeaderLines, type Signature,
} from './read-sender';
import { checkControlCharacters, normalise } from './read-source';
import { readSubject } from './read-subject';
import type { Sentence } from './sentences';
import { checkAfterSignature, checkOrder } from './check-order';
import { type Line, formatFromFileName, linesOfHtml, linesOfText } from './text';

/** Header fields (date, recipient, salutation) are looked for in this many lines. */
const HEADER_LINES = 300;

export function parseLetter(input: LetterSource): ParsedLetter {
  const fileName = typeof input?.fileName === 'string' ? input.fileName : '';
  const text = typeof input?.text === 'string' ? input.text : '';
  try {
    return readLetter(fileName, text, input?.format);
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

/** The lines that divide a letter into its parts. */
interface Anchors {
  /** The first HEADER_LINES lines, where the date, recipient and salutation are looked for. */
  header: Line[];
  salutation: Line | undefined;
  valediction: Line | undefined;
  date: LetterDate | undefined;
}

function readLetter(fileName: string, original: string, givenFormat: LetterFormat | undefined): ParsedLetter {
  const issues = new LetterIssues();
  const { text, format } = normalise(fileName, original, givenFormat, issues);
  const result = emptyResult(format);
  if (text.trim() === '') {
    issues.error(null, 'the letter is empty: there is no text to read');
    result.issues = issues.list();
    return result;
  }
  checkControlCharacters(text, issues);
  const lines = format === 'html' ? linesOfHtml(text) : linesOfText(text);
  const anchors = findAnchors(lines, issues);
  const block = readAddressee(lines, anchors, result, issues);
  const sentences = readBodyParts(lines, anchors, block, result, issues);
  const signature = readSenderParts(lines, anchors, sentences, result, issues);
  checkOrder([
    ['date', result.date?.line ?? null],
    ['recipient address', block[0]?.no ?? null],
    ['salutation', result.salutation?.line ?? null],
    ['request for documents', result.requestSentence?.line ?? null],
    ['sign-off', anchors.valediction?.no ?? null],
  ], issues);
  checkAfterSignature(lines, signature.lastLine ?? anchors.valediction?.no ?? null, issues);
  result.issues = issues.list();
  return result;
}

function findAnchors(lines: Line[], issues: LetterIssues): Anchors {
  const header = lines.slice(0, HEADER_LINES);
  const salutation = findSalutation(header);
  const valediction = findValediction(salutation ? lines.filter((l) => l.no > salutation.no) : lines);
  const date = findDate(header, salutation, issues);
  return { header, salutation, valediction, date };
}

/** Salutation, date and recipient into `result`; returns the recipient block's lines. */
function readAddressee(lines: Line[], anchors: Anchors, result: ParsedLetter, issues: LetterIssues): Line[] {
  const { date, salutation } = anchors;
  const block = recipientBlock(lines, date?.lineObj, salutation, issues);
  const greeting = readSalutation(salutation, issues);
  if (greeting) result.salutation = greeting;
  if (date?.inferred) result.date = date.inferred;
  Object.assign(result, readRecipient(block, issues));
  if (result.salutation && result.recipientName) checkSalutation(result.salutation, result.recipientName, issues);
  return block;
}

/** The body's sentences, footnotes and requested documents into `result`; returns the sentences. */
function readBodyParts(lines: Line[], anchors: Anchors, block: Line[], result: ParsedLetter, issues: LetterIssues): Sentence[] {
  const { date, salutation, valediction } = anchors;
  const bodyStart = salutation?.no ?? (block.length ? block[block.length - 1]!.no : date?.lineObj.no ?? 0);
  const bodyEnd = valediction?.no ?? Number.POSITIVE_INFINITY;
  const body = readBody(lines.filter((l) => l.no > bodyStart && l.no < bodyEnd), issues);
  result.footnotes = readFootnotes(lines, issues);
  const { request, ...documents } = readDocuments(body.sentences, issues);
  Object.assign(result, documents);
  reportUnfinished(body.unfinished, request, issues);
  return body.sentences;
}

/** Coordinator, publication, subject and sender into `result`; returns the signature. */
function readSenderParts(lines: Line[], anchors: Anchors, sentences: Sentence[], result: ParsedLetter, issues: LetterIssues): Signature {
  const { date, salutation, valediction } = anchors;
  const headerEnd = date && (!salutation || date.lineObj.no < salutation.no) ? date.lineObj.no : 0;
  const senderHeader = senderHeaderLines(lines, headerEnd);
  const coordinator = readCoordinator(sentences, emailsIn(senderHeader), issues);
  if (coordinator) result.coordinator = coordinator;
  result.publicationRequested = readPublication(sentences, issues);
  const subject = readSubject(anchors.header, lines, salutation, sentences);
  if (subject) result.subject = subject;
  const signature = readSignature(lines, valediction);
  const sender = readSender(senderHeader, signature, sentences);
  if (sender) result.sender = sender;
  checkSignOff(sender, signature, valediction, issues);
  return signature;
}
