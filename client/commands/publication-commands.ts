// Publication (issue 14): `rounds publish` writes the public site of rounds; `rounds publication`
// records a document received by post or by hand, what of a letter may be published, and the
// end of a finished letter's publication window.
import path from 'node:path';
import { Option, type Command } from 'commander';
import { DocumentStore, documentsDir } from '../../activities/document-store';
import { parseIsoDate } from '../../domain/calendar';
import { DOCUMENT_KEYS, type DocumentKey } from '../../domain/documents';
import { UserError } from '../errors';
import { updateLetter } from '../letters';
import { varDir } from '../users';
import type { CliContext } from './cli-context';
import { publisher } from './lazy';

type PublishOptions = { out: string; baseUrl?: string; roundDir?: string[]; asOf?: string; stamp?: boolean; close?: boolean; by?: string };
type SetOptions = { attachment?: string; declineReason?: DocumentKey; reply?: string; replyAttachment?: string; publish?: boolean; redacted?: string; by?: string };

const store = (): DocumentStore => new DocumentStore(documentsDir(varDir()));

export function registerPublication(program: Command, ctx: CliContext): void {
  program
    .command('publish <roundIds...>')
    .description('write the public site of one or more rounds (plain HTML, round.json, register.csv, feed.xml) to a folder, replacing it whole')
    .requiredOption('--out <dir>', 'the folder to write (created, or replaced only once the new site is complete)')
    .option('--base-url <url>', 'absolute links in the feed and round.json start with this URL')
    .option('--round-dir <dirs...>', "round folders the rounds were started from: the letters' texts, with staff names replaced by roles")
    .option('--as-of <date>', 'count overdue documents to this day (YYYY-MM-DD; default today)')
    .option('--stamp', 'show and record when the site was generated (off by default, so the same state gives the same files)')
    .option('--close', "then end the publication window of every finished letter published (closeLetter): no more publication changes to them")
    .option('--by <name>', 'who (with --close)')
    .action((roundIds: string[], o: PublishOptions) => publish(ctx, roundIds, o));

  const publication = program.command('publication').description("mark what of a letter may be published (see also the letter page)");
  publication
    .command('attach <workflowId> <file>')
    .description('add a document received by post or by hand (stored in the document store; not published until marked)')
    .addOption(new Option('--doc <key>', 'which requested document it is').choices([...DOCUMENT_KEYS]))
    .option('--title <text>', 'what it is, when it is not a requested document')
    .option('--on <date>', 'date received (default today)')
    .option('--by <name>', 'who')
    .action(async (id: string, file: string, o: { doc?: DocumentKey; title?: string; on?: string; by?: string }) => {
      const c = await ctx.workerClient();
      const stored = await publisher().storeFile(store(), file, 'file');
      const s = await updateLetter(c, id, 'attachDocument', { document: o.doc, title: o.title, file: stored, receivedOn: o.on, by: ctx.by(o) });
      const a = s.attachments!.at(-1)!;
      ctx.say(`${id}: ${a.id} added: ${a.title} (${a.file.name}); not published until marked (rounds publication set ${id} --attachment ${a.id} --publish)`);
    });
  publication
    .command('set <workflowId>')
    .description('publish or not: a document (--attachment d1), a decline reason (--decline-reason <key>) or the attachments of a reply (--reply <Message-ID>)')
    .option('--attachment <id>', "a document of the letter ('d1', as `rounds show` lists them)")
    .addOption(new Option('--decline-reason <key>', 'the reason a requested document was declined').choices([...DOCUMENT_KEYS]))
    .option('--reply <messageId>', "a filed reply: its attachments (never its text or sender)")
    .option('--reply-attachment <n>', "with --reply: only this attachment (1 = the first)")
    .option('--publish', 'may be published')
    .option('--no-publish', 'may not be published')
    .option('--redacted <file>', 'publish this redacted copy instead (the original stays private)')
    .option('--by <name>', 'who')
    .action((id: string, o: SetOptions) => setPublication(ctx, id, o));
  publication
    .command('close <workflowId>')
    .description("end a finished letter's publication window now: no more publication changes (its workflow completes)")
    .option('--reason <text>', 'why')
    .option('--by <name>', 'who')
    .action(async (id: string, o: { reason?: string; by?: string }) => {
      const s = await updateLetter(await ctx.workerClient(), id, 'closeLetter', { reason: o.reason, by: ctx.by(o) });
      ctx.say(`${id}: ${s.state}; closed for publication`);
    });
}

async function publish(ctx: CliContext, roundIds: string[], o: PublishOptions): Promise<void> {
  const { checkOut, closePublished, publishSite, readRounds, withRoundFolders } = publisher();
  if (o.baseUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(o.baseUrl)) throw new UserError(`--base-url: expected an http(s) URL like https://office.example.org/requests/, got '${o.baseUrl}'`);
  let asOf: string | undefined;
  try {
    asOf = o.asOf === undefined ? undefined : parseIsoDate(o.asOf);
  } catch (e) {
    throw new UserError(`--as-of: ${(e as Error).message}`);
  }
  checkOut(path.resolve(o.out)); // before reading anything: a wrong --out is said at once
  const rounds = await withRoundFolders(await readRounds(await ctx.getClient(), [...new Set(roundIds)]), o.roundDir ?? []);
  const written = await publishSite(rounds, {
    out: o.out,
    baseUrl: o.baseUrl,
    asOf,
    stamp: o.stamp ? new Date().toISOString() : undefined,
    store: store(),
  });
  ctx.say(`${o.out}: ${written.length} files for ${rounds.map((r) => `${r.roundId} (${r.letters.length} letters)`).join(', ')}`);
  if (o.close) {
    const { closed, refused } = await closePublished(await ctx.workerClient(), rounds, ctx.by(o));
    ctx.say(`closed for publication: ${closed.length === 0 ? 'no letter was open for publication' : closed.join(', ')}`);
    for (const r of refused) ctx.say(`not closed: ${r}`);
  }
}

async function setPublication(ctx: CliContext, id: string, o: SetOptions): Promise<void> {
  if (o.publish === undefined) throw new UserError('publication set: say --publish or --no-publish');
  let replyAttachment: number | undefined;
  if (o.replyAttachment !== undefined) {
    replyAttachment = Number(o.replyAttachment);
    if (!/^\d+$/.test(o.replyAttachment)) throw new UserError(`--reply-attachment: expected a number (1 = the first attachment), got '${o.replyAttachment}'`);
  }
  const c = await ctx.workerClient();
  const redacted = o.redacted === undefined ? undefined : await publisher().storeFile(store(), o.redacted, '--redacted');
  const s = await updateLetter(c, id, 'setPublication', {
    attachment: o.attachment,
    declineReasonOf: o.declineReason,
    reply: o.reply,
    replyAttachment,
    publish: o.publish,
    redacted,
    by: ctx.by(o),
  });
  ctx.say(`${id}: ${s.timeline.at(-1)?.message ?? 'recorded'}`);
}
