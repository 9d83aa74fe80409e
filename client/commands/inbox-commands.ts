// Replies in (issue 13): the coordinator's mailbox (`rounds inbox` and its holding pen), triage
// of a reply on a letter, and a bounced address corrected.
import type { Command } from 'commander';
import type { DocumentKey } from '../../domain/documents';
import { UserError } from '../errors';
import { updateLetter } from '../letters';
import { when } from '../terminal-format';
import type { CliContext } from './cli-context';
import { inboxCommands } from './lazy';
import { docsOption } from './options';
import { act, nextText, selectable, type Selection } from './selection';

type Addresses = { email?: string; cc?: string[]; escalateTo?: string[]; reason?: string; by?: string };

export function registerInbox(program: Command, ctx: CliContext): void {
  registerMailbox(program, ctx);

  program
    .command('triage <workflowId> <messageId>')
    .description('triage a reply: record the documents it carries (--doc), or --none ("no documents yet"); releases the hold on chases')
    .addOption(docsOption())
    .option('--none', 'the reply carries no documents yet')
    .option('--by <name>', 'who')
    .option('--note <text>', 'a note')
    .action(async (id: string, messageId: string, o: { doc?: DocumentKey[]; none?: boolean; by?: string; note?: string }) => {
      if (!o.doc === !o.none) throw new UserError('triage: give --doc <key...> for the documents the reply carries, or --none');
      const s = await updateLetter(await ctx.workerClient(), id, 'triageReply', { messageId, documents: o.doc ?? [], by: ctx.by(o), note: o.note });
      ctx.say(`${id}: ${s.state}; next ${s.nextAction ? `${s.nextAction.kind} at ${when(s.nextAction.at)}` : 'nothing'}`);
    });

  selectable(
    program
      .command('correct-address [workflowId]')
      .description(
        'corrected contact addresses for the next email (one letter, or a selection such as --organisation <name> across open rounds); after a bounce the letter is sent again to them and chasing resumes',
      )
      .option('--email <address>', "the recipient's new address")
      .option('--cc <address...>', 'new copy addresses (replace the old ones)')
      .option('--escalate-to <address...>', 'new escalation contacts (replace the old ones)')
      .option('--reason <text>', 'why')
      .option('--by <name>', 'who'),
  ).action(async (id: string | undefined, o: Selection & Addresses) => {
    if (o.email === undefined && o.cc === undefined && o.escalateTo === undefined) throw new UserError('correct-address: give --email, --cc or --escalate-to (the corrected addresses)');
    const to = [o.email ? `email ${o.email}` : '', o.cc ? `cc ${o.cc.join(', ')}` : '', o.escalateTo ? `escalations to ${o.escalateTo.join(', ')}` : ''].filter(Boolean).join('; ');
    const payload = { email: o.email, cc: o.cc, escalateTo: o.escalateTo, reason: o.reason, by: ctx.by(o) };
    await act(ctx, id, o, 'correctAddress', payload, nextText, `set ${to} on`, true);
  });
}

/** `rounds inbox` and its subcommands: the holding pen of messages not yet filed on a letter. */
function registerMailbox(program: Command, ctx: CliContext): void {
  const inbox = program
    .command('inbox')
    .description("the coordinator's mailbox: the holding pen, the latest filed messages, and whether the mailbox can be read")
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const s = await inboxCommands().inboxState(await ctx.workerClient());
      if (o.json) ctx.print(JSON.stringify(s, null, 2));
      else ctx.say(inboxCommands().formatInbox(s));
    });
  inbox
    .command('import <file.eml>')
    .description("file an email saved as .eml (e.g. a reply that went to someone else's mailbox) like one from the mailbox")
    .option('--by <name>', 'who')
    .action(async (file: string, o: { by?: string }) => {
      const i = inboxCommands();
      ctx.say(i.formatOutcome(await i.importEml(await ctx.workerClient(), file, ctx.by(o))));
    });
  inbox
    .command('file <messageId> <letter>')
    .description("file a message from the holding pen on a letter ('<roundId>/<letterId>')")
    .option('--by <name>', 'who')
    .action(async (messageId: string, target: string, o: { by?: string }) => {
      const i = inboxCommands();
      ctx.say(i.formatOutcome(await i.fileFromPen(await ctx.workerClient(), messageId, target, ctx.by(o))));
    });
  inbox
    .command('dismiss <messageId>')
    .description('take a message out of the holding pen without filing it')
    .requiredOption('--reason <text>', 'why (e.g. spam, not about a round)')
    .option('--by <name>', 'who')
    .action(async (messageId: string, o: { reason: string; by?: string }) => {
      await inboxCommands().dismissFromPen(await ctx.workerClient(), messageId, o.reason, ctx.by(o));
      ctx.say(`${messageId}: dismissed`);
    });
}
