// The seven staff actions on a letter (domain/staff-actions.ts names them once): one command
// each, whose name, update and description come from STAFF_ACTIONS. `receive` and `decline`
// take one letter; the rest take one letter or a selection (./selection.ts).
import { Option, type Command } from 'commander';
import type { DocumentKey } from '../../domain/documents';
import { STAFF_ACTIONS, type StaffAction } from '../../domain/staff-actions';
import { UserError } from '../errors';
import { updateLetter } from '../letters';
import type { CliContext } from './cli-context';
import { docsOption, parsePositiveInt } from './options';
import { act, isSelection, nextText, selectable, type Selection } from './selection';

type Reason = { reason?: string; by?: string };

/** Each action's command; a missing one is a compile error. In the order `rounds --help` lists them. */
const COMMANDS: { [A in StaffAction]: (program: Command, ctx: CliContext) => void } = {
  receipt: (program, ctx) =>
    program
      .command(`${STAFF_ACTIONS.receipt.command} <workflowId>`)
      .description(STAFF_ACTIONS.receipt.describe)
      .addOption(docsOption().makeOptionMandatory())
      .option('--on <date>', 'date received (default today)')
      .option('--by <name>', 'who recorded it')
      .option('--note <text>', 'a note')
      .action(async (id: string, o: { doc: DocumentKey[]; on?: string; by?: string; note?: string }) => {
        const s = await updateLetter(await ctx.workerClient(), id, STAFF_ACTIONS.receipt.update, { documents: o.doc, receivedOn: o.on, by: ctx.by(o), note: o.note });
        ctx.say(`${id}: ${s.state}; outstanding: ${s.outstanding.join(', ') || 'nothing'}`);
      }),

  decline: (program, ctx) =>
    program
      .command(`${STAFF_ACTIONS.decline.command} <workflowId>`)
      .description(STAFF_ACTIONS.decline.describe)
      .requiredOption('--reason <text>', 'why, in their words')
      .addOption(docsOption())
      .option('--on <date>', 'date of the decline (default today)')
      .option('--by <name>', 'who recorded it')
      .action(async (id: string, o: { doc?: DocumentKey[]; reason: string; on?: string; by?: string }) => {
        const s = await updateLetter(await ctx.workerClient(), id, STAFF_ACTIONS.decline.update, { documents: o.doc, reason: o.reason, on: o.on, by: ctx.by(o) });
        ctx.say(`${id}: ${s.state}; outstanding: ${s.outstanding.join(', ') || 'nothing'}`);
      }),

  extend: (program, ctx) =>
    selectable(
      program
        .command(`${STAFF_ACTIONS.extend.command} [workflowId]`)
        .description(`${STAFF_ACTIONS.extend.describe} (one letter, or a selection)`)
        .addOption(new Option('--until <date>', 'the new date of the next action').conflicts('workingDays'))
        .addOption(new Option('--working-days <n>', 'move every remaining step by n working days').argParser(parsePositiveInt('--working-days')))
        .option('--reason <text>', 'why')
        .option('--by <name>', 'who agreed it'),
    ).action(async (id: string | undefined, o: Selection & Reason & { until?: string; workingDays?: number }) => {
      if (!o.until && !o.workingDays) throw new UserError('extend: give --until <date> or --working-days <n>');
      const what = o.until ? `extend to ${o.until}` : `extend by ${o.workingDays} working days`;
      await act(ctx, id, o, STAFF_ACTIONS.extend.update, { until: o.until, workingDays: o.workingDays, reason: o.reason, by: ctx.by(o) }, nextText, what);
    }),

  pause: (program, ctx) => stopOrPause(program, ctx, 'pause'),
  withdraw: (program, ctx) => stopOrPause(program, ctx, 'withdraw'),

  resume: (program, ctx) =>
    selectable(
      program
        .command(`${STAFF_ACTIONS.resume.command} [workflowId]`)
        .description(`${STAFF_ACTIONS.resume.describe} (one letter, or a selection)`)
        .option('--by <name>', 'who'),
    ).action(async (id: string | undefined, o: Selection & { by?: string }) => {
      await act(ctx, id, o, STAFF_ACTIONS.resume.update, { by: ctx.by(o) }, nextText, 'resume');
    }),

  note: (program, ctx) =>
    selectable(
      program
        .command(`${STAFF_ACTIONS.note.command} [workflowId] [text...]`)
        .description(`${STAFF_ACTIONS.note.describe} (one letter: note <id> <text>; or a selection: note --round <id> <text>)`)
        .option('--by <name>', 'who'),
    ).action(async (id: string | undefined, words: string[], o: Selection & { by?: string }) => {
      // With a selection, the letter id's place holds the note's first word.
      const selected = isSelection(o);
      const text = (selected && id !== undefined ? [id, ...words] : words).join(' ');
      await act(ctx, selected ? undefined : id, o, STAFF_ACTIONS.note.update, { text, by: ctx.by(o) }, () => 'note added', 'add the note to');
    }),
};

/** pause and withdraw: the same options, and the letter's new state as the answer. */
function stopOrPause(program: Command, ctx: CliContext, action: 'pause' | 'withdraw'): Command {
  const { command: name, update, describe: description } = STAFF_ACTIONS[action];
  return selectable(
    program
      .command(`${name} [workflowId]`)
      .description(`${description} (one letter, or a selection)`)
      .option('--reason <text>', 'why')
      .option('--by <name>', 'who'),
  ).action(async (id: string | undefined, o: Selection & Reason) => {
    await act(ctx, id, o, update, { reason: o.reason, by: ctx.by(o) }, (s) => s.state, name);
  });
}

export function registerStaffActions(program: Command, ctx: CliContext): void {
  for (const add of Object.values(COMMANDS)) add(program, ctx);
}
