// `rounds check examples/vru-2020`: what a person confirms before a round starts. The
// expected output was read against the five letters by a person; a change to the parser or
// the loader that alters it shows up here.
import fs from 'node:fs';
import path from 'node:path';
import { rounds } from './support/cli';

test('rounds check examples/vru-2020 prints what was read from each letter, and where', async () => {
  const r = await rounds(['check', 'examples/vru-2020']);
  expect(r.code).toBe(0);
  expect(r.stdout).toBe(fs.readFileSync(path.join(__dirname, 'fixtures', 'check-vru-2020.txt'), 'utf8'));
});

test('--json gives the same plan for tools', async () => {
  const r = await rounds(['check', 'examples/vru-2020', '--json']);
  const json = JSON.parse(r.stdout);
  expect(json.ok).toBe(true);
  const notts = json.letters.find((l: { letterId: string }) => l.letterId === 'nottinghamshire');
  expect(notts.documents).toEqual(['deliveryUpdate']);
  expect(notts.alreadyPublished).toEqual(['problemProfile', 'responseStrategy']);
  const london = json.letters.find((l: { letterId: string }) => l.letterId === 'london');
  expect(london.recipient).toMatchObject({ name: 'Sophie Linden', role: 'Deputy Mayor for Policing and Crime in London', email: 'policing@mopac.example.org' });
  expect(london.body.html).toContain('<sup>1</sup>');
});

test('a round that cannot be started exits 1 and says why', async () => {
  const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'round-'));
  fs.cpSync(path.join(__dirname, '..', 'examples', 'vru-2020'), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'recipients.csv'), 'letter,email\nlondon,not-an-address\nkent,\n');
  fs.writeFileSync(path.join(dir, 'letters', 'empty.md'), '');
  const r = await rounds(['check', dir]);
  expect(r.code).toBe(1);
  expect(r.stdout).toContain(`error: ${path.join(dir, 'recipients.csv')}, line 2, email: 'not-an-address' is not an email address`);
  expect(r.stdout).toContain(`error: ${path.join(dir, 'recipients.csv')}, line 3, email: no email address for this letter`);
  expect(r.stdout).toMatch(new RegExp(`error: ${path.join(dir, 'letters', 'empty.md').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*empty`));
  expect(r.stdout).toMatch(/\d+ error\(s\): the round cannot be started\n$/);
});
