// Dashboard accounts: the users file, password hashing, the first account, `rounds user add`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { UserError } from '../client/errors';
import { addUser, ensureFirstUser, listUsers, verifyUser } from '../client/users';
import { registerWebCommands } from '../client/web-commands';

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

  expect(await verifyUser(file, 'april', added.password)).toEqual({ name: 'april', role: 'staff' });
  expect(await verifyUser(file, 'bob', added.password)).toEqual({ name: 'bob', role: 'viewer' });
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
  expect(await verifyUser(file, 'admin', first!.password)).toEqual({ name: 'admin', role: 'lead' });
  expect(await ensureFirstUser(file)).toBeNull();
  expect(listUsers(file)).toHaveLength(1);
});

describe('rounds user add', () => {
  function run(args: string[]) {
    const program = new Command('rounds').exitOverride();
    const out: string[] = [];
    const err: string[] = [];
    program.configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => err.push(s) });
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    registerWebCommands(program);
    for (const c of program.commands) {
      c.exitOverride().configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => err.push(s) });
      for (const sub of c.commands) sub.exitOverride().configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => err.push(s) });
    }
    return program
      .parseAsync(['node', 'rounds', ...args])
      .then(() => ({ code: 0, out: out.join(''), err: err.join('') }))
      .catch((e: unknown) => {
        if (!(e instanceof CommanderError)) throw e;
        return { code: e.exitCode, out: out.join(''), err: err.join('') };
      })
      .finally(() => stdout.mockRestore());
  }

  test('prints the new password once; refuses a bad role or an existing user with exit code 1', async () => {
    const file = freshFile();
    const ok = await run(['user', 'add', 'april', '--role', 'lead', '--users-file', file]);
    expect(ok.code).toBe(0);
    const password = /Password \(shown only this once; they can sign in with it now\): (\S+)/.exec(ok.out)?.[1];
    expect(password).toBeDefined();
    expect(ok.out.split(password!)).toHaveLength(2);
    expect(await verifyUser(file, 'april', password!)).toEqual({ name: 'april', role: 'lead' });

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
});
