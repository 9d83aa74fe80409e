// Issue 16: one change for many letters. The letters are chosen from visibility (no query per
// letter), then each is changed through its own update, a few at a time, so that a letter that
// refuses (already complete, say) is reported and the rest go on.
import type { Client } from '@temporalio/client';
import { CALENDAR_YEARS, isInCalendar, parseIsoDate } from '../domain/calendar';
import { isLetterState, LETTER_STATES, FINAL_STATES, type LetterState } from '../domain/states';
import type { CalendarPayload, CalendarPreview, LetterStatus } from '../domain/types';
import * as api from '../workflows/letter-api';
import { describeError } from './errors';
import { AlreadyAppliedUserError, UserError } from './errors';
import { updateLetter, type Updates, type PayloadOf } from './letters';
import { listLetters, queries, type LetterRow } from './queries';
import { CalendarError } from '../domain/errors';
import type { StatsLetter } from '../domain/stats';
import { forEachLimit } from './concurrency';

/** Which letters: by round, state, overdue, organisation, or a list of ids (all given must hold). */
export interface Selector {
  round?: string;
  state?: string;
  overdue?: boolean;
  organisation?: string;
  ids?: string[];
}

export async function selectLetters(client: Client, sel: Selector, now = new Date()): Promise<LetterRow[]> {
  if (sel.state !== undefined && !isLetterState(sel.state)) {
    throw new UserError(`--state: '${sel.state}' is not a letter state (expected one of ${Object.keys(LETTER_STATES).join(', ')})`);
  }
  if (!sel.round && !sel.ids?.length && !sel.organisation && !sel.state && !sel.overdue) {
    throw new UserError('say which letters: --round <id>, --state <state>, --overdue, --organisation <name> or --ids <id,id>');
  }
  const query = sel.overdue ? queries.overdue(now, sel.round) : sel.round ? queries.roundLetters(sel.round) : queries.allLetters();
  const rows = await listLetters(client, query);
  const org = sel.organisation?.trim().toLowerCase();
  const ids = sel.ids ? new Set(sel.ids) : undefined;
  return rows
    .filter((r) => !sel.state || r.state === sel.state)
    .filter((r) => !org || [r.recipient?.organisation, r.recipient?.name].some((x) => x?.toLowerCase() === org))
    .filter((r) => !ids || ids.has(r.workflowId))
    .sort((a, b) => a.workflowId.localeCompare(b.workflowId));
}

/** Every open letter (of one round), for a calendar change. */
export async function openLetters(client: Client, round?: string): Promise<LetterRow[]> {
  const rows = await listLetters(client, `${round ? queries.roundLetters(round) : queries.allLetters()} AND ExecutionStatus = "Running"`);
  return rows.filter(isOpen).sort((a, b) => a.workflowId.localeCompare(b.workflowId));
}

/** Open letters only: those a change can still apply to. */
export const isOpen = (r: LetterRow): boolean => r.executionStatus === 'RUNNING' && !FINAL_STATES.includes(r.state as LetterState);

export interface Outcome {
  workflowId: string;
  ok: boolean;
  /** The letter already had the change (ok, nothing happened): re-running a round-wide change moves nothing twice. */
  unchanged?: boolean;
  /** What happened, or why the letter refused. */
  message: string;
  status?: LetterStatus;
}

/** Sends `name` with `payload` to each letter (at most `concurrency` at once), reporting each outcome as it comes. */
export async function applyToLetters<K extends keyof Updates>(
  client: Client,
  ids: string[],
  name: K,
  payload: PayloadOf<Updates[K]>,
  opts: { concurrency?: number; onProgress?: (done: number, total: number, last: Outcome) => void; describe?: (s: LetterStatus) => string } = {},
): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(ids.length);
  let done = 0;
  await forEachLimit(ids, opts.concurrency ?? 8, async (workflowId, i) => {
    try {
      const status = await updateLetter(client, workflowId, name, payload);
      outcomes[i] = { workflowId, ok: true, message: opts.describe ? opts.describe(status) : status.state, status };
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      const message = err.message.startsWith(`${workflowId}: `) ? err.message.slice(workflowId.length + 2) : err.message;
      outcomes[i] = err instanceof AlreadyAppliedUserError ? { workflowId, ok: true, unchanged: true, message } : { workflowId, ok: false, message };
    }
    opts.onProgress?.(++done, ids.length, outcomes[i]);
  });
  return outcomes;
}

/**
 * As applyToLetters, for letters listed from visibility: a letter whose workflow has finished
 * is reported as refused with its state (an update would only find no running workflow).
 */
export async function applyToRows<K extends keyof Updates>(
  client: Client,
  rows: LetterRow[],
  name: K,
  payload: PayloadOf<Updates[K]>,
  opts: Parameters<typeof applyToLetters>[4] = {},
): Promise<Outcome[]> {
  // A finished letter in its publication window is still running, but takes no such change.
  const open = rows.filter(isOpen);
  const sent = await applyToLetters(client, open.map((r) => r.workflowId), name, payload, opts);
  const byId = new Map(sent.map((o) => [o.workflowId, o]));
  return rows.map(
    (r) => byId.get(r.workflowId) ?? { workflowId: r.workflowId, ok: false, message: `the letter is ${r.state === 'unknown' ? 'finished' : r.state}; nothing more can be changed on it` },
  );
}

/** `rounds calendar close`: checks the dates first (nothing is sent when they are wrong). */
export function closurePayload(from: string, to: string | undefined, reason: string | undefined, by?: string): CalendarPayload {
  const date = (value: string, field: string) => {
    try {
      const d = parseIsoDate(value);
      if (!isInCalendar(d)) {
        throw new UserError(
          `${field}: ${d} is outside the working-day calendar (England and Wales bank holidays, ${CALENDAR_YEARS.first} to ${CALENDAR_YEARS.last}); no letter can have a step there`,
        );
      }
      return d;
    } catch (err) {
      if (!(err instanceof CalendarError)) throw err;
      throw new UserError(`${field}: ${err.message}`);
    }
  };
  const f = date(from, '<from>');
  const t = to === undefined ? undefined : date(to, '<to>');
  if (t !== undefined && t < f) throw new UserError(`<to>: ${t} is before <from> (${f})`);
  if (!reason?.trim()) throw new UserError('--reason: say why (e.g. "office closed"); it is shown on every letter whose dates move');
  return { from: f, ...(t ? { to: t } : {}), reason, ...(by ? { by } : {}) };
}

/** What moved on one letter after a calendar change: its latest calendar timeline entry. */
export function calendarMessage(s: LetterStatus): string {
  return [...s.timeline].reverse().find((e) => e.kind === 'calendar')?.message ?? 'changed';
}

/**
 * What a calendar change would do to each letter, changing nothing: one `calendarPreview` query
 * each (a few at a time). A letter that cannot answer (finished since it was listed, or run by a
 * worker from before the query existed) is shown as refused with the reason.
 */
export async function previewCalendar(
  client: Client,
  ids: string[],
  payload: CalendarPayload,
  opts: { concurrency?: number } = {},
): Promise<(CalendarPreview & { workflowId: string })[]> {
  const results: (CalendarPreview & { workflowId: string })[] = new Array(ids.length);
  await forEachLimit(ids, opts.concurrency ?? 8, async (workflowId, i) => {
    try {
      results[i] = { workflowId, ...(await client.workflow.getHandle(workflowId).query(api.calendarPreview, payload)) };
    } catch (err) {
      results[i] = { workflowId, outcome: 'refused', message: `cannot say: ${describeError(err)}` };
    }
  });
  return results;
}

/** Register rows as the statistics read them (domain/stats.ts): from visibility and memos only. */
export function statsLetters(rows: LetterRow[]): StatsLetter[] {
  return rows.map((r) => ({
    roundId: r.roundId,
    organisation: r.recipient?.organisation ?? r.recipient?.name ?? '(unknown)',
    state: r.state,
    open: r.executionStatus === 'RUNNING',
    requested: r.requested ?? r.outstanding,
    progress: r.progress,
    nextActionAt: r.nextActionAt,
  }));
}
