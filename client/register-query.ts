// A round's register, one page at a time (issue 17): the CLI's `rounds status <round>` and the
// dashboard's register ask visibility only for the rows they show, instead of listing every
// letter of the round to show 50.
//
// Order. Visibility on SQL (the dev server's SQLite, PostgreSQL) cannot ORDER BY a search
// attribute, so "overdue first" is three queries asked in turn, each a phase:
//   overdue  running letters whose next action is before `at`,
//   open     the other running letters,
//   closed   finished letters.
// A page takes rows from a phase until it has `pageSize` of them or the phase runs out, then goes
// on with the next phase. Within a page, rows are sorted by registerOrder (earliest next action,
// then letter id); across pages the order is the server's within each phase.
//
// Sorting by recipient or organisation (fields only the memo holds, which visibility cannot
// order or search by) is done within the page shown, not over the round: over the round it means
// listing every letter first, which is what made the register take 2-4 s at 10,000 letters
// (bench/README.md). A person looking for one recipient uses the letter's id or the state and
// overdue filters; the full sorted list is one export away (`rounds status <round> --csv`).
//
// Page tokens are opaque to the caller: base64url of {v, phase, at, token}, where token is the
// server's own next-page token for that phase (base64) and `at` pins "now" so page 2 continues
// the page 1 that was shown.
//
// Counts come from CountWorkflowExecutions: the server groups by ExecutionStatus only, so the
// letters of each of our states are counted one query per state, all in parallel.
import type { Client } from '@temporalio/client';
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers';
import { LETTER_STATES, type LetterState as State } from '../domain/states';
import { UserError } from './errors';
import { csvField } from '../domain/csv';
import { PAGE_SIZE, toRow, type LetterRow } from './queries';
import { registerOrder } from './register';

export { PAGE_SIZE };
export const PHASES = ['overdue', 'open', 'closed'] as const;
export type Phase = (typeof PHASES)[number];

export interface PageCursor {
  phase: Phase;
  /** The moment "overdue" is measured against, the same for every page of one listing (ISO 8601). */
  at: string;
  /** The server's next-page token within the phase, base64; absent at the start of a phase. */
  token?: string;
}

export interface RegisterPage {
  rows: LetterRow[];
  /** Token of the next page; absent on the last page. */
  next?: string;
}

export interface RegisterCounts {
  letters: number;
  /** Temporal's execution status (Running, Completed, Terminated...), from one GROUP BY. */
  byStatus: Record<string, number>;
  /** Our states; 'unknown' are letters with no LetterState yet (not yet run by a worker). */
  byState: Partial<Record<State | 'unknown', number>>;
  overdue: number;
}

const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** The visibility query of one phase: `base` (e.g. queries.roundLetters(round)) narrowed to it. */
export function phaseQuery(base: string, phase: Phase, at: Date | string): string {
  const t = quote(typeof at === 'string' ? at : at.toISOString());
  switch (phase) {
    case 'overdue':
      return `${base} AND ExecutionStatus = "Running" AND NextActionAt < ${t}`;
    case 'open':
      // `NOT (...)` is accepted by SQL visibility but matches nothing (probed on server 1.32), hence the OR.
      return `${base} AND ExecutionStatus = "Running" AND (NextActionAt >= ${t} OR NextActionAt IS NULL)`;
    case 'closed':
      return `${base} AND ExecutionStatus != "Running"`;
  }
}

export function encodePageToken(c: PageCursor): string {
  return Buffer.from(JSON.stringify({ v: 1, phase: c.phase, at: c.at, ...(c.token ? { token: c.token } : {}) })).toString('base64url');
}

/** The cursor a token stands for; UserError (saying what was expected) for anything that is not one of ours. */
export function decodePageToken(s: string): PageCursor {
  const bad = (why: string) => new UserError(`page token '${s.length > 40 ? `${s.slice(0, 40)}…` : s}' is not one this register gave out (${why}); start again from the first page`);
  if (!/^[A-Za-z0-9_-]+$/.test(s)) throw bad('expected base64url text');
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
  } catch {
    throw bad('it does not decode to JSON');
  }
  const o = v as Record<string, unknown>;
  if (!o || typeof o !== 'object' || o.v !== 1) throw bad('unknown format');
  if (!PHASES.includes(o.phase as Phase)) throw bad(`phase must be one of ${PHASES.join(', ')}`);
  if (typeof o.at !== 'string' || Number.isNaN(Date.parse(o.at))) throw bad('at must be an ISO 8601 instant');
  if (o.token !== undefined && (typeof o.token !== 'string' || !/^[A-Za-z0-9+/=]*$/.test(o.token))) throw bad('token must be base64');
  return { phase: o.phase as Phase, at: o.at, ...(o.token ? { token: o.token as string } : {}) };
}

/** One visibility request: up to `pageSize` rows of a query, and the server's token for more. */
async function listOnce(client: Client, query: string, pageSize: number, token?: string): Promise<{ rows: LetterRow[]; token?: string }> {
  const response = await client.workflowService.listWorkflowExecutions({
    namespace: client.options.namespace,
    query,
    pageSize,
    nextPageToken: token ? Buffer.from(token, 'base64') : undefined,
  });
  const rows = await Promise.all(
    response.executions.map(async (raw) => toRow(await executionInfoFromRaw(raw, client.options.loadedDataConverter, raw, client.options.namespace))),
  );
  const next = response.nextPageToken?.length ? Buffer.from(response.nextPageToken).toString('base64') : undefined;
  return { rows, token: next };
}

/**
 * One page of the register of `base` (a visibility query, e.g. queries.roundLetters(round)):
 * overdue letters first, then the other running ones, then finished ones. `token` is a page's
 * `next`; without it, the first page (overdue measured against `at`, default now).
 */
export async function registerPage(
  client: Client,
  base: string,
  opts: { token?: string; pageSize?: number; at?: Date; seen?: Set<string> } = {},
): Promise<RegisterPage> {
  const pageSize = opts.pageSize ?? PAGE_SIZE;
  let cursor: PageCursor | undefined = opts.token ? decodePageToken(opts.token) : { phase: 'overdue', at: (opts.at ?? new Date()).toISOString() };
  const rows: LetterRow[] = [];
  // Ids already shown: this page's, or (`opts.seen`) every page's of one export.
  const seen = opts.seen ?? new Set<string>();
  while (cursor && rows.length < pageSize) {
    const got = await listOnce(client, phaseQuery(base, cursor.phase, cursor.at), pageSize - rows.length, cursor.token);
    // A letter chased or closed between two phases' requests matches both: show it once.
    rows.push(...got.rows.filter((r) => !seen.has(r.workflowId) && seen.add(r.workflowId)).sort(registerOrder));
    cursor = got.token ? { ...cursor, token: got.token } : nextPhase(cursor);
  }
  return { rows, ...(cursor ? { next: encodePageToken(cursor) } : {}) };
}

function nextPhase(c: PageCursor): PageCursor | undefined {
  const i = PHASES.indexOf(c.phase);
  return i + 1 < PHASES.length ? { phase: PHASES[i + 1], at: c.at } : undefined;
}

/**
 * Every row of `base` in register order, as visibility hands them over (pages of `pageSize`),
 * for exports: the first row comes after one request, and no list of rows is held in memory.
 * Each letter comes once: the round is live while it is read, and a letter that is chased (no
 * longer overdue) or closes after its phase was read matches a later phase too. Only the ids
 * seen are kept (about 100 bytes a letter), so that an export never lists a letter twice.
 */
export async function* registerRows(client: Client, base: string, opts: { at?: Date; pageSize?: number } = {}): AsyncGenerator<LetterRow> {
  let token: string | undefined;
  let first = true;
  const seen = new Set<string>();
  while (first || token) {
    // A small first request, so the first rows come out quickly; then big ones.
    const pageSize = opts.pageSize ?? (first ? 100 : 1000);
    first = false;
    const page = await registerPage(client, base, { token, at: opts.at, pageSize, seen });
    yield* page.rows;
    token = page.next;
  }
}

/** The page `n` (1-based) of the register, walking the tokens of the pages before it. */
export async function registerPageNumber(client: Client, base: string, n: number, opts: { pageSize?: number; at?: Date } = {}): Promise<RegisterPage> {
  let page = await registerPage(client, base, opts);
  for (let i = 1; i < n && page.next; i++) page = await registerPage(client, base, { ...opts, token: page.next });
  return page;
}

/** Counts of `base`'s letters by execution status, by our state, and overdue: 2 + one per state requests, in parallel. */
export async function registerCounts(client: Client, base: string, at = new Date()): Promise<RegisterCounts> {
  const states = Object.keys(LETTER_STATES) as State[];
  const [grouped, overdue, ...perState] = await Promise.all([
    client.workflow.count(`${base} GROUP BY ExecutionStatus`),
    client.workflow.count(phaseQuery(base, 'overdue', at)),
    ...states.map((s) => client.workflow.count(`${base} AND LetterState = ${quote(s)}`)),
  ]);
  const byStatus: Record<string, number> = {};
  for (const g of grouped.groups) byStatus[String(g.groupValues[0])] = g.count;
  const byState: RegisterCounts['byState'] = {};
  let known = 0;
  states.forEach((s, i) => {
    if (perState[i].count > 0) byState[s] = perState[i].count;
    known += perState[i].count;
  });
  if (grouped.count > known) byState.unknown = grouped.count - known;
  return { letters: grouped.count, byStatus, byState, overdue: overdue.count };
}


/** The register as CSV from visibility alone (memo and search attributes): `rounds status <round> --csv`. */
const CSV_COLUMNS: [string, (r: LetterRow) => string | number | undefined][] = [
  ['Round', (r) => r.roundId],
  ['Letter', (r) => r.letterId],
  ['Workflow id', (r) => r.workflowId],
  ['Recipient', (r) => r.recipient?.name],
  ['Role', (r) => r.recipient?.role],
  ['Organisation', (r) => r.recipient?.organisation],
  ['State', (r) => r.state],
  ['State description', (r) => (r.state === 'unknown' ? '' : LETTER_STATES[r.state])],
  ['Letter date', (r) => r.letterDate],
  ['Next action', (r) => (r.nextActionAt ? (r.progress?.next ?? '') : '')],
  ['Next action at', (r) => r.nextActionAt ?? ''],
  ['Outstanding', (r) => r.outstanding.join(';')],
  ['Requested', (r) => r.requested?.join(';')],
  ['Execution status', (r) => r.executionStatus],
];

/** The CSV's first line, with the BOM spreadsheets need to read it as UTF-8. */
export function registerCsvHeader(): string {
  return '\uFEFF' + CSV_COLUMNS.map(([h]) => csvField(h)).join(',') + '\r\n';
}

export function registerCsvLine(r: LetterRow): string {
  return CSV_COLUMNS.map(([, f]) => csvField(f(r))).join(',') + '\r\n';
}
