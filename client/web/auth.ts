// Sessions and sign-in throttling for the dashboard.
//
// Sessions live in this process's memory (a Map): a random 256-bit id in a signed cookie
// (HttpOnly, SameSite=Lax, Secure behind TLS) points at { user, role, credential }.
// Restarting the dashboard signs everyone out, and two dashboard processes do not share
// sessions; for a staff tool on one machine that is fine. A session ends after 8 hours idle
// or 12 hours in all, or at sign-out.
//
// Every request checks its session against the users file as it is now (stillValid, through
// a UserDirectory that rereads the file only when it changes): a removed user is signed out,
// a new role applies at once, and a new password ends the sessions begun with the old one
// (the session carries the password's credential). The check needs only what the session
// says, not where it is kept.
//
// Sign-in throttling: after 5 wrong passwords for a name, or from an address, within 15
// minutes, further attempts for that name / from that address are refused (429, with
// Retry-After) for 30 seconds, doubling with each further failure up to 15 minutes. A
// refused attempt does not check the password, so guessing cannot go on behind it. Each
// attempt is counted as a failure when it starts, before the slow password hash, and
// forgiven if the password was right: otherwise 20 guesses sent at once would all pass the
// check before the first of them had failed.
import crypto from 'node:crypto';
import type { Role, UserDirectory } from '../users';

export interface Session {
  id: string;
  user: string;
  role: Role;
  /** The credential of the password the person signed in with (Account.credential). */
  credential: string;
  created: number;
  lastSeen: number;
  /** A one-time message for the next page this person sees (e.g. after a redirect). */
  flash?: string;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly idleMs = 8 * 3_600_000,
    private readonly maxAgeMs = 12 * 3_600_000,
    private readonly now: () => number = Date.now,
  ) {}

  create(user: string, role: Role, credential: string): Session {
    this.prune();
    const t = this.now();
    const session: Session = { id: crypto.randomBytes(32).toString('base64url'), user, role, credential, created: t, lastSeen: t };
    this.sessions.set(session.id, session);
    return session;
  }

  get(id: string | undefined | null): Session | undefined {
    if (!id) return undefined;
    const s = this.sessions.get(id);
    if (!s) return undefined;
    const t = this.now();
    if (t - s.lastSeen > this.idleMs || t - s.created > this.maxAgeMs) {
      this.sessions.delete(id);
      return undefined;
    }
    s.lastSeen = t;
    return s;
  }

  destroy(id: string | undefined | null): void {
    if (id) this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  private prune(): void {
    const t = this.now();
    for (const [id, s] of this.sessions) {
      if (t - s.lastSeen > this.idleMs || t - s.created > this.maxAgeMs) this.sessions.delete(id);
    }
  }
}

/**
 * The role a session's user has now, or null when the session no longer stands: the user was
 * removed, or their password changed since they signed in.
 */
export function stillValid(session: { user: string; credential: string }, users: UserDirectory): Role | null {
  const account = users.find(session.user);
  return account && account.credential === session.credential ? account.role : null;
}

interface Failures {
  count: number;
  first: number;
  lockedUntil: number;
}

export class LoginThrottle {
  private readonly failures = new Map<string, Failures>();

  constructor(
    private readonly opts = { freeAttempts: 5, windowMs: 15 * 60_000, baseLockMs: 30_000, maxLockMs: 15 * 60_000 },
    private readonly now: () => number = Date.now,
  ) {}

  private keys(name: string, ip: string): string[] {
    return [`name:${name.toLowerCase()}`, `ip:${ip}`];
  }

  /** Milliseconds until another attempt for this name from this address is allowed; 0 when it is. */
  retryAfter(name: string, ip: string): number {
    const t = this.now();
    let wait = 0;
    for (const key of this.keys(name, ip)) {
      const f = this.failures.get(key);
      if (!f) continue;
      if (this.expired(f, t)) {
        this.failures.delete(key);
        continue;
      }
      wait = Math.max(wait, f.lockedUntil - t);
    }
    return Math.max(0, wait);
  }

  /**
   * Before checking a password: 0 and the attempt is counted as a failure (call succeeded()
   * if the password turns out right), or the milliseconds to wait, and nothing is counted.
   */
  attempt(name: string, ip: string): number {
    const wait = this.retryAfter(name, ip);
    if (wait > 0) return wait;
    this.failed(name, ip);
    return 0;
  }

  /** One wrong password (attempt() has already counted the ones it let through). */
  failed(name: string, ip: string): void {
    const t = this.now();
    if (this.failures.size > 100_000) this.prune(t);
    for (const key of this.keys(name, ip)) {
      let f = this.failures.get(key);
      if (!f || this.expired(f, t)) f = { count: 0, first: t, lockedUntil: 0 };
      f.count++;
      if (f.count >= this.opts.freeAttempts) {
        const lock = Math.min(this.opts.maxLockMs, this.opts.baseLockMs * 2 ** (f.count - this.opts.freeAttempts));
        f.lockedUntil = t + lock;
      }
      this.failures.set(key, f);
    }
  }

  /**
   * A right password after attempt(): clears the name's count, and takes back the address's
   * count for this attempt (the address's earlier failures stay until they expire).
   */
  succeeded(name: string, ip?: string): void {
    this.failures.delete(`name:${name.toLowerCase()}`);
    if (ip === undefined) return;
    const f = this.failures.get(`ip:${ip}`);
    if (!f) return;
    f.count--;
    if (f.count <= 0) this.failures.delete(`ip:${ip}`);
    else if (f.count < this.opts.freeAttempts) f.lockedUntil = 0;
  }

  private expired(f: Failures, t: number): boolean {
    return t - f.first > this.opts.windowMs && t >= f.lockedUntil;
  }

  private prune(t: number): void {
    for (const [key, f] of this.failures) if (this.expired(f, t)) this.failures.delete(key);
  }
}
