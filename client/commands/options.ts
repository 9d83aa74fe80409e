// Option values the commands share, checked as commander parses them: a mistake is the
// person's (exit 1), said before Temporal is contacted.
import { Option } from 'commander';
import { DOCUMENT_KEYS, isDocumentKey, type DocumentKey } from '../../domain/documents';
import { UserError } from '../errors';

/** A letter id, '<roundId>/<letterId>'. */
export function checkId(id: string): string {
  if (!/^[^/\s]+\/[^/\s]+$/.test(id)) throw new UserError(`'${id}' is not a letter id: expected <roundId>/<letterId>, e.g. vru-2020/kent`);
  return id;
}

function collectDocs(value: string, previous: DocumentKey[] | undefined): DocumentKey[] {
  const keys = value.split(/[,;]/).map((s) => s.trim()).filter(Boolean);
  for (const k of keys) {
    if (!isDocumentKey(k)) throw new UserError(`--doc: '${k}' is not a document key (expected one of ${DOCUMENT_KEYS.join(', ')})`);
  }
  return [...(previous ?? []), ...(keys as DocumentKey[])];
}

/** --doc <key...>: requested documents, by key (repeatable, or comma-separated). */
export const docsOption = (): Option => new Option('--doc <key...>', `document keys: ${DOCUMENT_KEYS.join(', ')}`).argParser(collectDocs);

export function parsePositiveInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new UserError(`${flag}: expected a whole number of 1 or more, got '${value}'`);
    return n;
  };
}
