// `npm run bench`: request-rounds at the scale of 10,000 letters, on a Temporal dev server the
// bench starts itself (fresh SQLite file in a temp folder, 127.0.0.1, free ports). Prints a
// table and writes bench/results/latest.json. Not part of `npm test`. See bench/README.md.
//
//   npm run bench                          # everything, ~10 minutes on 2 cores
//   npm run bench -- --letters 2000        # smaller
//   npm run bench -- --sqlite default      # dev server with SQLite's default pragmas (default: npm start's, WAL)
//   npm run bench -- --worker-variant '{"sdkDefaults":true}'   # compare worker settings
//   npm run bench -- --server-config system.enableActivityEagerExecution=true
//   npm run bench -- --sources             # the CLI and worker from the TypeScript sources (tsx), not dist/
//   npm run bench -- --cluster             # the real Temporal server on PostgreSQL (npm run test:cluster's
//                                          # deployment: deploy/ files, SQL visibility); writes bench/results/cluster.json
//   npm run bench -- --worker-env ROUNDS_MAX_CACHED_WORKFLOWS=250   # environment for the worker process only
//   npm run bench -- --memory --letters 2000 [--settings a,b] [--sample 60]   # only the worker's memory
//                                          # (bench/memory.ts) for several worker settings; writes workerMemory into latest.json
//   npm run bench -- --replies 1000 --letters 10000   # only replies in (bench/replies.ts): N replies at once
//                                          # over Dovecot with that many open letters; writes bench/results/replies.json
//
// Every loop is bounded in count and time; everything listens on 127.0.0.1 only.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { listLetters, queries } from '../client/queries';
import { DEV_SERVER_SQLITE_PRAGMAS } from '../worker/dev/temporal-binaries';
import type { LetterStatus } from '../domain/types';
import type { SinkMessage } from '../worker/dev/mail-sink';
import { requireBinary } from '../worker/dev/temporal-binaries';
import * as api from '../workflows/letter-api';
import {
  cpuSeconds,
  generateRound,
  parseMessageId,
  ROOT,
  ROUNDS_BIN,
  runProcess,
  runRounds,
  sleep,
  tempDir,
  waitFor,
} from '../worker/dev/processes';
import { DevService } from '../worker/dev/service';
import { Agent, startDashboard, type Dashboard } from '../worker/dev/dashboard';
import { benchReplies } from './replies';
import { UserError } from '../domain/errors';
import { ROUND_LIMITS } from '../domain/round';
import { benchMemory, writeMemoryResults } from './memory';
import { median, ms, percentile, round0, round1, round2, table, timed } from './stats';

// ---------------------------------------------------------------------------------------
// options

interface Options {
  letters: number;
  chases: number;
  concurrency: number;
  /** Seconds from the chase round's start to its first chase (all due at that one moment). */
  chaseAfter: number;
  /** Seconds between the chase round's steps. */
  chaseGap: number;
  sqlite: 'default' | 'wal';
  /** Dynamic-config values for the dev server (`--server-config key=json`). */
  serverConfig?: Record<string, unknown>;
  /** Extra environment for the worker process only (`--worker-env K=V`, repeatable), e.g. ROUNDS_MAX_CACHED_WORKFLOWS or NODE_OPTIONS. */
  workerEnv: Record<string, string>;
  /** JSON tuning for bench/worker-variant.ts instead of the real `rounds worker`. */
  workerVariant?: string;
  dashboard: boolean;
  /** The real Temporal server on PostgreSQL instead of the dev server. */
  cluster: boolean;
  /** Only the replies bench (bench/replies.ts): this many replies at once. */
  replies?: number;
  /** Only the memory comparison (bench/memory.ts): these settings (all when empty), sampled this many seconds. */
  memory?: { settings?: string[]; sampleSeconds: number };
  /** Run the CLI and the worker from the sources (tsx) instead of the compiled build (dist/, `npm run build`). */
  sources: boolean;
  /** The bench gives up after this many minutes. */
  maxMinutes: number;
  out: string;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    letters: 10_000,
    chases: 500,
    concurrency: 32,
    chaseAfter: 45,
    chaseGap: 30,
    sqlite: 'wal',
    dashboard: true,
    cluster: false,
    sources: false,
    maxMinutes: 25,
    workerEnv: {},
    out: '',
  };
  const int = (v: string | undefined, flag: string, min: number, max: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new UserError(`${flag}: expected a whole number from ${min} to ${max}, got '${v}'`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    if (a === '--letters') o.letters = int(next(), a, 10, 100_000);
    else if (a === '--chases') o.chases = int(next(), a, 1, 5_000);
    else if (a === '--concurrency') o.concurrency = int(next(), a, 1, 512);
    else if (a === '--chase-after') o.chaseAfter = int(next(), a, 10, 600);
    else if (a === '--chase-gap') o.chaseGap = int(next(), a, 5, 600);
    else if (a === '--sqlite') {
      const v = next();
      if (v !== 'default' && v !== 'wal') throw new UserError(`--sqlite: expected default or wal, got '${v}'`);
      o.sqlite = v;
    } else if (a === '--worker-variant') o.workerVariant = next();
    else if (a === '--server-config') {
      // a dev server dynamic-config value, e.g. system.enableActivityEagerExecution=true
      const [k, ...v] = next().split('=');
      o.serverConfig = { ...o.serverConfig, [k]: JSON.parse(v.join('=')) };
    }
    else if (a === '--no-dashboard') o.dashboard = false;
    else if (a === '--cluster') o.cluster = true;
    else if (a === '--replies') o.replies = int(next(), a, 1, 50_000);
    else if (a === '--sources') o.sources = true;
    else if (a === '--worker-env') {
      const [k, ...v] = next().split('=');
      o.workerEnv[k] = v.join('=');
    }
    else if (a === '--memory') o.memory = { sampleSeconds: 60, ...o.memory };
    else if (a === '--settings') o.memory = { sampleSeconds: 60, ...o.memory, settings: next().split(',') };
    else if (a === '--sample') o.memory = { sampleSeconds: int(next(), a, 5, 600), ...(o.memory && { settings: o.memory.settings }) };
    else if (a === '--max-minutes') o.maxMinutes = int(next(), a, 1, 600);
    else if (a === '--out') o.out = path.resolve(next());
    else if (a === '--help' || a === '-h') {
      console.log(fs.readFileSync(__filename, 'utf8').split('\n').filter((l) => l.startsWith('//')).join('\n'));
      process.exit(0);
    } else throw new UserError(`unknown option '${a}' (see --help)`);
  }
  if (o.workerVariant) JSON.parse(o.workerVariant);
  if (!o.sources && !fs.existsSync(path.join(ROOT, 'dist', 'client', 'cli.js'))) throw new UserError('the bench runs the compiled build: run `npm run build` first (or pass --sources)');
  if (o.cluster && (o.serverConfig || o.sqlite !== 'wal')) throw new UserError('--server-config and --sqlite are for the dev server, not --cluster');
  // The cluster's figures sit beside the dev server's, not over them.
  if (o.replies !== undefined && o.cluster) throw new UserError('--replies runs on the dev server, not --cluster');
  o.out ||= path.join(ROOT, 'bench', 'results', o.replies !== undefined ? 'replies.json' : o.cluster ? 'cluster.json' : 'latest.json');
  return o;
}

// ---------------------------------------------------------------------------------------
// the Temporal server under test

interface ServerUnderTest {
  address: string;
  pid: number;
  description: string;
}

/** What the results say about the dev server the service started. */
function devServerUnderTest(opts: Options, service: DevService): ServerUnderTest {
  const server = service.server!;
  log(`dev server at ${server.address} (sqlite ${opts.sqlite})`);
  return {
    address: server.address,
    pid: server.pid,
    description: `temporal server start-dev, sqlite ${opts.sqlite === 'wal' ? "npm start's pragmas (journal_mode=wal synchronous=normal)" : 'default pragmas'}${opts.serverConfig ? `, dynamic config ${JSON.stringify(opts.serverConfig)}` : ''}`,
  };
}

/** PostgreSQL and the real Temporal server as `npm run test:cluster` runs them; `rounds setup` makes the namespace. */
async function startCluster(cleanup: (() => Promise<void> | void)[]): Promise<ServerUnderTest> {
  // Loaded only here: it builds or finds the server binaries and PostgreSQL.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Postgres, TemporalServer } = require('../worker/dev/cluster') as typeof import('../worker/dev/cluster');
  const pg = await Postgres.start();
  cleanup.push(() => pg.stop());
  const server = await TemporalServer.start(pg);
  cleanup.push(() => server.stop());
  const setup = await runRounds(['--address', server.address, 'setup'], {}, 120_000);
  if (setup.code !== 0) throw new Error(`rounds setup failed (${setup.code}): ${setup.stderr}`);
  log(`Temporal server ${server.address} on PostgreSQL ${pg.port}; ${setup.stdout.trim().split('\n')[0]}`);
  return {
    address: server.address,
    pid: server.child.pid!,
    description: 'temporal server v1.32.2 (deploy/temporal-server.yaml), PostgreSQL 15 persistence and SQL visibility, namespace default made by rounds setup',
  };
}

// ---------------------------------------------------------------------------------------

const log = (s: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}\n`);

interface RssSample {
  t: number;
  phase: string;
  mb: number;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const work = tempDir('rounds-bench-');
  const results: Record<string, unknown> = {};
  const cleanup: (() => Promise<void> | void)[] = [];
  // Which part is running, so a run that breaks (at 100,000 letters, say) still writes what it measured and where it stopped.
  let stage = 'setup';
  const writeBroken = (message: string) => {
    results.broke = { stage, message, afterS: round0((Date.now() - started) / 1000) };
    fs.mkdirSync(path.dirname(opts.out), { recursive: true });
    fs.writeFileSync(opts.out, JSON.stringify(results, null, 2) + '\n');
    log(`broke in '${stage}': ${message}; wrote what was measured to ${path.relative(process.cwd(), opts.out)}`);
  };
  const hardDeadline = setTimeout(() => {
    log(`the bench ran for ${opts.maxMinutes} minutes: giving up (--max-minutes)`);
    if (!opts.memory && opts.replies === undefined) writeBroken(`--max-minutes ${opts.maxMinutes} reached`);
    process.exit(3);
  }, opts.maxMinutes * 60_000);
  hardDeadline.unref();

  try {
    // ---------------- setup
    log(`temp folder ${work}`);
    if (opts.memory) {
      const memory = await benchMemory({ letters: opts.letters, concurrency: opts.concurrency, sampleSeconds: opts.memory.sampleSeconds, settings: opts.memory.settings, out: opts.out }, work, cleanup, log);
      writeMemoryResults(opts.out, 'workerMemory', memory);
      log(`wrote workerMemory.letters${opts.letters} into ${path.relative(process.cwd(), opts.out)}`);
      return;
    }
    if (opts.replies !== undefined) {
      const replies = await benchReplies({ replies: opts.replies, letters: opts.letters, concurrency: opts.concurrency }, work, cleanup, log);
      const out = { meta: { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, memoryGb: round1(os.totalmem() / 2 ** 30) }, replies, durationS: round0((Date.now() - started) / 1000) };
      fs.mkdirSync(path.dirname(opts.out), { recursive: true });
      fs.writeFileSync(opts.out, JSON.stringify(out, null, 2) + '\n');
      log(`wrote ${path.relative(process.cwd(), opts.out)}`);
      return;
    }
    const cluster = opts.cluster ? await startCluster(cleanup) : undefined;
    const service = await DevService.start({
      dir: work,
      address: cluster?.address,
      sqlitePragmas: opts.sqlite === 'wal' ? DEV_SERVER_SQLITE_PRAGMAS : {},
      dynamicConfig: opts.serverConfig,
    });
    cleanup.push(() => service.stop());
    const server = cluster ?? devServerUnderTest(opts, service);
    const { client, sink } = service;
    const arrivals: { at: number; message: SinkMessage }[] = [];
    sink.on('message', (message: SinkMessage) => arrivals.push({ at: Date.now(), message }));

    const temporalVersion = (await runProcess(requireBinary('cli'), ['--version'])).stdout.trim();
    // The compiled build (dist/, NODE_ENV=production: what the Docker image runs) unless --sources.
    const buildEnv: Record<string, string> = opts.sources ? { NODE_ENV: 'development' } : { NODE_ENV: 'production' };
    results.meta = {
      date: new Date().toISOString(),
      node: process.version,
      temporal: temporalVersion,
      cpus: os.cpus().length,
      memoryGb: round1(os.totalmem() / 2 ** 30),
      options: { ...opts, out: path.relative(ROOT, opts.out) },
      worker: opts.workerVariant ? `bench/worker-variant.ts ${opts.workerVariant}` : `node bin/rounds.js worker (worker/worker.ts defaults), ${opts.sources ? 'sources (tsx)' : 'compiled build (dist/, NODE_ENV=production)'}`,
      build: opts.sources ? 'sources (tsx)' : 'compiled (dist/)',
      devServer: server.description,
    };

    // A round has at most ROUND_LIMITS.lettersPerRound (20,000) letters (`rounds check` refuses more),
    // so above that the letters are several rounds, started one after another; the register is
    // measured on the first (bench-main), with all the others open beside it.
    const roundSize = Math.min(opts.letters, ROUND_LIMITS.lettersPerRound);
    const mainRounds = Array.from({ length: Math.ceil(opts.letters / roundSize) }, (_, i) =>
      generateRound(work, i === 0 ? 'bench-main' : `bench-main${i + 1}`, Math.min(roundSize, opts.letters - i * roundSize), [
        ['20 working days', 'chase'],
        ['30 working days', 'chase'],
        ['40 working days', 'escalate'],
        ['60 working days', 'close'],
      ]),
    );
    const mainRound = mainRounds[0];
    const half = Math.floor(opts.letters / 2);
    const bareRounds = [
      generateRound(work, 'bench-bare1', half, [['20 working days', 'chase'], ['60 working days', 'close']]),
      generateRound(work, 'bench-bare2', opts.letters - half, [['20 working days', 'chase'], ['60 working days', 'close']]),
    ];
    const a = opts.chaseAfter;
    const g = opts.chaseGap;
    const chaseRound = generateRound(work, 'bench-chase', opts.chases, [
      [`${a} seconds`, 'chase'],
      [`${a + g} seconds`, 'chase'],
      [`${a + 2 * g} seconds`, 'escalate'],
      [`${a + 3 * g} seconds`, 'close'],
    ]);
    const address = ['--address', server.address];
    // Waits that grow with the round: the limits below are for 10,000 letters.
    const scale = Math.max(1, opts.letters / 10_000);
    const scaled = (msFor10k: number) => Math.round(msFor10k * scale);
    // The register's runs: five each up to 20,000 letters, then three (a full list of 100,000 takes minutes).
    const registerRuns = opts.letters > 20_000 ? 3 : 5;

    // ---------------- 1. start rate (no worker running)
    stage = '1. start rate';
    log(`start rate: ${opts.letters} letters, concurrency ${opts.concurrency}, no worker running`);
    // The bare loop (bench/bare.ts, its own process, timed from inside) sends exactly the
    // requests startLetters sends, to a task queue no worker polls, so those letters never run.
    // Half of it before and half after `rounds start`, so neither gets the emptier database.
    const bareStart = async (dir: string) => {
      const r = await runProcess(process.execPath, ['-r', 'tsx/cjs', path.join(ROOT, 'bench', 'bare.ts'), 'start', dir, String(opts.concurrency), 'bench-bare-no-worker'], { TEMPORAL_ADDRESS: server.address }, scaled(15 * 60_000));
      if (r.code !== 0) throw new Error(`bench/bare.ts start failed: ${r.stderr}`);
      return JSON.parse(r.stdout.trim().split('\n').pop()!) as { started: number; ms: number };
    };
    const bare1 = await bareStart(bareRounds[0].dir);
    log(`  bare: ${bare1.started} in ${ms(bare1.ms)}`);
    const cliStart = { ms: 0 };
    for (const round of mainRounds) {
      const run = await runRounds([...address, 'start', round.dir, '--sent-on', 'now', '--concurrency', String(opts.concurrency)], buildEnv, scaled(15 * 60_000));
      if (run.code !== 0) throw new Error(`rounds start failed (${run.code}): ${(run.stderr + run.stdout).trim().split('\n').slice(-5).join(' / ')}`);
      log(`  rounds start: ${run.stdout.trim()} in ${ms(run.ms)}`);
      cliStart.ms += run.ms;
    }
    const bare2 = await bareStart(bareRounds[1].dir);
    log(`  bare: ${bare2.started} in ${ms(bare2.ms)}`);
    const roundCount = (roundId: string) => client.workflow.count(queries.roundLetters(roundId)).then((c) => c.count);
    await waitFor(
      'all letters of the round in visibility',
      async () => (await Promise.all(mainRounds.map((r) => roundCount(r.roundId)))).every((n, i) => n >= mainRounds[i].letterIds.length) || undefined,
      scaled(120_000),
      1000,
    );
    const startTimes: number[] = [];
    for (const round of mainRounds) for (const r of await listLetters(client, queries.roundLetters(round.roundId))) startTimes.push(Date.parse(r.startTime));
    startTimes.sort((x, y) => x - y);
    const windowMs = startTimes[startTimes.length - 1] - startTimes[0];
    const checkRun = await runRounds(['check', mainRound.dir, '--json'], buildEnv, 120_000);
    const helpRuns = await timed(3, () => runRounds(['--help'], buildEnv));
    const bareMs = bare1.ms + bare2.ms;
    const bareRate = (bare1.started + bare2.started) / (bareMs / 1000);
    const cliRate = opts.letters / (cliStart.ms / 1000);
    const windowRate = opts.letters / (windowMs / 1000);
    results.start = {
      letters: opts.letters,
      roundsStarted: mainRounds.length,
      concurrency: opts.concurrency,
      workersRunning: false,
      bare: { ms: round0(bareMs), perSecond: round1(bareRate), note: 'bench/bare.ts: a client.workflow.start loop in its own process, timed from inside; same requests as startLetters; half before and half after rounds start' },
      rounds: {
        endToEndMs: round0(cliStart.ms),
        endToEndPerSecond: round1(cliRate),
        startWindowMs: round0(windowMs),
        startWindowPerSecond: round1(windowRate),
        overheadMs: round0(cliStart.ms - windowMs),
        checkMs: round0(checkRun.ms),
        processStartupMs: round0(median(helpRuns.runs)),
        note: 'start window = first to last workflow start time in visibility; overhead = end to end minus window (process start, loading the folder, connecting; once per round above 20,000 letters)',
      },
      ratioWindow: round2(windowRate / bareRate),
      ratioEndToEnd: round2(cliRate / bareRate),
    };

    // ---------------- 2. the worker: start, and its first task for every letter
    stage = '2. the worker';
    const rss: RssSample[] = [];
    let phase = 'worker start';
    const worker = service.startWorker({
      ...(opts.workerVariant
        ? { script: ['-r', 'tsx/cjs', path.join(ROOT, 'bench', 'worker-variant.ts')], env: { BENCH_WORKER_TUNING: opts.workerVariant } }
        : { env: { ...buildEnv, ...opts.workerEnv } }),
      readyTimeoutMs: 120_000,
    });
    const t0 = Date.now();
    const sampler = setInterval(() => {
      try {
        if (worker.running) rss.push({ t: Date.now() - t0, phase, mb: worker.rssKb() / 1024 });
      } catch {
        // exited between the check and the read
      }
    }, 1000);
    cleanup.push(() => clearInterval(sampler));
    await worker.ready;
    const readyMs = worker.readyAt - worker.startedAt;
    await sleep(1500);
    const idleMb = worker.rssKb() / 1024;
    log(`worker ready in ${ms(readyMs)}, RSS ${round0(idleMb)} MB; waiting for its first task on ${opts.letters} letters`);
    phase = 'first tasks';
    const scheduled = (roundId: string) => client.workflow.count(`RoundId = "${roundId}" AND NextActionAt > "2000-01-01T00:00:00Z"`).then((c) => c.count);
    const cpuBefore = { worker: cpuSeconds(worker.pid), server: cpuSeconds(server.pid) };
    const drainStart = performance.now();
    await waitFor('every letter to have run its first workflow task', async () => (await Promise.all(mainRounds.map((r) => scheduled(r.roundId)))).reduce((x, y) => x + y, 0) >= opts.letters, scaled(15 * 60_000), 1000);
    const drainMs = performance.now() - drainStart;
    phase = 'open, idle';
    await sleep(5000);
    const openMb = worker.rssKb() / 1024;
    const databaseMb = devServerDatabaseMb(work);
    log(`  ${opts.letters} letters scheduled in ${ms(drainMs)}; RSS ${round0(openMb)} MB${databaseMb === undefined ? '' : `; dev server database ${databaseMb} MB`}`);
    results.worker = {
      readyMs: round0(readyMs),
      firstTasks: {
        letters: opts.letters,
        ms: round0(drainMs),
        perSecond: round1(opts.letters / (drainMs / 1000)),
        cpuSeconds: { worker: round1(cpuSeconds(worker.pid) - cpuBefore.worker), server: round1(cpuSeconds(server.pid) - cpuBefore.server) },
      },
      ...(databaseMb !== undefined && { devServerDatabaseMb: databaseMb }),
    };

    // ---------------- 3. the register
    stage = '3. the register';
    log('register: first page + counts (ours and bare), rounds status, the export, the bare full list, dashboard');
    // Interleaved, five rounds of each (three above 20,000 letters): the dev server's list latency varies from run to run.
    const statusRuns: number[] = [];
    const exportRuns: { ms: number; firstRowMs: number }[] = [];
    const bareRuns: number[] = [];
    const dashRuns: number[] = [];
    const pageRuns = { bare: [] as number[], ours: [] as number[] };
    const dash = opts.dashboard ? await openDashboard(client, mainRound.roundId) : { unavailable: 'skipped (--no-dashboard)' };
    cleanup.push(() => ('close' in dash ? dash.close() : undefined));
    for (let i = 0; i < registerRuns; i++) {
      // The first page and its counts, timed inside one process (bench/bare.ts page): ours and the bare way, alternating.
      const p = await runProcess(process.execPath, ['-r', 'tsx/cjs', path.join(ROOT, 'bench', 'bare.ts'), 'page', mainRound.roundId, '3'], { TEMPORAL_ADDRESS: server.address }, scaled(120_000));
      if (p.code !== 0) throw new Error(`bench/bare.ts page failed: ${p.stderr}`);
      const paged = JSON.parse(p.stdout.trim().split('\n').pop()!) as { rows: { bare: number; ours: number }; bare: number[]; ours: number[] };
      if (paged.rows.ours !== Math.min(50, opts.letters)) throw new Error(`the register's first page had ${paged.rows.ours} rows`);
      pageRuns.bare.push(...paged.bare);
      pageRuns.ours.push(...paged.ours);
      // `rounds status <round>`: the terminal's first page with its counts, a process end to end.
      const st = await runRounds([...address, 'status', mainRound.roundId], buildEnv, scaled(120_000));
      if (st.code !== 0) throw new Error(`rounds status failed: ${st.stderr}`);
      statusRuns.push(st.ms);
      // The export: `rounds status <round> --json`, every row streamed; when its first row came out.
      const r = await runRoundsFirstRow([...address, 'status', mainRound.roundId, '--json'], { ...buildEnv, TEMPORAL_ADDRESS: server.address }, scaled(300_000));
      const rows = JSON.parse(r.stdout) as unknown[];
      if (rows.length !== roundSize) throw new Error(`rounds status --json listed ${rows.length} letters, expected ${roundSize}`);
      exportRuns.push({ ms: r.ms, firstRowMs: r.firstRowMs });
      const b = await runProcess(process.execPath, ['-r', 'tsx/cjs', path.join(ROOT, 'bench', 'bare.ts'), 'list', mainRound.roundId, '1'], { TEMPORAL_ADDRESS: server.address }, scaled(120_000));
      if (b.code !== 0) throw new Error(`bench/bare.ts list failed: ${b.stderr}`);
      const listed = JSON.parse(b.stdout.trim().split('\n').pop()!) as { rows: number; times: number[] };
      if (listed.rows !== roundSize) throw new Error(`the bare list saw ${listed.rows} letters, expected ${roundSize}`);
      bareRuns.push(listed.times[0]);
      if ('get' in dash) dashRuns.push(await dash.get());
    }
    const cliStartup = median(helpRuns.runs);
    const dashboard = 'get' in dash ? { available: true, page: dash.page, medianMs: round0(median(dashRuns)), minMs: round0(Math.min(...dashRuns)), runs: dashRuns.map(round0), firstMs: round0(dash.firstMs) } : { available: false, reason: dash.unavailable };
    const exportMs = exportRuns.map((x) => x.ms);
    const firstRowMs = exportRuns.map((x) => x.firstRowMs);
    results.register = {
      letters: roundSize,
      openLetters: opts.letters,
      firstPage: {
        ours: { medianMs: round0(median(pageRuns.ours)), minMs: round0(Math.min(...pageRuns.ours)), runs: pageRuns.ours.map(round0), note: 'client/register-query.ts registerPage + registerCounts (2 + one per state count requests), in parallel, timed inside bench/bare.ts' },
        bare: { medianMs: round0(median(pageRuns.bare)), minMs: round0(Math.min(...pageRuns.bare)), runs: pageRuns.bare.map(round0), note: 'the first 50 rows of client.workflow.list and client.workflow.count of the round, in parallel' },
        ratio: round2(median(pageRuns.ours) / median(pageRuns.bare)),
      },
      roundsStatusPage: { medianMs: round0(median(statusRuns)), minMs: round0(Math.min(...statusRuns)), runs: statusRuns.map(round0), processStartupMs: round0(cliStartup), note: '`rounds status <round>`: a process end to end, first page and counts' },
      export: {
        medianMs: round0(median(exportMs)),
        minMs: round0(Math.min(...exportMs)),
        runs: exportMs.map(round0),
        firstRowMedianMs: round0(median(firstRowMs)),
        firstRowRuns: firstRowMs.map(round0),
        note: '`rounds status <round> --json`, every row streamed; a process end to end; first row = from spawning it to its first row on stdout',
      },
      bareVisibilityList: { medianMs: round0(median(bareRuns)), minMs: round0(Math.min(...bareRuns)), runs: bareRuns.map(round0), note: 'bench/bare.ts list: client.workflow.list iterated to the end, timed inside its process' },
      dashboard,
      ratioExport: round2(median(exportMs) / median(bareRuns)),
      ratioExportWithoutStartup: round2((median(exportMs) - cliStartup) / median(bareRuns)),
    };

    // ---------------- 4. chase punctuality: N chases due at one moment, with the big round open
    stage = '4. chase punctuality';
    phase = 'chase round';
    log(`chases: ${opts.chases} letters whose chases are all due ${a} s after they start (then every ${g} s)`);
    const chaseStart = await runRounds([...address, 'start', chaseRound.dir, '--sent-on', 'now', '--concurrency', String(opts.concurrency)], buildEnv, 5 * 60_000);
    if (chaseStart.code !== 0) throw new Error(`rounds start (chase round) failed: ${chaseStart.stderr}`);
    // Every letter shares one sentAt (letterInputs takes 'now' once), so one status tells the due times.
    // A busy worker (the new round's first tasks on a loaded machine) can let a query time out: ask again.
    const statusOf = (id: string) =>
      waitFor(`the status of ${id}`, () => client.workflow.getHandle(api.workflowIdFor(chaseRound.roundId, id)).query(api.status).catch(() => undefined), 120_000, 1000);
    const sample = await statusOf(chaseRound.letterIds[0]);
    const dueAt = sample.steps.map((s) => Date.parse(s.dueAt));
    const lastSample = await statusOf(chaseRound.letterIds[chaseRound.letterIds.length - 1]);
    if (lastSample.steps[0].dueAt !== sample.steps[0].dueAt) throw new Error('the chase round letters do not share one due time');
    const scheduledBeforeDue = await waitFor(
      'the chase round to be scheduled',
      async () => {
        const n = await scheduled(chaseRound.roundId);
        return n >= opts.chases || Date.now() > dueAt[0] - 1000 ? n : undefined;
      },
      (a + 5) * 1000,
      500,
    );
    log(`  ${scheduledBeforeDue}/${opts.chases} letters waiting on their timers before the first chase is due (in ${ms(dueAt[0] - Date.now())})`);
    // A receipt and a note on one letter, for the history length of a busier lifecycle.
    const busy = client.workflow.getHandle(api.workflowIdFor(chaseRound.roundId, chaseRound.letterIds[0]));
    const emailSteps = sample.steps.filter((s) => s.action !== 'close');
    const expected = opts.chases * emailSteps.length;
    const chaseMessages = () => arrivals.filter((x) => x.message.messageId && parseMessageId(x.message.messageId)?.roundId === chaseRound.roundId);
    let busyDone = false;
    let burst: { ms: number; cpuWorker: number; cpuServer: number } | undefined;
    let cpuAtDue: { worker: number; server: number } | undefined;
    const firstIds = (x: { message: SinkMessage }) => x.message.messageId!.includes('.step-0@');
    await waitFor(
      `${expected} emails of the chase round`,
      async () => {
        if (!cpuAtDue && Date.now() >= dueAt[0]) cpuAtDue = { worker: cpuSeconds(worker.pid), server: cpuSeconds(server.pid) };
        if (cpuAtDue && !burst && chaseMessages().filter(firstIds).length >= opts.chases) {
          burst = { ms: Date.now() - dueAt[0], cpuWorker: round1(cpuSeconds(worker.pid) - cpuAtDue.worker), cpuServer: round1(cpuSeconds(server.pid) - cpuAtDue.server) };
        }
        if (!busyDone && Date.now() > dueAt[0] + 5000) {
          busyDone = true;
          await busy.executeUpdate(api.recordReceipt, { args: [{ documents: ['problemProfile'], by: 'bench' }] });
          await busy.executeUpdate(api.addNote, { args: [{ text: 'a note from the bench', by: 'bench' }] });
        }
        return chaseMessages().length >= expected;
      },
      (a + 3 * g + 120) * 1000,
      100,
    );
    const closed = await waitFor(
      'the chase round to close',
      async () => {
        const { count } = await client.workflow.count(`RoundId = "${chaseRound.roundId}" AND ExecutionStatus = "Completed"`);
        return count >= opts.chases ? count : undefined;
      },
      (g + 120) * 1000,
      1000,
    );
    const byStep = new Map<string, number[]>();
    const seen = new Map<string, number>();
    for (const x of chaseMessages()) {
      const id = x.message.messageId!;
      seen.set(id, (seen.get(id) ?? 0) + 1);
      const step = parseMessageId(id)!.step;
      const index = Number(step.replace('step-', ''));
      const list = byStep.get(step) ?? [];
      list.push(x.at - dueAt[index]);
      byStep.set(step, list);
    }
    const duplicates = [...seen.values()].filter((n) => n > 1).length;
    const steps = emailSteps.map((s) => {
      const delays = byStep.get(`step-${s.index}`) ?? [];
      return {
        step: s.index,
        action: s.action,
        emails: delays.length,
        p50Ms: round0(percentile(delays, 50)),
        p99Ms: round0(percentile(delays, 99)),
        maxMs: round0(Math.max(...delays)),
        minMs: round0(Math.min(...delays)),
      };
    });
    results.chase = {
      letters: opts.chases,
      openLettersBesides: opts.letters,
      scheduledBeforeDue,
      dueAt: sample.steps.map((s) => s.dueAt),
      steps,
      expectedEmails: expected,
      uniqueEmails: seen.size,
      duplicateMessageIds: duplicates,
      closed,
      firstChaseBurst: burst ? { ms: burst.ms, cpuSecondsWorker: burst.cpuWorker, cpuSecondsServer: burst.cpuServer } : undefined,
      note: 'delay = time the SMTP sink accepted the message minus the step\'s due time',
    };
    log(`  first chase p50 ${ms(steps[0].p50Ms)} p99 ${ms(steps[0].p99Ms)} max ${ms(steps[0].maxMs)}`);

    stage = '4b. the punctuality baseline';
    // ---------------- 4b. the punctuality baseline: the same number of bare workflows (a timer to
    // one due moment, then one activity sending one email to the same sink), in a worker of their
    // own with the SDK's defaults, while our worker stays up with its letters open.
    phase = 'baseline';
    log(`baseline: ${opts.chases} bare workflows (timer, then one email), all due ${a} s after they start`);
    const bareWorker = service.startWorker({ script: ['-r', 'tsx/cjs', path.join(ROOT, 'bench', 'bare-worker.ts')], readyTimeoutMs: 120_000 });
    await bareWorker.ready;
    const bareDue = Date.now() + a * 1000;
    const bareStarted = await runProcess(process.execPath, ['-r', 'tsx/cjs', path.join(ROOT, 'bench', 'bare.ts'), 'chase', String(opts.chases), String(bareDue), String(opts.concurrency)], { TEMPORAL_ADDRESS: server.address }, 5 * 60_000);
    if (bareStarted.code !== 0) throw new Error(`bench/bare.ts chase failed: ${bareStarted.stderr}`);
    const bareMessages = () => arrivals.filter((x) => /^<?bare-\d+@bench\.invalid>?$/.test(x.message.messageId ?? ''));
    await waitFor(`${opts.chases} emails of the baseline`, async () => bareMessages().length >= opts.chases, (a + 120) * 1000, 100);
    const bareDelays = bareMessages().map((x) => x.at - bareDue);
    const bareHistory = (await client.workflow.getHandle('bench-bare-chase/0').fetchHistory()).events ?? [];
    await bareWorker.stop();
    const baseline = {
      workflows: opts.chases,
      p50Ms: round0(percentile(bareDelays, 50)),
      p99Ms: round0(percentile(bareDelays, 99)),
      maxMs: round0(Math.max(...bareDelays)),
      historyEvents: bareHistory.length,
      note: 'bench/bare-workflow.ts in bench/bare-worker.ts (SDK defaults, the same SMTP pool settings), started like the chase round, due at one moment; delay = sink arrival minus due time',
    };
    results.chase = { ...(results.chase as object), baseline, ratioP99: round2(steps[0].p99Ms / baseline.p99Ms), ratioP50: round2(steps[0].p50Ms / baseline.p50Ms) };
    log(`  baseline p50 ${ms(baseline.p50Ms)} p99 ${ms(baseline.p99Ms)}; ours / baseline p99 ${round2(steps[0].p99Ms / baseline.p99Ms)}`);

    // ---------------- 5. history length per letter
    stage = '5. history length per letter';
    const histories = await Promise.all(chaseRound.letterIds.slice(1, 21).map((id) => client.workflow.getHandle(api.workflowIdFor(chaseRound.roundId, id)).fetchHistory()));
    const lengths = histories.map((h) => h.events?.length ?? 0);
    const busyLength = (await busy.fetchHistory()).events?.length ?? 0;
    const openLength = (await client.workflow.getHandle(api.workflowIdFor(mainRound.roundId, mainRound.letterIds[0])).fetchHistory()).events?.length ?? 0;
    const finalStatus = (await busy.result()) as LetterStatus;
    // What one letter costs Temporal over its life, by kind of event (a chase is one step of it).
    const E = temporal.api.enums.v1.EventType;
    const costOf = (events: temporal.api.history.v1.IHistoryEvent[]) => {
      const n = (t: number) => events.filter((e) => e.eventType === t).length;
      return {
        events: events.length,
        workflowTasks: n(E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED),
        activityTasks: n(E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
        localActivities: events.filter((e) => e.eventType === E.EVENT_TYPE_MARKER_RECORDED && e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length,
        timers: n(E.EVENT_TYPE_TIMER_STARTED),
        searchAttributeUpserts: n(E.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES),
        memoChanges: n(E.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED),
        patchMarkers: events.filter((e) => e.eventType === E.EVENT_TYPE_MARKER_RECORDED && e.markerRecordedEventAttributes?.markerName === 'core_patch').length,
      };
    };
    results.history = {
      perLetter: { ...costOf(histories[0].events ?? []), note: 'one letter of the chase round: start, chase, chase, escalate, close (3 emails)' },
      bareWorkflow: costOf(bareHistory),
      fullLifecycleUnanswered: { letters: lengths.length, min: Math.min(...lengths), median: median(lengths), max: Math.max(...lengths), note: 'start, chase, chase, escalate, close (3 emails)' },
      withReceiptAndNote: { events: busyLength, state: finalStatus.state },
      openWaitingForFirstChase: { events: openLength },
    };

    // ---------------- 6. memory
    stage = '6. memory';
    phase = 'end';
    await sleep(3000);
    const endMb = worker.rssKb() / 1024;
    const peak = (p?: string) => Math.max(...rss.filter((s) => !p || s.phase === p).map((s) => s.mb));
    results.memory = {
      process: opts.workerVariant ? 'bench/worker-variant.ts' : 'node bin/rounds.js worker',
      idleAfterStartMb: round0(idleMb),
      peakDuringFirstTasksMb: round0(peak('first tasks')),
      openLettersMb: round0(openMb),
      peakDuringChasesMb: round0(peak('chase round')),
      atEndMb: round0(endMb),
      peakMb: round0(peak()),
      openLetters: opts.letters,
      samples: rss.filter((_, i) => i % 5 === 0).map((s) => ({ t: round0(s.t / 1000), phase: s.phase, mb: round0(s.mb) })),
    };

    // ---------------- 7. CLI start: the compiled build against the sources (tsx), alternating
    stage = '7. CLI start';
    log('CLI start: rounds --version and rounds status <round>, compiled and sources');
    const cli = { compiled: { version: [] as number[], status: [] as number[] }, sources: { version: [] as number[], status: [] as number[] } };
    // The floor: Node itself starting and exiting (the machine's load shows here first).
    const nodeAlone = (await timed(5, () => runProcess(process.execPath, ['-e', '0']))).runs;
    const builds = [['compiled', { NODE_ENV: 'production' }], ['sources', { NODE_ENV: 'development' }]] as const;
    for (let i = 0; i < 5; i++) {
      for (const [mode, env] of builds) {
        if (mode === 'compiled' && opts.sources && !fs.existsSync(path.join(ROOT, 'dist', 'client', 'cli.js'))) continue;
        const v = await runRounds(['--version'], env, 60_000);
        if (v.code !== 0) throw new Error(`rounds --version (${mode}) failed: ${v.stderr}`);
        cli[mode].version.push(v.ms);
        const st = await runRounds([...address, 'status', mainRound.roundId], env, 120_000);
        if (st.code !== 0) throw new Error(`rounds status (${mode}) failed: ${st.stderr}`);
        cli[mode].status.push(st.ms);
      }
    }
    const cliFigure = (xs: number[]) => ({ medianMs: round0(median(xs)), minMs: round0(Math.min(...xs)), runs: xs.map(round0) });
    results.cliStart = {
      version: { compiled: cliFigure(cli.compiled.version), sources: cliFigure(cli.sources.version), ratio: round2(median(cli.compiled.version) / median(cli.sources.version)) },
      status: { compiled: cliFigure(cli.compiled.status), sources: cliFigure(cli.sources.status), ratio: round2(median(cli.compiled.status) / median(cli.sources.status)) },
      nodeAlone: cliFigure(nodeAlone),
      note: 'a process end to end (spawn to exit); nodeAlone = `node -e 0`, the floor; --version answers from bin/rounds.js before loading the CLI; status = the first page of the big round with its counts',
    };

    // ---------------- report
    const start = results.start as { bare: { perSecond: number }; rounds: { endToEndPerSecond: number; startWindowPerSecond: number; overheadMs: number; checkMs: number; processStartupMs: number }; ratioWindow: number; ratioEndToEnd: number };
    const reg = results.register as {
      firstPage: { ours: { medianMs: number }; bare: { medianMs: number }; ratio: number };
      roundsStatusPage: { medianMs: number };
      export: { medianMs: number; firstRowMedianMs: number };
      bareVisibilityList: { medianMs: number };
      ratioExport: number;
    };
    const chase = results.chase as { baseline: { p50Ms: number; p99Ms: number; maxMs: number }; ratioP99: number };
    const cliTimes = results.cliStart as { version: { compiled: { medianMs: number }; sources: { medianMs: number } }; status: { compiled: { medianMs: number }; sources: { medianMs: number } } };
    const dashR = dashboard as { available: boolean; medianMs?: number; reason?: string };
    const mem = results.memory as { idleAfterStartMb: number; openLettersMb: number; peakMb: number; atEndMb: number };
    const openRss = Math.max(mem.openLettersMb, mem.atEndMb);
    const targets = [
      ['start rate: rounds start / bare (start window)', '>= 0.9', start.ratioWindow, start.ratioWindow >= 0.9],
      ['start rate: rounds start / bare (end to end)', '>= 0.9', start.ratioEndToEnd, start.ratioEndToEnd >= 0.9],
      ['register: first page + counts (median)', '< 300 ms', ms(reg.firstPage.ours.medianMs), reg.firstPage.ours.medianMs < 300],
      ['register: first page + counts / bare first page + count', '<= 1.5', reg.firstPage.ratio, reg.firstPage.ratio <= 1.5],
      ['export: rounds status --json / bare full list', '<= 1.2', reg.ratioExport, reg.ratioExport <= 1.2],
      ['export: first row', '< 0.5 s', ms(reg.export.firstRowMedianMs), reg.export.firstRowMedianMs < 500],
      ['register: dashboard page', '< 300 ms', dashR.available ? ms(dashR.medianMs!) : 'not available', dashR.available ? dashR.medianMs! < 300 : 'n/a'],
      ['chase punctuality p99 (first chase)', '< 5 s', ms(steps[0].p99Ms), steps[0].p99Ms < 5000],
      ['chase p99 / baseline p99', '<= 1.3', chase.ratioP99, chase.ratioP99 <= 1.3],
      ['worker RSS with open letters', '< 300 MB', `${round0(openRss)} MB`, openRss < 300],
      ['rounds --version (compiled)', '< 200 ms', ms(cliTimes.version.compiled.medianMs), cliTimes.version.compiled.medianMs < 200],
    ] as const;
    results.targets = targets.map(([name, target, value, ok]) => ({ name, target, value, ok }));
    results.durationS = round0((Date.now() - started) / 1000);

    const rows: (string | number)[][] = [
      ['measure', 'value'],
      [`start ${opts.letters}: bare client.workflow.start (c=${opts.concurrency})`, `${start.bare.perSecond}/s`],
      [`start ${opts.letters}: rounds start, start window`, `${start.rounds.startWindowPerSecond}/s (${start.ratioWindow} of bare)`],
      [`start ${opts.letters}: rounds start, end to end`, `${start.rounds.endToEndPerSecond}/s (${start.ratioEndToEnd} of bare)`],
      ['  rounds start overhead (outside the start window)', ms(start.rounds.overheadMs)],
      ['  of which: rounds check (process + folder)', ms(start.rounds.checkMs)],
      ['  of which: process startup (rounds --help)', ms(start.rounds.processStartupMs)],
      ['worker ready (bundling included)', ms(readyMs)],
      [`worker first task of ${opts.letters} letters`, `${ms(drainMs)} (${round1(opts.letters / (drainMs / 1000))}/s)`],
      ['  CPU s: worker, server', `${(results.worker as { firstTasks: { cpuSeconds: { worker: number; server: number } } }).firstTasks.cpuSeconds.worker}, ${(results.worker as { firstTasks: { cpuSeconds: { worker: number; server: number } } }).firstTasks.cpuSeconds.server}`],
      [`register: first page + counts, ours / bare (median)`, `${ms(reg.firstPage.ours.medianMs)} / ${ms(reg.firstPage.bare.medianMs)} (${reg.firstPage.ratio}x)`],
      ['register: rounds status <round> (process, page 1 + counts)', ms(reg.roundsStatusPage.medianMs)],
      [`export: rounds status --json (${roundSize}), median; first row`, `${ms(reg.export.medianMs)}; ${ms(reg.export.firstRowMedianMs)}`],
      ['export: bare client.workflow.list to the end, median', `${ms(reg.bareVisibilityList.medianMs)} (export ${reg.ratioExport}x)`],
      ['register: dashboard /rounds/<id>', dashR.available ? ms(dashR.medianMs!) : `not available (${dashR.reason})`],
      ...steps.map((s) => [`${s.action} step ${s.step}: ${s.emails} emails, delay p50 / p99 / max`, `${ms(s.p50Ms)} / ${ms(s.p99Ms)} / ${ms(s.maxMs)}`]),
      [`baseline (bare timer + email), ${opts.chases}: p50 / p99 / max`, `${ms(chase.baseline.p50Ms)} / ${ms(chase.baseline.p99Ms)} / ${ms(chase.baseline.maxMs)} (first chase p99 ${chase.ratioP99}x)`],
      ['first chase burst: all sent after / CPU s worker, server', burst ? `${ms(burst.ms)} / ${burst.cpuWorker}, ${burst.cpuServer}` : 'n/a'],
      ['chase round: unique emails / expected / duplicates', `${seen.size} / ${expected} / ${duplicates}`],
      ['history events: full lifecycle (median)', median(lengths)],
      ['  workflow tasks / activity tasks / local activities / upserts / memo changes', (() => { const c = (results.history as { perLetter: Record<string, number> }).perLetter; return `${c.workflowTasks} / ${c.activityTasks} / ${c.localActivities} / ${c.searchAttributeUpserts} / ${c.memoChanges}`; })()],
      ['history events: with a receipt and a note', busyLength],
      ['history events: open letter, waiting', openLength],
      ['worker RSS: idle after start', `${round0(idleMb)} MB`],
      [`worker RSS: ${opts.letters} letters open`, `${round0(openMb)} MB`],
      ['worker RSS: peak / at end', `${round0(peak())} MB / ${round0(endMb)} MB`],
      ['rounds --version, compiled / sources / node -e 0', `${ms(cliTimes.version.compiled.medianMs)} / ${ms(cliTimes.version.sources.medianMs)} / ${ms((results.cliStart as { nodeAlone: { medianMs: number } }).nodeAlone.medianMs)}`],
      ['rounds status <round>, compiled / sources', `${ms(cliTimes.status.compiled.medianMs)} / ${ms(cliTimes.status.sources.medianMs)}`],
      ['bench duration', `${results.durationS} s`],
    ];
    console.log('\n' + table(rows) + '\n');
    console.log(table([['target', 'wanted', 'measured', 'ok'], ...targets.map(([n, t, v, ok]) => [n, t, String(v), String(ok)])]) + '\n');
    fs.mkdirSync(path.dirname(opts.out), { recursive: true });
    fs.writeFileSync(opts.out, JSON.stringify(results, null, 2) + '\n');
    log(`wrote ${path.relative(process.cwd(), opts.out)}`);
  } catch (err) {
    if (!opts.memory && opts.replies === undefined && Object.keys(results).length > 0) writeBroken((err as Error).message);
    throw err;
  } finally {
    for (const stop of cleanup.reverse()) {
      try {
        await stop();
      } catch (err) {
        log(`while stopping: ${(err as Error).message}`);
      }
    }
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** `rounds <args>` as a process: its output, how long it ran, and when its first JSON row (a line starting with '{') came out. */
function runRoundsFirstRow(args: string[], env: Record<string, string>, timeoutMs = 300_000): Promise<{ stdout: string; ms: number; firstRowMs: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [ROUNDS_BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let firstRowMs = Number.NaN;
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      if (Number.isNaN(firstRowMs) && d.includes('{')) firstRowMs = performance.now() - t0;
      chunks.push(d);
    });
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`rounds ${args.join(' ')} exited ${code}: ${stderr}`));
      else resolve({ stdout: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - t0, firstRowMs });
    });
  });
}

/** The dev server's SQLite database with its write-ahead log, in MB, after the letters' first tasks (undefined on --cluster). */
function devServerDatabaseMb(work: string): number | undefined {
  const db = path.join(work, 'temporal.db');
  if (!fs.existsSync(db)) return undefined;
  const size = (f: string) => (fs.existsSync(f) ? fs.statSync(f).size : 0);
  return round1((size(db) + size(`${db}-wal`) + size(`${db}-shm`)) / 2 ** 20);
}

/** The dashboard's register page for a round, if client/web/server.ts has a working startWebServer. */
async function openDashboard(client: Client, roundId: string): Promise<{ unavailable: string } | { page: string; firstMs: number; get(): Promise<number>; close(): Promise<void> }> {
  let web: Dashboard | undefined;
  try {
    const started = await startDashboard(client, [['bench', 'viewer']]);
    if ('unavailable' in started) return started;
    web = started;
    const agent = new Agent(web.url);
    await agent.signIn('bench', web.passwords.bench);
    const page = `/rounds/${encodeURIComponent(roundId)}`;
    const first = await agent.get(page);
    if (first.status !== 200) throw new Error(`GET ${page} answered ${first.status}${dashboardFailure(first.text)}`);
    const w = web;
    return {
      page,
      firstMs: first.ms,
      get: async () => {
        const r = await agent.get(page);
        if (r.status !== 200) throw new Error(`GET ${page} answered ${r.status}${dashboardFailure(r.text)}`);
        return r.ms;
      },
      close: () => w.close(),
    };
  } catch (err) {
    await web?.close().catch(() => undefined);
    return { unavailable: (err as Error).message.split('\n')[0] };
  }
}

/** What an error page of the dashboard says went wrong (its "could not do that: ..." sentence), for the results. */
function dashboardFailure(page: string): string {
  const said = /could not do that: ([^<]*)/.exec(page)?.[1];
  return said ? `: ${said.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').slice(0, 300)}` : '';
}

main().then(
  () => process.exit(0),
  (err) => {
    // A wrong option is one line; anything else keeps its stack (a bench failure needs it).
    if (err instanceof UserError) console.error(`bench: ${err.message}`);
    else console.error(err);
    process.exit(1);
  },
);
