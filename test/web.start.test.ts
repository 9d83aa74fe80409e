// Starting a round from the dashboard (leads only), over HTTP against a real dashboard and a
// real (time-skipping) Temporal with a worker: the round folders, one folder checked as
// `rounds check` shows it, the start itself (idempotent), and every way it is refused.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadRoundFolder } from '../client/round-folder';
import { startWebServer } from '../client/web/server';
import { addUser } from '../client/users';
import { todayIn } from '../client/web/format';
import { escape } from '../client/web/html';
import type { LetterStatus } from '../domain/types';
import { simpleParser } from 'mailparser';
import * as api from '../workflows/letter-api';
import type { MailSink } from '../worker/dev/mail-sink';
import { devServerEnv, eventually, startDashboard, tempDir, WebAgent, type Dashboard } from './support/browser';
import { letterWorker, mailSink, openLetterWorld } from './support/temporal';

const EXAMPLE = path.resolve(__dirname, '..', 'examples', 'vru-2020');
const LETTERS = ['avon-and-somerset', 'kent', 'london', 'nottinghamshire', 'west-midlands'];

let env: TestWorkflowEnvironment;
let sink: MailSink;
let dashboard: Dashboard;
let closeWorld: () => Promise<void>;
let roundsDir: string;
let lea: WebAgent;

/** A copy of the example round under roundsDir/<name>, with its own round id. */
function copyExample(name: string, edit: (dir: string) => void = () => undefined): string {
  const dir = path.join(roundsDir, name);
  fs.cpSync(EXAMPLE, dir, { recursive: true });
  if (name !== 'vru-2020') {
    const yaml = path.join(dir, 'round.yaml');
    fs.writeFileSync(yaml, fs.readFileSync(yaml, 'utf8').replace(/^id: vru-2020$/m, `id: ${name}`));
  }
  edit(dir);
  return dir;
}

beforeAll(async () => {
  ({ env, sink, close: closeWorld } = await openLetterWorld());
  roundsDir = tempDir('rounds-dir-');
  copyExample('vru-2020');
  copyExample('vru-2020-send');
  // Line 3 (avon-and-somerset) has an address that is not one; line 2 (london) a name with markup in it.
  copyExample('vru-2020-broken', (dir) => {
    const csv = path.join(dir, 'recipients.csv');
    const lines = fs.readFileSync(csv, 'utf8').trimEnd().split('\n');
    expect(lines[1]).toMatch(/^london,/);
    expect(lines[2]).toMatch(/^avon-and-somerset,pcc@avonandsomerset-pcc\.example\.org,/);
    lines[0] += ',name';
    lines[1] += ',<script>alert(1)</script> Linden';
    lines[2] = lines[2].replace('pcc@avonandsomerset-pcc.example.org', 'not-an-email') + ',';
    for (let i = 3; i < lines.length; i++) lines[i] += ',';
    fs.writeFileSync(csv, `${lines.join('\n')}\n`);
  });
  fs.mkdirSync(path.join(roundsDir, 'not-a-round')); // no round.yaml: not listed
  dashboard = await startDashboard(env.client, {
    users: [
      ['lea', 'lead'],
      ['sam', 'staff'],
      ['val', 'viewer'],
    ],
    roundsDirs: [roundsDir, path.join(roundsDir, 'does-not-exist')],
  });
  lea = await signedIn('lea');
});

afterAll(async () => {
  await dashboard?.close();
  await closeWorld?.();
});

async function signedIn(name: string): Promise<WebAgent> {
  const agent = new WebAgent(dashboard.url);
  expect((await agent.signIn(name, dashboard.passwords[name])).status).toBe(303);
  return agent;
}

const status = (workflowId: string): Promise<LetterStatus> => env.client.workflow.getHandle(workflowId).query(api.status);

/** The ids of the round's letters that have a workflow (none, if nothing was started). */
async function startedLetters(roundId: string): Promise<string[]> {
  const found: string[] = [];
  for (const letterId of LETTERS) {
    try {
      await env.client.workflow.getHandle(api.workflowIdFor(roundId, letterId)).describe();
      found.push(letterId);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }
  return found;
}

async function start(agent: WebAgent, folder: string, fields: Record<string, string>) {
  return agent.post(`/start/${folder}`, { _csrf: await agent.csrfFrom('/start'), ...fields });
}

/** A request with its path exactly as given (no URL normalisation), as the agent. */
function raw(agent: WebAgent, method: 'GET' | 'POST', p: string, form?: Record<string, string>): Promise<{ status: number; text: string }> {
  const url = new URL(dashboard.url);
  const body = form ? new URLSearchParams(form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: p,
        headers: { cookie: agent.cookieHeader(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } : {}) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The part of a page between two markers (e.g. one letter's card). */
function section(text: string, from: string, to: string): string {
  const i = text.indexOf(from);
  expect(i).toBeGreaterThanOrEqual(0);
  const j = text.indexOf(to, i + from.length);
  return text.slice(i, j < 0 ? undefined : j);
}

test('a lead sees the round folders, each checked; the link to them is only for leads', async () => {
  const res = await lea.get('/start');
  expect(res.status).toBe(200);
  expect(res.text).toContain('<a href="/start" aria-current="page">Start a round</a>');
  const row = (folder: string) => section(res.text, `<tr data-folder="${folder}">`, '</tr>');
  const good = row('vru-2020');
  expect(good).toContain('<a href="/start/vru-2020">vru-2020</a>');
  expect(good).toContain('<td>Violence Reduction Units - strategic documents (October 2020)</td>');
  expect(good).toContain('<td class="num">5</td>');
  expect(good).toContain('<strong class="check-ok">ok</strong>');
  const broken = row('vru-2020-broken');
  expect(broken).toContain('<td>vru-2020-broken</td>');
  expect(broken).toContain('<strong class="check-bad">1 error</strong>');
  expect(res.text).not.toContain('not-a-round');
  expect(res.text).toContain(`In <code>${escape(path.join(roundsDir, 'does-not-exist'))}</code>`);
  expect(res.text).toContain('This folder does not exist (yet).');

  // Staff and viewers: no link, and the page and the folders are closed to them.
  for (const name of ['sam', 'val']) {
    const agent = await signedIn(name);
    for (const p of ['/start', '/start/vru-2020']) {
      const refused = await agent.get(p);
      expect(refused.status).toBe(403);
      expect(refused.text).toContain('Starting a round needs the lead role');
      expect(refused.text).not.toContain('href="/start"');
      expect(refused.text).not.toContain('Sophie Linden');
    }
  }
  // A lead sees the link on every page, not only this one.
  expect((await lea.get('/no-such-page')).text).toContain('<li><a href="/start">Start a round</a></li>');
});

test('with no round folders configured, the page says so', async () => {
  const usersFile = path.join(tempDir('rounds-users-'), 'users.json');
  const { password } = await addUser(usersFile, 'lea', 'lead');
  const server = await startWebServer({ client: env.client, port: 0, usersFile });
  try {
    const agent = new WebAgent(server.url);
    expect((await agent.signIn('lea', password)).status).toBe(303);
    const res = await agent.get('/start');
    expect(res.status).toBe(200);
    expect(res.text).toContain('No round folders are configured for this dashboard');
    expect((await agent.get('/start/vru-2020')).status).toBe(404);
  } finally {
    await server.close();
  }
});

test("a folder's page shows what `rounds check` shows, escaped, and the start form", async () => {
  const res = await lea.get('/start/vru-2020');
  expect(res.status).toBe(200);
  expect(res.text).toContain('<p class="notice" id="check-result">ok: the round can be started.</p>');

  // Every letter's recipient, organisation, email, date and documents, each with where it came from.
  const plan = await loadRoundFolder(path.join(roundsDir, 'vru-2020'));
  expect(plan.letters.map((l) => l.letterId)).toEqual(LETTERS);
  const rel = (s: string) => escape(s.split(`${roundsDir}${path.sep}`).join(''));
  for (const l of plan.letters) {
    const card = section(res.text, `<section class="card letter-check" id="letter-${l.letterId}"`, '</section>');
    for (const value of [l.recipient.name, l.recipient.role!, l.recipient.organisation!, l.recipient.email, l.letterDate, ...l.documents]) {
      expect(card).toContain(escape(value));
    }
    for (const field of ['name', 'role', 'organisation', 'email', 'letterDate', 'documents']) {
      expect(card).toContain(`<span class="source">from ${rel(l.sources[field])}</span>`);
    }
  }
  const london = section(res.text, 'id="letter-london"', '</section>');
  expect(london).toContain('<dt>Recipient</dt><dd>Sophie Linden <span class="source">from vru-2020/letters/london.md line 5, high confidence</span></dd>');
  expect(london).toContain('<dt>Email</dt><dd>policing@mopac.example.org <span class="source">from vru-2020/recipients.csv line 2</span></dd>');
  expect(london).toContain('The Mayor&#39;s Office for Policing and Crime');
  const notts = section(res.text, 'id="letter-nottinghamshire"', '</section>');
  expect(notts).toContain('<li>Updates on progress on delivery <code>deliveryUpdate</code></li>');
  expect(notts).not.toContain('<code>problemProfile</code></li>');
  expect(notts).toContain('<code>problemProfile</code> <code>responseStrategy</code> (the letter says so: not requested)');
  // Warnings, by file and line, as `rounds check` has them.
  expect(res.text).toContain('<h2 id="warnings-title">8 warnings</h2>');
  expect(res.text).toContain('vru-2020/letters/kent.md, <span class="line">line 39</span>: the signature gives a title (&#39;Independent Anti-Slavery Commissioner&#39;) but no name');
  // Absolute paths on the server appear only as the folder's own location.
  expect(res.text.split(roundsDir).length - 1).toBe(1);

  // The form: record-sent by default, the round's date, a Start button, a CSRF token.
  const form = section(res.text, '<form method="post" action="/start/vru-2020"', '</form>');
  expect(form).toMatch(/<input type="hidden" name="_csrf" value="[^"]+">/);
  expect(form).toContain('<input type="radio" id="delivery-record-sent" name="delivery" value="record-sent" checked>');
  expect(form).toContain('<input type="radio" id="delivery-send" name="delivery" value="send">');
  expect(form).toContain('<input type="radio" id="delivery-send-inline" name="delivery" value="send-inline"><label for="delivery-send-inline">Email each letter now, then chase: the letter itself in the email</label>');
  expect(form).toContain('name="sentOn" type="text" value="2020-10-13"');
  expect(form).toContain('<button type="submit">Start 5 letters</button>');
});

test('a broken folder shows its errors by file and line, has no Start button, and a forced start is refused (422)', async () => {
  const res = await lea.get('/start/vru-2020-broken');
  expect(res.status).toBe(200);
  expect(res.text).toContain('1 error: the round cannot be started until it is fixed');
  expect(res.text).toContain('vru-2020-broken/recipients.csv, <span class="line">line 3</span>, <code>email</code>: &#39;not-an-email&#39; is not an email address');
  expect(section(res.text, 'id="letter-avon-and-somerset"', '</section>')).toContain(
    '<li class="issue-error"><strong>Error:</strong> vru-2020-broken/recipients.csv, line 3, email: &#39;not-an-email&#39; is not an email address</li>',
  );
  // A value with markup from recipients.csv is shown as text.
  expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Linden');
  expect(res.text).not.toContain('<script');
  expect(res.text).not.toContain('action="/start/vru-2020-broken"');
  expect(res.text).not.toMatch(/<button type="submit">Start/);

  const forced = await start(lea, 'vru-2020-broken', { delivery: 'record-sent', sentOn: 'now' });
  expect(forced.status).toBe(422);
  expect(forced.text).toContain('<strong>Not started:</strong> the round has errors (listed here). Nothing was started.');
  expect(forced.text).toContain('&#39;not-an-email&#39; is not an email address');
  expect(await startedLetters('vru-2020-broken')).toEqual([]);
});

test('bad input is refused (422) with a clear message, the form as it was filled in, and nothing started', async () => {
  const cases: [Record<string, string>, string][] = [
    [{ sentOn: 'yesterday' }, '“counts as sent on”: &#39;yesterday&#39; is not a date. Write a date like 2020-10-13, or now.'],
    [{ sentOn: '2020-02-30' }, '“counts as sent on”: &#39;2020-02-30&#39; is not a date'],
    [{ sentOn: '2020-10-12' }, '“counts as sent on”: 2020-10-12 is before the date of letter avon-and-somerset (2020-10-13)'],
    [{ sentOn: '2999-01-01' }, '“counts as sent on”: 2999-01-01 is in the future'],
    [{ delivery: 'fax' }, 'choose how the letters go out: record them as sent, or email them (got &#39;fax&#39;)'],
  ];
  for (const [fields, message] of cases) {
    const res = await start(lea, 'vru-2020', { delivery: 'record-sent', ...fields });
    expect(res.status).toBe(422);
    expect(res.text).toContain(`<p class="error" role="alert" id="start-error"><strong>Not started:</strong> ${message}`);
    if (fields.sentOn) expect(res.text).toContain(`name="sentOn" type="text" value="${fields.sentOn}"`);
  }
  const send = await start(lea, 'vru-2020', { delivery: 'send', sentOn: 'yesterday' });
  expect(send.text).toContain('<input type="radio" id="delivery-send" name="delivery" value="send" checked>');
  expect(await startedLetters('vru-2020')).toEqual([]);

  // A folder that was there when the page was shown, and is gone when the form comes back.
  copyExample('vru-2020-gone');
  const token = await lea.csrfFrom('/start/vru-2020-gone');
  fs.rmSync(path.join(roundsDir, 'vru-2020-gone'), { recursive: true });
  const gone = await lea.post('/start/vru-2020-gone', { _csrf: token, delivery: 'record-sent', sentOn: 'now' });
  expect(gone.status).toBe(422);
  expect(gone.text).toContain('The round folder &#39;vru-2020-gone&#39; is not there any more');
  expect(await startedLetters('vru-2020-gone')).toEqual([]);
});

test('only a lead with a CSRF token can start, and only a listed folder by its name', async () => {
  const sam = await signedIn('sam');
  const val = await signedIn('val');
  for (const agent of [sam, val]) {
    const refused = await start(agent, 'vru-2020', { delivery: 'record-sent', sentOn: 'now' });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Starting a round needs the lead role');
  }

  const missing = await lea.post('/start/vru-2020', { delivery: 'record-sent', sentOn: 'now' });
  expect(missing.status).toBe(403);
  expect(missing.text).toContain('This form could not be accepted');
  const garbled = await lea.post('/start/vru-2020', { _csrf: 'not-a-token', delivery: 'record-sent', sentOn: 'now' });
  expect(garbled.status).toBe(403);

  // Names that would lead out of the configured folder, even to a real round folder.
  const outside = tempDir('rounds-outside-');
  fs.cpSync(EXAMPLE, path.join(outside, 'elsewhere'), { recursive: true });
  const sneaky = [
    `..%2F${path.basename(roundsDir)}%2Fvru-2020`,
    `..%2F${path.basename(outside)}%2Felsewhere`,
    encodeURIComponent(path.join(outside, 'elsewhere')),
    '..%5Cvru-2020',
    'vru-2020..',
    'not-a-round',
  ];
  const token = await lea.csrfFrom('/start');
  for (const name of sneaky) {
    const page = await lea.get(`/start/${name}`);
    expect([name, page.status]).toEqual([name, 404]);
    expect(page.text).not.toContain('Sophie Linden');
    const post = await lea.post(`/start/${name}`, { _csrf: token, delivery: 'record-sent', sentOn: 'now' });
    // A name that could be a folder's but is not listed: "not there"; anything else: no such page.
    expect([name, post.status]).toEqual([name, name === 'not-a-round' ? 422 : 404]);
    expect(post.location).toBeNull();
  }
  // '..' itself, sent as it is (a browser or fetch would resolve it before sending).
  for (const p of ['/start/..', '/start/../vru-2020', '/start/%2e%2e']) {
    const page = await raw(lea, 'GET', p);
    expect([p, page.status]).toEqual([p, 404]);
    const post = await raw(lea, 'POST', p, { _csrf: token, delivery: 'record-sent', sentOn: 'now' });
    expect([p, post.status]).toEqual([p, 404]);
  }
  expect(await startedLetters('vru-2020')).toEqual([]);
});

test('starting creates one workflow per letter; starting again starts none', async () => {
  const res = await start(lea, 'vru-2020', { delivery: 'record-sent', sentOn: 'now' });
  expect(res.status).toBe(303);
  expect(res.location).toBe('/rounds/vru-2020');
  expect(await startedLetters('vru-2020')).toEqual(LETTERS);

  const london = await status('vru-2020/london');
  expect(london.state).toBe('awaiting');
  expect(london.recipient).toMatchObject({ name: 'Sophie Linden', email: 'policing@mopac.example.org', cc: ['vru@mopac.example.org'] });
  expect(london.sentOn).toBe(todayIn('Europe/London'));
  expect(london.timeline[0]).toMatchObject({ kind: 'recorded-sent' });
  const notts = await status('vru-2020/nottinghamshire');
  expect(notts.state).toBe('awaiting');
  expect(Object.keys(notts.documents)).toEqual(['deliveryUpdate']);

  // The flash is shown once, on the next page.
  const next = await lea.get('/letters/vru-2020/kent');
  expect(next.status).toBe(200);
  expect(next.text).toContain('<p class="flash" role="status">Started 5 letters; 0 already started.</p>');
  expect((await lea.get('/letters/vru-2020/kent')).text).not.toContain('Started 5 letters');

  // Again: idempotent, and says so. Nothing in the letters changed.
  const before = await status('vru-2020/london');
  const again = await start(lea, 'vru-2020', { delivery: 'record-sent', sentOn: 'now' });
  expect(again.status).toBe(303);
  expect(again.location).toBe('/rounds/vru-2020');
  expect((await lea.get('/start')).text).toContain('<p class="flash" role="status">Started 0 letters; 5 already started (left as they were).</p>');
  expect(await status('vru-2020/london')).toEqual(before);
  expect(sink.messages).toHaveLength(0);
});

test('"email each letter" sends each letter from its file, then waits', async () => {
  const res = await start(lea, 'vru-2020-send', { delivery: 'send', sentOn: 'now' });
  expect(res.status).toBe(303);
  expect(res.location).toBe('/rounds/vru-2020-send');
  const messages = await eventually(async () => (sink.messages.length >= 5 ? sink.messages : undefined));
  expect(messages).toHaveLength(5);
  const recipients = messages.map((m) => m.recipients);
  for (const email of [
    'contactyourpcc@kent-pcc.example.org',
    'nopcc@nottinghamshire-pcc.example.org',
    'pcc@avonandsomerset-pcc.example.org',
    'policing@mopac.example.org',
    'wmpcc@westmidlands-pcc.example.org',
  ]) {
    expect(recipients.filter((r) => r.includes(email))).toHaveLength(1);
  }
  const kent = await eventually(async () => {
    const s = await status('vru-2020-send/kent');
    return s.timeline.some((e) => e.kind === 'sent') ? s : undefined;
  });
  expect(kent.state).toBe('awaiting');
  expect(kent.emails.map((e) => e.kind)).toEqual(['letter']);
  // As `rounds start --send`: a covering note, the letter attached as a PDF.
  for (const m of await Promise.all(messages.map((x) => simpleParser(x.raw)))) {
    expect(m.text).toContain('Please find attached our letter of Tuesday 13 October 2020');
    expect(m.attachments.map((a) => a.contentType)).toEqual(['application/pdf']);
  }
});

test('"the letter itself in the email" sends as `rounds start --send --inline`: no attachment', async () => {
  copyExample('vru-2020-inline');
  const before = sink.messages.length;
  const res = await start(lea, 'vru-2020-inline', { delivery: 'send-inline', sentOn: 'now' });
  expect(res.status).toBe(303);
  const messages = await eventually(async () => (sink.messages.length >= before + 5 ? sink.messages.slice(before) : undefined));
  for (const m of await Promise.all(messages.map((x) => simpleParser(x.raw)))) {
    expect(m.attachments).toEqual([]);
    expect(m.text).toContain('As Independent Anti-Slavery Commissioner, I am writing');
  }
});

test('after a start the register shows the flash once (on a dev server, which lists workflows)', async () => {
  const dev = await devServerEnv();
  const devSink = await mailSink();
  const { worker, close } = await letterWorker(dev, devSink);
  const running = worker.run();
  const board = await startDashboard(dev.client, { users: [['lea', 'lead']], roundsDirs: [roundsDir] });
  try {
    const agent = new WebAgent(board.url);
    expect((await agent.signIn('lea', board.passwords.lea)).status).toBe(303);
    const res = await agent.post('/start/vru-2020', { _csrf: await agent.csrfFrom('/start'), delivery: 'record-sent', sentOn: 'now' });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/rounds/vru-2020');
    // Straight after the start: the flash, on the register or (if Temporal has not listed the letters yet) in its place.
    const register = await agent.get(res.location!);
    expect(register.status).toBe(200);
    expect(register.text).toContain('<p class="flash" role="status">Started 5 letters; 0 already started.</p>');
    const listed = await eventually(async () => {
      const page = await agent.get('/rounds/vru-2020');
      return page.status === 200 && (page.text.match(/<tr data-letter=/g) ?? []).length === 5 ? page : undefined;
    });
    expect(listed.text).not.toContain('Started 5 letters');
    // The letters were started with their memo: the register's recipients come from the listing.
    expect(listed.text).toContain('Sophie Linden<br><span class="muted">Deputy Mayor for Policing and Crime in London</span>');
    expect(listed.text).toContain('<td data-label="Organisation">The Mayor&#39;s Office for Policing and Crime</td>');
  } finally {
    await board.close();
    worker.shutdown();
    await running;
    close();
    await devSink.stop();
    await dev.teardown();
  }
});
