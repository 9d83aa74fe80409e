// The `rounds` command line. Exit codes: 0 ok, 1 a person's mistake (with a clear
// message), 2 a system failure (e.g. Temporal unreachable).
import os from 'node:os';
import { Command, CommanderError, Option } from 'commander';
import type { Client } from '@temporalio/client';
import { isDocumentKey, DOCUMENT_KEYS, type DocumentKey } from '../domain/documents';
import { isLetterState, LETTER_STATES, type LetterState as LetterStateName } from '../domain/states';
import { connectClient, NamespaceNotReadyError, notReady, temporalSettings, TemporalUnreachableError, type TemporalSettings } from '../worker/connection';
import { MissingBinaryError } from '../worker/temporal-binaries';
import { SystemError, UserError } from './errors';
import { formatLetter, formatRegister, formatRounds } from './format';
import { letterInputs, letterStatus, startLetters, updateLetter } from './letters';
// Commands load what only they need when they run (the round-folder parser, the worker, the web
// server, the demo's test server): `rounds status` started in 0.75 s when everything loaded eagerly.
// (require, not import(): tsx runs import() as ESM, which wants file extensions.)
/* eslint-disable @typescript-eslint/no-require-imports */
const roundFolder = (): typeof import('./round-folder') => require('./round-folder');
const checkOutput = (): typeof import('./check-output') => require('./check-output');
const exportCsv = (): typeof import('./export') => require('./export');
const service = (): typeof import('./serve') => require('./serve');
const demoRunner = (): typeof import('./demo') => require('./demo');
const setup = (): typeof import('./setup') => require('./setup');
/* eslint-enable @typescript-eslint/no-require-imports */
import { listLetters, queries, registerOrder, summarise } from './queries';
import { registerWebCommands } from './web-commands';

interface Globals {
  address?: string;
  namespace?: string;
}

export async function main(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const print = (s: string) => out.write(s.endsWith('\n') ? s : `${s}\n`);
  let client: Client | undefined;
  let settings: TemporalSettings | undefined;
  const program = new Command('rounds');
  const globals = () => program.opts<Globals>();
  const getClient = async () => {
    settings ??= temporalSettings(globals());
    client ??= await connectClient(settings);
    return client;
  };
  const by = (o: { by?: string }) => o.by ?? os.userInfo().username;

  program
    .description('Request rounds: one letter per recipient, chased on working days until the documents arrive.')
    .option('--address <host:port>', 'Temporal frontend (default: TEMPORAL_ADDRESS or localhost:7233)')
    .option('--namespace <name>', 'Temporal namespace (default: TEMPORAL_NAMESPACE or default)')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.write(s), writeErr: (s) => err.write(s) })
    // A malformed letter id is the person's mistake: say so before trying to reach Temporal.
    .hook('preAction', (_program, action) => {
      if (action.registeredArguments[0]?.name() === 'workflowId') checkId(String(action.processedArgs[0]));
    });

  program
    .command('check <roundDir>')
    .description("show what would be started: each letter's recipient, documents and dates, and any problems")
    .option('--json', 'machine-readable output')
    .action((dir: string, o: { json?: boolean }) => {
      const { loadRoundFolder, hasErrors } = roundFolder();
      const { checkJson, formatCheck } = checkOutput();
      const plan = loadRoundFolder(dir);
      print(o.json ? JSON.stringify(checkJson(plan), null, 2) : formatCheck(plan));
      if (hasErrors(plan)) throw new ExitCode(1);
    });

  program
    .command('start <roundDir>')
    .description('start one workflow per letter (running it twice starts nothing twice)')
    .addOption(new Option('--send', 'email each letter now, then chase').conflicts('recordSent'))
    .addOption(new Option('--record-sent', 'the letters were sent by other means: only chase (default)'))
    .option('--sent-on <date>', "when the letters count as sent: a date like 2020-10-13, or 'now'")
    .option('--concurrency <n>', 'workflow starts in flight at once', parsePositiveInt('--concurrency'), 32)
    .action(async (dir: string, o: { send?: boolean; sentOn?: string; concurrency: number }) => {
      const { loadRoundFolder, hasErrors } = roundFolder();
      const { formatCheck } = checkOutput();
      const plan = loadRoundFolder(dir);
      if (hasErrors(plan)) {
        print(formatCheck(plan));
        throw new UserError(`${dir}: the round has errors (above); nothing was started`);
      }
      const inputs = letterInputs(plan, { delivery: o.send ? 'send' : 'record-sent', sentOn: o.sentOn });
      const c = await getClient();
      const progress = progressBar(err, inputs.length);
      const result = await startLetters(c, inputs, { concurrency: o.concurrency, onProgress: progress.update });
      progress.stop();
      print(
        `round ${plan.round.id}: started ${result.started.length} letter${result.started.length === 1 ? '' : 's'}` +
          (result.alreadyStarted.length ? `; ${result.alreadyStarted.length} already started, left as they are` : ''),
      );
    });

  program
    .command('status [roundId]')
    .description('where every letter stands (all rounds, or one round), overdue first')
    .option('--json', 'machine-readable output')
    .option('--overdue', "only open letters whose next action's time has passed")
    .option('--state <state>', `only letters in this state (${Object.keys(LETTER_STATES).join(', ')})`)
    .action(async (roundId: string | undefined, o: { json?: boolean; overdue?: boolean; state?: string }) => {
      if (o.state !== undefined && !isLetterState(o.state)) {
        throw new UserError(`--state: '${o.state}' is not a letter state (expected one of ${Object.keys(LETTER_STATES).join(', ')})`);
      }
      const c = await getClient();
      if (o.overdue || o.state) {
        const query = o.overdue ? queries.overdue(new Date(), roundId) : queries.inState(o.state as LetterStateName, roundId);
        const rows = (await listLetters(c, query)).filter((r) => !o.state || r.state === o.state).sort(registerOrder);
        print(o.json ? JSON.stringify(rows, null, 2) : formatRegister(rows));
        return;
      }
      if (!roundId) {
        const summaries = summarise(await listLetters(c, queries.allLetters()));
        print(o.json ? JSON.stringify(summaries, null, 2) : formatRounds(summaries));
        return;
      }
      const rows = (await listLetters(c, queries.roundLetters(roundId))).sort(registerOrder);
      if (rows.length === 0 && !o.json) throw new UserError(`no letters found for round '${roundId}' (see \`rounds status\` for the rounds there are)`);
      print(o.json ? JSON.stringify(rows, null, 2) : formatRegister(rows));
    });

  program
    .command('show <workflowId>')
    .description("one letter: its documents, next action and timeline (workflowId is '<roundId>/<letterId>')")
    .option('--json', 'machine-readable output')
    .action(async (id: string, o: { json?: boolean }) => {
      const s = await letterStatus(await getClient(), id);
      print(o.json ? JSON.stringify(s, null, 2) : formatLetter(s));
    });

  const docsOption = () => new Option('--doc <key...>', `document keys: ${DOCUMENT_KEYS.join(', ')}`).argParser(collectDocs);
  program
    .command('receive <workflowId>')
    .description('record receipt of documents')
    .addOption(docsOption().makeOptionMandatory())
    .option('--on <date>', 'date received (default today)')
    .option('--by <name>', 'who recorded it')
    .option('--note <text>', 'a note')
    .action(async (id: string, o: { doc: DocumentKey[]; on?: string; by?: string; note?: string }) => {
      const s = await updateLetter(await getClient(), id, 'recordReceipt', { documents: o.doc, receivedOn: o.on, by: by(o), note: o.note });
      print(`${id}: ${s.state}; outstanding: ${s.outstanding.join(', ') || 'nothing'}`);
    });

  program
    .command('decline <workflowId>')
    .description('record that the recipient declined (some documents, or all outstanding ones)')
    .requiredOption('--reason <text>', 'why, in their words')
    .addOption(docsOption())
    .option('--on <date>', 'date of the decline (default today)')
    .option('--by <name>', 'who recorded it')
    .action(async (id: string, o: { doc?: DocumentKey[]; reason: string; on?: string; by?: string }) => {
      const s = await updateLetter(await getClient(), id, 'recordDecline', { documents: o.doc, reason: o.reason, on: o.on, by: by(o) });
      print(`${id}: ${s.state}; outstanding: ${s.outstanding.join(', ') || 'nothing'}`);
    });

  program
    .command('extend <workflowId>')
    .description('move the remaining steps later: to a date, or by working days')
    .addOption(new Option('--until <date>', 'the new date of the next action').conflicts('workingDays'))
    .addOption(new Option('--working-days <n>', 'move every remaining step by n working days').argParser(parsePositiveInt('--working-days')))
    .option('--reason <text>', 'why')
    .option('--by <name>', 'who agreed it')
    .action(async (id: string, o: { until?: string; workingDays?: number; reason?: string; by?: string }) => {
      if (!o.until && !o.workingDays) throw new UserError('extend: give --until <date> or --working-days <n>');
      const s = await updateLetter(await getClient(), id, 'extendDeadline', { until: o.until, workingDays: o.workingDays, reason: o.reason, by: by(o) });
      print(`${id}: next ${s.nextAction ? `${s.nextAction.kind} at ${s.nextAction.at}` : 'nothing'}`);
    });

  for (const [name, update, description] of [
    ['pause', 'pause', 'stop chasing until resumed'],
    ['withdraw', 'withdraw', 'withdraw the letter: nothing more is sent'],
  ] as const) {
    program
      .command(`${name} <workflowId>`)
      .description(description)
      .option('--reason <text>', 'why')
      .option('--by <name>', 'who')
      .action(async (id: string, o: { reason?: string; by?: string }) => {
        const s = await updateLetter(await getClient(), id, update, { reason: o.reason, by: by(o) });
        print(`${id}: ${s.state}`);
      });
  }
  program
    .command('resume <workflowId>')
    .description('resume chasing; the remaining steps move later by the working days paused')
    .option('--by <name>', 'who')
    .action(async (id: string, o: { by?: string }) => {
      const s = await updateLetter(await getClient(), id, 'resume', { by: by(o) });
      print(`${id}: ${s.state}; next ${s.nextAction ? `${s.nextAction.kind} at ${s.nextAction.at}` : 'nothing'}`);
    });
  program
    .command('note <workflowId> <text...>')
    .description("add a note to the letter's timeline")
    .option('--by <name>', 'who')
    .action(async (id: string, text: string[], o: { by?: string }) => {
      await updateLetter(await getClient(), id, 'addNote', { text: text.join(' '), by: by(o) });
      print(`${id}: note added`);
    });

  program
    .command('export <roundId>')
    .description("the round's register, as JSON (default) or CSV for a spreadsheet")
    .option('--csv', 'CSV (UTF-8 with BOM, ISO dates)')
    .action(async (roundId: string, o: { csv?: boolean }) => {
      const c = await getClient();
      if (o.csv) {
        const { exportRoundCsv } = exportCsv();
        out.write(await exportRoundCsv(c, roundId));
        return;
      }
      const rows = (await listLetters(c, queries.roundLetters(roundId))).sort(registerOrder);
      const statuses = await Promise.all(rows.map((r) => letterStatus(c, r.workflowId)));
      print(JSON.stringify(statuses, null, 2));
    });

  program
    .command('setup')
    .description('prepare the namespace on a Temporal cluster: create it if missing, register the search attributes, wait until they work (safe to run again)')
    .option('--retention <days>', 'how long finished letters are kept, for a namespace this creates', '30d')
    .action(async (o: { retention: string }) => {
      const { setupNamespace, retentionDays } = setup();
      retentionDays(o.retention); // a bad value is the person's mistake: say so before connecting
      settings ??= temporalSettings(globals());
      await setupNamespace(settings, { retention: o.retention }, print);
    });

  program
    .command('worker')
    .description('run a worker (needs SMTP_URL; `rounds serve` runs everything locally instead)')
    .action(async () => {
      const { runWorker } = service();
      settings ??= temporalSettings(globals()); // for the message when the namespace is not set up
      await runWorker(globals(), print);
    });

  program
    .command('serve')
    .description('run everything locally: Temporal dev server, worker, mail sink and dashboard (npm start)')
    .action(async () => {
      const { serve } = service();
      await serve(globals(), print);
    });

  program
    .command('demo [roundDir]')
    .description('run a whole round on a time-skipping server and print what happened, in seconds')
    .action(async (dir: string | undefined) => {
      const { demo } = demoRunner();
      await demo(dir ?? 'examples/vru-2020', print);
    });

  registerWebCommands(program);

  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    return exitCode(e, err, settings);
  } finally {
    await client?.connection.close().catch(() => undefined);
  }
}

class ExitCode extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function exitCode(e: unknown, err: NodeJS.WritableStream, settings?: TemporalSettings): number {
  const say = (s: string) => err.write(`rounds: ${s}\n`);
  if (e instanceof ExitCode) return e.code;
  if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 1; // commander printed the message
  if (e instanceof UserError) {
    say(e.message);
    return 1;
  }
  const unprepared = e instanceof NamespaceNotReadyError ? e : notReady(settings, e);
  if (unprepared) {
    say(unprepared.message);
    return 2;
  }
  if (e instanceof TemporalUnreachableError || e instanceof MissingBinaryError || e instanceof SystemError) {
    say(e.message);
    return 2;
  }
  const code = (e as { code?: number }).code;
  if (code === 14 || /UNAVAILABLE|ECONNREFUSED|Connection refused/i.test((e as Error)?.message ?? '')) {
    say(`cannot reach Temporal at ${settings?.address ?? 'the configured address'}: ${(e as Error).message}`);
    return 2;
  }
  say(`unexpected error: ${(e as Error)?.message ?? String(e)}${process.env.ROUNDS_DEBUG ? `\n${(e as Error)?.stack}` : ' (set ROUNDS_DEBUG=1 for details)'}`);
  return 2;
}

function checkId(id: string): string {
  if (!/^[^/\s]+\/[^/\s]+$/.test(id)) throw new UserError(`'${id}' is not a letter id: expected <roundId>/<letterId>, e.g. vru-2020/kent`);
  return id;
}

function collectDocs(value: string, previous: DocumentKey[] | undefined): DocumentKey[] {
  const keys = value.split(/[,;]/).map((s) => s.trim()).filter(Boolean);
  for (const k of keys) {
    if (!isDocumentKey(k)) throw new UserError(`--doc: '${k}' is not a document key (expected one of ${DOCUMENT_KEYS.join(', ')})`);
  }
  return [...(previous ?? []), ...(keys as DocumentKey[])];
}

function parsePositiveInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new UserError(`${flag}: expected a whole number of 1 or more, got '${value}'`);
    return n;
  };
}

function progressBar(err: NodeJS.WritableStream, total: number) {
  const tty = (err as NodeJS.WriteStream).isTTY && total > 1;
  if (!tty) return { update: () => undefined, stop: () => undefined };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SingleBar, Presets } = require('cli-progress') as typeof import('cli-progress');
  const bar = new SingleBar({ format: 'starting letters [{bar}] {value}/{total} {percentage}% eta {eta}s', stream: err as NodeJS.WriteStream }, Presets.shades_classic);
  bar.start(total, 0);
  return { update: (done: number) => bar.update(done), stop: () => bar.stop() };
}
