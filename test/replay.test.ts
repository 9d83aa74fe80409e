// Replays recorded histories of the letter workflow against today's workflow code: a change
// that is not deterministic (or not behind patched()) fails here before it reaches production.
// The bundle is built with the worker's own options (worker/bundle.ts), preloaded modules included.
import fs from 'node:fs';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { HISTORIES_DIR, readHistory } from './support/histories';
import { workflowBundle } from './support/temporal';
import { PAYLOAD_CONVERTER_PATH } from '../worker/bundle';

const files = fs.readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.binpb'));

test('there are recorded histories to replay, from before and after the progress-memo patch', () => {
  const current = ['letter-lifecycle', 'letter-paused-extended-declined'];
  expect(files).toEqual(expect.arrayContaining([...current, ...current.map((f) => `${f}-before-progress-memo`)].map((f) => `${f}.binpb`)));
  const types = (file: string) => readHistory(file).events.map((e) => e.eventType);
  const { EVENT_TYPE_MARKER_RECORDED: marker, EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED: memo } = temporal.api.enums.v1.EventType;
  for (const f of current) {
    expect(types(`${f}.binpb`)).toEqual(expect.arrayContaining([marker, memo]));
    expect(types(`${f}-before-progress-memo.binpb`)).not.toContain(memo);
  }
});

test('there is a recorded history of a finished letter in its publication window (patch publish-window)', () => {
  const history = readHistory('letter-publish-window.binpb');
  const { EVENT_TYPE_MARKER_RECORDED: marker, EVENT_TYPE_TIMER_STARTED: timer, EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED: update } = temporal.api.enums.v1.EventType;
  const types = history.events.map((e) => e.eventType);
  expect(types).toEqual(expect.arrayContaining([marker, timer, update]));
  const patches = history.events.flatMap((e) => e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads ?? []).map((p) => Buffer.from(p.data ?? []).toString());
  expect(patches).toContainEqual(expect.stringContaining('"id":"publish-window"'));
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

// The other way round (as the SDK's own test-replay.ts does): a history the code would not have
// written must fail with DeterminismViolationError, so the test above is known to bite.
describe('a history the workflow code did not write fails to replay', () => {
  const { EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: scheduled } = temporal.api.enums.v1.EventType;
  const replay = async (history: temporal.api.history.v1.IHistory, name: string) =>
    Worker.runReplayHistory({ workflowBundle: await workflowBundle(), dataConverter: { payloadConverterPath: PAYLOAD_CONVERTER_PATH } }, history, name);

  test('the first email is another activity in the history (as if the code had renamed sendEmail)', async () => {
    const history = readHistory('letter-lifecycle.binpb');
    const first = history.events.find((e) => e.eventType === scheduled);
    expect(first?.activityTaskScheduledEventAttributes?.activityType?.name).toBe('sendEmail');
    first!.activityTaskScheduledEventAttributes!.activityType!.name = 'sendFax';
    await expect(replay(history, 'letter-lifecycle-renamed-activity')).rejects.toThrow(DeterminismViolationError);
  });
});
