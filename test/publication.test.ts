// Publication (issue 14): the site from the scripted story: nothing private in any file,
// byte-identical on a second run, round.json valid against its schema, valid HTML, bad input
// refused with nothing half-written.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv from 'ajv';
import { HtmlValidate } from 'html-validate';
import { DocumentStore } from '../activities/document-store';
import { Letter } from '../domain/letter';
import { DEFAULT_POLICY } from '../domain/policy';
import { planSite } from '../domain/publication/site';
import { publishSite } from '../client/publish';
import { UserError } from '../client/errors';
import { PLANTED, PUBLIC_REASON, scriptedStory, type Story } from './support/publication-story';

let story: Story;
let root: string;
beforeAll(async () => {
  story = await scriptedStory();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'rounds-pub-'));
});

const rounds = () => story.input.rounds;
const folderOptions = () => ({ store: story.store, asOf: story.input.asOf });

/** Every file under dir, by relative path, as bytes. */
function tree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p).split(path.sep).join('/'), fs.readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

describe('the generated site', () => {
  let out: string;
  let files: Map<string, Buffer>;
  beforeAll(async () => {
    out = path.join(root, 'site');
    await publishSite(rounds(), { out, ...folderOptions() });
    files = tree(out);
  });

  test('contains the index, the round page, a page per letter, round.json, register.csv, the feed and the published documents only', () => {
    expect([...files.keys()].sort()).toEqual([
      'feed.xml',
      'index.html',
      'round.schema.json',
      'rounds/vru-2026/documents/essex-d1-essex-strategy.pdf',
      'rounds/vru-2026/documents/kent-d1-kent-problem-profile.pdf',
      'rounds/vru-2026/documents/kent-r1-1-kent-delivery-update.pdf',
      'rounds/vru-2026/documents/kent-r1-3-kent-board-minutes-redacted.pdf',
      'rounds/vru-2026/documents/sussex-d1-sussex-profile-redacted.pdf',
      'rounds/vru-2026/index.html',
      'rounds/vru-2026/letters/devon.html',
      'rounds/vru-2026/letters/essex.html',
      'rounds/vru-2026/letters/kent.html',
      'rounds/vru-2026/letters/surrey.html',
      'rounds/vru-2026/letters/sussex.html',
      'rounds/vru-2026/register.csv',
      'rounds/vru-2026/round.json',
      'style.css',
    ]);
    const page = files.get('rounds/vru-2026/index.html')!.toString();
    expect(page).toContain('Kent Office of the Police and Crime Commissioner');
    expect(page).toContain('<strong>overdue</strong> by');
    const surrey = files.get('rounds/vru-2026/letters/surrey.html')!.toString();
    expect(surrey).toContain(PUBLIC_REASON);
    const sussex = files.get('rounds/vru-2026/letters/sussex.html')!.toString();
    expect(sussex).toContain('redacted copy');
    expect(sussex).toContain('[Victims and Partnerships lead] co-ordinates responses');
    expect(sussex).toContain('<a href="#fn1" id="fnref1">1</a>'); // footnotes kept
    const kent = files.get('rounds/vru-2026/letters/kent.html')!.toString();
    expect(kent).toContain('<h2>Attachments of replies</h2>');
    expect(kent).toContain('<a href="../../../rounds/vru-2026/documents/kent-r1-1-kent-delivery-update.pdf">Reply received on 2026-01-26, attachment 1</a>');
    expect(kent).toContain('Reply received on 2026-01-26, attachment 3</a> (kent-board-minutes-redacted.pdf, received on 2026-01-26, redacted copy)');
    expect(kent).not.toContain('kent-internal.pdf');
    const feed = files.get('feed.xml')!.toString();
    expect(feed.match(/<entry>/g)).toHaveLength(6); // three documents, two reply attachments, one decline reason
  });

  test('privacy: no planted private string appears in any file, HTML, JSON, CSV, feed or copied document', () => {
    const planted = Object.entries(PLANTED);
    const hits: string[] = [];
    for (const [file, bytes] of files) {
      const text = bytes.toString('utf8');
      for (const [what, s] of planted) if (text.includes(s)) hits.push(`${file}: ${what}`);
      if (/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z]/.test(text)) hits.push(`${file}: an email address`);
    }
    expect(hits).toEqual([]);
  });

  test('round.json validates against its schema; figures per round and per organisation', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const schema = JSON.parse(files.get('round.schema.json')!.toString());
    const round = JSON.parse(files.get('rounds/vru-2026/round.json')!.toString());
    const validate = ajv.compile(schema);
    validate(round);
    expect(validate.errors ?? []).toEqual([]);
    // Answered in 11 (Kent), 9 (Surrey, declined) and 26 (Essex, after a chase) working days.
    expect(round.figures).toEqual({ letters: 5, answered: 3, answeredInTime: 2, medianWorkingDaysToAnswer: 11, chases: 4 });
    expect(round.byOrganisation.map((o: { organisation: string }) => o.organisation)).toHaveLength(5);
    // The schema bites: a letter with a name field is refused.
    round.letters[0].name = 'someone';
    expect(validate(round)).toBe(false);
  });

  test('every HTML page is valid (html-validate) and every internal link resolves', async () => {
    const validator = new HtmlValidate({ extends: ['html-validate:recommended'], rules: { 'no-trailing-whitespace': 'off', 'long-title': 'off' } }); // organisations' names are long; the title says which page it is
    const broken: string[] = [];
    for (const [file, bytes] of files) {
      if (!file.endsWith('.html')) continue;
      const report = await validator.validateString(bytes.toString(), file);
      expect(report.results.flatMap((r) => r.messages.map((m) => `${file}:${m.line}: ${m.ruleId} ${m.message}`))).toEqual([]);
      for (const [, href] of bytes.toString().matchAll(/href="([^"]+)"/g)) {
        if (/^[a-z]+:/i.test(href)) continue;
        const [target, fragment] = href.split('#');
        const resolved = target === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), target));
        if (!files.has(resolved)) broken.push(`${file} -> ${href}`);
        else if (fragment && !files.get(resolved)!.toString().includes(`id="${fragment}"`)) broken.push(`${file} -> ${href} (no such anchor)`);
      }
    }
    expect(broken).toEqual([]);
  });

  test('determinism: a second run gives a byte-identical tree; --base-url makes feed and round.json links absolute', async () => {
    const again = path.join(root, 'again');
    await publishSite(rounds(), { out: again, ...folderOptions() });
    expect(tree(again)).toEqual(files);
    const absolute = planSite(story.input, { baseUrl: 'https://office.example.org/requests' });
    const feed = absolute.find((f) => f.path === 'feed.xml') as { text: string };
    expect(feed.text).toContain('href="https://office.example.org/requests/rounds/vru-2026/letters/kent.html"');
    const stamped = planSite(story.input, { stamp: '2026-03-02T12:00:00.000Z' }).find((f) => f.path === 'index.html') as { text: string };
    expect(stamped.text).toContain('Generated at 2026-03-02T12:00:00.000Z');
    expect((planSite(story.input).find((f) => f.path === 'index.html') as { text: string }).text).not.toContain('Generated at');
  });
});

describe('bad input: clear errors, nothing half-written', () => {
  test('--out is a file', async () => {
    const file = path.join(root, 'a-file');
    fs.writeFileSync(file, 'keep me');
    await expect(publishSite(rounds(), { out: file, ...folderOptions() })).rejects.toThrow(new UserError(`--out ${file}: is a file, not a folder; give a folder (it is created or replaced whole)`));
    expect(fs.readFileSync(file, 'utf8')).toBe('keep me');
  });

  test('--out cannot be written', async () => {
    if (process.getuid?.() === 0) return; // root writes anywhere
    const locked = path.join(root, 'locked');
    fs.mkdirSync(locked, { mode: 0o500 });
    await expect(publishSite(rounds(), { out: path.join(locked, 'site'), ...folderOptions() })).rejects.toThrow(/cannot write in .*locked \(permission denied\); nothing was written/);
    expect(fs.readdirSync(locked)).toEqual([]);
  });

  test('a published document missing from the store: named, and the previous site is left as it was', async () => {
    const out = path.join(root, 'previous');
    await publishSite(rounds(), { out, ...folderOptions() });
    const before = tree(out);
    const empty = new DocumentStore(fs.mkdtempSync(path.join(os.tmpdir(), 'rounds-pub-empty-')));
    await expect(publishSite(rounds(), { out, store: empty, asOf: story.input.asOf })).rejects.toThrow(
      /5 published documents are not in the document store .*rounds\/vru-2026\/documents\/essex-d1-essex-strategy\.pdf \([0-9a-f]{64}\).*nothing was written/,
    );
    expect(tree(out)).toEqual(before);
    expect(fs.readdirSync(root).filter((f) => f.includes('.tmp-') || f.includes('.old-'))).toEqual([]);
  });
});

describe('setPublication and attachDocument refuse bad input and change nothing', () => {
  const letter = () =>
    new Letter(
      {
        roundId: 'r',
        letterId: 'l',
        recipient: { name: 'n', email: 'a@example.org', cc: [], escalateTo: [] },
        sender: { name: 's', email: 's@example.org' },
        coordinator: { name: 'c', email: 'c@example.org' },
        subject: 'x',
        letterDate: '2026-01-05',
        sentOn: '2026-01-05',
        documents: ['problemProfile'],
        policy: DEFAULT_POLICY,
        delivery: 'record-sent',
      },
      '2026-01-05T10:00:00Z',
    );
  const good = { sha256: 'a'.repeat(64), size: 10, name: 'x.pdf', mediaType: 'application/pdf' };
  const now = '2026-01-10T10:00:00Z';
  test.each([
    [{ file: good }, /title: say what the document is/],
    [{ document: 'responseStrategy', file: good }, /responseStrategy .* was not requested/],
    [{ document: 'problemProfile', file: { ...good, sha256: '../../etc/passwd' } }, /file\.sha256: expected 64 lowercase hex digits/],
    [{ document: 'problemProfile', file: { ...good, size: 0 } }, /file\.size: expected a whole number of bytes/],
    [{ document: 'problemProfile', file: good, receivedOn: '2026-02-01' }, /receivedOn: 2026-02-01 is in the future/],
    [{ document: 'problemProfile', file: good, extra: 1 }, /unknown field 'extra'/],
  ])('attachDocument %j', (p, message) => {
    const l = letter();
    const before = JSON.stringify(l.status());
    expect(() => l.attachDocument(p as never, now)).toThrow(message);
    expect(JSON.stringify(l.status())).toBe(before);
  });
  test.each([
    [{ publish: true }, /give one of attachment .*, declineReasonOf .* or reply/],
    [{ attachment: 'd1', reply: '<m@x>', publish: true }, /give one of attachment/],
    [{ reply: '<nope@x>', publish: true }, /reply: no reply "<nope@x>" is filed on this letter/],
    [{ reply: '<m@x>', replyAttachment: 3, publish: true }, /replyAttachment: expected a number from 1 to 2/],
    [{ reply: '<m@x>', publish: true, redacted: good }, /say which with replyAttachment/],
    [{ attachment: 'd1', replyAttachment: 1, publish: true }, /replyAttachment: only with reply/],
    [{ reply: '<bare@x>', publish: true }, /has no attachments; only a reply's attachments are published, never its text/],
    [{ attachment: 'd9', publish: true }, /no document 'd9' on this letter \(it has: d1\)/],
    [{ attachment: 'd1', publish: 'yes' }, /publish: expected true or false/],
    [{ attachment: 'd1', publish: false, redacted: good }, /only given when the document is published/],
    [{ declineReasonOf: 'problemProfile', publish: true }, /declineReasonOf: problemProfile was not declined/],
  ])('setPublication %j', (p, message) => {
    const l = letter();
    l.attachDocument({ document: 'problemProfile', file: good }, now);
    const mail = { kind: 'reply' as const, subject: 's', excerpt: 'e', raw: { sha256: good.sha256, size: 1 }, matchedBy: 'sender', confidence: 'high' as const };
    const a = { name: 'a.pdf', contentType: 'application/pdf', size: 3, sha256: good.sha256 };
    l.fileMail({ ...mail, messageId: '<m@x>', attachments: [a, a] }, now);
    l.fileMail({ ...mail, messageId: '<bare@x>', attachments: [] }, now);
    const before = JSON.stringify(l.status());
    expect(() => l.setPublication(p as never, now)).toThrow(message);
    expect(JSON.stringify(l.status())).toBe(before);
  });
});
