// A round's register as CSV, for the CLI (`rounds export <roundId> --csv`) and the dashboard
// (/rounds/:roundId/export.csv). UTF-8 with a BOM (so spreadsheets read it as UTF-8), a
// header row, CRLF line ends and RFC 4180 quoting; dates in ISO 8601 ('2020-11-10', and
// instants like '2020-11-10T09:30:00.000Z'). A cell that a spreadsheet would run as a
// formula (starting with =, +, -, @, tab or CR) gets a leading apostrophe.
//
// The letters come from one visibility query; each letter's recipient and received dates
// come from its own status (the workflow's result when it has finished, else its status
// query), fetched a few at a time.
import type { Client } from '@temporalio/client';
import { DOCUMENT_KEYS } from '../domain/documents';
import { LETTER_STATES } from '../domain/states';
import type { LetterStatus } from '../domain/types';
import { csvField, toCsv } from '../domain/csv';
import { NotFoundError } from './errors';

export { csvField, toCsv };
import { letterStatus } from './letters';
import { listLetters, queries, type LetterRow } from './queries';
import { registerOrder } from './register';
import { forEachLimit } from './concurrency';

export const CSV_HEADER: string[] = [
  'Round',
  'Letter',
  'Workflow id',
  'Recipient',
  'Role',
  'Organisation',
  'Email',
  'State',
  'State description',
  'Letter date',
  'Sent on',
  'Next action',
  'Next action at',
  'Outstanding',
  ...DOCUMENT_KEYS.flatMap((k) => [`${k} requested`, `${k} received on`, `${k} declined on`]),
];

/** One letter's record: the visibility row, completed by its status when there is one. */
export function registerRecord(row: LetterRow, status: LetterStatus | undefined): string[] {
  const state = status?.state ?? row.state;
  const next = status?.nextAction ?? null;
  const docs = DOCUMENT_KEYS.flatMap((k) => {
    const d = status?.documents[k];
    return [d?.requested ? 'yes' : status ? 'no' : '', d?.receivedOn ?? '', d?.declinedOn ?? ''];
  });
  return [
    row.roundId,
    row.letterId,
    row.workflowId,
    status?.recipient.name ?? '',
    status?.recipient.role ?? '',
    status?.recipient.organisation ?? '',
    status?.recipient.email ?? '',
    state,
    state === 'unknown' ? '' : LETTER_STATES[state],
    status?.letterDate ?? '',
    status?.sentOn ?? '',
    next?.kind ?? '',
    status ? (next?.at ?? '') : (row.nextActionAt ?? ''),
    (status?.outstanding ?? row.outstanding).join(';'),
    ...docs,
  ];
}

/**
 * Each row's status, `concurrency` at a time, each given `timeoutMs` (a letter whose worker
 * is down must not hang a page). A finished letter's status is its workflow's result (no
 * replay, no worker needed); a running one's is its status query. A letter whose status
 * cannot be read (e.g. its workflow was terminated) maps to its Error.
 */
export async function letterStatuses(
  client: Client,
  rows: LetterRow[],
  opts: { concurrency?: number; timeoutMs?: number } = {},
): Promise<Map<string, LetterStatus | Error>> {
  const out = new Map<string, LetterStatus | Error>();
  await forEachLimit(rows, opts.concurrency ?? 16, async (row) => {
    try {
      out.set(row.workflowId, await client.withDeadline(Date.now() + (opts.timeoutMs ?? 10_000), () => statusOf(client, row.workflowId, row.executionStatus)));
    } catch (err) {
      out.set(row.workflowId, err instanceof Error ? err : new Error(String(err)));
    }
  });
  return out;
}

/**
 * One letter's status: its workflow's result when it has completed, else its status
 * query. Without `executionStatus`, asks the server first. NotFoundError when there is no such letter.
 */
export async function statusOf(client: Client, workflowId: string, executionStatus?: string): Promise<LetterStatus> {
  if (executionStatus === undefined) {
    try {
      executionStatus = (await client.workflow.getHandle(workflowId).describe()).status.name;
    } catch {
      // not found, or unreachable: the query below says which, in the CLI's words
    }
  }
  if (executionStatus === 'COMPLETED') {
    try {
      const result = (await client.workflow.getHandle(workflowId).result()) as LetterStatus;
      if (result && typeof result === 'object' && 'state' in result) return result;
    } catch {
      // fall through to the query
    }
  }
  return letterStatus(client, workflowId);
}

/** The register of one round as CSV (see the top of this file). NotFoundError when the round has no letters. */
export async function exportRoundCsv(client: Client, roundId: string): Promise<string> {
  const rows = (await listLetters(client, queries.roundLetters(roundId))).sort(registerOrder);
  if (rows.length === 0) throw new NotFoundError(`no letters in round '${roundId}' (see \`rounds status\` for the rounds there are)`);
  const statuses = await letterStatuses(client, rows, { timeoutMs: 30_000 });
  return toCsv([
    CSV_HEADER,
    ...rows.map((row) => {
      const s = statuses.get(row.workflowId);
      return registerRecord(row, s instanceof Error ? undefined : s);
    }),
  ]);
}
