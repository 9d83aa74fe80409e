// Runs the real `rounds` command (bin/rounds.js) as a user would.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { PassThrough } from 'node:stream';

export const ROOT = path.resolve(__dirname, '..', '..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function rounds(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'rounds.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** `rounds <args> --address <the test server's address>` in this process. */
export function roundsOn(env: { connection: unknown }, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const address = (env.connection as { options: { address: string } }).options.address;
  return roundsInProcess([...args, '--address', address]);
}

/** The same command in this process (main() with its output captured): faster, and it sees the test's modules. */
export async function roundsInProcess(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d) => (o += d));
  err.on('data', (d) => (e += d));
  // Loaded on first use: the files that only spawn bin/rounds.js need not load the CLI.
  const { main } = require('../../client/cli') as typeof import('../../client/cli');
  const code = await main(['node', 'rounds', ...args], out, err);
  return { code, out: o, err: e };
}
