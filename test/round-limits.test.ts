// Round folders of the wrong size, or with files built to hurt: refused by `check` with the
// file, the line and the limit, before anything is started.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hasErrors, loadRoundFolder } from '../client/round-folder';
import { formatIssue, ROUND_LIMITS } from '../domain/round';
import { rounds } from './support/cli';

const EXAMPLE = path.join(__dirname, '..', 'examples', 'vru-2020');
function copyOfExample(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'round-limits-'));
  fs.cpSync(EXAMPLE, dir, { recursive: true });
  return dir;
}

test('a 10 MB letter is refused by check, naming the file and the limit (it failed at start --send, 45 s later)', async () => {
  const dir = copyOfExample();
  const kent = path.join(dir, 'letters', 'kent.md');
  fs.appendFileSync(kent, `\n${'More text. '.repeat(1_000_000)}`);
  const r = await rounds(['check', dir]);
  expect(r.stdout).toContain(`error: ${kent}: 10.5 MB: over the 256 KB limit for a letter file`);
  expect(r.code).toBe(1);
  expect(r.stderr).toBe('');
});

test('round.yaml and recipients.csv have limits too', async () => {
  let dir = copyOfExample();
  fs.appendFileSync(path.join(dir, 'round.yaml'), `# ${'x'.repeat(ROUND_LIMITS.roundYamlBytes)}\n`);
  expect((await loadRoundFolder(dir)).issues.map(formatIssue)).toEqual([
    expect.stringMatching(new RegExp(`^${path.join(dir, 'round.yaml')}: 256\\.\\d KB: over the 256 KB limit for round\\.yaml \\(see "A round folder" in the README\\)$`)),
  ]);
  dir = copyOfExample();
  fs.appendFileSync(path.join(dir, 'recipients.csv'), `# ${'x'.repeat(ROUND_LIMITS.recipientsCsvBytes)}\n`);
  expect((await loadRoundFolder(dir)).issues.map(formatIssue)).toContain(`${path.join(dir, 'recipients.csv')}: 20 MB: over the 20 MB limit for recipients.csv (see "A round folder" in the README)`);
});

test('a billion-laughs round.yaml: check names the file and line, exit 1, not "unexpected error"', async () => {
  const dir = copyOfExample();
  const lines = fs.readFileSync(path.join(dir, 'round.yaml'), 'utf8').split('\n');
  const bomb = ['x0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < 10; i++) bomb.push(`x${i}: &x${i} [${Array(10).fill(`*x${i - 1}`).join(', ')}]`);
  fs.writeFileSync(path.join(dir, 'round.yaml'), [...bomb, ...lines].join('\n'));
  const r = await rounds(['check', dir]);
  expect(r.stdout).toContain(`error: ${path.join(dir, 'round.yaml')}, line 2: too many aliases`);
  expect(r.code).toBe(1);
  expect(r.stderr).toBe('');
});

function roundOf(letters: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'round-many-'));
  fs.copyFileSync(path.join(__dirname, 'fixtures', 'rounds', 'small', 'round.yaml'), path.join(dir, 'round.yaml'));
  const rows = Array.from({ length: letters }, (_, i) => `l${i},l${i}@example.org,Recipient ${i},Office ${i},problemProfile`);
  fs.writeFileSync(path.join(dir, 'recipients.csv'), ['letter,email,name,organisation,documents', ...rows].join('\n'));
  return dir;
}

test('10,000 letters in one round are fine; more than the limit is one clear error', async () => {
  const plan = await loadRoundFolder(roundOf(10_000));
  expect(plan.issues).toEqual([]);
  expect(plan.letters).toHaveLength(10_000);
  const tooMany = await loadRoundFolder(roundOf(ROUND_LIMITS.lettersPerRound + 1));
  expect(hasErrors(tooMany)).toBe(true);
  expect(tooMany.issues.map(formatIssue)).toEqual([expect.stringMatching(/recipients\.csv: the round has 20001 letters: at most 20000 in one round \(split it into several rounds\)$/)]);
});
