// The `rounds` command line: the program, its global options and its one error handler. Each
// group of commands is one module of client/commands/ (`*-commands.ts`, each exporting
// register<Group>(program, ctx)):
//   round-setup-commands.ts   check, start            (a round folder, then one workflow per letter)
//   status-commands.ts        status, show            (where letters stand)
//   staff-action-commands.ts  receive, decline, extend, pause, withdraw, resume, note
//                             (the seven staff actions of domain/staff-actions.ts)
//   calendar-commands.ts      calendar close          (office closures: deadlines move)
//   report-commands.ts        stats, export
//   inbox-commands.ts         inbox, triage, correct-address (replies in)
//   publication-commands.ts   publish, publication    (the public site)
//   service-commands.ts       setup, worker, serve, demo (running things)
//   user-commands.ts          user                    (dashboard accounts)
// and what they share: cli-context.ts (output, global options, the Temporal client),
// options.ts (letter ids, --doc, numbers), selection.ts (one letter or a selection of them),
// lazy.ts (modules loaded only by the commands that need them).
// Exit codes: 0 ok, 1 a person's mistake (with a clear message), 2 a system failure (e.g.
// Temporal unreachable).
import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { ExitError, RoundsError } from '../domain/errors';
import { notReady, type TemporalSettings } from '../worker/connection';
import { PROJECT_ROOT } from '../worker/paths';
import { registerCalendar } from './commands/calendar-commands';
import { CliContext } from './commands/cli-context';
import { registerInbox } from './commands/inbox-commands';
import { checkId } from './commands/options';
import { registerPublication } from './commands/publication-commands';
import { registerReports } from './commands/report-commands';
import { registerRoundSetup } from './commands/round-setup-commands';
import { isSelection } from './commands/selection';
import { registerService } from './commands/service-commands';
import { registerStaffActions } from './commands/staff-action-commands';
import { registerStatus } from './commands/status-commands';
import { registerUsers } from './commands/user-commands';
import { causeChain, describeError, temporalFailure, UserError } from './errors';
import { terminalSafe } from './terminal-format';

export async function main(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const program = new Command('rounds');
  const ctx = new CliContext(program, out, err);
  program
    .description('Request rounds: one letter per recipient, chased on working days until the documents arrive.')
    // (bin/rounds.js answers a lone --version itself, before loading this module)
    .version(packageVersion(), '-V, --version', 'the version of request-rounds')
    .option('--address <host:port>', 'Temporal frontend (default: TEMPORAL_ADDRESS or localhost:7233)')
    .option('--namespace <name>', 'Temporal namespace (default: TEMPORAL_NAMESPACE or default)')
    .showHelpAfterError()
    .exitOverride()
    // commander's errors quote what was typed: safe for the terminal like everything else.
    .configureOutput({ writeOut: (s) => out.write(s), writeErr: (s) => err.write(s.split('\n').map(terminalSafe).join('\n')) })
    // A malformed letter id is the person's mistake: say so before trying to reach Temporal.
    .hook('preAction', (_program, action) => {
      // (Optional for the actions that can also take a selection of letters: --round and the like.)
      // `rounds note --round r <text...>`: with a selection, the words are the note's text.
      if (action.name() === 'note' && isSelection(action.opts())) return;
      if (action.registeredArguments[0]?.name() === 'workflowId' && action.processedArgs[0] !== undefined) checkId(String(action.processedArgs[0]));
    });

  // In the order `rounds --help` lists them.
  registerRoundSetup(program, ctx);
  registerStatus(program, ctx);
  registerStaffActions(program, ctx);
  registerCalendar(program, ctx);
  registerReports(program, ctx);
  registerInbox(program, ctx);
  registerPublication(program, ctx);
  registerService(program, ctx);
  registerUsers(program);

  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    return exitCode(e, err, ctx.settings);
  } finally {
    await ctx.close();
  }
}

/** The CLI's one error handler: says what went wrong (without a stack) and returns the exit code. */
export function exitCode(e: unknown, err: NodeJS.WritableStream, settings?: TemporalSettings): number {
  // Messages quote input (ids, file contents, the workflow's own words): safe for the terminal.
  const say = (s: string) => err.write(`rounds: ${s.split('\n').map(terminalSafe).join('\n')}\n`);
  const debug = () => (process.env.ROUNDS_DEBUG ? `\n${causeChain(e).map((c) => (c as Error)?.stack ?? String(c)).join('\ncaused by: ')}` : '');
  if (e instanceof ExitError) return e.exitCode;
  if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 1; // commander printed the message
  if (e instanceof UserError) {
    say(e.message);
    return e.exitCode;
  }
  // Every error of ours (domain/errors.ts) carries its exit code; a raw Temporal error that
  // says the namespace is not set up becomes a NamespaceNotReadyError.
  const ours = e instanceof RoundsError ? e : notReady(settings, e);
  if (ours) {
    say(ours.message + debug());
    return ours.exitCode;
  }
  const known = temporalFailure(e, settings);
  if (known) {
    say(known.message + debug());
    return known.exitCode;
  }
  say(`unexpected error: ${describeError(e)}${process.env.ROUNDS_DEBUG ? debug() : ' (set ROUNDS_DEBUG=1 for details)'}`);
  return 2;
}

function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}
