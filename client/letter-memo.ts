// A letter workflow's memo: what the register shows of a letter that never changes after it
// starts (recipient, letter date, requested documents). The client writes it when it starts
// the workflow (startLetters), and every visibility listing carries it back, so a register
// page needs no status query per row. The workflow never reads or changes it.
//
// Letters started before the memo existed have none; readLetterMemo then returns undefined
// and the register asks those letters for their status instead.
import { isDocumentKey, type DocumentKey } from '../domain/documents';
import type { LetterInput, LetterProgress } from '../domain/types';
import { PROGRESS_MEMO_KEY } from '../workflows/letter-api';

/** The memo's one field; its value is a RegisterMemo. */
export const MEMO_KEY = 'register';

export interface RegisterMemo {
  /** The memo's format; a reader ignores a memo of a format it does not know. */
  v: 1;
  recipient: { name: string; role?: string; organisation?: string };
  letterDate: string;
  /** The documents the letter asks for, in the letter's order. */
  documents: DocumentKey[];
}

/**
 * Longest text kept in the memo. Every row of every listing carries its memo, so a memo stays
 * a few hundred bytes even when a recipients.csv cell is not; the letter's page shows it whole.
 */
export const MEMO_TEXT_MAX = 160;

function clip(s: string): string {
  return s.length <= MEMO_TEXT_MAX ? s : `${s.slice(0, MEMO_TEXT_MAX - 1)}…`;
}

/** The memo a letter's workflow is started with (`memo` in client.workflow.start's options). */
export function letterMemo(input: Pick<LetterInput, 'recipient' | 'letterDate' | 'documents'>): Record<string, unknown> {
  const r = input.recipient;
  const memo: RegisterMemo = {
    v: 1,
    recipient: {
      name: clip(r.name),
      ...(r.role ? { role: clip(r.role) } : {}),
      ...(r.organisation ? { organisation: clip(r.organisation) } : {}),
    },
    letterDate: input.letterDate,
    documents: [...input.documents],
  };
  return { [MEMO_KEY]: memo };
}

const optionalText = (v: unknown) => v === undefined || typeof v === 'string';

/** The register memo of a listed workflow, or undefined when it has none (or one this code cannot read). */
export function readLetterMemo(memo: Record<string, unknown> | undefined): RegisterMemo | undefined {
  const m = memo?.[MEMO_KEY] as Partial<RegisterMemo> | undefined;
  if (!m || typeof m !== 'object' || m.v !== 1) return undefined;
  const r = m.recipient;
  if (!r || typeof r !== 'object' || typeof r.name !== 'string' || !optionalText(r.role) || !optionalText(r.organisation)) return undefined;
  if (typeof m.letterDate !== 'string' || !Array.isArray(m.documents) || !m.documents.every(isDocumentKey)) return undefined;
  return {
    v: 1,
    recipient: { name: r.name, ...(r.role ? { role: r.role } : {}), ...(r.organisation ? { organisation: r.organisation } : {}) },
    letterDate: m.letterDate,
    documents: m.documents,
  };
}

/**
 * The progress the workflow publishes in its memo as the letter goes on (the next step's kind,
 * when each answered document came in or was declined); undefined for letters whose workflow
 * started before it did so, or for a value this code cannot read.
 */
export function readProgressMemo(memo: Record<string, unknown> | undefined): LetterProgress | undefined {
  const p = memo?.[PROGRESS_MEMO_KEY] as Partial<LetterProgress> | undefined;
  if (!p || typeof p !== 'object' || (p.next !== null && typeof p.next !== 'string')) return undefined;
  if (!p.answered || typeof p.answered !== 'object') return undefined;
  const answered: LetterProgress['answered'] = {};
  for (const [k, v] of Object.entries(p.answered)) {
    if (!isDocumentKey(k) || !v || typeof v !== 'object') return undefined;
    const d = v as { receivedOn?: unknown; declinedOn?: unknown };
    if (typeof d.receivedOn === 'string') answered[k] = { receivedOn: d.receivedOn };
    else if (typeof d.declinedOn === 'string') answered[k] = { declinedOn: d.declinedOn };
    else return undefined;
  }
  const stats = {
    ...(typeof p.sentOn === 'string' ? { sentOn: p.sentOn } : {}),
    ...(typeof p.firstDeadline === 'string' ? { firstDeadline: p.firstDeadline } : {}),
    ...(typeof p.chases === 'number' ? { chases: p.chases } : {}),
  };
  return { next: p.next ?? null, answered, ...stats };
}
