// Issue 16: extend, pause, resume, withdraw, note and correct-address take one letter, or a
// selection of letters (each changed through its own update; a letter that refuses is reported
// and the rest go on). Also the report of a round-wide change, shared with `rounds calendar`.
import type { Command } from 'commander';
import { LETTER_STATES } from '../../domain/states';
import { ExitError } from '../../domain/errors';
import type { LetterStatus } from '../../domain/types';
import { UserError } from '../errors';
import { letterStatus, updateLetter, type PayloadOf, type Updates } from '../letters';
import type { Outcome } from '../round-actions';
import { when } from '../terminal-format';
import type { CliContext } from './cli-context';
import { rounds } from './lazy';
import { checkId } from './options';

/** The options that choose letters. */
export type Selection = { round?: string; state?: string; overdue?: boolean; organisation?: string; ids?: string; dryRun?: boolean; json?: boolean };

/** The option names that make a selection (the program's id check skips a command given one). */
export const SELECTION_KEYS = ['round', 'state', 'overdue', 'organisation', 'ids'] as const;

/** Adds the selection options to a command that takes one letter or a selection. */
export const selectable = (cmd: Command): Command =>
  cmd
    .option('--round <id>', 'every letter of this round (with the options below: those of them that match)')
    .option('--state <state>', `letters in this state (${Object.keys(LETTER_STATES).join(', ')})`)
    .option('--overdue', "open letters whose next action's time has passed")
    .option('--organisation <name>', "letters to this organisation (or recipient's name)")
    .option('--ids <ids>', 'these letters, comma-separated <roundId>/<letterId>')
    .option('--dry-run', 'list the letters it would change, and change nothing')
    .option('--json', 'machine-readable report');

export const isSelection = (o: Selection): boolean => SELECTION_KEYS.some((k) => o[k] !== undefined);

/** A letter's state and next action, as the commands that move its dates report it. */
export const nextText = (s: LetterStatus): string =>
  `${s.state}${s.attention ? ` (${s.attention})` : ''}; next ${s.nextAction ? `${s.nextAction.kind} at ${when(s.nextAction.at)}` : 'nothing'}`;

/** One update to one letter, or to each letter of a selection (or, with --dry-run, what it would change). */
export async function act<K extends keyof Updates>(
  ctx: CliContext,
  id: string | undefined,
  o: Selection,
  name: K,
  payload: PayloadOf<Updates[K]>,
  describe: (s: LetterStatus) => string,
  what: string,
  /** Only open letters of the selection (the finished ones are counted, not reported as refusals). */
  openOnly = false,
): Promise<void> {
  const selected = o.round !== undefined || o.state !== undefined || o.overdue || o.organisation !== undefined || o.ids !== undefined;
  if (id !== undefined && selected) throw new UserError('give one letter id, or a selection (--round, --state, --overdue, --organisation, --ids), not both');
  if (id === undefined && !selected) throw new UserError('say which letter: <roundId>/<letterId>, or a selection (--round, --state, --overdue, --organisation, --ids)');
  if (id !== undefined) {
    if (o.dryRun) {
      const s = await letterStatus(await ctx.workerClient(), id);
      ctx.say(`dry run: would ${what} ${id} (now ${s.state}); nothing was changed`);
      return;
    }
    ctx.say(`${id}: ${describe(await updateLetter(await ctx.workerClient(), id, name, payload))}`);
    return;
  }
  const ids = o.ids?.split(',').map((x) => checkId(x.trim())).filter(Boolean);
  const c = o.dryRun ? await ctx.getClient() : await ctx.workerClient();
  const chosen = await rounds().selectLetters(c, { round: o.round, state: o.state, overdue: o.overdue, organisation: o.organisation, ids });
  const rows = openOnly ? chosen.filter(rounds().isOpen) : chosen;
  const left = chosen.length - rows.length;
  if (left > 0) ctx.err.write(`rounds: ${left} finished letter${left === 1 ? '' : 's'} of the selection left as they are\n`);
  if (o.dryRun) {
    if (o.json) ctx.print(JSON.stringify(rows.map((r) => ({ workflowId: r.workflowId, state: r.state, nextActionAt: r.nextActionAt })), null, 2));
    else {
      ctx.say(`dry run: would ${what} ${rows.length} letter${rows.length === 1 ? '' : 's'}; nothing was changed`);
      for (const r of rows) ctx.say(`  ${r.workflowId} (${r.state}${r.nextActionAt ? `, next at ${when(r.nextActionAt)}` : ''})`);
    }
    return;
  }
  reportOutcomes(ctx, await rounds().applyToRows(c, rows, name, payload, { onProgress: progressLine(ctx), describe }), o.json);
}

/** How many letters changed, were unchanged (they already had it) and refused. */
function tally(outcomes: Outcome[]) {
  const unchanged = outcomes.filter((r) => r.unchanged).length;
  const refused = outcomes.filter((r) => !r.ok).length;
  return { changed: outcomes.length - unchanged - refused, unchanged, refused };
}

/** Progress of a round-wide change on stderr: every 25 letters and at the end, with what happened so far. */
export function progressLine(ctx: CliContext, label = 'letters') {
  const seen: Outcome[] = [];
  return (done: number, total: number, last: Outcome): void => {
    seen.push(last);
    if (done !== total && done % 25 !== 0) return;
    const { changed, unchanged, refused } = tally(seen);
    ctx.err.write(`rounds: ${done}/${total} ${label} (${changed} changed, ${unchanged} unchanged, ${refused} refused)\n`);
  };
}

/** One line per letter, refusals marked; the exit code is 1 when any letter refused. */
export function reportOutcomes(ctx: CliContext, outcomes: Outcome[], json?: boolean): void {
  if (json) ctx.print(JSON.stringify(outcomes.map(({ workflowId, ok, unchanged, message }) => ({ workflowId, ok, ...(unchanged ? { unchanged } : {}), message })), null, 2));
  else {
    for (const r of outcomes) ctx.say(`${r.unchanged ? 'unchanged' : r.ok ? 'changed ' : 'REFUSED '} ${r.workflowId}: ${r.message}`);
    const { changed, unchanged, refused } = tally(outcomes);
    ctx.say(`${changed} changed, ${refused} refused${unchanged ? `, ${unchanged} unchanged (they already had it)` : ''}${outcomes.length === 0 ? ' (no letters matched)' : ''}`);
  }
  if (outcomes.some((r) => !r.ok)) throw new ExitError(1);
}
