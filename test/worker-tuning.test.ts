// The worker's tuning from the environment (worker/tuning.ts): defaults, overrides, and a wrong
// value said in one line naming the variable, which `rounds worker` turns into exit 1.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_TUNING, TUNING_ENV, tuningFromEnv, workflowThreadV8Flags } from '../worker/tuning';
import { rounds } from './support/cli';

test('no variable set: the defaults', () => {
  expect(tuningFromEnv({})).toEqual(DEFAULT_TUNING);
});

test('each variable overrides its setting and nothing else', () => {
  const values: Record<keyof typeof TUNING_ENV, string> = {
    maxCachedWorkflows: '120',
    maxConcurrentActivityTaskExecutions: '7',
    maxConcurrentWorkflowTaskExecutions: '12',
    nonStickyToStickyPollRatio: '0.5',
    workflowHeapMb: '200',
    workflowSemiSpaceMb: '4',
  };
  for (const [key, value] of Object.entries(values) as [keyof typeof TUNING_ENV, string][]) {
    expect(tuningFromEnv({ [TUNING_ENV[key].name]: value })).toEqual({ ...DEFAULT_TUNING, [key]: Number(value) });
  }
  expect(tuningFromEnv({ ROUNDS_MAX_CACHED_WORKFLOWS: '0', ROUNDS_WORKFLOW_HEAP_MB: '0' })).toMatchObject({ maxCachedWorkflows: 0, workflowHeapMb: 0 });
});

test.each([
  ['ROUNDS_MAX_CACHED_WORKFLOWS', 'lots', 'ROUNDS_MAX_CACHED_WORKFLOWS: expected a whole number from 0 to 100000, got "lots"'],
  ['ROUNDS_MAX_CACHED_WORKFLOWS', '', 'ROUNDS_MAX_CACHED_WORKFLOWS: expected a whole number from 0 to 100000, got ""'],
  ['ROUNDS_MAX_CACHED_WORKFLOWS', '-1', 'ROUNDS_MAX_CACHED_WORKFLOWS: expected a whole number from 0 to 100000, got "-1"'],
  ['ROUNDS_MAX_CONCURRENT_ACTIVITIES', '2.5', 'ROUNDS_MAX_CONCURRENT_ACTIVITIES: expected a whole number from 1 to 1000, got "2.5"'],
  ['ROUNDS_MAX_CONCURRENT_ACTIVITIES', '0', 'ROUNDS_MAX_CONCURRENT_ACTIVITIES: expected a whole number from 1 to 1000, got "0"'],
  ['ROUNDS_MAX_CONCURRENT_WORKFLOW_TASKS', '1', 'ROUNDS_MAX_CONCURRENT_WORKFLOW_TASKS: expected a whole number from 2 to 1000, got "1"'],
  ['ROUNDS_NON_STICKY_POLL_RATIO', '2', 'ROUNDS_NON_STICKY_POLL_RATIO: expected a number from 0.01 to 1, got "2"'],
  ['ROUNDS_WORKFLOW_HEAP_MB', '128MB', 'ROUNDS_WORKFLOW_HEAP_MB: expected a whole number from 0 to 16384, got "128MB"'],
  ['ROUNDS_WORKFLOW_SEMI_SPACE_MB', 'Infinity', 'ROUNDS_WORKFLOW_SEMI_SPACE_MB: expected a whole number from 0 to 256, got "Infinity"'],
])('%s=%j is refused in one line', (name, value, message) => {
  expect(() => tuningFromEnv({ [name]: value })).toThrow(new Error(message));
});

test('the workflow thread gets V8 flags only for the heap sizes that are set', () => {
  expect(workflowThreadV8Flags({ workflowHeapMb: 0, workflowSemiSpaceMb: 0 })).toEqual([]);
  expect(workflowThreadV8Flags({ workflowHeapMb: 128, workflowSemiSpaceMb: 2 })).toEqual(['--max-old-space-size=128', '--max-semi-space-size=2']);
});

test('`rounds worker` and `npm start` stop at once on a wrong value: one line, exit 1', async () => {
  const base = { SMTP_URL: 'smtp://127.0.0.1:1', TEMPORAL_ADDRESS: '127.0.0.1:1' };
  let r = await rounds(['worker'], { ...base, ROUNDS_MAX_CACHED_WORKFLOWS: 'lots' });
  expect(r.stderr).toBe('rounds: ROUNDS_MAX_CACHED_WORKFLOWS: expected a whole number from 0 to 100000, got "lots"\n');
  expect(r.code).toBe(1);
  r = await rounds(['serve'], { ...base, ROUNDS_WORKFLOW_HEAP_MB: '-5', ROUNDS_VAR_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'rounds-var-')) });
  expect(r.stderr).toBe('rounds: ROUNDS_WORKFLOW_HEAP_MB: expected a whole number from 0 to 16384, got "-5"\n');
  expect(r.code).toBe(1);
  expect(r.stdout).not.toMatch(/temporal:|mail:/);
});
