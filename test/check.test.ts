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

test('rounds check examples/vru-2020-office (the same letters as Word and PDF files) reads the same fields, placed by page and paragraph', async () => {
  const r = await rounds(['check', 'examples/vru-2020-office']);
  expect(r.code).toBe(0);
  expect(r.stdout).toBe(fs.readFileSync(path.join(__dirname, 'fixtures', 'check-vru-2020-office.txt'), 'utf8'));
  const json = JSON.parse((await rounds(['check', 'examples/vru-2020-office', '--json'])).stdout);
  const text = JSON.parse((await rounds(['check', 'examples/vru-2020', '--json'])).stdout);
  const same = (l: { letterId: string; recipient: unknown; documents: unknown; letterDate: unknown; address: unknown; alreadyPublished: unknown; publicationRequested: unknown }) =>
    ({ id: l.letterId, recipient: l.recipient, documents: l.documents, letterDate: l.letterDate, address: l.address, alreadyPublished: l.alreadyPublished, publicationRequested: l.publicationRequested });
  expect(json.letters.map(same)).toEqual(text.letters.map(same));
});

test('a scanned PDF letter is reported plainly and recipients.csv can give what it says', async () => {
  const { scannedPdf } = await import('./support/office-letters');
  const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'round-'));
  fs.cpSync(path.join(__dirname, '..', 'examples', 'vru-2020'), dir, { recursive: true });
  fs.rmSync(path.join(dir, 'letters', 'kent.md'));
  fs.writeFileSync(path.join(dir, 'letters', 'kent.pdf'), await scannedPdf());
  const r = await rounds(['check', dir]);
  expect(r.stdout).toContain(`warning: ${path.join(dir, 'letters', 'kent.pdf')}: no text: scanned image; give the recipient and documents in recipients.csv`);
  expect(r.code).toBe(1);
  fs.writeFileSync(path.join(dir, 'recipients.csv'), fs.readFileSync(path.join(dir, 'recipients.csv'), 'utf8').replace('letter,email,cc,escalateTo', 'letter,email,cc,escalateTo,name,documents').replace(/^(kent,.*)$/m, '$1,Matthew Scott,problemProfile;responseStrategy;deliveryUpdate').replace(/^((?!kent|letter).+)$/gm, '$1,,'));
  const fixed = await rounds(['check', dir]);
  expect(fixed.stdout).toContain('recipient  Matthew Scott');
  expect(fixed.code).toBe(0);
});
