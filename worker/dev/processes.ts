// Real processes for the bench and the fault tests (development only): a Temporal dev server (`temporal server
// start-dev`, fresh SQLite file, 127.0.0.1, free ports) that can be stopped and restarted on
// the same port and file, and the worker as its own process (`node bin/rounds.js worker`)
// that can be killed with SIGKILL. Every wait here is bounded in time.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { PROJECT_ROOT } from '../paths';
import { childOutput } from './child-output';
import { requireBinary, sqlitePragmaArgs } from './temporal-binaries';
import { waitFor } from './wait';

export { waitFor };

export const ROOT = PROJECT_ROOT;
export const ROUNDS_BIN = path.join(ROOT, 'bin', 'rounds.js');

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Sends `signal`, then SIGKILL after `graceMs`; resolves when the process has exited. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
  if (exited(child)) return;
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => !exited(child) && child.kill('SIGKILL'), graceMs);
  await done;
  clearTimeout(timer);
}

const children = new Set<ChildProcess>();
let exitHookInstalled = false;
/** Whatever happens to this process, its children do not outlive it. */
function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of children) if (!exited(c)) c.kill('SIGKILL');
    });
  }
  return child;
}

// ---------------------------------------------------------------------------------------
// The Temporal dev server

/**
 * The Temporal CLI itself: errorLines counts what it writes to stderr. Under the tests'
 * QuietEnvironment, TEMPORAL_CLI_PATH is a wrapper that sends the server's output to the test
 * file's log instead (test/support/quiet-temporal-cli.sh), and this names the real one.
 */
function temporalCli(): string {
  return process.env.ROUNDS_TEST_TEMPORAL_CLI ?? requireBinary('cli');
}

export interface DevServerOptions {
  /** SQLite file; a fresh one in a temp folder by default. Reuse it (and the port) to restart. */
  dbFile?: string;
  port?: number;
  /** `--dynamic-config-value KEY=VALUE` pairs. */
  dynamicConfig?: Record<string, unknown>;
  /** SQLite pragmas; npm start's (WAL) by default, {} for SQLite's own. */
  sqlitePragmas?: Record<string, string>;
  readyTimeoutMs?: number;
}

export class DevServer {
  child!: ChildProcess;
  private stderr = '';
  /** Error lines the server has logged since it started (it runs with --log-level error). */
  errorLines = 0;

  private constructor(
    readonly dbFile: string,
    readonly port: number,
    private readonly opts: DevServerOptions,
  ) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  static async start(opts: DevServerOptions = {}): Promise<DevServer> {
    const dbFile = opts.dbFile ?? path.join(tempDir('rounds-temporal-'), 'temporal.db');
    const server = new DevServer(dbFile, opts.port ?? (await freePort()), opts);
    await server.launch();
    return server;
  }

  private async launch(): Promise<void> {
    const args = ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(this.port), '--db-filename', this.dbFile, '--log-level', 'error'];
    for (const [k, v] of Object.entries(this.opts.dynamicConfig ?? {})) args.push('--dynamic-config-value', `${k}=${JSON.stringify(v)}`);
    args.push(...sqlitePragmaArgs(this.opts.sqlitePragmas));
    this.stderr = '';
    this.child = track(spawn(temporalCli(), args, { stdio: ['ignore', 'ignore', 'pipe'] }));
    this.child.stderr!.on('data', (d: Buffer) => {
      childOutput(`dev server ${this.address}`, d.toString());
      this.stderr = (this.stderr + d.toString()).slice(-20_000);
      this.errorLines += d.toString().split('\n').filter(Boolean).length;
    });
    await waitFor(
      `the Temporal dev server on ${this.address}`,
      async () => {
        if (exited(this.child)) throw new Error(`the dev server exited (${this.child.exitCode ?? this.child.signalCode}): ${this.stderr}`);
        const c = await Connection.connect({ address: this.address, connectTimeout: '1s' });
        try {
          await c.workflowService.getSystemInfo({});
          // the default namespace answers once the server is really up
          await c.workflowService.describeNamespace({ namespace: 'default' });
          return true;
        } finally {
          await c.close();
        }
      },
      this.opts.readyTimeoutMs ?? 60_000,
      200,
    );
  }

  /** The end of what the server has logged. */
  get log(): string {
    return this.stderr;
  }

  /** SIGTERM (SIGKILL after 10 s). The data stays in dbFile. */
  async stop(): Promise<void> {
    await stopChild(this.child, 'SIGTERM');
  }

  /** Starts it again on the same port with the same database. */
  async restart(): Promise<void> {
    if (!exited(this.child)) await this.stop();
    await this.launch();
  }

  get pid(): number {
    return this.child.pid!;
  }
}

// ---------------------------------------------------------------------------------------
// The worker, as its own process

export interface WorkerProcessOptions {
  address: string;
  smtpUrl: string;
  namespace?: string;
  /** Extra environment (e.g. ROUNDS_LOG_LEVEL). */
  env?: Record<string, string>;
  /** Another script to run instead of `rounds worker` (bench/worker-variant.ts), with its args. */
  script?: string[];
  readyTimeoutMs?: number;
}

export class WorkerProcess {
  readonly child: ChildProcess;
  output = '';
  readonly ready: Promise<void>;
  readonly startedAt = Date.now();
  readyAt = 0;

  constructor(opts: WorkerProcessOptions) {
    const args = opts.script ?? [ROUNDS_BIN, 'worker'];
    this.child = track(
      spawn(process.execPath, args, {
        cwd: ROOT,
        env: {
          ...process.env,
          TEMPORAL_ADDRESS: opts.address,
          TEMPORAL_NAMESPACE: opts.namespace ?? 'default',
          SMTP_URL: opts.smtpUrl,
          // Shared by every worker of one server (as workers on one host share var/), not the checkout's var/.
          ROUNDS_SENT_JOURNAL: path.join(os.tmpdir(), `rounds-sent-${opts.address.replace(/[^0-9a-z]/gi, '-')}.jsonl`),
          ...opts.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    const keep = (d: Buffer) => {
      childOutput(`worker process ${this.child.pid}`, d.toString());
      this.output = (this.output + d.toString()).slice(-200_000);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.ready = waitFor(
      'the worker to start',
      () => {
        if (exited(this.child)) throw new Error(`the worker exited (${this.child.exitCode ?? this.child.signalCode}):\n${this.output}`);
        return /^worker: task queue /m.test(this.output);
      },
      opts.readyTimeoutMs ?? 60_000,
      50,
    ).then(() => {
      this.readyAt = Date.now();
    });
    this.ready.catch(() => undefined);
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return !exited(this.child);
  }

  /** Resident memory in kB, from /proc/<pid>/status (VmRSS). */
  rssKb(): number {
    return vmRssKb(this.pid);
  }

  /** kill -9: no shutdown, no goodbye to Temporal or the SMTP server. */
  async kill9(): Promise<void> {
    await stopChild(this.child, 'SIGKILL');
  }

  /** A graceful stop (SIGTERM: the worker shuts down). */
  async stop(): Promise<void> {
    await stopChild(this.child, 'SIGTERM', 15_000);
  }
}

export function vmRssKb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]);
}

/** CPU time (user + system) a process has used so far, in seconds (from /proc/<pid>/stat). */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of the whole line)
  return ticks / 100; // USER_HZ is 100 on Linux
}

// ---------------------------------------------------------------------------------------
// Round folders

export interface GeneratedRound {
  dir: string;
  roundId: string;
  letterIds: string[];
}

/**
 * A round folder with `count` letters in recipients.csv and no letter files. `steps` are
 * round.yaml policy steps, e.g. [['30 seconds', 'chase'], ['60 seconds', 'close']].
 */
export function generateRound(parent: string, roundId: string, count: number, steps: [string, 'chase' | 'escalate' | 'close'][]): GeneratedRound {
  const dir = path.join(parent, roundId);
  fs.mkdirSync(dir, { recursive: true });
  const yaml = [
    `id: ${roundId}`,
    `title: Generated round ${roundId} (${count} letters)`,
    `subject: "Generated round ${roundId}: please send your documents"`,
    'letterDate: 2020-10-13',
    'sender: { name: Test Office, email: office@test-office.example.org }',
    'coordinator: { name: Casey Coordinator, role: Coordinator, email: casey@test-office.example.org }',
    'documents: [problemProfile, responseStrategy, deliveryUpdate]',
    'policy:',
    '  steps:',
    ...steps.map(([after, action]) => `    - { after: ${after}, action: ${action} }`),
    // No publication window: these rounds test sending, and their tests wait for every workflow to complete.
    '  publicationWindow: 0 working days',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'round.yaml'), yaml);
  const letterIds: string[] = [];
  const width = String(count).length;
  const lines = ['letter,email,cc,escalateTo,name,role,organisation'];
  for (let i = 1; i <= count; i++) {
    const id = `l${String(i).padStart(width, '0')}`;
    letterIds.push(id);
    lines.push(`${id},${id}@recipient.example.org,office-${id}@recipient.example.org,chief-${id}@recipient.example.org,Recipient ${i},Commissioner,Office ${i}`);
  }
  fs.writeFileSync(path.join(dir, 'recipients.csv'), lines.join('\n') + '\n');
  return { dir, roundId, letterIds };
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `node bin/rounds.js <args>` to completion (bounded by timeoutMs). */
export function runRounds(args: string[], env: Record<string, string> = {}, timeoutMs = 300_000): Promise<CliRun> {
  return runProcess(process.execPath, [ROUNDS_BIN, ...args], env, timeoutMs);
}

export function runProcess(cmd: string, args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = track(spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? -1 : 0), stdout, stderr, ms: performance.now() - t0 });
    });
  });
}

/** Message-ID `<round.letter.step-N@domain>` → its parts (ids made by generateRound have no dots). */
export function parseMessageId(id: string): { roundId: string; letterId: string; step: string } | undefined {
  const m = /^<([^.@]+)\.([^.@]+)\.([^.@]+)@/.exec(id);
  return m ? { roundId: m[1], letterId: m[2], step: m[3] } : undefined;
}
