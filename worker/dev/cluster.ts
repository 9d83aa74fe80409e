// A real Temporal cluster for `npm run test:cluster` and `npm run bench -- --cluster` (development only): PostgreSQL 15 (its own data folder, a
// free port) holding Temporal's persistence and SQL visibility and the dashboards' sessions,
// and the real Temporal server (built once by scripts/ensure-temporal-server.js) started with
// deploy/temporal-server.yaml, deploy/dynamicconfig.yaml and deploy/setup-schema.sh, the
// files docker-compose.yml uses. Every wait is bounded; every process dies with the test.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection, type ConnectionOptions } from '@temporalio/client';
import { freePort, ROOT, ROUNDS_BIN, stopChild, tempDir, waitFor } from './processes';

// scripts/ from the checkout (they are not part of the compiled build).
/* eslint-disable @typescript-eslint/no-require-imports */
const { ensurePostgres } = require(path.join(ROOT, 'scripts', 'ensure-postgresql.js')) as { ensurePostgres(): string };
const { ensureTemporalServer } = require(path.join(ROOT, 'scripts', 'ensure-temporal-server.js')) as {
  ensureTemporalServer(): { server: string; sql: string; schemaDir: string };
};
/* eslint-enable @typescript-eslint/no-require-imports */

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});
function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

// ---------------------------------------------------------------------------------------
// PostgreSQL

export class Postgres {
  readonly user = 'temporal';
  readonly password = 'temporal';
  private constructor(
    private readonly bin: string,
    readonly dataDir: string,
    private readonly socketDir: string,
    readonly port: number,
  ) {}

  /** initdb refuses to run as root: as root, PostgreSQL's programs run as the postgres user, on folders it owns. */
  private run(program: string, args: string[]): string {
    const cmd = path.join(this.bin, program);
    return isRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
      : execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  static async start(): Promise<Postgres> {
    const bin = ensurePostgres();
    const base = tempDir('rounds-cluster-pg-');
    const pg = new Postgres(bin, path.join(base, 'data'), path.join(base, 'socket'), await freePort());
    fs.mkdirSync(pg.socketDir);
    if (isRoot) execFileSync('chown', ['-R', 'postgres:postgres', base]);
    pg.run('initdb', ['-D', pg.dataDir, '-U', 'postgres', '-A', 'trust', '--no-instructions']);
    await pg.resume();
    const sql = (s: string) => pg.run('psql', ['-h', '127.0.0.1', '-p', String(pg.port), '-U', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', s]);
    sql(`CREATE ROLE ${pg.user} LOGIN CREATEDB PASSWORD '${pg.password}'`);
    sql(`CREATE DATABASE rounds OWNER ${pg.user}`);
    return pg;
  }

  /** postgresql:// URL of a database on this server (the dashboards' DATABASE_URL). */
  url(database: string): string {
    return `postgresql://${this.user}:${this.password}@127.0.0.1:${this.port}/${database}`;
  }

  async resume(): Promise<void> {
    const opts = `-p ${this.port} -k ${this.socketDir} -c listen_addresses=127.0.0.1 -c max_connections=200`;
    this.run('pg_ctl', ['-D', this.dataDir, '-l', path.join(this.dataDir, 'server.log'), '-o', opts, '-w', '-t', '60', 'start']);
  }

  /** A clean, fast stop: open connections are ended, as when an operator restarts PostgreSQL. */
  async stop(): Promise<void> {
    this.run('pg_ctl', ['-D', this.dataDir, '-m', 'fast', '-w', '-t', '60', 'stop']);
  }

  async destroy(): Promise<void> {
    try {
      await this.stop();
    } catch {
      // not running
    }
  }
}

// ---------------------------------------------------------------------------------------
// The Temporal server

/** A TCP port on 127.0.0.1 in 20000-32767 that was free a moment ago (and not in `taken`). */
async function freePortBelow32768(taken: number[]): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_768);
    if (taken.includes(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const s = net.createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port in 20000-32767 after 200 tries');
}

export interface ServerTls {
  /** Files made by makeCertificates(). */
  certs: Certificates;
  /** mTLS: clients must present a certificate signed by the CA. */
  requireClientAuth: boolean;
}

export class TemporalServer {
  child!: ChildProcess;
  output = '';
  private env: Record<string, string> = {};
  readonly port: number;

  private constructor(
    private readonly binaries: { server: string; sql: string; schemaDir: string },
    private readonly pg: Postgres,
    private readonly ports: Record<string, number>,
  ) {
    this.port = ports.FRONTEND_GRPC_PORT;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Builds the server if needed, creates its two databases (deploy/setup-schema.sh) and starts it. */
  static async start(pg: Postgres): Promise<TemporalServer> {
    const binaries = ensureTemporalServer();
    const ports: Record<string, number> = {};
    // Below 32768: the server keeps membership ports in a smallint column (cluster_membership),
    // and the OS hands out free ports from 32768 up; a port above it stops the server at start.
    for (const name of ['FRONTEND_GRPC_PORT', 'FRONTEND_HTTP_PORT', 'FRONTEND_MEMBERSHIP_PORT', 'HISTORY_GRPC_PORT', 'HISTORY_MEMBERSHIP_PORT', 'MATCHING_GRPC_PORT', 'MATCHING_MEMBERSHIP_PORT', 'WORKER_GRPC_PORT', 'WORKER_MEMBERSHIP_PORT']) {
      ports[name] = await freePortBelow32768(Object.values(ports));
    }
    const server = new TemporalServer(binaries, pg, ports);
    execFileSync('sh', [path.join(ROOT, 'deploy', 'setup-schema.sh')], { env: { ...process.env, ...server.dbEnv(), SQL_TOOL: binaries.sql, SCHEMA_DIR: binaries.schemaDir }, stdio: 'pipe' });
    await server.launch();
    return server;
  }

  private dbEnv(): Record<string, string> {
    return { POSTGRES_SEEDS: '127.0.0.1', DB_PORT: String(this.pg.port), POSTGRES_USER: this.pg.user, POSTGRES_PWD: this.pg.password };
  }

  private async launch(tls?: ServerTls): Promise<void> {
    this.env = {
      ...this.dbEnv(),
      ...Object.fromEntries(Object.entries(this.ports).map(([k, v]) => [k, String(v)])),
      DYNAMIC_CONFIG_FILE_PATH: path.join(ROOT, 'deploy', 'dynamicconfig.yaml'),
      LOG_LEVEL: 'error',
      ...(tls
        ? {
            TEMPORAL_TLS_FRONTEND_CERT: tls.certs.serverCert,
            TEMPORAL_TLS_FRONTEND_KEY: tls.certs.serverKey,
            TEMPORAL_TLS_SERVER_CA_CERT: tls.certs.ca,
            TEMPORAL_TLS_FRONTEND_SERVER_NAME: 'localhost',
            ...(tls.requireClientAuth
              ? {
                  TEMPORAL_TLS_REQUIRE_CLIENT_AUTH: 'true',
                  TEMPORAL_TLS_CLIENT_CA_CERT: tls.certs.ca,
                  TEMPORAL_TLS_CLIENT_CERT: tls.certs.clientCert,
                  TEMPORAL_TLS_CLIENT_KEY: tls.certs.clientKey,
                }
              : {}),
          }
        : {}),
    };
    this.output = '';
    this.child = track(
      spawn(this.binaries.server, ['--config-file', path.join(ROOT, 'deploy', 'temporal-server.yaml'), '--allow-no-auth', 'start'], {
        cwd: ROOT,
        env: { ...process.env, ...this.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    const keep = (d: Buffer) => {
      this.output = (this.output + d.toString()).slice(-50_000);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    const connectOptions = tls ? clientTls(tls.certs, tls.requireClientAuth) : {};
    await waitFor(
      `the Temporal server on ${this.address}`,
      async () => {
        if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`the Temporal server exited (${this.child.exitCode ?? this.child.signalCode}):\n${this.output.slice(-5000)}`);
        const c = await Connection.connect({ address: this.address, connectTimeout: '1s', ...connectOptions });
        try {
          await c.workflowService.getSystemInfo({});
          return true;
        } finally {
          await c.close();
        }
      },
      60_000,
      200,
    );
  }

  /** SIGTERM (SIGKILL after 15 s), then the same server again on the same ports and databases. */
  async restart(tls?: ServerTls): Promise<number> {
    const t0 = Date.now();
    await stopChild(this.child, 'SIGTERM', 15_000);
    await this.launch(tls);
    return Date.now() - t0;
  }

  async stop(): Promise<void> {
    if (this.child) await stopChild(this.child, 'SIGTERM', 15_000);
  }
}

// ---------------------------------------------------------------------------------------
// TLS

export interface Certificates {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

/** A CA, a server certificate for localhost / 127.0.0.1 and a client certificate, with openssl. */
export function makeCertificates(): Certificates {
  const dir = tempDir('rounds-cluster-tls-');
  const f = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=request-rounds test CA', '-keyout', f('ca.key'), '-out', f('ca.pem'));
  const leaf = (name: string, cn: string, ext: string) => {
    fs.writeFileSync(f(`${name}.ext`), ext);
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${cn}`, '-keyout', f(`${name}.key`), '-out', f(`${name}.csr`));
    openssl('x509', '-req', '-in', f(`${name}.csr`), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', f(`${name}.ext`), '-out', f(`${name}.pem`));
  };
  leaf('server', 'localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n');
  leaf('client', 'rounds-worker', 'extendedKeyUsage=clientAuth\n');
  return { dir, ca: f('ca.pem'), serverCert: f('server.pem'), serverKey: f('server.key'), clientCert: f('client.pem'), clientKey: f('client.key') };
}

/** Connection options for this test's own client. */
export function clientTls(certs: Certificates, withClientCert: boolean): Partial<ConnectionOptions> {
  return {
    tls: {
      serverNameOverride: 'localhost',
      serverRootCACertificate: fs.readFileSync(certs.ca),
      ...(withClientCert ? { clientCertPair: { crt: fs.readFileSync(certs.clientCert), key: fs.readFileSync(certs.clientKey) } } : {}),
    },
  };
}

/** The same, as the TEMPORAL_TLS_* variables workers, the CLI and dashboards read (@temporalio/envconfig). */
export function tlsEnv(certs: Certificates, withClientCert: boolean): Record<string, string> {
  return {
    TEMPORAL_TLS: 'true',
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: certs.ca,
    TEMPORAL_TLS_SERVER_NAME: 'localhost',
    ...(withClientCert ? { TEMPORAL_TLS_CLIENT_CERT_PATH: certs.clientCert, TEMPORAL_TLS_CLIENT_KEY_PATH: certs.clientKey } : {}),
  };
}

// ---------------------------------------------------------------------------------------
// Dashboards

export interface DashboardOptions {
  address: string;
  namespace: string;
  databaseUrl: string;
  varDir: string;
  smtpUrl: string;
  port?: number;
}

/** `rounds serve` with ROUNDS_WORKER=0 against the cluster: the dashboard alone, as deployed. */
export class DashboardProcess {
  child!: ChildProcess;
  output = '';
  url = '';
  port = 0;

  private constructor(private readonly opts: DashboardOptions) {}

  static async start(opts: DashboardOptions): Promise<DashboardProcess> {
    const d = new DashboardProcess(opts);
    d.port = opts.port ?? (await freePort());
    await d.launch();
    return d;
  }

  private async launch(): Promise<void> {
    this.output = '';
    this.child = track(
      spawn(process.execPath, [ROUNDS_BIN, 'serve'], {
        cwd: ROOT,
        env: {
          ...process.env,
          NODE_ENV: 'production',
          TEMPORAL_ADDRESS: this.opts.address,
          TEMPORAL_NAMESPACE: this.opts.namespace,
          SMTP_URL: this.opts.smtpUrl,
          DATABASE_URL: this.opts.databaseUrl,
          ROUNDS_WORKER: '0',
          ROUNDS_PORT: String(this.port),
          ROUNDS_VAR_DIR: this.opts.varDir,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    const keep = (d: Buffer) => {
      this.output = (this.output + d.toString()).slice(-50_000);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    await waitFor(
      'the dashboard to start',
      () => {
        if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`the dashboard exited (${this.child.exitCode ?? this.child.signalCode}):\n${this.output}`);
        if (/dashboard not started/.test(this.output)) throw new Error(this.output);
        return /^web: +dashboard at (\S+);/m.test(this.output);
      },
      60_000,
      50,
    );
    this.url = /^web: +dashboard at (\S+);/m.exec(this.output)![1];
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }

  async stop(): Promise<void> {
    if (this.child) await stopChild(this.child, 'SIGTERM', 10_000);
  }
}
