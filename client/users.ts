// Dashboard accounts: a JSON file of users with scrypt-hashed passwords (node:crypto, a
// random salt per user), written with mode 0600. `rounds user add|passwd|remove|list|role`
// and `rounds serve` manage it, at the one place usersFileLocation() says; the web server
// reads it (verifyUser at sign-in, UserDirectory on every request).
//
// File shape (version 1):
//   { "version": 1, "users": { "<name>": { "role": "staff", "hash": "scrypt$16384$8$1$<salt b64>$<key b64>", "created": "<ISO>" } } }
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../worker/paths';
import { UserError } from './errors';

export const ROLES = ['lead', 'staff', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** What each role may do: viewers read, staff also record, leads also start rounds. */
export const CAN_RECORD: readonly Role[] = ['lead', 'staff'];


/** Where `npm start` / `rounds serve` keep their data: ROUNDS_VAR_DIR, else var/ in the project. */
export function varDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.ROUNDS_VAR_DIR ?? path.join(PROJECT_ROOT, 'var'));
}

/**
 * The users file, the same for `rounds user ...` and `rounds serve` (whatever the working
 * directory): ROUNDS_USERS_FILE, else users.json in varDir().
 */
export function usersFileLocation(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.ROUNDS_USERS_FILE ?? path.join(varDir(env), 'users.json'));
}

export interface User {
  name: string;
  role: Role;
}

/**
 * A user as the dashboard checks them on each request. `credential` stands for the current
 * password (a digest of its stored hash, which a new password always changes: new salt), so a
 * session can carry it and end when the password changes, without holding the hash itself.
 */
export interface Account extends User {
  credential: string;
}

function credentialOf(hash: string): string {
  return crypto.createHash('sha256').update(hash).digest('base64url').slice(0, 22);
}

interface StoredUser {
  role: Role;
  hash: string;
  created: string;
}

interface UsersFile {
  version: 1;
  users: Record<string, StoredUser>;
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 64 };
const MIN_PASSWORD = 12;

const scrypt = promisify(crypto.scrypt) as (password: string, salt: Buffer, keylen: number, options: crypto.ScryptOptions) => Promise<Buffer>;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** A strong one-time password: 18 random bytes, base64url (24 characters, 144 bits). */
export function generatePassword(): string {
  return crypto.randomBytes(18).toString('base64url');
}

async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, maxmem: 64 * 1024 * 1024 });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

async function checkPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 64 * 1024 * 1024,
  });
  return actual.length === expected.length && crypto.timingSafeEqual(actual, expected);
}

function readUsers(file: string): UsersFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, users: {} };
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${file}: not a users file (${(err as Error).message})`);
  }
  const f = parsed as Partial<UsersFile>;
  if (!f || typeof f !== 'object' || f.version !== 1 || typeof f.users !== 'object' || f.users === null) {
    throw new UserError(`${file}: not a users file (expected {"version": 1, "users": {...}})`);
  }
  return f as UsersFile;
}

/** Writes atomically (temp file + rename), readable by the owner only. */
function writeUsers(file: string, data: UsersFile): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(data, null, 2) + '\n', { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}

export function listUsers(file: string): User[] {
  return Object.entries(readUsers(file).users).map(([name, u]) => ({ name, role: u.role }));
}

/** Every user with the date their account was created, for `rounds user list`. */
export function describeUsers(file: string): (User & { created: string })[] {
  return Object.entries(readUsers(file).users)
    .map(([name, u]) => ({ name, role: u.role, created: u.created }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function existing(data: UsersFile, file: string, name: string): StoredUser {
  if (!Object.prototype.hasOwnProperty.call(data.users, name)) {
    const names = Object.keys(data.users);
    throw new UserError(`there is no user '${name}' in ${file} (${names.length > 0 ? `users: ${names.join(', ')}` : 'it has no users'})`);
  }
  return data.users[name];
}

function checkPasswordRule(password: string | undefined): void {
  if (password !== undefined && password.length < MIN_PASSWORD) {
    throw new UserError(`the password must have at least ${MIN_PASSWORD} characters`);
  }
}

/** A new password for a user (a generated one-time one unless given); their dashboard sessions end. */
export async function setPassword(file: string, name: string, password?: string): Promise<{ name: string; role: Role; password: string }> {
  checkPasswordRule(password);
  existing(readUsers(file), file, name);
  const pw = password ?? generatePassword();
  const hash = await hashPassword(pw);
  const data = readUsers(file);
  const user = existing(data, file, name);
  data.users[name] = { ...user, hash };
  writeUsers(file, data);
  return { name, role: user.role, password: pw };
}

/** Removes a user; their dashboard sessions end at their next request. */
export function removeUser(file: string, name: string): User {
  const data = readUsers(file);
  const user = existing(data, file, name);
  keepALead(data, name, 'remove', file);
  delete data.users[name];
  writeUsers(file, data);
  return { name, role: user.role };
}

/** Refuses to take away the last lead: without one, nobody can start a round from the dashboard. */
function keepALead(data: ReturnType<typeof readUsers>, name: string, action: string, file: string): void {
  const leads = Object.entries(data.users).filter(([, u]) => u.role === 'lead').map(([n]) => n);
  if (leads.length === 1 && leads[0] === name) {
    throw new UserError(`cannot ${action} '${name}': they are the only lead in ${file} (make another user a lead first)`);
  }
}

/** Gives a user another role, effective at their next request. Returns the role they had. */
export function setRole(file: string, name: string, role: Role): { name: string; role: Role; was: Role } {
  if (!isRole(role)) throw new UserError(`role '${String(role)}': expected one of ${ROLES.join(', ')}`);
  const data = readUsers(file);
  const user = existing(data, file, name);
  if (role !== 'lead') keepALead(data, name, `make a ${role}`, file);
  data.users[name] = { ...user, role };
  writeUsers(file, data);
  return { name, role, was: user.role };
}

/**
 * The users file as the dashboard sees it on each request: read again only when the file
 * has changed (its inode, size or mtime; writeUsers replaces it, so every write changes the
 * inode), so a removed user, a new role or a new password counts from the next request.
 */
export class UserDirectory {
  private cache: { key: string; accounts: Map<string, Account> } | undefined;

  constructor(readonly file: string) {}

  /** The account as the file says now, or undefined when there is no such user. */
  find(name: string): Account | undefined {
    return this.accounts().get(name);
  }

  private accounts(): Map<string, Account> {
    let key: string;
    try {
      const st = fs.statSync(this.file);
      key = `${st.ino}:${st.size}:${st.mtimeMs}`;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      key = 'none';
    }
    if (this.cache?.key !== key) {
      const accounts = new Map<string, Account>();
      for (const [name, u] of Object.entries(readUsers(this.file).users)) {
        if (isRole(u.role) && typeof u.hash === 'string') accounts.set(name, { name, role: u.role, credential: credentialOf(u.hash) });
      }
      this.cache = { key, accounts };
    }
    return this.cache.accounts;
  }
}

/**
 * Adds a user. Without a password, generates a strong one-time one; either way the
 * password is returned so the caller can show it once (only its hash is stored).
 * Throws UserError for a bad name, a bad role, a short password or an existing user.
 */
export async function addUser(file: string, name: string, role: Role, password?: string): Promise<{ name: string; role: Role; password: string }> {
  if (!NAME_RE.test(name)) {
    throw new UserError(`user name '${name}': use 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit`);
  }
  if (!isRole(role)) throw new UserError(`role '${String(role)}': expected one of ${ROLES.join(', ')}`);
  checkPasswordRule(password);
  const pw = password ?? generatePassword();
  const hash = await hashPassword(pw);
  // Read after hashing (which takes a moment) so the check and the write are together.
  const data = readUsers(file);
  if (Object.prototype.hasOwnProperty.call(data.users, name)) {
    throw new UserError(`user '${name}' already exists in ${file}`);
  }
  data.users[name] = { role, hash, created: new Date().toISOString() };
  writeUsers(file, data);
  return { name, role, password: pw };
}

// Compared against when the name is unknown, so a wrong name takes as long as a wrong password.
let dummyHash: Promise<string> | undefined;

/** The user, when the name and password match; otherwise null (same time either way). */
export async function verifyUser(file: string, name: string, password: string): Promise<Account | null> {
  if (typeof name !== 'string' || typeof password !== 'string' || password.length > 1024) return null;
  const users = readUsers(file).users;
  const stored = Object.prototype.hasOwnProperty.call(users, name) ? users[name] : undefined;
  if (!stored) {
    dummyHash ??= hashPassword(generatePassword());
    await checkPassword(password, await dummyHash);
    return null;
  }
  if (!isRole(stored.role)) return null;
  return (await checkPassword(password, stored.hash)) ? { name, role: stored.role, credential: credentialOf(stored.hash) } : null;
}

/**
 * On a fresh machine (no users file, or one with no users), creates the first account,
 * 'admin' with the lead role and a generated password, and returns it so `rounds serve`
 * can print the password once. Returns null when there are users already.
 */
export async function ensureFirstUser(file: string): Promise<{ name: 'admin'; role: 'lead'; password: string } | null> {
  if (Object.keys(readUsers(file).users).length > 0) return null;
  const { password } = await addUser(file, 'admin', 'lead');
  return { name: 'admin', role: 'lead', password };
}
