// Publication from the terminal (issue 14), end to end on a dev server with a real worker:
// `rounds publication attach|set|close` mark what may be published (files into the document
// store), `rounds publish` writes the site, refuses an unknown round, an --out that is a file or
// cannot be written and a document missing from the store (clear error, exit 1, nothing
// written), and `--close` ends the finished letters' publication windows; a letter whose
// workflow has ended is still published (its status is the workflow's result).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DocumentStore } from '../activities/document-store';
import { startLetters } from '../client/letters';
import { localDateOf } from '../domain/calendar';
import { DEFAULT_POLICY } from '../domain/policy';
import { devServerEnv, tempDir } from './support/browser';
import { roundsOn } from './support/cli';
import { letterInput, mailSink, withLetterWorker } from './support/temporal';
import { eventually } from '../worker/dev/wait';

jest.setTimeout(180_000);
const savedDocumentsDir = process.env.ROUNDS_DOCUMENTS_DIR;
const documents = tempDir('rounds-pub-cli-store-');
// Before the worker starts (hooks run in the order they are registered).
beforeAll(() => {
  process.env.ROUNDS_DOCUMENTS_DIR = documents;
});
afterAll(() => {
  if (savedDocumentsDir === undefined) delete process.env.ROUNDS_DOCUMENTS_DIR;
  else process.env.ROUNDS_DOCUMENTS_DIR = savedDocumentsDir;
});
const world = withLetterWorker(mailSink, devServerEnv);
const run = (args: string[]) => roundsOn(world.env, args);

/** Every file under dir, by relative path. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, 'latin1');
    }
  };
  walk(dir);
  return out;
}

test('mark from the terminal, publish, refuse bad input with nothing written, close, publish again from the ended workflows', async () => {
  const round = `pubcli-${process.pid}-${Date.now().toString(36)}`;
  const today = localDateOf(Date.now(), 'Europe/London');
  const policy = { ...DEFAULT_POLICY, publicationWindow: { unit: 'duration' as const, ms: 60 * 60_000 } };
  const inputs = ['kent', 'essex'].map((letterId) => letterInput({ roundId: round, letterId, letterDate: today, sentOn: today, policy, documents: ['problemProfile', 'responseStrategy'] }));
  await startLetters(world.env.client, inputs); // as `rounds start` does: search attributes and memo
  const kent = `${round}/kent`;
  const work = tempDir('rounds-pub-cli-');
  const original = path.join(work, 'kent-profile.pdf');
  const redacted = path.join(work, 'kent-profile-redacted.pdf');
  fs.writeFileSync(original, '%PDF-1.4 PLANTED-ORIGINAL-NEVER-PUBLISHED');
  fs.writeFileSync(redacted, '%PDF-1.4 the redacted copy');

  // Kent answers in full; then (the letter complete, in its publication window) staff attach the
  // document received by post and publish a redacted copy.
  expect(await run(['receive', kent, '--doc', 'problemProfile', 'responseStrategy', '--by', 'Sam'])).toMatchObject({ code: 0 });
  let r = await run(['publication', 'attach', kent, original, '--doc', 'problemProfile', '--by', 'Sam']);
  expect(r).toMatchObject({ code: 0, err: '' });
  expect(r.out).toBe(`${kent}: d1 added: Problem Profile / Strategic Needs Assessment (kent-profile.pdf); not published until marked (rounds publication set ${kent} --attachment d1 --publish)\n`);
  r = await run(['publication', 'set', kent, '--attachment', 'd1', '--publish', '--redacted', redacted, '--by', 'Sam']);
  expect(r).toMatchObject({ code: 0, out: `${kent}: d1 (Problem Profile / Strategic Needs Assessment) published as a redacted copy\n` });
  const shown = await run(['show', kent]);
  expect(shown.out).toContain('d1   Problem Profile / Strategic Needs Assessment (kent-profile.pdf), received');
  expect(shown.out).toContain('published as kent-profile-redacted.pdf');
  expect(shown.out).toMatch(/open for publication changes until /);

  // Bad marks: the workflow's words, exit 1, nothing changed.
  r = await run(['publication', 'set', kent, '--attachment', 'd9', '--publish']);
  expect(r).toMatchObject({ code: 1, out: '' });
  expect(r.err).toContain(`${kent}: attachment: no document 'd9' on this letter (it has: d1)`);
  r = await run(['publication', 'attach', kent, path.join(work, 'nope.pdf'), '--doc', 'problemProfile']);
  expect(r).toMatchObject({ code: 1 });
  expect(r.err).toContain(`file ${path.join(work, 'nope.pdf')}: no such file`);
  r = await run(['publication', 'set', kent, '--attachment', 'd1']);
  expect(r.err).toContain('publication set: say --publish or --no-publish');
  r = await run(['publication', 'close', `${round}/essex`]);
  expect(r).toMatchObject({ code: 1 });
  expect(r.err).toContain('the letter is awaiting, still going on; closeLetter ends the publication window of a finished letter');

  // The site: the redacted copy, never the original.
  const site = path.join(work, 'site');
  let last: unknown;
  await eventually(async () => (last = await run(['publish', round, '--out', site])) && (last as { code: number }).code === 0).catch(() => {
    throw new Error(`rounds publish: ${JSON.stringify(last)}`);
  });
  const files = tree(site);
  expect(Object.keys(files)).toContain(path.join('rounds', round, 'documents', 'kent-d1-kent-profile-redacted.pdf'));
  expect(Object.values(files).some((t) => t.includes('PLANTED-ORIGINAL'))).toBe(false);
  const before = tree(site);

  // An unknown round; an --out that is a file; one that cannot be written: exit 1, nothing written.
  r = await run(['publish', 'no-such-round', '--out', path.join(work, 'elsewhere')]);
  expect(r).toMatchObject({ code: 1 });
  expect(r.err).toContain("no letters in round 'no-such-round' (see `rounds status` for the rounds there are); nothing was written");
  expect(fs.existsSync(path.join(work, 'elsewhere'))).toBe(false);
  const aFile = path.join(work, 'a-file');
  fs.writeFileSync(aFile, 'keep me');
  r = await run(['publish', round, '--out', aFile]);
  expect(r).toMatchObject({ code: 1 });
  expect(r.err).toContain(`--out ${aFile}: is a file, not a folder`);
  expect(fs.readFileSync(aFile, 'utf8')).toBe('keep me');
  const locked = process.getuid?.() === 0 ? '/sys' : path.join(work, 'locked'); // root writes anywhere but /sys
  if (locked !== '/sys') fs.mkdirSync(locked, { mode: 0o500 });
  r = await run(['publish', round, '--out', path.join(locked, 'site')]);
  expect(r).toMatchObject({ code: 1 });
  expect(r.err).toMatch(/--out \S+site: cannot write in \S+ \((permission denied|EPERM|EACCES|EROFS)\); nothing was written/);
  expect(fs.existsSync(path.join(locked, 'site'))).toBe(false);

  // A published document missing from the store: named; the previous site stays as it was.
  const stored = new DocumentStore(documents).pathOf(crypto.createHash('sha256').update(fs.readFileSync(redacted)).digest('hex'));
  const moved = `${stored}.away`;
  fs.renameSync(stored, moved);
  r = await run(['publish', round, '--out', site]);
  fs.renameSync(moved, stored);
  expect(r).toMatchObject({ code: 1 });
  expect(r.err).toMatch(/published document is not in the document store .*kent-d1-kent-profile-redacted\.pdf .*nothing was written/);
  expect(tree(site)).toEqual(before);
  expect(fs.readdirSync(work).filter((f) => f.includes('.tmp-') || f.includes('.old-'))).toEqual([]);

  // --close: the finished letter's window ends, its workflow completes; the open one is untouched.
  r = await run(['publish', round, '--out', site, '--close', '--by', 'Lee']);
  expect(r).toMatchObject({ code: 0 });
  expect(r.out).toContain(`closed for publication: ${kent}\n`);
  expect((await world.env.client.workflow.getHandle(kent).describe()).status.name).toBe('COMPLETED');
  expect((await world.env.client.workflow.getHandle(`${round}/essex`).describe()).status.name).toBe('RUNNING');
  r = await run(['publication', 'set', kent, '--attachment', 'd1', '--no-publish']);
  expect(r).toMatchObject({ code: 1 });
  expect(r.err).toContain("the letter's workflow has finished");

  // Publishing again reads the ended letter from its workflow's result: the same site.
  await eventually(async () => (await run(['publish', round, '--out', site])).code === 0);
  expect(tree(site)).toEqual(before);
});
