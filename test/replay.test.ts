// Replays recorded histories of the letter workflow against today's workflow code: a change
// that is not deterministic (or not behind patched()) fails here before it reaches production.
// The bundle is built with the worker's own options (worker/bundle.ts), preloaded modules included.
import fs from 'node:fs';
import { Worker } from '@temporalio/worker';
import { HISTORIES_DIR, readHistory } from './support/histories';
import { workflowBundle } from './support/temporal';
import { PAYLOAD_CONVERTER_PATH } from '../worker/bundle';

const files = fs.readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.binpb'));

test('there are recorded histories to replay', () => {
  expect(files).toEqual(expect.arrayContaining(['letter-lifecycle.binpb', 'letter-paused-extended-declined.binpb']));
});

test.each(files)('replays %s without non-determinism', async (file) => {
  const history = readHistory(file);
  expect(history.events.length).toBeGreaterThan(10);
  await Worker.runReplayHistory(
    { workflowBundle: await workflowBundle(), dataConverter: { payloadConverterPath: PAYLOAD_CONVERTER_PATH } },
    history,
    file,
  );
});
