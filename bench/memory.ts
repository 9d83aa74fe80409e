// `npm run bench -- --memory`: the worker's memory with N open letters, for several worker
// settings side by side (issue 17, item 3). For each setting: a fresh dev server (npm start's
// SQLite pragmas), `rounds start` of N letters whose first chase is due in 30 minutes (so each
// waits on a timer), then the real `rounds worker` of the compiled build with the setting's
// environment (ROUNDS_* of worker/tuning.ts, or NODE_OPTIONS for flags of the whole process);
// it times the worker's first workflow task of every letter, then samples its RSS (and the main
// thread's heap, printed by bench/memlog.js) once a second for `--sample` seconds.
//
//   npm run bench -- --memory --letters 2000                    # every setting below
//   npm run bench -- --memory --letters 10000 --settings now,cache100-heap96
//
// Writes `workerMemory` into bench/results/latest.json (the other keys are kept).
import fs from 'node:fs';
import path from 'node:path';
import { DEV_SERVER_SQLITE_PRAGMAS } from '../worker/dev/temporal-binaries';
import { DevService } from '../worker/dev/service';
import { UserError } from '../domain/errors';
import { cpuSeconds, generateRound, ROOT, ROUNDS_BIN, runRounds, sleep, waitFor, WorkerProcess } from '../worker/dev/processes';
import { median, ms, percentile, round0, round1, table } from './stats';

export interface MemorySetting {
  name: string;
  /** Environment of the worker process: ROUNDS_* tuning (worker/tuning.ts), NODE_OPTIONS. */
  env: Record<string, string>;
}

// The worker's settings before this comparison: cache 250, 20 activity slots, 40 workflow-task
// slots, V8's own heap sizes. Every setting below names all of them, so that the figures do
// not move when worker/tuning.ts's defaults do.
const BEFORE = {
  ROUNDS_MAX_CACHED_WORKFLOWS: '250',
  ROUNDS_MAX_CONCURRENT_ACTIVITIES: '20',
  ROUNDS_MAX_CONCURRENT_WORKFLOW_TASKS: '40',
  ROUNDS_WORKFLOW_HEAP_MB: '0',
  ROUNDS_WORKFLOW_SEMI_SPACE_MB: '0',
};
export const MEMORY_SETTINGS: MemorySetting[] = [
  { name: 'before', env: BEFORE },
  { name: 'cache100', env: { ...BEFORE, ROUNDS_MAX_CACHED_WORKFLOWS: '100' } },
  { name: 'semi2', env: { ...BEFORE, ROUNDS_WORKFLOW_SEMI_SPACE_MB: '2' } },
  { name: 'heap96', env: { ...BEFORE, ROUNDS_WORKFLOW_HEAP_MB: '96' } },
  { name: 'heap96-semi2', env: { ...BEFORE, ROUNDS_WORKFLOW_HEAP_MB: '96', ROUNDS_WORKFLOW_SEMI_SPACE_MB: '2' } },
  { name: 'cache100-heap96-semi2', env: { ...BEFORE, ROUNDS_MAX_CACHED_WORKFLOWS: '100', ROUNDS_WORKFLOW_HEAP_MB: '96', ROUNDS_WORKFLOW_SEMI_SPACE_MB: '2' } },
  { name: 'wft10-heap96-semi2', env: { ...BEFORE, ROUNDS_MAX_CONCURRENT_WORKFLOW_TASKS: '10', ROUNDS_WORKFLOW_HEAP_MB: '96', ROUNDS_WORKFLOW_SEMI_SPACE_MB: '2' } },
  // Flags for the whole process (the main thread too), as a deployment could set them.
  { name: 'node-old128-semi2', env: { ...BEFORE, NODE_OPTIONS: '--max-old-space-size=128 --max-semi-space-size=2' } },
  { name: 'cache100-heap96-semi2-node-old128-semi2', env: { ...BEFORE, ROUNDS_MAX_CACHED_WORKFLOWS: '100', ROUNDS_WORKFLOW_HEAP_MB: '96', ROUNDS_WORKFLOW_SEMI_SPACE_MB: '2', NODE_OPTIONS: '--max-old-space-size=128 --max-semi-space-size=2' } },
];

export interface MemoryOptions {
  letters: number;
  concurrency: number;
  sampleSeconds: number;
  settings?: string[];
  out: string;
}

interface Sample {
  t: number;
  rss: number;
  heapUsed?: number;
  heapTotal?: number;
}

type Log = (s: string) => void;

export async function benchMemory(opts: MemoryOptions, work: string, cleanup: (() => Promise<void> | void)[], log: Log): Promise<Record<string, unknown>> {
  const settings = opts.settings ? opts.settings.map((n) => MEMORY_SETTINGS.find((s) => s.name === n) ?? fail(`--settings: no setting '${n}' (known: ${MEMORY_SETTINGS.map((s) => s.name).join(', ')})`)) : MEMORY_SETTINGS;
  const env = { NODE_ENV: 'production' };
  const figures: Record<string, unknown>[] = [];
  for (const [i, setting] of settings.entries()) {
    log(`memory: ${setting.name} (${JSON.stringify(setting.env)}), ${opts.letters} letters`);
    const service = await DevService.start({ dir: path.join(work, `setting-${i}`), sqlitePragmas: DEV_SERVER_SQLITE_PRAGMAS });
    cleanup.push(() => service.stop());
    const { address, client, sink } = service;
    const stops: (() => Promise<void> | void)[] = [() => service.stop()];
    try {
      const round = generateRound(work, `mem-${i}`, opts.letters, [
        ['30 minutes', 'chase'],
        ['60 minutes', 'close'],
      ]);
      const started = await runRounds(['--address', address, 'start', round.dir, '--sent-on', 'now', '--concurrency', String(opts.concurrency)], env, 20 * 60_000);
      if (started.code !== 0) throw new Error(`rounds start failed (${started.code}): ${started.stderr}`);
      log(`  started ${opts.letters} letters in ${ms(started.ms)}`);
      const worker = new WorkerProcess({
        address,
        smtpUrl: sink.url,
        script: ['-r', path.join(ROOT, 'bench', 'memlog.js'), ROUNDS_BIN, 'worker'],
        env: { ...env, ...setting.env },
        readyTimeoutMs: 120_000,
      });
      stops.unshift(() => worker.stop());
      const samples: Sample[] = [];
      let phase: 'first tasks' | 'open' = 'first tasks';
      const byPhase: Record<string, Sample[]> = { 'first tasks': [], open: [] };
      const t0 = Date.now();
      const sampler = setInterval(() => {
        try {
          if (!worker.running) return;
          const last = [...worker.output.matchAll(/^memlog: (\{.*\})$/gm)].pop();
          const heap = last ? (JSON.parse(last[1]) as { heapUsed: number; heapTotal: number }) : undefined;
          const s = { t: Date.now() - t0, rss: worker.rssKb() / 1024, heapUsed: heap?.heapUsed, heapTotal: heap?.heapTotal };
          samples.push(s);
          byPhase[phase].push(s);
        } catch {
          // exited between the check and the read
        }
      }, 1000);
      stops.unshift(() => clearInterval(sampler));
      await worker.ready;
      await sleep(500);
      const readyMb = worker.rssKb() / 1024;
      const cpu0 = cpuSeconds(worker.pid);
      const drainStart = performance.now();
      const scheduled = () => client.workflow.count(`RoundId = "${round.roundId}" AND NextActionAt > "2000-01-01T00:00:00Z"`).then((c) => c.count);
      await waitFor('every letter to have run its first workflow task', async () => (await scheduled()) >= opts.letters, 20 * 60_000, 1000);
      const drainMs = performance.now() - drainStart;
      const cpuDrain = cpuSeconds(worker.pid) - cpu0;
      phase = 'open';
      log(`  first task of every letter in ${ms(drainMs)} (${round1(opts.letters / (drainMs / 1000))}/s); sampling ${opts.sampleSeconds} s`);
      await sleep(opts.sampleSeconds * 1000);
      if (!worker.running) throw new Error(`the worker exited: ${worker.output.slice(-2000)}`);
      const open = byPhase.open;
      const rss = open.map((s) => s.rss);
      const heapUsed = open.flatMap((s) => (s.heapUsed === undefined ? [] : [s.heapUsed]));
      const heapTotal = open.flatMap((s) => (s.heapTotal === undefined ? [] : [s.heapTotal]));
      const f = {
        setting: setting.name,
        env: setting.env,
        letters: opts.letters,
        readyMb: round0(readyMb),
        firstTasks: { ms: round0(drainMs), perSecond: round1(opts.letters / (drainMs / 1000)), workerCpuSeconds: round1(cpuDrain), peakRssMb: round0(Math.max(...byPhase['first tasks'].map((s) => s.rss))) },
        open: {
          seconds: opts.sampleSeconds,
          rssMedianMb: round0(median(rss)),
          rssMaxMb: round0(Math.max(...rss)),
          rssP90Mb: round0(percentile(rss, 90)),
          mainHeapUsedMedianMb: round0(median(heapUsed)),
          mainHeapTotalMedianMb: round0(median(heapTotal)),
        },
        peakRssMb: round0(Math.max(...samples.map((s) => s.rss))),
      };
      figures.push(f);
      log(`  RSS open: median ${f.open.rssMedianMb} MB, max ${f.open.rssMaxMb} MB; main heap used/total ${f.open.mainHeapUsedMedianMb}/${f.open.mainHeapTotalMedianMb} MB; peak ${f.peakRssMb} MB`);
    } finally {
      for (const stop of stops) {
        try {
          await stop();
        } catch (err) {
          log(`while stopping: ${(err as Error).message}`);
        }
      }
    }
  }
  type F = { setting: string; readyMb: number; firstTasks: { perSecond: number; peakRssMb: number }; open: { rssMedianMb: number; rssMaxMb: number; mainHeapUsedMedianMb: number; mainHeapTotalMedianMb: number } };
  console.log(
    '\n' +
      table([
        ['setting', 'ready MB', 'first tasks/s', 'peak RSS, first tasks', `RSS open (median / max), ${opts.letters} letters`, 'main heap used / total'],
        ...(figures as unknown as F[]).map((f) => [f.setting, f.readyMb, f.firstTasks.perSecond, `${f.firstTasks.peakRssMb} MB`, `${f.open.rssMedianMb} / ${f.open.rssMaxMb} MB`, `${f.open.mainHeapUsedMedianMb} / ${f.open.mainHeapTotalMedianMb} MB`]),
      ]) +
      '\n',
  );
  return { letters: opts.letters, sampleSeconds: opts.sampleSeconds, date: new Date().toISOString(), settings: figures, note: 'fresh dev server per setting; rounds worker (compiled) with the setting env; RSS from /proc, main-thread heap from bench/memlog.js; open = the sampling window after every letter ran its first workflow task' };
}

function fail(message: string): never {
  throw new UserError(message);
}

/** Keeps the file's other keys: `--memory` runs alone, beside the full bench's figures. */
export function writeMemoryResults(out: string, key: string, figures: Record<string, unknown>): void {
  const existing = fs.existsSync(out) ? (JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, unknown>) : {};
  const previous = (existing[key] as Record<string, unknown> | undefined) ?? {};
  const name = `letters${figures.letters as number}`;
  // Settings measured in an earlier run with as many letters stay, unless measured again.
  const before = ((previous[name] as { settings?: { setting: string }[] } | undefined)?.settings ?? []).filter((s) => !(figures.settings as { setting: string }[]).some((f) => f.setting === s.setting));
  existing[key] = { ...previous, [name]: { ...figures, settings: [...before, ...(figures.settings as unknown[])] } };
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(existing, null, 2) + '\n');
}
