// The `rounds` command line. Exit codes: 0 ok, 1 a person's mistake (with a clear
// message), 2 a system failure (e.g. Temporal unreachable).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import type { Client } from '@temporalio/client';
import { isDocumentKey, DOCUMENT_KEYS, type DocumentKey } from '../domain/documents';
import { isLetterState, LETTER_STATES, type LetterState as LetterStateName } from '../domain/states';
import { ExitError, RoundsError } from '../domain/errors';
import { STAFF_ACTIONS } from '../domain/staff-actions';
import { connectClient, notReady, temporalSettings, type TemporalSettings } from '../worker/connection';
import { PROJECT_ROOT } from '../worker/paths';
import { causeChain, describeError, grpcCode, SystemError, temporalFailure, UserError } from './errors';
import { formatExplanations, formatLetter, formatRegister, formatRegisterFooter, formatRounds, terminalSafe, when } from './terminal-format';
import { letterInputs, letterStatus, NO_WORKER, pdfLettersForSending, startLetters, updateLetter, workerPolling } from './letters';
// Already loaded by ./letters, so importing them here costs nothing at start. (import() would not do:
// tsx runs it as ESM, which wants file extensions: `rounds publish` failed with "Cannot find module".)
import { DocumentStore, documentsDir } from '../activities/document-store';
import { parseIsoDate } from '../domain/calendar';
import { varDir } from './users';
// Commands load what only they need when they run (the round-folder parser, the worker, the web
// server, the demo's test server): `rounds status` started in 0.75 s when everything loaded eagerly.
// (require, not import(): tsx runs import() as ESM, which wants file extensions.)
/* eslint-disable @typescript-eslint/no-require-imports */
const roundFolder = (): typeof import('./round-folder') => require('./round-folder');
const checkOutput = (): typeof import('./check-output') => require('./check-output');
const exportCsv = (): typeof import('./export') => require('./export');
const service = (): typeof import('./serve') => require('./serve');
const demoRunner = (): typeof import('./demo') => require('./demo');
const searchAttributes = (): typeof import('../worker/search-attributes') => require('../worker/search-attributes');
const setup = (): typeof import('./setup') => require('./setup');
const publisher = (): typeof import('./publish') => require('./publish');
const inboxCommands = (): typeof import('./inbox') => require('./inbox');
const rounds = (): typeof import('./round-actions') => require('./round-actions');
const register = (): typeof import('./register-query') => require('./register-query');
/* eslint-enable @typescript-eslint/no-require-imports */
import { listLetters, PAGE_SIZE, queries, summarise, type LetterRow } from './queries';
import { registerOrder } from './register';
import { registerWebCommands } from './web-commands';

interface Globals {
  address?: string;
  namespace?: string;
}

export async function main(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  // `print` for JSON and CSV (data, as it is); `say` for people: every line made safe for the terminal.
  const print = (s: string) => out.write(s.endsWith('\n') ? s : `${s}\n`);
  const say = (s: string) => print(s.split('\n').map(terminalSafe).join('\n'));
  let client: Client | undefined;
  let settings: TemporalSettings | undefined;
  const program = new Command('rounds');
  const globals = () => program.opts<Globals>();
  const getClient = async () => {
    settings ??= temporalSettings(globals());
    client ??= await connectClient(settings);
    return client;
  };
  // Queries and updates wait for a worker: without one, `show` failed after 33 s and `receive`
  // hung for minutes. One cheap call first says so at once.
  const needWorker = async (c: Client) => {
    if ((await workerPolling(c)) === false) throw new SystemError(NO_WORKER);
  };
  const by = (o: { by?: string }) => o.by ?? os.userInfo().username;
  const workerClient = async () => {
    const c = await getClient();
    await needWorker(c);
    return c;
  };

  /** One line per letter, refusals marked; the exit code is 1 when any letter refused. */
  const tally = (outcomes: import('./round-actions').Outcome[]) => {
    const unchanged = outcomes.filter((r) => r.unchanged).length;
    const refused = outcomes.filter((r) => !r.ok).length;
    return { changed: outcomes.length - unchanged - refused, unchanged, refused };
  };
  /** Progress of a round-wide change on stderr: every 25 letters and at the end, with what happened so far. */
  const progressLine = (label = 'letters') => {
    const seen: import('./round-actions').Outcome[] = [];
    return (done: number, total: number, last: import('./round-actions').Outcome) => {
      seen.push(last);
      if (done !== total && done % 25 !== 0) return;
      const { changed, unchanged, refused } = tally(seen);
      err.write(`rounds: ${done}/${total} ${label} (${changed} changed, ${unchanged} unchanged, ${refused} refused)\n`);
    };
  };
  const reportOutcomes = (outcomes: import('./round-actions').Outcome[], json?: boolean) => {
    if (json) print(JSON.stringify(outcomes.map(({ workflowId, ok, unchanged, message }) => ({ workflowId, ok, ...(unchanged ? { unchanged } : {}), message })), null, 2));
    else {
      for (const r of outcomes) say(`${r.unchanged ? 'unchanged' : r.ok ? 'changed ' : 'REFUSED '} ${r.workflowId}: ${r.message}`);
      const { changed, unchanged, refused } = tally(outcomes);
      say(`${changed} changed, ${refused} refused${unchanged ? `, ${unchanged} unchanged (they already had it)` : ''}${outcomes.length === 0 ? ' (no letters matched)' : ''}`);
    }
    if (outcomes.some((r) => !r.ok)) throw new ExitError(1);
  };

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
      const sel = action.opts();
      const selection = ['round', 'state', 'overdue', 'organisation', 'ids'].some((k) => sel[k] !== undefined);
      // `rounds note --round r <text...>`: with a selection, the words are the note's text.
      if (action.name() === 'note' && selection) return;
      if (action.registeredArguments[0]?.name() === 'workflowId' && action.processedArgs[0] !== undefined) checkId(String(action.processedArgs[0]));
    });

  program
    .command('check <roundDir>')
    .description("show what would be started: each letter's recipient, documents and dates, and any problems")
    .option('--json', 'machine-readable output')
    .action(async (dir: string, o: { json?: boolean }) => {
      const { loadRoundFolder, hasErrors } = roundFolder();
      const { checkJson, formatCheck } = checkOutput();
      const plan = await loadRoundFolder(dir);
      if (o.json) print(JSON.stringify(checkJson(plan), null, 2));
      else say(formatCheck(plan));
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
    .action(async (dir: string, o: { send?: boolean; inline?: boolean; sentOn?: string; concurrency: number }) => {
      if (o.inline && !o.send) throw new UserError('--inline goes with --send (it says how the letters are emailed)');
      const { loadRoundFolder, hasErrors } = roundFolder();
      const { formatCheck } = checkOutput();
      const plan = await loadRoundFolder(dir);
      if (hasErrors(plan)) {
        say(formatCheck(plan));
        throw new UserError(`${dir}: the round has errors (above); nothing was started`);
      }
      const delivery = o.send ? 'send' : 'record-sent';
      // A PDF letter is attached as it is: its bytes go to the document store the workers read.
      const letterPdfs = await pdfLettersForSending(plan, { delivery, inline: o.inline });
      const inputs = letterInputs(plan, { delivery, inline: o.inline, letterPdfs, sentOn: o.sentOn });
      const c = await getClient();
      const notRegistered = await registerSearchAttributes(c, settings!);
      const progress = progressBar(err, inputs.length);
      let result: Awaited<ReturnType<typeof startLetters>>;
      try {
        result = await startLetters(c, inputs, { concurrency: o.concurrency, onProgress: progress.update });
      } catch (e) {
        // Only now does it matter that they could not be registered (a cluster may have them already).
        if (notRegistered) err.write(`rounds: ${terminalSafe(notRegistered)}\n`);
        throw e;
      } finally {
        progress.stop();
      }
      say(
        `round ${plan.round.id}: started ${result.started.length} letter${result.started.length === 1 ? '' : 's'}` +
          (result.alreadyStarted.length ? `; ${result.alreadyStarted.length} already started, left as they are` : ''),
      );
      // Started is not running: say so now rather than let the letters sit unnoticed.
      if ((await workerPolling(c)) === false) err.write(`rounds: warning: ${NO_WORKER}; the letters wait until one does\n`);
    });

  program
    .command('status [roundId]')
    .description('where every letter stands (all rounds, or one round a page at a time), overdue first')
    .option('--json', 'machine-readable output (a round: every letter, streamed; with --page, that page)')
    .option('--csv', 'a round: every letter as CSV from the register (streamed)')
    .option('--overdue', "only open letters whose next action's time has passed")
    .option('--state <state>', `only letters in this state (${Object.keys(LETTER_STATES).join(', ')})`)
    .option('--page <n>', `a round: page n of ${PAGE_SIZE} letters (default 1)`, parsePositiveInt('--page'))
    .option('--all', 'a round: every letter, not one page')
    .action(async (roundId: string | undefined, o: { json?: boolean; csv?: boolean; overdue?: boolean; state?: string; page?: number; all?: boolean }) => {
      if (o.state !== undefined && !isLetterState(o.state)) {
        throw new UserError(`--state: '${o.state}' is not a letter state (expected one of ${Object.keys(LETTER_STATES).join(', ')})`);
      }
      if ((o.page !== undefined || o.all || o.csv) && (!roundId || o.overdue || o.state)) {
        throw new UserError(`--page, --all and --csv are for one round's register: \`rounds status <roundId> [--page n | --all | --json | --csv]\` (without --overdue or --state)`);
      }
      if (o.page !== undefined && o.all) throw new UserError('--page and --all: choose one (a page, or every letter)');
      if (o.csv && o.json) throw new UserError('--csv and --json: choose one');
      const c = await getClient();
      if (o.overdue || o.state) {
        const query = o.overdue ? queries.overdue(new Date(), roundId) : queries.inState(o.state as LetterStateName, roundId);
        const rows = (await listLetters(c, query)).filter((r) => !o.state || r.state === o.state).sort(registerOrder);
        // Nothing matched: say what was asked, not "no letters".
        const asked = `no ${[o.overdue ? 'overdue letters' : 'letters', o.state ? `in state ${o.state}` : undefined, roundId ? `in round ${roundId}` : undefined].filter(Boolean).join(' ')}`;
        if (o.json) print(JSON.stringify(rows, null, 2));
        else say(formatRegister(rows, { empty: asked }));
        return;
      }
      if (!roundId) {
        const summaries = summarise(await listLetters(c, queries.allLetters()));
        if (o.json) print(JSON.stringify(summaries, null, 2));
        else say(formatRounds(summaries));
        return;
      }
      const reg = register();
      const base = queries.roundLetters(roundId);
      const noLetters = `no letters found for round '${roundId}' (see \`rounds status\` for the rounds there are)`;
      // Exports: every row as visibility hands it over, written at once (the first row after one request).
      if ((o.json || o.csv) && o.page === undefined) {
        const write = (s: string) => (out.write(s) ? undefined : new Promise<void>((r) => out.once('drain', () => r())));
        let n = 0;
        for await (const row of reg.registerRows(c, base)) {
          if (o.csv) await write(n === 0 ? `${reg.registerCsvHeader()}${reg.registerCsvLine(row)}` : reg.registerCsvLine(row));
          else await write(`${n === 0 ? '[\n' : ',\n'}${JSON.stringify(row)}`);
          n++;
        }
        if (o.json) await write(n === 0 ? '[]\n' : '\n]\n');
        else if (n === 0) throw new UserError(noLetters);
        return;
      }
      if (o.all) {
        const rows: LetterRow[] = [];
        for await (const row of reg.registerRows(c, base)) rows.push(row);
        if (rows.length === 0) throw new UserError(noLetters);
        say(formatRegister(rows));
        return;
      }
      const at = new Date();
      const [page, counts] = await Promise.all([reg.registerPageNumber(c, base, o.page ?? 1, { at }), reg.registerCounts(c, base, at)]);
      if (o.json) {
        print(JSON.stringify(page.rows, null, 2));
        return;
      }
      if (counts.letters === 0 && page.rows.length === 0) throw new UserError(noLetters);
      say(formatRegister(page.rows, { empty: `no letters on page ${o.page ?? 1} of round ${roundId}` }));
      say(formatRegisterFooter(roundId, o.page ?? 1, page.rows.length, counts, Boolean(page.next)));
    });

  program
    .command('show <workflowId>')
    .description("one letter: its documents, next action and timeline (workflowId is '<roundId>/<letterId>')")
    .option('--json', 'machine-readable output')
    .option('--explain', 'how each date was worked out (base date, working days, days skipped, time and offset)')
    .action(async (id: string, o: { json?: boolean; explain?: boolean }) => {
      const c = await getClient();
      await needWorker(c);
      const s = await letterStatus(c, id);
      if (o.json) print(JSON.stringify(o.explain ? s.explanations ?? [] : s, null, 2));
      else say(o.explain ? formatExplanations(s) : formatLetter(s));
    });

  const docsOption = () => new Option('--doc <key...>', `document keys: ${DOCUMENT_KEYS.join(', ')}`).argParser(collectDocs);
  program
    .command(`${STAFF_ACTIONS.receipt.command} <workflowId>`)
    .description(STAFF_ACTIONS.receipt.describe)
    .addOption(docsOption().makeOptionMandatory())
    .option('--on <date>', 'date received (default today)')
    .option('--by <name>', 'who recorded it')
    .option('--note <text>', 'a note')
    .action(async (id: string, o: { doc: DocumentKey[]; on?: string; by?: string; note?: string }) => {
      const s = await updateLetter(await workerClient(), id, STAFF_ACTIONS.receipt.update, { documents: o.doc, receivedOn: o.on, by: by(o), note: o.note });
      say(`${id}: ${s.state}; outstanding: ${s.outstanding.join(', ') || 'nothing'}`);
    });

  program
    .command(`${STAFF_ACTIONS.decline.command} <workflowId>`)
    .description(STAFF_ACTIONS.decline.describe)
    .requiredOption('--reason <text>', 'why, in their words')
    .addOption(docsOption())
    .option('--on <date>', 'date of the decline (default today)')
    .option('--by <name>', 'who recorded it')
    .action(async (id: string, o: { doc?: DocumentKey[]; reason: string; on?: string; by?: string }) => {
      const s = await updateLetter(await workerClient(), id, STAFF_ACTIONS.decline.update, { documents: o.doc, reason: o.reason, on: o.on, by: by(o) });
      say(`${id}: ${s.state}; outstanding: ${s.outstanding.join(', ') || 'nothing'}`);
    });

  // Issue 16: extend, pause, resume, withdraw and note take one letter, or a selection of letters
  // (each changed through its own update; a letter that refuses is reported and the rest go on).
  const selectable = (cmd: Command) =>
    cmd
      .option('--round <id>', 'every letter of this round (with the options below: those of them that match)')
      .option('--state <state>', `letters in this state (${Object.keys(LETTER_STATES).join(', ')})`)
      .option('--overdue', "open letters whose next action's time has passed")
      .option('--organisation <name>', "letters to this organisation (or recipient's name)")
      .option('--ids <ids>', 'these letters, comma-separated <roundId>/<letterId>')
      .option('--dry-run', 'list the letters it would change, and change nothing')
      .option('--json', 'machine-readable report');
  type Selection = { round?: string; state?: string; overdue?: boolean; organisation?: string; ids?: string; dryRun?: boolean; json?: boolean };
  const act = async <K extends keyof import('./letters').Updates>(
    id: string | undefined,
    o: Selection,
    name: K,
    payload: import('./letters').PayloadOf<import('./letters').Updates[K]>,
    describe: (s: import('../domain/types').LetterStatus) => string,
    what: string,
    /** Only open letters of the selection (the finished ones are counted, not reported as refusals). */
    openOnly = false,
  ) => {
    const selected = o.round !== undefined || o.state !== undefined || o.overdue || o.organisation !== undefined || o.ids !== undefined;
    if (id !== undefined && selected) throw new UserError('give one letter id, or a selection (--round, --state, --overdue, --organisation, --ids), not both');
    if (id === undefined && !selected) throw new UserError('say which letter: <roundId>/<letterId>, or a selection (--round, --state, --overdue, --organisation, --ids)');
    if (id !== undefined) {
      if (o.dryRun) {
        const s = await letterStatus(await workerClient(), id);
        say(`dry run: would ${what} ${id} (now ${s.state}); nothing was changed`);
        return;
      }
      say(`${id}: ${describe(await updateLetter(await workerClient(), id, name, payload))}`);
      return;
    }
    const ids = o.ids?.split(',').map((x) => checkId(x.trim())).filter(Boolean);
    const c = o.dryRun ? await getClient() : await workerClient();
    const chosen = await rounds().selectLetters(c, { round: o.round, state: o.state, overdue: o.overdue, organisation: o.organisation, ids });
    const rows = openOnly ? chosen.filter(rounds().isOpen) : chosen;
    const left = chosen.length - rows.length;
    if (left > 0) err.write(`rounds: ${left} finished letter${left === 1 ? '' : 's'} of the selection left as they are\n`);
    if (o.dryRun) {
      if (o.json) print(JSON.stringify(rows.map((r) => ({ workflowId: r.workflowId, state: r.state, nextActionAt: r.nextActionAt })), null, 2));
      else {
        say(`dry run: would ${what} ${rows.length} letter${rows.length === 1 ? '' : 's'}; nothing was changed`);
        for (const r of rows) say(`  ${r.workflowId} (${r.state}${r.nextActionAt ? `, next at ${when(r.nextActionAt)}` : ''})`);
      }
      return;
    }
    reportOutcomes(await rounds().applyToRows(c, rows, name, payload, { onProgress: progressLine(), describe }), o.json);
  };
  const nextText = (s: import('../domain/types').LetterStatus) =>
    `${s.state}${s.attention ? ` (${s.attention})` : ''}; next ${s.nextAction ? `${s.nextAction.kind} at ${when(s.nextAction.at)}` : 'nothing'}`;

  selectable(
    program
      .command(`${STAFF_ACTIONS.extend.command} [workflowId]`)
      .description(`${STAFF_ACTIONS.extend.describe} (one letter, or a selection)`)
      .addOption(new Option('--until <date>', 'the new date of the next action').conflicts('workingDays'))
      .addOption(new Option('--working-days <n>', 'move every remaining step by n working days').argParser(parsePositiveInt('--working-days')))
      .option('--reason <text>', 'why')
      .option('--by <name>', 'who agreed it'),
  ).action(async (id: string | undefined, o: Selection & { until?: string; workingDays?: number; reason?: string; by?: string }) => {
    if (!o.until && !o.workingDays) throw new UserError('extend: give --until <date> or --working-days <n>');
    const what = o.until ? `extend to ${o.until}` : `extend by ${o.workingDays} working days`;
    await act(id, o, STAFF_ACTIONS.extend.update, { until: o.until, workingDays: o.workingDays, reason: o.reason, by: by(o) }, nextText, what);
  });

  for (const { command: name, update, describe: description } of [STAFF_ACTIONS.pause, STAFF_ACTIONS.withdraw]) {
    selectable(
      program
        .command(`${name} [workflowId]`)
        .description(`${description} (one letter, or a selection)`)
        .option('--reason <text>', 'why')
        .option('--by <name>', 'who'),
    ).action(async (id: string | undefined, o: Selection & { reason?: string; by?: string }) => {
      await act(id, o, update, { reason: o.reason, by: by(o) }, (s) => s.state, name);
    });
  }
  selectable(
    program
      .command(`${STAFF_ACTIONS.resume.command} [workflowId]`)
      .description(`${STAFF_ACTIONS.resume.describe} (one letter, or a selection)`)
      .option('--by <name>', 'who'),
  ).action(async (id: string | undefined, o: Selection & { by?: string }) => {
    await act(id, o, STAFF_ACTIONS.resume.update, { by: by(o) }, nextText, 'resume');
  });
  selectable(
    program
      .command(`${STAFF_ACTIONS.note.command} [workflowId] [text...]`)
      .description(`${STAFF_ACTIONS.note.describe} (one letter: note <id> <text>; or a selection: note --round <id> <text>)`)
      .option('--by <name>', 'who'),
  ).action(async (id: string | undefined, words: string[], o: Selection & { by?: string }) => {
    const selected = ['round', 'state', 'overdue', 'organisation', 'ids'].some((k) => o[k as keyof Selection] !== undefined);
    const text = (selected && id !== undefined ? [id, ...words] : words).join(' ');
    await act(selected ? undefined : id, o, STAFF_ACTIONS.note.update, { text, by: by(o) }, () => 'note added', 'add the note to');
  });

  // ---- issue 16: calendar changes and round-wide actions ----
  const calendar = program.command('calendar').description('changes to the working-day calendar that reach open letters');
  calendar
    .command('close <from> [to]')
    .description('close the office from <from> to <to> (inclusive): every open letter concerned plans its remaining steps again')
    .option('--reason <text>', 'why (shown on each letter whose dates move)')
    .option('--round <id>', 'only the letters of this round (default: every open letter)')
    .option('--by <name>', 'who')
    .option('--dry-run', 'list the letters it would go to, and change nothing')
    .option('--json', 'machine-readable report')
    .action(async (from: string, to: string | undefined, o: { reason?: string; round?: string; by?: string; dryRun?: boolean; json?: boolean }) => {
      const payload = rounds().closurePayload(from, to, o.reason, by(o));
      const c = await workerClient(); // a dry run asks each letter too
      const letters = await rounds().openLetters(c, o.round);
      if (o.dryRun) {
        // Each letter says what it would do (a query): what would move, or why it would refuse.
        const previews = await rounds().previewCalendar(c, letters.map((l) => l.workflowId), payload);
        if (o.json) {
          print(JSON.stringify(previews, null, 2));
          return;
        }
        say(`dry run: the closure would go to ${letters.length} open letter${letters.length === 1 ? '' : 's'}; nothing was changed`);
        const word = { changes: 'would change', unchanged: 'unchanged   ', refused: 'WOULD REFUSE' } as const;
        for (const p of previews) say(`  ${word[p.outcome]} ${p.workflowId}: ${p.message}`);
        return;
      }
      err.write(`rounds: the closure goes to ${letters.length} open letter${letters.length === 1 ? '' : 's'}\n`);
      const outcomes = await rounds().applyToLetters(c, letters.map((l) => l.workflowId), 'changeCalendar', payload, { onProgress: progressLine(), describe: rounds().calendarMessage });
      reportOutcomes(outcomes, o.json);
    });

  program
    .command('stats')
    .description('response statistics per round and per organisation (across rounds), from the registers')
    .option('--round <id>', 'only this round')
    .option('--json', 'machine-readable output')
    .option('--csv', 'CSV output')
    .action(async (o: { round?: string; json?: boolean; csv?: boolean }) => {
      const { responseStats } = require('../domain/stats') as typeof import('../domain/stats'); // eslint-disable-line @typescript-eslint/no-require-imports
      const rows = await listLetters(await getClient(), o.round ? queries.roundLetters(o.round) : queries.allLetters());
      if (rows.length === 0) throw new UserError(o.round ? `no letters found for round '${o.round}'` : 'no letters yet');
      const letters = rounds().statsLetters(rows);
      const today = new Date().toISOString().slice(0, 10);
      const byRound = responseStats(letters, (l) => l.roundId, today);
      const byOrganisation = responseStats(letters, (l) => l.organisation, today);
      if (o.json) {
        print(JSON.stringify({ rounds: byRound, organisations: byOrganisation }, null, 2));
        return;
      }
      const cells = (x: import('../domain/stats').Stats) => [
        x.letters, x.answeredInFull, x.answeredInPart, x.declined, x.unanswered, x.withdrawn, x.answeredWithinFirstDeadline,
        Object.entries(x.medianWorkingDaysTo).map(([k, v]) => `${k}=${v ?? '-'}`).join(' '), x.chases, x.medianChasesToFull ?? '-',
        x.overdueNow, x.overdueWorkingDays.max ?? '-',
      ];
      const head = ['letters', 'full', 'part', 'declined', 'unanswered', 'withdrawn', 'within first deadline', 'median working days to each document', 'chases', 'median chases to full', 'overdue now', 'most working days overdue'];
      if (o.csv) {
        const q = (v: unknown) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
        print([['by', 'group', ...head].map(q).join(','), ...byRound.map((x) => ['round', x.group, ...cells(x)].map(q).join(',')), ...byOrganisation.map((x) => ['organisation', x.group, ...cells(x)].map(q).join(','))].join('\n'));
        return;
      }
      for (const [title, list] of [['Rounds', byRound], ['Organisations', byOrganisation]] as const) {
        say(title);
        for (const x of list) say(`  ${x.group}\n${head.map((h, i) => `    ${h}: ${cells(x)[i]}`).join('\n')}`);
      }
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
      if (rows.length > 0) await needWorker(c); // every letter's status is a query
      const statuses = await Promise.all(rows.map((r) => letterStatus(c, r.workflowId)));
      print(JSON.stringify(statuses, null, 2));
    });

  // Replies in (issue 13): the coordinator's mailbox, triage of a reply, a bounced address corrected.
  const inbox = program
    .command('inbox')
    .description("the coordinator's mailbox: the holding pen, the latest filed messages, and whether the mailbox can be read")
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const s = await inboxCommands().inboxState(await workerClient());
      if (o.json) print(JSON.stringify(s, null, 2));
      else say(inboxCommands().formatInbox(s));
    });
  inbox
    .command('import <file.eml>')
    .description("file an email saved as .eml (e.g. a reply that went to someone else's mailbox) like one from the mailbox")
    .option('--by <name>', 'who')
    .action(async (file: string, o: { by?: string }) => {
      const i = inboxCommands();
      say(i.formatOutcome(await i.importEml(await workerClient(), file, by(o))));
    });
  inbox
    .command('file <messageId> <letter>')
    .description("file a message from the holding pen on a letter ('<roundId>/<letterId>')")
    .option('--by <name>', 'who')
    .action(async (messageId: string, target: string, o: { by?: string }) => {
      const i = inboxCommands();
      say(i.formatOutcome(await i.fileFromPen(await workerClient(), messageId, target, by(o))));
    });
  inbox
    .command('dismiss <messageId>')
    .description('take a message out of the holding pen without filing it')
    .requiredOption('--reason <text>', 'why (e.g. spam, not about a round)')
    .option('--by <name>', 'who')
    .action(async (messageId: string, o: { reason: string; by?: string }) => {
      await inboxCommands().dismissFromPen(await workerClient(), messageId, o.reason, by(o));
      say(`${messageId}: dismissed`);
    });
  program
    .command('triage <workflowId> <messageId>')
    .description('triage a reply: record the documents it carries (--doc), or --none ("no documents yet"); releases the hold on chases')
    .addOption(docsOption())
    .option('--none', 'the reply carries no documents yet')
    .option('--by <name>', 'who')
    .option('--note <text>', 'a note')
    .action(async (id: string, messageId: string, o: { doc?: DocumentKey[]; none?: boolean; by?: string; note?: string }) => {
      if (!o.doc === !o.none) throw new UserError('triage: give --doc <key...> for the documents the reply carries, or --none');
      const s = await updateLetter(await workerClient(), id, 'triageReply', { messageId, documents: o.doc ?? [], by: by(o), note: o.note });
      say(`${id}: ${s.state}; next ${s.nextAction ? `${s.nextAction.kind} at ${when(s.nextAction.at)}` : 'nothing'}`);
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
  ).action(async (id: string | undefined, o: Selection & { email?: string; cc?: string[]; escalateTo?: string[]; reason?: string; by?: string }) => {
    if (o.email === undefined && o.cc === undefined && o.escalateTo === undefined) throw new UserError('correct-address: give --email, --cc or --escalate-to (the corrected addresses)');
    const to = [o.email ? `email ${o.email}` : '', o.cc ? `cc ${o.cc.join(', ')}` : '', o.escalateTo ? `escalations to ${o.escalateTo.join(', ')}` : ''].filter(Boolean).join('; ');
    const payload = { email: o.email, cc: o.cc, escalateTo: o.escalateTo, reason: o.reason, by: by(o) };
    await act(id, o, 'correctAddress', payload, nextText, `set ${to} on`, true);
  });

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
    .action(async (roundIds: string[], o: { out: string; baseUrl?: string; roundDir?: string[]; asOf?: string; stamp?: boolean; close?: boolean; by?: string }) => {
      const { checkOut, closePublished, publishSite, readRounds, withRoundFolders } = publisher();
      if (o.baseUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(o.baseUrl)) throw new UserError(`--base-url: expected an http(s) URL like https://office.example.org/requests/, got '${o.baseUrl}'`);
      let asOf: string | undefined;
      try {
        asOf = o.asOf === undefined ? undefined : parseIsoDate(o.asOf);
      } catch (e) {
        throw new UserError(`--as-of: ${(e as Error).message}`);
      }
      checkOut(path.resolve(o.out)); // before reading anything: a wrong --out is said at once
      const rounds = await withRoundFolders(await readRounds(await getClient(), [...new Set(roundIds)]), o.roundDir ?? []);
      const written = await publishSite(rounds, {
        out: o.out,
        baseUrl: o.baseUrl,
        asOf,
        stamp: o.stamp ? new Date().toISOString() : undefined,
        store: new DocumentStore(documentsDir(varDir())),
      });
      say(`${o.out}: ${written.length} files for ${rounds.map((r) => `${r.roundId} (${r.letters.length} letters)`).join(', ')}`);
      if (o.close) {
        const { closed, refused } = await closePublished(await workerClient(), rounds, by(o));
        say(`closed for publication: ${closed.length === 0 ? 'no letter was open for publication' : closed.join(', ')}`);
        for (const r of refused) say(`not closed: ${r}`);
      }
    });

  // Publication from the terminal (issue 14): a document received by post or by hand, what may
  // be published, and the end of a finished letter's publication window.
  const publication = program.command('publication').description("mark what of a letter may be published (see also the letter page)");
  const store = async () => new DocumentStore(documentsDir(varDir()));
  publication
    .command('attach <workflowId> <file>')
    .description('add a document received by post or by hand (stored in the document store; not published until marked)')
    .addOption(new Option('--doc <key>', 'which requested document it is').choices([...DOCUMENT_KEYS]))
    .option('--title <text>', 'what it is, when it is not a requested document')
    .option('--on <date>', 'date received (default today)')
    .option('--by <name>', 'who')
    .action(async (id: string, file: string, o: { doc?: DocumentKey; title?: string; on?: string; by?: string }) => {
      const c = await workerClient();
      const stored = await publisher().storeFile(await store(), file, 'file');
      const s = await updateLetter(c, id, 'attachDocument', { document: o.doc, title: o.title, file: stored, receivedOn: o.on, by: by(o) });
      const a = s.attachments!.at(-1)!;
      say(`${id}: ${a.id} added: ${a.title} (${a.file.name}); not published until marked (rounds publication set ${id} --attachment ${a.id} --publish)`);
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
    .action(async (id: string, o: { attachment?: string; declineReason?: DocumentKey; reply?: string; replyAttachment?: string; publish?: boolean; redacted?: string; by?: string }) => {
      if (o.publish === undefined) throw new UserError('publication set: say --publish or --no-publish');
      let replyAttachment: number | undefined;
      if (o.replyAttachment !== undefined) {
        replyAttachment = Number(o.replyAttachment);
        if (!/^\d+$/.test(o.replyAttachment)) throw new UserError(`--reply-attachment: expected a number (1 = the first attachment), got '${o.replyAttachment}'`);
      }
      const c = await workerClient();
      const redacted = o.redacted === undefined ? undefined : await publisher().storeFile(await store(), o.redacted, '--redacted');
      const s = await updateLetter(c, id, 'setPublication', {
        attachment: o.attachment,
        declineReasonOf: o.declineReason,
        reply: o.reply,
        replyAttachment,
        publish: o.publish,
        redacted,
        by: by(o),
      });
      say(`${id}: ${s.timeline.at(-1)?.message ?? 'recorded'}`);
    });
  publication
    .command('close <workflowId>')
    .description("end a finished letter's publication window now: no more publication changes (its workflow completes)")
    .option('--reason <text>', 'why')
    .option('--by <name>', 'who')
    .action(async (id: string, o: { reason?: string; by?: string }) => {
      const s = await updateLetter(await workerClient(), id, 'closeLetter', { reason: o.reason, by: by(o) });
      say(`${id}: ${s.state}; closed for publication`);
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

function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
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
