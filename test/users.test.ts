// Dashboard accounts: the users file, password hashing, the first account, `rounds user add`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../client/errors';
import { addUser, ensureFirstUser, listUsers, usersFileLocation, verifyUser } from '../client/users';
import { main } from '../client/cli';

const freshFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rounds-users-')), 'var', 'users.json');

test('a user gets a strong one-time password, kept only as a salted hash in a private file', async () => {
  const file = freshFile();
  const added = await addUser(file, 'april', 'staff');
  expect(added).toEqual({ name: 'april', role: 'staff', password: expect.stringMatching(/^[A-Za-z0-9_-]{24}$/) });
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  const text = fs.readFileSync(file, 'utf8');
  expect(text).not.toContain(added.password);
  expect(JSON.parse(text).users.april.hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);

  // Two users with the same password get different hashes (random salts).
  await addUser(file, 'bob', 'viewer', added.password);
  const users = JSON.parse(fs.readFileSync(file, 'utf8')).users;
  expect(users.bob.hash).not.toBe(users.april.hash);

  expect(await verifyUser(file, 'april', added.password)).toEqual({ name: 'april', role: 'staff', credential: expect.any(String) });
  expect(await verifyUser(file, 'bob', added.password)).toEqual({ name: 'bob', role: 'viewer', credential: expect.any(String) });
  expect(await verifyUser(file, 'april', `${added.password}x`)).toBeNull();
  expect(await verifyUser(file, 'april', '')).toBeNull();
  expect(await verifyUser(file, 'nobody', added.password)).toBeNull();
  expect(listUsers(file)).toEqual([
    { name: 'april', role: 'staff' },
    { name: 'bob', role: 'viewer' },
  ]);
  // Two one-time passwords are never the same.
  expect((await addUser(file, 'carol', 'lead')).password).not.toBe(added.password);
});

test('bad names, roles, short passwords and existing users are refused', async () => {
  const file = freshFile();
  await addUser(file, 'april', 'staff');
  await expect(addUser(file, 'april', 'lead')).rejects.toThrow(new UserError(`user 'april' already exists in ${file}`));
  await expect(addUser(file, 'root', 'admin' as never)).rejects.toThrow(/role 'admin': expected one of lead, staff, viewer/);
  await expect(addUser(file, '../x', 'staff')).rejects.toThrow(/user name '..\/x'/);
  await expect(addUser(file, 'dan', 'staff', 'short')).rejects.toThrow(/at least 12 characters/);
  expect(listUsers(file).map((u) => u.name)).toEqual(['april']);
});

test('the first account is created once, on a fresh machine', async () => {
  const file = freshFile();
  const first = await ensureFirstUser(file);
  expect(first).toEqual({ name: 'admin', role: 'lead', password: expect.any(String) });
  expect(await verifyUser(file, 'admin', first!.password)).toMatchObject({ name: 'admin', role: 'lead' });
  expect(await ensureFirstUser(file)).toBeNull();
  expect(listUsers(file)).toHaveLength(1);
});

describe('rounds user add', () => {
  /** `rounds ...` through the CLI's own entry point (its error handling included), output captured. */
  async function run(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const stream = (into: string[]) => ({ write: (s: string) => (into.push(String(s)), true) }) as unknown as NodeJS.WritableStream;
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    try {
      const code = await main(['node', 'rounds', ...args], stream(out), stream(err));
      return { code, out: out.join(''), err: err.join('') };
    } finally {
      stdout.mockRestore();
    }
  }

  test('prints the new password once; refuses a bad role or an existing user with exit code 1', async () => {
    const file = freshFile();
    const ok = await run(['user', 'add', 'april', '--role', 'lead', '--users-file', file]);
    expect(ok.code).toBe(0);
    const password = /Password \(shown only this once; they can sign in with it now\): (\S+)/.exec(ok.out)?.[1];
    expect(password).toBeDefined();
    expect(ok.out.split(password!)).toHaveLength(2);
    expect(await verifyUser(file, 'april', password!)).toMatchObject({ name: 'april', role: 'lead' });

    const again = await run(['user', 'add', 'april', '--users-file', file]);
    expect(again.code).toBe(1);
    expect(again.err).toContain(`user 'april' already exists in ${file}`);

    const badRole = await run(['user', 'add', 'bob', '--role', 'admin', '--users-file', file]);
    expect(badRole.code).toBe(1);
    expect(badRole.err).toMatch(/argument 'admin' is invalid\. Allowed choices are lead, staff, viewer/);
    expect(listUsers(file).map((u) => u.name)).toEqual(['april']);

    // The default role is staff.
    expect((await run(['user', 'add', 'carol', '--users-file', file])).code).toBe(0);
    expect(listUsers(file)).toContainEqual({ name: 'carol', role: 'staff' });
  });

  test('passwd, role, remove and list manage the same file; an unknown user or role is exit code 1 and changes nothing', async () => {
    const file = freshFile();
    const added = await addUser(file, 'april', 'staff');
    await addUser(file, 'bob', 'viewer');

    const passwd = await run(['user', 'passwd', 'april', '--users-file', file]);
    expect(passwd.code).toBe(0);
    const fresh = /Password \(shown only this once; they can sign in with it now\): (\S+)/.exec(passwd.out)?.[1];
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(added.password);
    expect(passwd.out).toContain(`New password for 'april' in ${file}; they are signed out of the dashboard.`);
    expect(await verifyUser(file, 'april', added.password)).toBeNull();
    expect(await verifyUser(file, 'april', fresh!)).toMatchObject({ name: 'april', role: 'staff' });

    const role = await run(['user', 'role', 'april', 'lead', '--users-file', file]);
    expect(role.code).toBe(0);
    expect(role.out).toBe(`'april' is now lead (was staff) in ${file}.\n`);
    expect((await run(['user', 'role', 'april', 'admin', '--users-file', file])).err).toMatch(/value 'admin' is invalid for argument 'role'\. Allowed choices are lead, staff, viewer/);

    const list = await run(['user', 'list', '--users-file', file]);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(new RegExp(`^Users in ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\nName   Role    Added\napril  lead    \\d{4}-\\d{2}-\\d{2}\nbob    viewer  \\d{4}-\\d{2}-\\d{2}\n$`));

    const removed = await run(['user', 'remove', 'bob', '--users-file', file]);
    expect(removed.code).toBe(0);
    expect(removed.out).toBe(`Removed viewer 'bob' from ${file}; they are signed out of the dashboard.\n`);
    expect(listUsers(file)).toEqual([{ name: 'april', role: 'lead' }]);

    for (const args of [['passwd', 'carol'], ['remove', 'carol'], ['role', 'carol', 'staff']]) {
      const res = await run(['user', ...args, '--users-file', file]);
      expect(res.code).toBe(1);
      expect(res.err).toBe(`rounds: there is no user 'carol' in ${file} (users: april)\n`);
    }
    expect(listUsers(file)).toEqual([{ name: 'april', role: 'lead' }]);
    expect(await verifyUser(file, 'april', fresh!)).toMatchObject({ role: 'lead' });
  });

  test('the only lead can be neither removed nor demoted (nobody could start a round any more); with another lead, both work', async () => {
    const file = freshFile();
    await addUser(file, 'april', 'lead');
    await addUser(file, 'bob', 'staff');
    for (const [args, action] of [[['remove', 'april'], 'remove'], [['role', 'april', 'staff'], 'make a staff']] as const) {
      const res = await run(['user', ...args, '--users-file', file]);
      expect(res.code).toBe(1);
      expect(res.err).toBe(`rounds: cannot ${action} 'april': they are the only lead in ${file} (make another user a lead first)\n`);
      expect(listUsers(file)).toEqual([{ name: 'april', role: 'lead' }, { name: 'bob', role: 'staff' }]);
    }
    expect((await run(['user', 'role', 'bob', 'lead', '--users-file', file])).code).toBe(0);
    expect((await run(['user', 'role', 'april', 'viewer', '--users-file', file])).code).toBe(0);
    expect((await run(['user', 'remove', 'april', '--users-file', file])).code).toBe(0);
    expect(listUsers(file)).toEqual([{ name: 'bob', role: 'lead' }]);
  });

  test('without --users-file, `rounds user` uses the file `rounds serve` uses, whatever the working directory', async () => {
    const saved = { var: process.env.ROUNDS_VAR_DIR, users: process.env.ROUNDS_USERS_FILE, cwd: process.cwd() };
    const varDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rounds-var-'));
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'rounds-cwd-'));
    try {
      delete process.env.ROUNDS_USERS_FILE;
      delete process.env.ROUNDS_VAR_DIR;
      expect(usersFileLocation()).toBe(path.resolve(__dirname, '..', 'var', 'users.json'));
      process.env.ROUNDS_VAR_DIR = varDir;
      process.chdir(elsewhere);
      expect(usersFileLocation()).toBe(path.join(varDir, 'users.json'));
      expect((await run(['user', 'add', 'april'])).code).toBe(0);
      expect(listUsers(path.join(varDir, 'users.json'))).toEqual([{ name: 'april', role: 'staff' }]);
      expect(fs.existsSync(path.join(elsewhere, 'var'))).toBe(false);
      expect((await run(['user', 'list'])).out).toContain(`Users in ${path.join(varDir, 'users.json')}:`);
    } finally {
      process.chdir(saved.cwd);
      if (saved.var === undefined) delete process.env.ROUNDS_VAR_DIR;
      else process.env.ROUNDS_VAR_DIR = saved.var;
      if (saved.users !== undefined) process.env.ROUNDS_USERS_FILE = saved.users;
    }
  });
});
