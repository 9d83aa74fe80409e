// The service as the bench runs it (development only): a Temporal dev server of its own (or a
// server already running), the register's search attributes, a client, the local mail sink,
// and the worker as its own process, started when the caller wants it (the bench times
// `rounds start` with no worker running). stop() ends them all, last started first.
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { ensureSearchAttributes } from '../search-attributes';
import { MailSink } from './mail-sink';
import { DevServer, tempDir, WorkerProcess, type DevServerOptions, type WorkerProcessOptions } from './processes';

export interface DevServiceOptions {
  /** The folder for the dev server's SQLite file and the sink's outbox; a fresh temp folder by default. */
  dir?: string;
  /** A Temporal server already running (e.g. worker/dev/cluster.ts) instead of a dev server of its own. */
  address?: string;
  sqlitePragmas?: DevServerOptions['sqlitePragmas'];
  dynamicConfig?: DevServerOptions['dynamicConfig'];
}

export class DevService {
  private readonly stops: (() => Promise<void>)[] = [];

  private constructor(
    /** Undefined when the service uses a server it was given. */
    readonly server: DevServer | undefined,
    readonly address: string,
    readonly connection: Connection,
    readonly client: Client,
    readonly sink: MailSink,
  ) {}

  static async start(opts: DevServiceOptions = {}): Promise<DevService> {
    const dir = opts.dir ?? tempDir('rounds-service-');
    fs.mkdirSync(dir, { recursive: true });
    const stops: (() => Promise<void>)[] = [];
    try {
      const server = opts.address ? undefined : await DevServer.start({ dbFile: path.join(dir, 'temporal.db'), sqlitePragmas: opts.sqlitePragmas, dynamicConfig: opts.dynamicConfig });
      if (server) stops.push(() => server.stop());
      const address = opts.address ?? server!.address;
      const connection = await Connection.connect({ address });
      stops.push(() => connection.close());
      await ensureSearchAttributes(connection, 'default');
      const sink = await new MailSink({ dir: path.join(dir, 'outbox') }).start();
      stops.push(() => sink.stop());
      const service = new DevService(server, address, connection, new Client({ connection, namespace: 'default' }), sink);
      service.stops.push(...stops);
      return service;
    } catch (err) {
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
      throw err;
    }
  }

  /** `rounds worker` (or opts.script) as its own process, on this server and sink; stopped by stop(). Await its `ready`. */
  startWorker(opts: Omit<WorkerProcessOptions, 'address' | 'smtpUrl'> = {}): WorkerProcess {
    const worker = new WorkerProcess({ address: this.address, smtpUrl: this.sink.url, ...opts });
    this.stops.push(() => worker.stop());
    return worker;
  }

  /** Stops the workers, the sink, the connection and the dev server, in that order; the first failure is thrown after all were tried. */
  async stop(): Promise<void> {
    let failure: unknown;
    for (const stop of this.stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (err) {
        failure ??= err;
      }
    }
    if (failure !== undefined) throw failure;
  }
}
