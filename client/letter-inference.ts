// Turns a letter file into what the round planner needs from it, using the letter parser:
// who it is to, what it asks for, its date, and the letter rendered for sending.
import { decodeLetterBytes, parseLetter, renderLetter, type Inferred } from '../domain/letters';
import type { LetterInference, RoundIssue } from '../domain/round';

export function inferFromLetterFile(file: string, bytes: Uint8Array): LetterInference {
  const decoded = decodeLetterBytes(bytes, file);
  const parsed = parseLetter({ fileName: file, text: decoded.text });
  const issues: RoundIssue[] = [...decoded.issues, ...parsed.issues].map((i) => ({
    level: i.level,
    file,
    line: i.line ?? undefined,
    // The parser's messages start with "line N: "; the file and line are printed in front already.
    message: i.message.replace(/^line \d+: /, ''),
  }));
  const where: Record<string, string> = {};
  const take = <T>(field: string, inferred: Inferred<T> | undefined): T | undefined => {
    if (!inferred) return undefined;
    where[field] = `${inferred.line ? `line ${inferred.line}, ` : ''}${inferred.confidence} confidence`;
    return inferred.value;
  };
  const documents = parsed.documents.value.length > 0 ? take('documents', parsed.documents) : undefined;
  let body: LetterInference['body'];
  if (!issues.some((i) => i.level === 'error')) body = renderLetter({ text: decoded.text, fileName: file });
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
