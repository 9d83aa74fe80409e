// Turns a letter file into what the round planner needs from it, using the letter parser:
// who it is to, what it asks for, its date, and the letter rendered for sending. A Word or
// PDF letter is converted to HTML first (domain/letter-file/docx.ts, pdf.ts), and the places the
// parser names are given as pages and paragraphs rather than lines of that HTML.
import { decodeLetterBytes, parseLetter, renderLetter, type Inferred, type LetterIssue, type LetterSource } from '../domain/letter-file';
import { docxToLetterHtml } from '../domain/letter-file/docx';
import { officeFormatOf, withPositions } from '../domain/letter-file/office';
import { pdfToLetterHtml } from '../domain/letter-file/pdf';
import type { LetterInference, RoundIssue } from '../domain/round';

export async function inferFromLetterFile(file: string, bytes: Uint8Array): Promise<LetterInference> {
  const office = officeFormatOf(file);
  let source: LetterSource;
  let readIssues: LetterIssue[];
  let positionOf: ((line: number) => string | undefined) | undefined;
  if (office) {
    const converted = office === 'docx' ? await docxToLetterHtml(bytes) : await pdfToLetterHtml(bytes);
    const issues = converted.issues.map((i) => ({ level: i.level, file, message: i.message }));
    // Refused, or a scan: nothing to read; recipients.csv must say it all.
    if (!converted.html) return { file, where: {}, issues };
    source = { fileName: file, text: converted.html, format: 'html' };
    readIssues = converted.issues;
    positionOf = (line) => converted.positions[line - 1];
  } else {
    const decoded = decodeLetterBytes(bytes, file);
    source = { fileName: file, text: decoded.text };
    readIssues = decoded.issues;
  }
  const parsed = parseLetter(source);
  const issues: RoundIssue[] = [...readIssues, ...parsed.issues].map((i) => {
    // The parser's messages start with "line N: "; the file and line are printed in front already.
    const message = i.message.replace(/^line \d+: /, '');
    if (!positionOf) return { level: i.level, file, line: i.line ?? undefined, message };
    return { level: i.level, file, position: i.line ? positionOf(i.line) : undefined, message: withPositions(message, positionOf) };
  });
  const where: Record<string, string> = {};
  const take = <T>(field: string, inferred: Inferred<T> | undefined): T | undefined => {
    if (!inferred) return undefined;
    const at = inferred.line ? (positionOf ? positionOf(inferred.line) : `line ${inferred.line}`) : undefined;
    where[field] = `${at ? `${at}, ` : ''}${inferred.confidence} confidence`;
    return inferred.value;
  };
  const documents = parsed.documents.value.length > 0 ? take('documents', parsed.documents) : undefined;
  let body: LetterInference['body'];
  if (!issues.some((i) => i.level === 'error')) body = renderLetter({ text: source.text, fileName: file, format: source.format });
  return {
    file,
    date: take('letterDate', parsed.date),
    name: take('name', parsed.recipientName),
    role: take('role', parsed.role),
    organisation: take('organisation', parsed.organisation),
    salutation: take('salutation', parsed.salutation),
    address: take('address', parsed.address),
    documents,
    alreadyPublished: parsed.alreadyPublished.value,
    publicationRequested: parsed.publicationRequested.value,
    where,
    body,
    issues,
  };
}
