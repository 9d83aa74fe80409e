// Deadlines: `rounds calendar close <from> [to]`, an office closure that every open letter
// concerned plans its remaining steps around (issue 16). One letter's own deadline moves with
// `rounds extend` (./staff-action-commands.ts).
import type { Command } from 'commander';
import type { CliContext } from './cli-context';
import { rounds } from './lazy';
import { progressLine, reportOutcomes } from './selection';

type CloseOptions = { reason?: string; round?: string; by?: string; dryRun?: boolean; json?: boolean };

export function registerCalendar(program: Command, ctx: CliContext): void {
  const calendar = program.command('calendar').description('changes to the working-day calendar that reach open letters');
  calendar
    .command('close <from> [to]')
    .description('close the office from <from> to <to> (inclusive): every open letter concerned plans its remaining steps again')
    .option('--reason <text>', 'why (shown on each letter whose dates move)')
    .option('--round <id>', 'only the letters of this round (default: every open letter)')
    .option('--by <name>', 'who')
    .option('--dry-run', 'list the letters it would go to, and change nothing')
    .option('--json', 'machine-readable report')
    .action((from: string, to: string | undefined, o: CloseOptions) => closeOffice(ctx, from, to, o));
}

async function closeOffice(ctx: CliContext, from: string, to: string | undefined, o: CloseOptions): Promise<void> {
  const payload = rounds().closurePayload(from, to, o.reason, ctx.by(o));
  const c = await ctx.workerClient(); // a dry run asks each letter too
  const letters = await rounds().openLetters(c, o.round);
  const plural = letters.length === 1 ? '' : 's';
  if (o.dryRun) {
    // Each letter says what it would do (a query): what would move, or why it would refuse.
    const previews = await rounds().previewCalendar(c, letters.map((l) => l.workflowId), payload);
    if (o.json) {
      ctx.print(JSON.stringify(previews, null, 2));
      return;
    }
    ctx.say(`dry run: the closure would go to ${letters.length} open letter${plural}; nothing was changed`);
    const word = { changes: 'would change', unchanged: 'unchanged   ', refused: 'WOULD REFUSE' } as const;
    for (const p of previews) ctx.say(`  ${word[p.outcome]} ${p.workflowId}: ${p.message}`);
    return;
  }
  ctx.err.write(`rounds: the closure goes to ${letters.length} open letter${plural}\n`);
  const outcomes = await rounds().applyToLetters(c, letters.map((l) => l.workflowId), 'changeCalendar', payload, {
    onProgress: progressLine(ctx),
    describe: rounds().calendarMessage,
  });
  reportOutcomes(ctx, outcomes, o.json);
}
