// Reports from the registers: `rounds stats` (response statistics per round and per
// organisation) and `rounds export <roundId>` (a round's register as JSON or CSV).
import type { Command } from 'commander';
import type { Client } from '@temporalio/client';
import type { Stats } from '../../domain/stats';
import { UserError } from '../errors';
import { letterStatus } from '../letters';
import { listLetters, queries } from '../queries';
import { registerOrder } from '../register';
import type { CliContext } from './cli-context';
import { exportCsv, rounds, stats } from './lazy';

type StatsOptions = { round?: string; json?: boolean; csv?: boolean };

const HEAD = ['letters', 'full', 'part', 'declined', 'unanswered', 'withdrawn', 'within first deadline', 'median working days to each document', 'chases', 'median chases to full', 'overdue now', 'most working days overdue'];

export function registerReports(program: Command, ctx: CliContext): void {
  program
    .command('stats')
    .description('response statistics per round and per organisation (across rounds), from the registers')
    .option('--round <id>', 'only this round')
    .option('--json', 'machine-readable output')
    .option('--csv', 'CSV output')
    .action(async (o: StatsOptions) => responseStats(ctx, await ctx.getClient(), o));

  program
    .command('export <roundId>')
    .description("the round's register, as JSON (default) or CSV for a spreadsheet")
    .option('--csv', 'CSV (UTF-8 with BOM, ISO dates)')
    .action(async (roundId: string, o: { csv?: boolean }) => {
      const c = await ctx.getClient();
      if (o.csv) {
        const { exportRoundCsv } = exportCsv();
        ctx.out.write(await exportRoundCsv(c, roundId));
        return;
      }
      const rows = (await listLetters(c, queries.roundLetters(roundId))).sort(registerOrder);
      if (rows.length > 0) await ctx.needWorker(c); // every letter's status is a query
      const statuses = await Promise.all(rows.map((r) => letterStatus(c, r.workflowId)));
      ctx.print(JSON.stringify(statuses, null, 2));
    });
}

async function responseStats(ctx: CliContext, c: Client, o: StatsOptions): Promise<void> {
  const rows = await listLetters(c, o.round ? queries.roundLetters(o.round) : queries.allLetters());
  if (rows.length === 0) throw new UserError(o.round ? `no letters found for round '${o.round}'` : 'no letters yet');
  const letters = rounds().statsLetters(rows);
  const today = new Date().toISOString().slice(0, 10);
  const byRound = stats().responseStats(letters, (l) => l.roundId, today);
  const byOrganisation = stats().responseStats(letters, (l) => l.organisation, today);
  if (o.json) {
    ctx.print(JSON.stringify({ rounds: byRound, organisations: byOrganisation }, null, 2));
    return;
  }
  if (o.csv) {
    const q = (v: unknown) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
    const lines = (by: string, list: Stats[]) => list.map((x) => [by, x.group, ...cells(x)].map(q).join(','));
    ctx.print([['by', 'group', ...HEAD].map(q).join(','), ...lines('round', byRound), ...lines('organisation', byOrganisation)].join('\n'));
    return;
  }
  for (const [title, list] of [['Rounds', byRound], ['Organisations', byOrganisation]] as const) {
    ctx.say(title);
    for (const x of list) ctx.say(`  ${x.group}\n${HEAD.map((h, i) => `    ${h}: ${cells(x)[i]}`).join('\n')}`);
  }
}

/** One group's figures, in the order of HEAD. */
function cells(x: Stats) {
  return [
    x.letters, x.answeredInFull, x.answeredInPart, x.declined, x.unanswered, x.withdrawn, x.answeredWithinFirstDeadline,
    Object.entries(x.medianWorkingDaysTo).map(([k, v]) => `${k}=${v ?? '-'}`).join(' '), x.chases, x.medianChasesToFull ?? '-',
    x.overdueNow, x.overdueWorkingDays.max ?? '-',
  ];
}
