// jest's node environment, quiet on success and complete on failure. Each test file gets a
// log in memory (test/support/test-log.ts: worker and workflow logs, the output of servers
// and worker processes); when the file's run ends with every test and hook passed, the log is
// dropped, otherwise it is printed after the file, with the dev servers' output.
//
// The dev servers TestWorkflowEnvironment.createLocal starts write to this process's own
// stdout from native code, where nothing can catch them; so TEMPORAL_CLI_PATH points at a
// wrapper (quiet-temporal-cli.sh) that sends their output to a file, read here on failure.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import type { Circus } from '@jest/types';
import { TestEnvironment } from 'jest-environment-node';
import { findBinary } from '../../worker/dev/temporal-binaries';
import { TEST_LOG_GLOBAL, type TestLog } from './test-log';

const WRAPPER = path.join(__dirname, 'quiet-temporal-cli.sh');
/** A file's log keeps its last 5 MB: enough for any failure, bounded for a runaway loop. */
const MAX_CHARS = 5_000_000;

class MemoryLog implements TestLog {
  private chunks: string[] = [];
  private chars = 0;
  dropped = 0;

  append(text: string): void {
    this.chunks.push(text);
    this.chars += text.length;
    while (this.chars > MAX_CHARS && this.chunks.length > 1) {
      const first = this.chunks.shift()!;
      this.chars -= first.length;
      this.dropped += first.length;
    }
  }

  text(): string {
    return this.chunks.join('');
  }
}

export default class QuietEnvironment extends TestEnvironment {
  private readonly log = new MemoryLog();
  private readonly testPath: string;
  private readonly serverLog?: string;
  /** Until the run finishes with nothing failed, assume it failed: a file that crashes or never finishes prints its log. */
  private failed = true;
  private sawFailure = false;

  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    this.testPath = path.relative(config.globalConfig.rootDir, context.testPath);
    this.global[TEST_LOG_GLOBAL] = this.log;

    // The real CLI is looked up once per process: the next file would otherwise find the wrapper.
    process.env.ROUNDS_TEST_TEMPORAL_CLI ??= findBinaryOrNothing();
    if (process.env.ROUNDS_TEST_TEMPORAL_CLI) {
      this.serverLog = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rounds-test-log-')), 'servers.log');
      // Both the real environment (the native code that starts the server reads it) and the
      // test's copy of it (worker/dev/temporal-binaries.ts reads that one).
      for (const env of [process.env, this.global.process.env]) {
        env.ROUNDS_TEST_TEMPORAL_CLI = process.env.ROUNDS_TEST_TEMPORAL_CLI;
        env.ROUNDS_TEST_SERVER_LOG = this.serverLog;
        env.TEMPORAL_CLI_PATH = WRAPPER;
      }
    }
  }

  handleTestEvent(event: Circus.Event, state: Circus.State): void {
    if (event.name === 'test_done' && event.test.errors.length > 0) this.sawFailure = true;
    if (event.name === 'hook_failure') this.sawFailure = true;
    if (event.name === 'run_finish') this.failed = this.sawFailure || state.unhandledErrors.length > 0;
  }

  override async teardown(): Promise<void> {
    if (this.failed) this.print();
    if (this.serverLog) fs.rmSync(path.dirname(this.serverLog), { recursive: true, force: true });
    await super.teardown();
  }

  private print(): void {
    const servers = this.serverLog && fs.existsSync(this.serverLog) ? fs.readFileSync(this.serverLog, 'utf8') : '';
    const logged = this.log.text();
    if (!servers && !logged) return;
    const parts = [`\n======== ${this.testPath} failed; what it logged ========\n`];
    if (this.log.dropped) parts.push(`(the first ${this.log.dropped} characters were dropped)\n`);
    parts.push(logged);
    if (servers) parts.push(`-------- the output of its Temporal dev servers --------\n`, servers);
    parts.push(`======== end of what ${this.testPath} logged ========\n`);
    process.stderr.write(parts.join(''));
  }
}

function findBinaryOrNothing(): string | undefined {
  try {
    return findBinary('cli');
  } catch {
    return undefined; // TEMPORAL_CLI_PATH set wrongly: leave it, so the tests say so
  }
}
