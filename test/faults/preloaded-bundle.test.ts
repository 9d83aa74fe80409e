// worker/worker.ts bundles the workflows with shared, preloaded modules (PRELOAD_MODULES):
// the recorded histories must replay against that bundle exactly as against the plain one
// the unit tests use (test/replay.test.ts), so the tuning cannot change what a letter does.
import fs from 'node:fs';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { HISTORIES_DIR, readHistory } from '../support/histories';
import { PRELOAD_MODULES } from '../../worker/worker';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never;
const files = fs.readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.binpb'));

test.each(files)('replays %s against the preloaded production bundle', async (file) => {
  const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), preloadModules: PRELOAD_MODULES, logger: quiet });
  await Worker.runReplayHistory({ workflowBundle: bundle }, readHistory(file), file);
});
