// Output that only matters when a test fails: the SDK's worker and workflow logs, what the
// servers and worker processes a test started printed. It is kept in memory per test file and
// printed by test/support/quiet-environment.ts only when a test in that file failed.
// Outside QuietEnvironment there is no log and appendTestLog does nothing. The processes
// worker/dev/processes.ts starts write here through worker/dev/child-output.ts (quiet-logs.ts
// connects the two).

/** The global the environment puts the file's log under (shared by the environment and the test's modules). */
export const TEST_LOG_GLOBAL = '__roundsTestLog';

export interface TestLog {
  append(text: string): void;
}

/** This test file's log, when the file runs in QuietEnvironment. */
export function testLog(): TestLog | undefined {
  return (globalThis as Record<string, unknown>)[TEST_LOG_GLOBAL] as TestLog | undefined;
}

/** Appends `text` (one or more lines, or a chunk of a child's output) with `source` before each line. */
export function appendTestLog(source: string, text: string): void {
  const log = testLog();
  if (!log) return;
  const lines = text.replace(/\n$/, '').split('\n');
  log.append(lines.map((line) => `[${source}] ${line}\n`).join(''));
}
