// The SDK's logs (worker state changes, activity failures with their stacks, workflow
// warnings) go to this test file's log (test-log.ts), printed only when a test in the file
// fails: tests that expect an email to fail would otherwise print WARN blocks on every run.
// Core (the SDK's native part) prints its own errors only, straight to stderr (its warning
// that the time-skipping server lacks a capability of the dev server, once per worker, is
// noise). Core's logs are not forwarded to the logger: that keeps a handle open and jest
// would not exit.
// Runtime.install is process-wide and once per runtime: jest gives each test file fresh
// modules, so each file installs its own, logging to its own log.
import { inspect } from 'node:util';
import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';
import { logChildOutput } from '../../worker/dev/child-output';
import { appendTestLog, testLog } from './test-log';

function toTestLog({ level, message, meta, timestampNanos }: LogEntry): void {
  const at = new Date(Number(timestampNanos / 1_000_000n)).toISOString();
  const line = `${at} [${level}] ${message}${meta === undefined ? '' : ' ' + inspect(meta, { depth: 5 })}`;
  appendTestLog('sdk', line);
}

Runtime.install({
  // Not under QuietEnvironment (another jest config): warnings and errors as before.
  logger: testLog() ? new DefaultLogger('INFO', toTestLog) : new DefaultLogger('WARN'),
  telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
});

// The dev servers and worker processes worker/dev/processes.ts starts: their output to this file's log too.
logChildOutput(appendTestLog);
