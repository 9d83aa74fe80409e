// Where the dashboard keeps sessions. Two stores behind one interface:
//
// - memory (auth.ts's SessionStore), the default: one dashboard process on one machine, as
//   `npm start` runs it. A restart signs everyone out.
// - PostgreSQL, when DATABASE_URL is set: several dashboard processes behind one address share
//   sign-ins, a restart signs no one out, and signing out on one ends the session on all. A
//   deployment on a Temporal cluster has PostgreSQL already (Temporal's own), so this adds no
//   service to run, back up or secure; a session is one row, looked up once per request by
//   primary key. Rows hold a SHA-256 of the session id, never the id itself, so a copy of the
//   table signs no one in. The cookie-signing secret (which also keys the CSRF tokens, so a
//   form rendered by one dashboard posts to another) is kept in the same database, made once
//   by whichever dashboard starts first; ROUNDS_COOKIE_SECRET overrides it.
//
// Lifetimes are auth.ts's: 8 hours idle, 12 hours in all.
import crypto from 'node:crypto';
import type { Pool } from 'pg';
import type { Role } from '../users';
import { SessionStore, type Session } from './auth';

export interface Sessions {
  create(user: string, role: Role, credential: string): Promise<Session>;
  get(id: string | undefined | null): Promise<Session | undefined>;
  destroy(id: string | undefined | null): Promise<void>;
  /** Writes the session's one-time message (flash), set or taken. */
  save(session: Session): Promise<void>;
  /** The secret that signs cookies and keys CSRF tokens, when the store shares one between dashboards. */
  readonly cookieSecret?: string;
  close(): Promise<void>;
}

const IDLE_MS = 8 * 3_600_000;
const MAX_AGE_MS = 12 * 3_600_000;

export class MemorySessions implements Sessions {
  constructor(private readonly store = new SessionStore(IDLE_MS, MAX_AGE_MS)) {}
  async create(user: string, role: Role, credential: string): Promise<Session> {
    return this.store.create(user, role, credential);
  }
  async get(id: string | undefined | null): Promise<Session | undefined> {
    return this.store.get(id);
  }
  async destroy(id: string | undefined | null): Promise<void> {
    this.store.destroy(id);
  }
  async save(): Promise<void> {
    // the Session object is the stored one
  }
  async close(): Promise<void> {}
}

const digest = (id: string) => crypto.createHash('sha256').update(id).digest('base64url');

// One lock id for the schema, so two dashboards starting at once do not race to create it.
const SCHEMA_LOCK = 715_330_211;
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS rounds_sessions (
    id_sha256 text PRIMARY KEY,
    user_name text NOT NULL,
    role text NOT NULL,
    credential text NOT NULL,
    created timestamptz NOT NULL,
    last_seen timestamptz NOT NULL,
    flash text
  );
  CREATE INDEX IF NOT EXISTS rounds_sessions_last_seen ON rounds_sessions (last_seen);
  CREATE TABLE IF NOT EXISTS rounds_settings (name text PRIMARY KEY, value text NOT NULL);
`;

export class PostgresSessions implements Sessions {
  private constructor(
    private readonly pool: Pool,
    readonly cookieSecret: string,
    private readonly now: () => number,
  ) {}

  static async open(databaseUrl: string, opts: { cookieSecret?: string; now?: () => number } = {}): Promise<PostgresSessions> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Pool } = require('pg') as typeof import('pg');
    const pool = new Pool({ connectionString: databaseUrl, max: 5, connectionTimeoutMillis: 5_000, idleTimeoutMillis: 30_000 });
    // An idle connection that the server drops (a PostgreSQL restart) must not end the process:
    // the pool discards it and the next query opens a new one.
    pool.on('error', () => undefined);
    const db = await pool.connect();
    try {
      await db.query('BEGIN');
      await db.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
      await db.query(SCHEMA);
      await db.query("INSERT INTO rounds_settings (name, value) VALUES ('cookie_secret', $1) ON CONFLICT (name) DO NOTHING", [crypto.randomBytes(32).toString('hex')]);
      const secret = (await db.query("SELECT value FROM rounds_settings WHERE name = 'cookie_secret'")).rows[0].value as string;
      await db.query('COMMIT');
      return new PostgresSessions(pool, opts.cookieSecret ?? secret, opts.now ?? Date.now);
    } catch (err) {
      await db.query('ROLLBACK').catch(() => undefined);
      await pool.end().catch(() => undefined);
      throw err;
    } finally {
      db.release();
    }
  }

  async create(user: string, role: Role, credential: string): Promise<Session> {
    const t = this.now();
    // Expired rows go when someone signs in: rare enough to cost nothing, often enough to keep the table small.
    await this.pool.query('DELETE FROM rounds_sessions WHERE last_seen < $1 OR created < $2', [new Date(t - IDLE_MS), new Date(t - MAX_AGE_MS)]);
    const session: Session = { id: crypto.randomBytes(32).toString('base64url'), user, role, credential, created: t, lastSeen: t };
    await this.pool.query('INSERT INTO rounds_sessions (id_sha256, user_name, role, credential, created, last_seen) VALUES ($1, $2, $3, $4, $5, $5)', [
      digest(session.id),
      user,
      role,
      credential,
      new Date(t),
    ]);
    return session;
  }

  async get(id: string | undefined | null): Promise<Session | undefined> {
    if (!id) return undefined;
    const t = this.now();
    const { rows } = await this.pool.query(
      'UPDATE rounds_sessions SET last_seen = $2 WHERE id_sha256 = $1 AND last_seen >= $3 AND created >= $4 RETURNING user_name, role, credential, created, flash',
      [digest(id), new Date(t), new Date(t - IDLE_MS), new Date(t - MAX_AGE_MS)],
    );
    const r = rows[0] as { user_name: string; role: Role; credential: string; created: Date; flash: string | null } | undefined;
    if (!r) return undefined;
    return { id, user: r.user_name, role: r.role, credential: r.credential, created: r.created.getTime(), lastSeen: t, ...(r.flash ? { flash: r.flash } : {}) };
  }

  async destroy(id: string | undefined | null): Promise<void> {
    if (id) await this.pool.query('DELETE FROM rounds_sessions WHERE id_sha256 = $1', [digest(id)]);
  }

  async save(session: Session): Promise<void> {
    await this.pool.query('UPDATE rounds_sessions SET flash = $2 WHERE id_sha256 = $1', [digest(session.id), session.flash ?? null]);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** PostgreSQL sessions when DATABASE_URL is set, memory otherwise. */
export async function openSessions(databaseUrl: string | undefined, cookieSecret?: string): Promise<Sessions> {
  if (!databaseUrl) return new MemorySessions();
  return PostgresSessions.open(databaseUrl, { cookieSecret });
}
