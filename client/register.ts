// A round's register: which letters it shows, in what order, a page at a time. Pure functions
// over the listing's rows (client/queries.ts lists them; the dashboard's register page and
// export, and the CLI's status, use these); no I/O, unit-tested in test/register.test.ts.
import { LETTER_STATES, isLetterState, type LetterState } from '../domain/states';
import type { LetterRow } from './queries';

/** The states in the order the register counts and sorts them (as LETTER_STATES lists them). */
export const STATE_ORDER = Object.keys(LETTER_STATES) as LetterState[];

export const SORT_KEYS = ['next', 'letter', 'recipient', 'organisation', 'state', 'outstanding'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** '' (every letter), a state, 'overdue' or 'unknown'. */
export type RegisterFilter = '' | 'overdue' | LetterState | 'unknown';

/** What the register is asked for (the dashboard's ?state=&q=&sort=&dir=&page=). */
export interface RegisterQuery {
  filter: RegisterFilter;
  /** Words to find in the letter id, recipient's name or organisation; '' for none. */
  search: string;
  sort: SortKey;
  dir: 'asc' | 'desc';
  /** The page asked for (from 1; one past the last shows the last). */
  page: number;
}

/** The longest search kept (the rest is dropped). */
export const MAX_SEARCH = 200;

/**
 * Reads the register's query string: anything not understood falls back to the default
 * (every letter, no search, next action ascending, page 1) rather than failing.
 */
export function readRegisterQuery(q: Record<string, unknown>): RegisterQuery {
  const one = (v: unknown): string => (Array.isArray(v) ? (typeof v[0] === 'string' ? v[0] : '') : typeof v === 'string' ? v : '');
  const f = one(q.state);
  const sort = one(q.sort);
  return {
    filter: f === 'overdue' || f === 'unknown' || isLetterState(f) ? f : '',
    search: one(q.q).trim().slice(0, MAX_SEARCH),
    sort: (SORT_KEYS as readonly string[]).includes(sort) ? (sort as SortKey) : 'next',
    dir: one(q.dir) === 'desc' ? 'desc' : 'asc',
    page: Math.max(1, Number.parseInt(one(q.page), 10) || 1),
  };
}

/** Overdue first (earliest next action), then the rest by letter id; finished letters last. */
export function registerOrder(a: LetterRow, b: LetterRow): number {
  const ka = a.nextActionAt ?? '~';
  const kb = b.nextActionAt ?? '~';
  return ka < kb ? -1 : ka > kb ? 1 : a.letterId.localeCompare(b.letterId);
}

export function isOverdue(r: LetterRow, now: Date): boolean {
  return !!r.nextActionAt && Date.parse(r.nextActionAt) < now.getTime();
}

/**
 * The register's search: the words, ignoring case, anywhere in the letter id, the recipient's
 * name or the organisation. Recipients come from the listing's memo; a letter started before
 * the memo existed is found by its id only.
 */
export function matchesSearch(r: LetterRow, search: string): boolean {
  if (search === '') return true;
  const needle = search.toLocaleLowerCase('en-GB');
  return [r.letterId, r.recipient?.name, r.recipient?.organisation].some((v) => !!v && v.toLocaleLowerCase('en-GB').includes(needle));
}

const collator = new Intl.Collator('en-GB', { sensitivity: 'base', numeric: true });

function stateRank(s: LetterRow['state']): number {
  const i = STATE_ORDER.indexOf(s as LetterState);
  return i < 0 ? STATE_ORDER.length : i;
}

/** The register's order for a sort key and direction; ties fall back to registerOrder. */
export function comparator(sort: SortKey, dir: 'asc' | 'desc'): (a: LetterRow, b: LetterRow) => number {
  const byLetter = (a: LetterRow, b: LetterRow) => a.letterId.localeCompare(b.letterId, 'en', { numeric: true });
  // Recipients come from the memo in the listing, so these sort the whole round; letters
  // started without a memo have no name there and sort last (first, descending).
  const byText = (get: (r: LetterRow) => string | undefined) => (a: LetterRow, b: LetterRow) => {
    const x = get(a);
    const y = get(b);
    return x === y ? registerOrder(a, b) : x === undefined ? 1 : y === undefined ? -1 : collator.compare(x, y) || registerOrder(a, b);
  };
  const orders: Record<SortKey, (a: LetterRow, b: LetterRow) => number> = {
    next: registerOrder,
    letter: byLetter,
    recipient: byText((r) => r.recipient?.name),
    organisation: byText((r) => r.recipient?.organisation),
    state: (a, b) => stateRank(a.state) - stateRank(b.state) || registerOrder(a, b),
    outstanding: (a, b) => a.outstanding.length - b.outstanding.length || registerOrder(a, b),
  };
  const primary = orders[sort];
  return dir === 'asc' ? primary : (a, b) => primary(b, a);
}

/** One page of the register, and the round's counts the page shows above it. */
export interface RegisterSelection {
  /** Letters in the round, by state (of all of them, whatever the filter). */
  counts: Partial<Record<LetterRow['state'], number>>;
  /** Letters in the round whose next action is past. */
  overdue: number;
  /** Letters the filter and search keep. */
  matching: number;
  /** The page shown (the one asked for, or the last there is) and how many there are (at least 1). */
  page: number;
  pages: number;
  /** This page's rows, in order. */
  rows: LetterRow[];
}

/** Counts the round, keeps what the filter and search match, sorts it and cuts out one page. */
export function selectRegister(all: readonly LetterRow[], query: RegisterQuery, pageSize: number, now: Date): RegisterSelection {
  const counts: RegisterSelection['counts'] = {};
  let overdue = 0;
  for (const r of all) {
    counts[r.state] = (counts[r.state] ?? 0) + 1;
    if (isOverdue(r, now)) overdue++;
  }
  const { filter, search } = query;
  const matching = all
    .filter((r) => (filter === '' ? true : filter === 'overdue' ? isOverdue(r, now) : r.state === filter))
    .filter((r) => matchesSearch(r, search))
    .sort(comparator(query.sort, query.dir));
  const pages = Math.max(1, Math.ceil(matching.length / pageSize));
  const page = Math.min(pages, query.page);
  return { counts, overdue, matching: matching.length, page, pages, rows: matching.slice((page - 1) * pageSize, page * pageSize) };
}
