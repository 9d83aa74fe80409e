// The `rounds` command: clear errors and exit codes for people's mistakes (1) and for the
// system's failures (2), without a stack trace.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rounds } from './support/cli';

const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);

test('check: a good round folder passes with exit 0', async () => {
  const r = await rounds(['check', 'test/fixtures/rounds/small']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('round small: A small test round');
  expect(r.stdout).toContain('  recipient  Alex Alpha  [test/fixtures/rounds/small/recipients.csv line 2]');
  expect(r.stdout).toContain('ok: the round can be started');
});

test('check: a missing folder is a user error naming it', async () => {
  const r = await rounds(['check', 'no/such/round']);
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('error: no/such/round: no such folder');
  noStack(r.stdout + r.stderr);
});

// Through bin/rounds.js as a person runs it (tsx): the publish command once loaded its modules with
// import(), which tsx runs as ESM, and failed with "Cannot find module" before saying anything useful.
test('publish: an --out that is a file is a user error, said before contacting Temporal', async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rounds-cli-')), 'a-file');
  fs.writeFileSync(file, 'x');
  const r = await rounds(['publish', 'vru-2020', '--out', file]);
  expect(r.stderr).toContain(`--out ${file}: is a file, not a folder`);
  expect(r.code).toBe(1);
  expect(fs.readFileSync(file, 'utf8')).toBe('x');
  noStack(r.stdout + r.stderr);
});

test('start: a round with errors starts nothing and exits 1, before contacting Temporal', async () => {
  const r = await rounds(['start', 'no/such/round', '--address', '127.0.0.1:1']);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('rounds: no/such/round: the round has errors (above); nothing was started');
});

test.each([
  [['show', 'not-a-letter-id'], "rounds: 'not-a-letter-id' is not a letter id: expected <roundId>/<letterId>, e.g. vru-2020/kent"],
  [['receive', 'r/l', '--doc', 'problemProfil'], "rounds: --doc: 'problemProfil' is not a document key (expected one of problemProfile, responseStrategy, deliveryUpdate)"],
  [['receive', 'r/l'], "error: required option '--doc <key...>' not specified"],
  [['extend', 'r/l', '--working-days', 'two'], "rounds: --working-days: expected a whole number of 1 or more, got 'two'"],
  [['start', 'test/fixtures/rounds/small', '--sent-on', 'yesterday'], "rounds: --sent-on: 'yesterday' is not a date. Write a date like 2020-10-13, or now."],
  // Issue 11, item 7: the dashboard's rule (domain/start.ts), refused before Temporal is contacted.
  [['start', 'test/fixtures/rounds/small', '--address', '127.0.0.1:1', '--sent-on', '2020-02-30'], "rounds: --sent-on: '2020-02-30' is not a date (February 2020 has 29 days). Write a date like 2020-10-13, or now."],
  [['start', 'test/fixtures/rounds/small', '--address', '127.0.0.1:1', '--sent-on', '2099-01-05'], 'rounds: --sent-on: 2099-01-05 is in the future.'],
  [['start', 'test/fixtures/rounds/small', '--address', '127.0.0.1:1', '--sent-on', '2014-06-02'], 'rounds: --sent-on: 2014-06-02 is before the date of letter alpha (2020-10-13)'],
  [['frobnicate'], "error: unknown command 'frobnicate'"],
])('%j is a user error (exit 1)', async (args, message) => {
  const r = await rounds(args);
  expect(r.stderr).toContain(message);
  expect(r.code).toBe(1);
  noStack(r.stderr);
});

test('what was typed is quoted with its control characters escaped, in commander\'s errors and ours', async () => {
  let r = await rounds(['frob\x1b]0;x\x07nicate']);
  expect(r.stderr).toContain("error: unknown command 'frob\\x1b]0;x\\x07nicate'");
  r = await rounds(['receive', 'r/l', '--doc', 'bad\x1b[2J\u202e']);
  expect(r.stderr).toBe("rounds: --doc: 'bad\\x1b[2J\\u202e' is not a document key (expected one of problemProfile, responseStrategy, deliveryUpdate)\n");
  expect(r.stdout + r.stderr).not.toMatch(/[\x00-\x09\x0b-\x1f\u202e]/);
});

test('an unreachable Temporal is a system error (exit 2) that says where it looked', async () => {
  const r = await rounds(['status', '--address', '127.0.0.1:1']);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/^rounds: cannot reach Temporal at 127\.0\.0\.1:1 \(namespace default\): .*Start it with `npm start`, or set TEMPORAL_ADDRESS\.\n$/);
});

// Issue 12: each group of commands is a module of client/commands/ that cli.ts registers; one
// left out would vanish from the CLI without any other test noticing.
test('rounds --help lists every command group, in order; each group lists its subcommands', async () => {
  const commandsOf = (help: string) =>
    help
      .split(/^Commands:\n/m)[1]
      .split('\n')
      .filter((l) => /^ {2}\S/.test(l))
      .map((l) => l.trim().split(' ')[0]);
  const r = await rounds(['--help']);
  expect(r.code).toBe(0);
  expect(r.stderr).toBe('');
  expect(commandsOf(r.stdout)).toEqual([
    'check', 'start', // round set-up
    'status', 'show', // where letters stand
    'receive', 'decline', 'extend', 'pause', 'withdraw', 'resume', 'note', // the seven staff actions
    'calendar', // deadlines
    'stats', 'export', // reports
    'inbox', 'triage', 'correct-address', // replies in
    'publish', 'publication', // the public site
    'setup', 'worker', 'serve', 'demo', // running things
    'user', // dashboard accounts
    'help',
  ]);
  const { roundsInProcess } = await import('./support/cli');
  const groups: Record<string, string[]> = {
    calendar: ['close', 'help'],
    inbox: ['import', 'file', 'dismiss'], // (inbox has an action of its own: no help subcommand)
    publication: ['attach', 'set', 'close', 'help'],
    user: ['add', 'passwd', 'remove', 'role', 'list', 'help'],
  };
  for (const [group, subcommands] of Object.entries(groups)) {
    const sub = await roundsInProcess([group, '--help']);
    expect(sub.code).toBe(0);
    expect(commandsOf(sub.out)).toEqual(subcommands);
  }
});

test('an unknown command exits 1 with one line of error, then the usage; nothing on stdout', async () => {
  const r = await rounds(['frobnicate']);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n');
  expect(lines[0]).toBe("error: unknown command 'frobnicate'");
  expect(lines.filter((l) => /error/i.test(l))).toHaveLength(1);
  expect(r.stderr).toContain('Usage: rounds [options] [command]');
  noStack(r.stderr);
});
