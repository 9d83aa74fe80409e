// The questions people ask of a round, each a named visibility query over the letter
// workflow's search attributes (after Alaveteli's overdue_query.rb and friends). The CLI and
// the dashboard both use these; none of them runs a query per letter. A listed letter's
// recipient and requested documents come from its memo (client/letter-memo.ts).
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import type { DocumentKey } from '../domain/documents';
import { isLetterState, type LetterState as State } from '../domain/states';
import { LetterState, NextActionAt, Outstanding, RoundId, WORKFLOW_TYPE } from '../workflows/letter-api';
import type { LetterProgress } from '../domain/types';
import { readLetterMemo, readProgressMemo, type RegisterMemo } from './letter-memo';

export interface LetterRow {
  workflowId: string;
  roundId: string;
  letterId: string;
  state: State | 'unknown';
  /** Temporal's own status: Running, Completed, Failed, Terminated... */
  executionStatus: string;
  nextActionAt: string | null;
  outstanding: DocumentKey[];
  startTime: string;
  /** From the memo: absent for letters started without one (then only their status query has these). */
  recipient?: RegisterMemo['recipient'];
  letterDate?: string;
  /** The documents the letter asks for (`outstanding` says which of them are still awaited). */
  requested?: DocumentKey[];
  /** From the memo the workflow keeps up to date: absent for letters started before it did. */
  progress?: LetterProgress;
}

/** Rows on one page of a register (client/register-query.ts). */
export const PAGE_SIZE = 50;

const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

// A letter whose history grew long continues as new (workflows/letter.ts): its earlier run stays
// in visibility as ContinuedAsNew, under the same workflow id. Lists of letters leave those out,
// or such a letter would be listed (and counted) twice.
const CURRENT_RUNS = 'ExecutionStatus != "ContinuedAsNew"';

export const queries = {
  /** Every letter workflow. */
  allLetters: () => `WorkflowType = ${quote(WORKFLOW_TYPE)} AND ${CURRENT_RUNS}`,
  /** The letters of one round. */
  roundLetters: (roundId: string) => `WorkflowType = ${quote(WORKFLOW_TYPE)} AND RoundId = ${quote(roundId)} AND ${CURRENT_RUNS}`,
  /** Open letters whose next action is due before `at` (i.e. late, or about to be acted on). */
  overdue: (at: Date, roundId?: string) =>
    `WorkflowType = ${quote(WORKFLOW_TYPE)} AND ExecutionStatus = "Running" AND NextActionAt < ${quote(at.toISOString())}` +
    (roundId ? ` AND RoundId = ${quote(roundId)}` : ''),
  /** Open letters that have any of these RecipientEmails keys (an address, or '@domain'): the sender match of replies in. */
  openLettersWith: (keys: string[]) =>
    `WorkflowType = ${quote(WORKFLOW_TYPE)} AND ExecutionStatus = "Running" AND RecipientEmails IN (${keys.map(quote).join(', ')})`,
  /** Letters in one state. */
  inState: (state: State, roundId?: string) =>
    `WorkflowType = ${quote(WORKFLOW_TYPE)} AND ${CURRENT_RUNS} AND LetterState = ${quote(state)}` + (roundId ? ` AND RoundId = ${quote(roundId)}` : ''),
};

export function toRow(info: WorkflowExecutionInfo): LetterRow {
  const sa = info.typedSearchAttributes;
  const roundId = sa.get(RoundId) ?? info.workflowId.split('/')[0];
  const state = sa.get(LetterState);
  const next = sa.get(NextActionAt);
  const memo = readLetterMemo(info.memo);
  const progress = readProgressMemo(info.memo);
  return {
    workflowId: info.workflowId,
    roundId,
    letterId: info.workflowId.slice(roundId.length + 1),
    state: isLetterState(state) ? state : 'unknown',
    executionStatus: info.status.name,
    nextActionAt: next && info.status.name === 'RUNNING' ? new Date(next).toISOString() : null,
    outstanding: (sa.get(Outstanding) ?? []) as DocumentKey[],
    startTime: info.startTime.toISOString(),
    ...(memo ? { recipient: memo.recipient, letterDate: memo.letterDate, requested: memo.documents } : {}),
    ...(progress ? { progress } : {}),
  };
}

export async function listLetters(client: Client, query: string): Promise<LetterRow[]> {
  const rows: LetterRow[] = [];
  for await (const info of client.workflow.list({ query, pageSize: 1000 })) rows.push(toRow(info));
  return rows;
}

export interface RoundSummary {
  roundId: string;
  letters: number;
  byState: Partial<Record<State | 'unknown', number>>;
  overdue: number;
}

export function summarise(rows: LetterRow[], now = new Date()): RoundSummary[] {
  const rounds = new Map<string, RoundSummary>();
  for (const r of rows) {
    const s = rounds.get(r.roundId) ?? { roundId: r.roundId, letters: 0, byState: {}, overdue: 0 };
    s.letters++;
    s.byState[r.state] = (s.byState[r.state] ?? 0) + 1;
    if (r.nextActionAt && Date.parse(r.nextActionAt) < now.getTime()) s.overdue++;
    rounds.set(r.roundId, s);
  }
  return [...rounds.values()].sort((a, b) => a.roundId.localeCompare(b.roundId));
}
