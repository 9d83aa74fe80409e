// Where letters stand: `rounds status` (every round, one round's register a page at a time, or
// the letters overdue or in one state) and `rounds show <workflowId>` (one letter).
import type { Command } from 'commander';
import type { Client } from '@temporalio/client';
import { isLetterState, LETTER_STATES, type LetterState } from '../../domain/states';
import { UserError } from '../errors';
import { letterStatus } from '../letters';
import { listLetters, PAGE_SIZE, queries, summarise, type LetterRow } from '../queries';
import { registerOrder } from '../register';
import { formatExplanations, formatLetter, formatRegister, formatRegisterFooter, formatRounds } from '../terminal-format';
import type { CliContext } from './cli-context';
import { register } from './lazy';
import { parsePositiveInt } from './options';

type StatusOptions = { json?: boolean; csv?: boolean; overdue?: boolean; state?: string; page?: number; all?: boolean };

export function registerStatus(program: Command, ctx: CliContext): void {
  program
    .command('status [roundId]')
    .description('where every letter stands (all rounds, or one round a page at a time), overdue first')
    .option('--json', 'machine-readable output (a round: every letter, streamed; with --page, that page)')
    .option('--csv', 'a round: every letter as CSV from the register (streamed)')
    .option('--overdue', "only open letters whose next action's time has passed")
    .option('--state <state>', `only letters in this state (${Object.keys(LETTER_STATES).join(', ')})`)
    .option('--page <n>', `a round: page n of ${PAGE_SIZE} letters (default 1)`, parsePositiveInt('--page'))
    .option('--all', 'a round: every letter, not one page')
    .action(async (roundId: string | undefined, o: StatusOptions) => {
      checkStatusOptions(roundId, o);
      const c = await ctx.getClient();
      if (o.overdue || o.state) await filteredLetters(ctx, c, roundId, o);
      else if (!roundId) await allRounds(ctx, c, o);
      else await roundRegister(ctx, c, roundId, o);
    });

  program
    .command('show <workflowId>')
    .description("one letter: its documents, next action and timeline (workflowId is '<roundId>/<letterId>')")
    .option('--json', 'machine-readable output')
    .option('--explain', 'how each date was worked out (base date, working days, days skipped, time and offset)')
    .action(async (id: string, o: { json?: boolean; explain?: boolean }) => {
      const c = await ctx.getClient();
      await ctx.needWorker(c);
      const s = await letterStatus(c, id);
      if (o.json) ctx.print(JSON.stringify(o.explain ? s.explanations ?? [] : s, null, 2));
      else ctx.say(o.explain ? formatExplanations(s) : formatLetter(s));
    });
}

function checkStatusOptions(roundId: string | undefined, o: StatusOptions): void {
  if (o.state !== undefined && !isLetterState(o.state)) {
    throw new UserError(`--state: '${o.state}' is not a letter state (expected one of ${Object.keys(LETTER_STATES).join(', ')})`);
  }
  if ((o.page !== undefined || o.all || o.csv) && (!roundId || o.overdue || o.state)) {
    throw new UserError(`--page, --all and --csv are for one round's register: \`rounds status <roundId> [--page n | --all | --json | --csv]\` (without --overdue or --state)`);
  }
  if (o.page !== undefined && o.all) throw new UserError('--page and --all: choose one (a page, or every letter)');
  if (o.csv && o.json) throw new UserError('--csv and --json: choose one');
}

/** --overdue or --state: the letters that match, in every round or one. */
async function filteredLetters(ctx: CliContext, c: Client, roundId: string | undefined, o: StatusOptions): Promise<void> {
  const query = o.overdue ? queries.overdue(new Date(), roundId) : queries.inState(o.state as LetterState, roundId);
  const rows = (await listLetters(c, query)).filter((r) => !o.state || r.state === o.state).sort(registerOrder);
  // Nothing matched: say what was asked, not "no letters".
  const asked = `no ${[o.overdue ? 'overdue letters' : 'letters', o.state ? `in state ${o.state}` : undefined, roundId ? `in round ${roundId}` : undefined].filter(Boolean).join(' ')}`;
  if (o.json) ctx.print(JSON.stringify(rows, null, 2));
  else ctx.say(formatRegister(rows, { empty: asked }));
}

/** No round named: one line per round. */
async function allRounds(ctx: CliContext, c: Client, o: StatusOptions): Promise<void> {
  const summaries = summarise(await listLetters(c, queries.allLetters()));
  if (o.json) ctx.print(JSON.stringify(summaries, null, 2));
  else ctx.say(formatRounds(summaries));
}

/** One round's register: exported whole (--json, --csv), every letter (--all), or a page. */
async function roundRegister(ctx: CliContext, c: Client, roundId: string, o: StatusOptions): Promise<void> {
  const reg = register();
  const base = queries.roundLetters(roundId);
  const noLetters = `no letters found for round '${roundId}' (see \`rounds status\` for the rounds there are)`;
  if ((o.json || o.csv) && o.page === undefined) {
    await streamRegister(ctx, c, base, o, noLetters);
    return;
  }
  if (o.all) {
    const rows: LetterRow[] = [];
    for await (const row of reg.registerRows(c, base)) rows.push(row);
    if (rows.length === 0) throw new UserError(noLetters);
    ctx.say(formatRegister(rows));
    return;
  }
  const at = new Date();
  const [page, counts] = await Promise.all([reg.registerPageNumber(c, base, o.page ?? 1, { at }), reg.registerCounts(c, base, at)]);
  if (o.json) {
    ctx.print(JSON.stringify(page.rows, null, 2));
    return;
  }
  if (counts.letters === 0 && page.rows.length === 0) throw new UserError(noLetters);
  ctx.say(formatRegister(page.rows, { empty: `no letters on page ${o.page ?? 1} of round ${roundId}` }));
  ctx.say(formatRegisterFooter(roundId, o.page ?? 1, page.rows.length, counts, Boolean(page.next)));
}

/** Exports: every row as visibility hands it over, written at once (the first row after one request). */
async function streamRegister(ctx: CliContext, c: Client, base: string, o: StatusOptions, noLetters: string): Promise<void> {
  const reg = register();
  const out = ctx.out;
  const write = (s: string) => (out.write(s) ? undefined : new Promise<void>((r) => out.once('drain', () => r())));
  let n = 0;
  for await (const row of reg.registerRows(c, base)) {
    if (o.csv) await write(n === 0 ? `${reg.registerCsvHeader()}${reg.registerCsvLine(row)}` : reg.registerCsvLine(row));
    else await write(`${n === 0 ? '[\n' : ',\n'}${JSON.stringify(row)}`);
    n++;
  }
  if (o.json) await write(n === 0 ? '[]\n' : '\n]\n');
  else if (n === 0) throw new UserError(noLetters);
}
