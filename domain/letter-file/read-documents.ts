// The requested documents: the sentence that asks ("I would be grateful if you would
// share ...") says which documents are requested; clauses that say "published" say
// which are not. Without such a sentence, documents merely mentioned are a low-confidence
// guess.
import { DOCUMENT_KEYS, type DocumentKey, DOCUMENT_LABELS } from '../documents';
import { type LetterIssues, listMarks, tail } from './issues';
import type { Confidence, Inferred } from './parsed-letter';
import { CLAUSE_BREAK, PUBLISHED_CUE, REQUEST_CUE, findDocumentMentions } from './patterns';
import type { Unfinished } from './read-body';
import type { Sentence } from './sentences';

export interface RequestedDocuments {
  /** The sentence that asks, when one does. */
  request: Sentence | undefined;
  requestSentence?: Inferred<string>;
  documents: Inferred<DocumentKey[]>;
  alreadyPublished: Inferred<DocumentKey[]>;
}

/** What the sentences ask for, note as published, or only mention. */
interface Mentions {
  requested: Set<DocumentKey>;
  published: Set<DocumentKey>;
  /** Mentioned without asking: the line of the first mention. */
  mentioned: Map<DocumentKey, number>;
  request: Sentence | undefined;
  publishedLine: number | null;
  publishedSource: string | undefined;
}

export function readDocuments(sentences: Sentence[], issues: LetterIssues): RequestedDocuments {
  const found = findMentions(sentences);
  const { requested, published, request } = found;
  for (const k of requested) {
    if (published.has(k)) {
      published.delete(k);
      issues.warn(request?.line ?? null, `${DOCUMENT_LABELS[k]} is both noted as published and asked for; read as asked for`);
    }
  }
  const asked = request ? fromRequest(request, requested, issues) : fromMentions(found, issues);
  return {
    ...asked,
    alreadyPublished: published.size
      ? { value: ordered(published), line: found.publishedLine, confidence: 'high', source: found.publishedSource }
      : { value: [], line: null, confidence: request ? 'high' : 'low' },
  };
}

function findMentions(sentences: Sentence[]): Mentions {
  const found: Mentions = {
    requested: new Set(), published: new Set(), mentioned: new Map(), request: undefined, publishedLine: null, publishedSource: undefined,
  };
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
          found.published.add(m.key);
          if (found.publishedLine === null) {
            found.publishedLine = s.line;
            found.publishedSource = s.text;
          }
        } else if (asks) {
          if (!found.requested.has(m.key)) newlyRequested.push(m.key);
          found.requested.add(m.key);
        } else if (!found.mentioned.has(m.key)) {
          found.mentioned.set(m.key, s.line);
        }
      }
    }
    if (newlyRequested.length && !found.request) found.request = s;
  }
  return found;
}

function fromRequest(s: Sentence, requested: Set<DocumentKey>, issues: LetterIssues): Omit<RequestedDocuments, 'alreadyPublished'> {
  let confidence: Confidence = 'high';
  if (s.stitched) confidence = 'medium';
  if (!s.terminated) {
    confidence = 'low';
    issues.warn(s.endLine, `the request for documents ends without a full stop (${tail(s.text)}): it may be cut short, and documents named after the cut are missing`);
  }
  return {
    request: s,
    requestSentence: { value: s.text, line: s.line, confidence: s.terminated ? (s.stitched ? 'medium' : 'high') : 'low', source: s.text },
    documents: { value: ordered(requested), line: s.line, confidence, source: s.text },
  };
}

function fromMentions(found: Mentions, issues: LetterIssues): Omit<RequestedDocuments, 'alreadyPublished'> {
  const { published, mentioned } = found;
  const guessed = [...mentioned.keys()].filter((k) => !published.has(k));
  if (guessed.length) {
    const line = Math.min(...guessed.map((k) => mentioned.get(k)!));
    issues.warn(line, `no sentence asks for documents in a recognised way ('I would be grateful if you would share ...'); ${docNames(ordered(guessed))} read as requested because they are mentioned`);
    return { request: undefined, documents: { value: ordered(guessed), line, confidence: 'low' } };
  }
  if (published.size) {
    issues.error(found.publishedLine, `no requested documents found: ${docNames(ordered(published))} noted as published, and nothing else is asked for`);
  } else {
    issues.error(null, `no requested documents found: no sentence mentions a ${docNames([...DOCUMENT_KEYS])}`);
  }
  return { request: undefined, documents: { value: [], line: null, confidence: 'low' } };
}

/**
 * Paragraphs that end mid-sentence, reported once the request is known: the request
 * sentence itself, cut short, already has its own, more specific, warning.
 */
export function reportUnfinished(unfinished: Unfinished[], request: Sentence | undefined, issues: LetterIssues): void {
  for (const u of unfinished) {
    if (request && !request.terminated && u.line === request.endLine) continue;
    issues.warn(u.line, `paragraph ends mid-sentence (${tail(u.text)}): the letter may be truncated, or its paragraphs out of order`);
  }
}

function ordered(keys: Iterable<DocumentKey>): DocumentKey[] {
  const set = new Set(keys);
  return DOCUMENT_KEYS.filter((k) => set.has(k));
}

function docNames(keys: DocumentKey[]): string {
  return listMarks(keys.map((k) => DOCUMENT_LABELS[k]));
}
