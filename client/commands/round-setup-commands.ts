// Setting up a round: `rounds check <roundDir>` (what would be started, and any problems) and
// `rounds start <roundDir>` (one workflow per letter).
import { Option, type Command } from 'commander';
import type { Client } from '@temporalio/client';
import { ExitError } from '../../domain/errors';
import type { TemporalSettings } from '../../worker/connection';
import { describeError, grpcCode, temporalFailure, UserError } from '../errors';
import { letterInputs, NO_WORKER, pdfLettersForSending, startLetters, workerPolling } from '../letters';
import { terminalSafe } from '../terminal-format';
import type { CliContext } from './cli-context';
import { checkOutput, cliProgress, roundFolder, searchAttributes } from './lazy';
import { parsePositiveInt } from './options';

export function registerRoundSetup(program: Command, ctx: CliContext): void {
  program
    .command('check <roundDir>')
    .description("show what would be started: each letter's recipient, documents and dates, and any problems")
    .option('--json', 'machine-readable output')
    .action(async (dir: string, o: { json?: boolean }) => {
      const { loadRoundFolder, hasErrors } = roundFolder();
      const { checkJson, formatCheck } = checkOutput();
      const plan = await loadRoundFolder(dir);
      if (o.json) ctx.print(JSON.stringify(checkJson(plan), null, 2));
      else ctx.say(formatCheck(plan));
      if (hasErrors(plan)) throw new ExitError(1);
    });

  program
    .command('start <roundDir>')
    .description('start one workflow per letter (running it twice starts nothing twice)')
    .addOption(new Option('--send', 'email each letter now (a covering note, the letter attached as a PDF), then chase').conflicts('recordSent'))
    .option('--inline', 'with --send: the letter in the email itself, as text and HTML, instead of attached as a PDF')
    .addOption(new Option('--record-sent', 'the letters were sent by other means: only chase (default)'))
    .option('--sent-on <date>', "when the letters count as sent: a date like 2020-10-13, or 'now'")
    .option('--concurrency <n>', 'workflow starts in flight at once', parsePositiveInt('--concurrency'), 32)
    .action((dir: string, o: StartOptions) => start(ctx, dir, o));
}

type StartOptions = { send?: boolean; inline?: boolean; sentOn?: string; concurrency: number };

async function start(ctx: CliContext, dir: string, o: StartOptions): Promise<void> {
  if (o.inline && !o.send) throw new UserError('--inline goes with --send (it says how the letters are emailed)');
  const { loadRoundFolder, hasErrors } = roundFolder();
  const { formatCheck } = checkOutput();
  const plan = await loadRoundFolder(dir);
  if (hasErrors(plan)) {
    ctx.say(formatCheck(plan));
    throw new UserError(`${dir}: the round has errors (above); nothing was started`);
  }
  const delivery = o.send ? 'send' : 'record-sent';
  // A PDF letter is attached as it is: its bytes go to the document store the workers read.
  const letterPdfs = await pdfLettersForSending(plan, { delivery, inline: o.inline });
  const inputs = letterInputs(plan, { delivery, inline: o.inline, letterPdfs, sentOn: o.sentOn });
  const c = await ctx.getClient();
  const notRegistered = await registerSearchAttributes(c, ctx.temporalSettings());
  const progress = progressBar(ctx.err, inputs.length);
  let result: Awaited<ReturnType<typeof startLetters>>;
  try {
    result = await startLetters(c, inputs, { concurrency: o.concurrency, onProgress: progress.update });
  } catch (e) {
    // Only now does it matter that they could not be registered (a cluster may have them already).
    if (notRegistered) ctx.err.write(`rounds: ${terminalSafe(notRegistered)}\n`);
    throw e;
  } finally {
    progress.stop();
  }
  ctx.say(
    `round ${plan.round.id}: started ${result.started.length} letter${result.started.length === 1 ? '' : 's'}` +
      (result.alreadyStarted.length ? `; ${result.alreadyStarted.length} already started, left as they are` : ''),
  );
  // Started is not running: say so now rather than let the letters sit unnoticed.
  if ((await workerPolling(c)) === false) ctx.err.write(`rounds: warning: ${NO_WORKER}; the letters wait until one does\n`);
}

/**
 * `start` registers the search attributes the letters are started with, as the worker does at
 * its start: on a namespace where no worker has run yet, starting failed with "no mapping
 * defined for search attribute RoundId". Without the permission to add them (a cluster where
 * an operator does that) it goes on, since they may be there already, and returns what to
 * say if starting then fails.
 */
async function registerSearchAttributes(c: Client, settings: TemporalSettings): Promise<string | undefined> {
  try {
    await searchAttributes().ensureSearchAttributes(c.connection as never, settings.namespace);
    return undefined;
  } catch (e) {
    if (temporalFailure(e, settings)?.exitCode === 1 || grpcCode(e) === 14) throw e; // wrong namespace, or unreachable: say that instead
    return `could not register the search attributes (${describeError(e)}): run \`rounds setup\` once with that permission (it adds them and checks a start is accepted)`;
  }
}

/** On a terminal, a progress bar while the letters start. */
function progressBar(err: NodeJS.WritableStream, total: number) {
  const tty = (err as NodeJS.WriteStream).isTTY && total > 1;
  if (!tty) return { update: () => undefined, stop: () => undefined };
  const { SingleBar, Presets } = cliProgress();
  const bar = new SingleBar({ format: 'starting letters [{bar}] {value}/{total} {percentage}% eta {eta}s', stream: err as NodeJS.WriteStream }, Presets.shades_classic);
  bar.start(total, 0);
  return { update: (done: number) => bar.update(done), stop: () => bar.stop() };
}
