// The compiled build against the sources run by tsx: how long the CLI takes to answer
// (`rounds status` against a dev server, and `rounds --help`), and a worker's start time and
// memory once ready and after a small round. Run with `node -r tsx/cjs bench/compiled-build.ts`
// after `npm run build`. Modes alternate, so that a busy machine weighs on both alike.
import { generateRound, runRounds, sleep, tempDir } from '../worker/dev/processes';
import { DevService } from '../worker/dev/service';

const MODES = { sources: { NODE_ENV: 'development' }, compiled: { NODE_ENV: 'production' } } as const;
const RUNS = Number(process.env.RUNS ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const service = await DevService.start();
  const { address } = service;
  const cli: Record<string, { help: number[]; status: number[] }> = { sources: { help: [], status: [] }, compiled: { help: [], status: [] } };
  const worker: Record<string, { readyMs: number[]; rssReadyMb: number[]; rssAfterRoundMb: number[] }> = {
    sources: { readyMs: [], rssReadyMb: [], rssAfterRoundMb: [] },
    compiled: { readyMs: [], rssReadyMb: [], rssAfterRoundMb: [] },
  };
  for (let i = 0; i < RUNS; i++) {
    for (const [mode, env] of Object.entries(MODES)) {
      cli[mode].help.push((await runRounds(['--help'], env)).ms);
      cli[mode].status.push((await runRounds(['--address', address, 'status'], env)).ms);
    }
  }
  for (let i = 0; i < Math.min(RUNS, 3); i++) {
    for (const [mode, env] of Object.entries(MODES)) {
      const w = service.startWorker({ env: { ...env } });
      await w.ready;
      worker[mode].readyMs.push(w.readyAt - w.startedAt);
      await sleep(2000);
      worker[mode].rssReadyMb.push(w.rssKb() / 1024);
      const round = generateRound(tempDir('rounds-compiled-'), `r${mode}${i}`, 100, [['3 seconds', 'chase'], ['4 seconds', 'close']]);
      await runRounds(['--address', address, 'start', round.dir, '--sent-on', 'now'], env);
      await sleep(15_000);
      worker[mode].rssAfterRoundMb.push(w.rssKb() / 1024);
      await w.stop();
    }
  }
  for (const mode of Object.keys(MODES)) {
    console.log(
      `${mode}: rounds --help ${Math.round(median(cli[mode].help))} ms, rounds status ${Math.round(median(cli[mode].status))} ms; ` +
        `worker ready in ${Math.round(median(worker[mode].readyMs))} ms, RSS ${Math.round(median(worker[mode].rssReadyMb))} MB ready, ` +
        `${Math.round(median(worker[mode].rssAfterRoundMb))} MB after 100 letters (medians of ${RUNS} / ${Math.min(RUNS, 3)})`,
    );
  }
  await service.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
