// `npm start` / `rounds serve`: everything on one machine, in one process tree. A Temporal
// dev server (unless TEMPORAL_ADDRESS points at one), the worker, a local mail sink (unless
// SMTP_URL is set) and the dashboard. Ctrl-C stops all of them.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { connectClient, temporalSettings } from '../worker/connection';
import { MailSink } from '../worker/dev/mail-sink';
import { FolderSource } from '../activities/inbox';
import { chromiumWarning } from '../activities/chromium';
import { documentsDir } from '../activities/document-store';
import { InboxWatcher, mailSourceFromEnv, pollSecondsFromEnv } from '../worker/inbox-watcher';
import { PROJECT_ROOT as ROOT } from '../worker/paths';
import { ensureSearchAttributes } from '../worker/search-attributes';
import { requireBinary, sqlitePragmaArgs } from '../worker/dev/temporal-binaries';
import { connectWorker, createLetterWorker } from '../worker/worker';
import { tuningFromEnv, type WorkerTuning } from '../worker/tuning';
import { TASK_QUEUE } from '../workflows/letter-api';
import { SystemError, UserError } from './errors';
import { ensureFirstUser, usersFileLocation, varDir } from './users';
import { openSessions } from './web/sessions';
import { startWebServer } from './web/server';
import { TemporalUnreachableError } from '../domain/errors';

export const VAR_DIR = varDir();

type Print = (s: string) => void;

/** Where workers on this host note the emails the SMTP server accepted (activities/sent-journal.ts); 'none' for no journal. */
function sentJournal(): string | undefined {
  const file = process.env.ROUNDS_SENT_JOURNAL ?? path.join(VAR_DIR, 'sent-emails.jsonl');
  return file === 'none' ? undefined : path.resolve(file);
}

// The SDK logs every worker state change at INFO; people running the service want warnings.
function quietSdkLogs(): void {
  try {
    Runtime.install({ logger: new DefaultLogger((process.env.ROUNDS_LOG_LEVEL as 'WARN') ?? 'WARN') });
  } catch {
    // already installed (e.g. by a test)
  }
}
type Globals = { address?: string; namespace?: string };

/**
 * The inbox's settings (IMAP_URL, ROUNDS_INBOX_POLL), read before anything starts: a wrong one
 * is the user's mistake, said in one line (exit 1), not a stack trace after the servers are up.
 */
function inboxSettings(localFolder: string | undefined): { source?: ReturnType<typeof mailSourceFromEnv>; pollSeconds: number } {
  try {
    const source = localFolder !== undefined || process.env.IMAP_URL ? mailSourceFromEnv(localFolder ?? '', process.env) : undefined;
    return { source, pollSeconds: pollSecondsFromEnv() };
  } catch (err) {
    throw new UserError((err as Error).message);
  }
}

/** The worker's tuning (ROUNDS_MAX_CACHED_WORKFLOWS and the rest, worker/tuning.ts), read before anything starts. */
function workerTuning(): WorkerTuning {
  try {
    return tuningFromEnv(process.env);
  } catch (err) {
    throw new UserError((err as Error).message);
  }
}

/** A worker against an existing Temporal (TEMPORAL_ADDRESS) and SMTP server (SMTP_URL). */
export async function runWorker(globals: Globals, print: Print): Promise<void> {
  const smtpUrl = process.env.SMTP_URL;
  if (!smtpUrl) throw new UserError('SMTP_URL is not set: say where to send email (e.g. smtp://user:pass@mail.example.org:587), or run `npm start` for a local mail sink');
  // Replies in: only with IMAP_URL (a worker on its own has no local mail sink to read).
  const { source: mailSource, pollSeconds } = inboxSettings(undefined);
  const tuning = workerTuning();
  quietSdkLogs();
  const settings = temporalSettings(globals);
  const client = await connectClient(settings);
  await ensureSearchAttributes(client.connection, settings.namespace);
  const connection = await connectWorker(settings);
  const inbox = mailSource ? { source: mailSource, documentsDir: documentsDir(VAR_DIR) } : undefined;
  const { worker, close } = await createLetterWorker({ connection, namespace: settings.namespace, email: { smtpUrl, sentJournal: sentJournal(), documentsDir: documentsDir(VAR_DIR) }, inbox, tuning });
  print(`worker: task queue ${TASK_QUEUE} on ${settings.address} (namespace ${settings.namespace}); email via ${redact(smtpUrl)}`);
  const noChromium = chromiumWarning();
  if (noChromium) print(`worker: warning: ${noChromium}`);
  const running = worker.run();
  const watcher = mailSource ? await new InboxWatcher({ connection: client.connection, namespace: settings.namespace, source: mailSource, pollSeconds, report: print }).start() : undefined;
  if (mailSource) print(`inbox:  ${mailSource.description}`);
  stopOnSignal(() => worker.shutdown());
  await running;
  await watcher?.stop();
  close();
  await connection.close();
  await client.connection.close();
}

export async function serve(globals: Globals, print: Print): Promise<void> {
  quietSdkLogs();
  fs.mkdirSync(VAR_DIR, { recursive: true });
  const stack: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const stop of stack.reverse()) await Promise.resolve(stop()).catch((e) => print(`while stopping: ${(e as Error).message}`));
  };
  // Replies in: IMAP_URL, else the local folder the mail sink fills with mail for the coordinator.
  const inboxEnv = inboxSettings(path.join(VAR_DIR, 'inbox'));
  const tuning = workerTuning();
  const mailSource = inboxEnv.source!;
  try {
    const external = Boolean(globals.address ?? process.env.TEMPORAL_ADDRESS);
    let settings = temporalSettings(globals);
    if (!external) {
      const port = Number(process.env.ROUNDS_TEMPORAL_PORT ?? 7233);
      const uiPort = Number(process.env.ROUNDS_TEMPORAL_UI_PORT ?? 8233);
      await mustBeFree(port, 'the Temporal dev server');
      const server = startDevServer(port, uiPort);
      stack.push(() => stopChild(server));
      settings = temporalSettings({ ...globals, address: `127.0.0.1:${port}` });
      await waitForTemporal(settings.address, server);
      print(`temporal: dev server at ${settings.address}, data in ${path.relative(process.cwd(), path.join(VAR_DIR, 'temporal.db'))}`);
      print(
        process.env.ROUNDS_TEMPORAL_UI === '0'
          ? 'temporal: no web UI (ROUNDS_TEMPORAL_UI=0)'
          : `temporal: web UI at http://127.0.0.1:${uiPort} (no sign-in: for this machine only; see README "Security")`,
      );
    }
    const client = await connectClient(settings);
    stack.push(() => client.connection.close());
    await ensureSearchAttributes(client.connection, settings.namespace);

    let smtpUrl = process.env.SMTP_URL;
    const outboxDir = path.join(VAR_DIR, 'outbox');
    const localInbox = mailSource instanceof FolderSource ? mailSource : undefined;
    if (!smtpUrl) {
      const port = Number(process.env.ROUNDS_SMTP_PORT ?? 2525);
      await mustBeFree(port, 'the mail sink');
      const sink = await new MailSink({ dir: outboxDir, port, incoming: localInbox ? (raw) => localInbox.add(raw) : undefined }).start();
      stack.push(() => sink.stop());
      smtpUrl = sink.url;
      print(`mail:     local sink at ${sink.url}; every message is kept in ${path.relative(process.cwd(), outboxDir)}/`);
    } else {
      print(`mail:     via ${redact(smtpUrl)}`);
    }

    // ROUNDS_WORKER=0: the dashboard alone, for deployments that run workers separately.
    let running: Promise<void> = new Promise<void>(() => undefined);
    if (process.env.ROUNDS_WORKER !== '0') {
      const connection = await connectWorker(settings);
      stack.push(() => connection.close());
      const inbox = { source: mailSource, documentsDir: documentsDir(VAR_DIR) };
      const { worker, close } = await createLetterWorker({ connection, namespace: settings.namespace, email: { smtpUrl, sentJournal: sentJournal(), documentsDir: documentsDir(VAR_DIR) }, inbox, tuning });
      stack.push(close);
      running = worker.run();
      const watcher = await new InboxWatcher({ connection: client.connection, namespace: settings.namespace, source: mailSource, pollSeconds: inboxEnv.pollSeconds, report: print }).start();
      stack.push(() => watcher.stop());
      print(`inbox:    ${mailSource.description}${localInbox ? ' (mail sent to the sink that the workers did not send: replies, e.g. to the coordinator)' : ''}`);
      stack.push(async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
      });
      print(`worker:   task queue ${TASK_QUEUE}, namespace ${settings.namespace}`);
      const noChromium = chromiumWarning();
      if (noChromium) print(`worker:   warning: ${noChromium}`);
    }

    await startDashboard(client, process.env.SMTP_URL ? undefined : outboxDir, print, stack);
    print('ready. Ctrl-C stops everything.');
    await Promise.race([new Promise<void>((resolve) => stopOnSignal(resolve)), running]);
  } finally {
    print('stopping...');
    await stopAll();
    print('stopped.');
  }
}

async function startDashboard(client: import('@temporalio/client').Client, outboxDir: string | undefined, print: Print, stack: (() => Promise<void> | void)[]) {
  const port = Number(process.env.ROUNDS_PORT ?? 3000);
  try {
    // The same file `rounds user ...` changes (usersFileLocation), wherever either is run from.
    const usersFile = usersFileLocation();
    const first = await ensureFirstUser(usersFile);
    // Sessions in PostgreSQL when DATABASE_URL is set, so several dashboards share them (client/web/sessions.ts).
    const sessions = await openSessions(process.env.DATABASE_URL, process.env.ROUNDS_COOKIE_SECRET);
    stack.push(() => sessions.close());
    // Errors only: a failed page's stack goes to the log, never to the person.
    const web = await startWebServer({ client, port, sessions, host: process.env.ROUNDS_HOST ?? '127.0.0.1', outboxDir, usersFile, secureCookies: process.env.ROUNDS_SECURE_COOKIES === '1',
      logger: { level: 'error' },
      trustProxy: process.env.ROUNDS_TRUST_PROXY === '1',
      roundsDirs: [process.env.ROUNDS_DIR ?? 'rounds', 'examples'].map((d) => path.resolve(ROOT, d)),
      documentsDir: documentsDir(VAR_DIR),
      publishDir: process.env.ROUNDS_PUBLISH_DIR,
    });
    stack.push(() => web.close());
    print(`web:      dashboard at ${web.url}; sessions ${process.env.DATABASE_URL ? 'in PostgreSQL (DATABASE_URL)' : 'in memory'}`);
    if (first) print(`web:      first account created: name '${first.name}', one-time password '${first.password}' (add more with \`npx rounds user add\`)`);
  } catch (err) {
    print(`web:      dashboard not started: ${(err as Error).message}`);
  }
}

/**
 * The dev server's arguments. Its gRPC API and web UI have no sign-in and do not know the
 * dashboard's roles (anyone who reaches them can read, signal or terminate any letter), so
 * both listen on 127.0.0.1 only; ROUNDS_TEMPORAL_UI=0 runs it without the UI (--headless).
 * README "Security" says how to lock down a real cluster.
 */
export function devServerArgs(opts: { port: number; uiPort: number; dbFile: string; ui: boolean }): string[] {
  const { port, uiPort } = opts;
  return [
    'server', 'start-dev',
    '--db-filename', opts.dbFile,
    '--ip', '127.0.0.1',
    '--port', String(port),
    ...(!opts.ui ? ['--headless'] : ['--ui-ip', '127.0.0.1', '--ui-port', String(uiPort), '--ui-disable-news-fetch']),
    '--log-level', 'error',
    ...sqlitePragmaArgs(),
  ];
}

function startDevServer(port: number, uiPort: number): ChildProcess {
  const temporal = requireBinary('cli');
  const args = devServerArgs({ port, uiPort, dbFile: path.join(VAR_DIR, 'temporal.db'), ui: process.env.ROUNDS_TEMPORAL_UI !== '0' });
  const child = spawn(temporal, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (d: Buffer) => process.stderr.write(`temporal: ${d}`));
  // If this process dies without cleaning up, do not leave the server behind.
  process.once('exit', () => child.exitCode === null && child.kill('SIGKILL'));
  return child;
}

async function waitForTemporal(address: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new SystemError(`the Temporal dev server exited (code ${child.exitCode}) before it was ready`);
    try {
      const c = await Connection.connect({ address, connectTimeout: '1s' });
      await c.workflowService.getSystemInfo({});
      await c.close();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new TemporalUnreachableError(`the Temporal dev server at ${address} did not become ready in 60 s: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function mustBeFree(port: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', () =>
      reject(new UserError(`port ${port} on 127.0.0.1 is in use, so ${what} cannot start there. Is \`npm start\` already running? Stop it, or choose other ports (ROUNDS_TEMPORAL_PORT, ROUNDS_TEMPORAL_UI_PORT, ROUNDS_SMTP_PORT, ROUNDS_PORT).`)),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

function stopOnSignal(stop: () => void): void {
  const handler = () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
    stop();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}
