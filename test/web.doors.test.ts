// The dashboard's doors, each checked against the way it was found open (issue 11): where
// sign-in may send you, what a failure from Temporal looks like, who is still signed in after
// their account changes, and how fast wrong passwords are refused. Letters come from a
// stand-in client (test/support/browser.ts): none of this needs a Temporal server.
import type { Client } from '@temporalio/client';
import { ServiceError } from '@temporalio/client';
import { letterMemo } from '../client/letter-memo';
import { addUser, removeUser, setPassword, setRole } from '../client/users';
import { LoginThrottle } from '../client/web/auth';
import { formMessage } from '../client/web/form-words';
import { safeNext, startWebServer } from '../client/web/server';
import { fakeClient, tempDir, WebAgent, type FakeLetter } from './support/browser';

const letters: FakeLetter[] = [{ roundId: 'r1', letterId: 'kent', state: 'awaiting', nextActionAt: null, outstanding: ['problemProfile'] }];

interface Site {
  url: string;
  usersFile: string;
  passwords: Record<string, string>;
  close(): Promise<void>;
}

async function site(client: Client = fakeClient(letters).client, log?: string[]): Promise<Site> {
  const usersFile = `${tempDir('rounds-users-')}/users.json`;
  const passwords: Record<string, string> = {};
  passwords.sam = (await addUser(usersFile, 'sam', 'staff')).password;
  passwords.lee = (await addUser(usersFile, 'lee', 'lead')).password;
  // A second lead, so that lee may be demoted (the only lead cannot be).
  await addUser(usersFile, 'lena', 'lead');
  const logger = log ? { level: 'error', stream: { write: (line: string) => void log.push(line) } } : undefined;
  const server = await startWebServer({ client, port: 0, usersFile, logger });
  return { url: server.url, usersFile, passwords, close: server.close };
}

async function signedIn(s: Site, name: string): Promise<WebAgent> {
  const agent = new WebAgent(s.url);
  const res = await agent.signIn(name, s.passwords[name]);
  expect(res.status).toBe(303);
  return agent;
}

describe('item 10: sign-in only ever sends you to a page of this dashboard', () => {
  let s: Site;
  beforeAll(async () => (s = await site()));
  afterAll(() => s?.close());

  test('safeNext keeps local paths and refuses everything that could leave the origin', () => {
    expect(safeNext('/rounds/r1?state=overdue&sort=letter#register')).toBe('/rounds/r1?state=overdue&sort=letter#register');
    expect(safeNext('/letters/r1/kent')).toBe('/letters/r1/kent');
    for (const bad of [
      '/\t/127.0.0.1:8233/',
      '/\n/evil.example.org/',
      '/\r/evil.example.org/',
      '/\u000b/evil.example.org/',
      '/\u0000/x',
      '//evil.example.org/',
      '/\\evil.example.org/',
      '/.//evil.example.org/',
      '/./\t/evil.example.org/',
      'https://evil.example.org/',
      'javascript:alert(1)',
      '',
      ['//evil.example.org/'],
      undefined,
    ]) {
      expect([bad, safeNext(bad)]).toEqual([bad, '/']);
    }
  });

  test('a signed-in person following /login?next=/%09/host/ stays on the site; a vertical tab is no 500', async () => {
    const sam = await signedIn(s, 'sam');
    const tab = await sam.get('/login?next=/%09/127.0.0.1:8233/');
    expect(tab.status).toBe(303);
    expect(tab.location).toBe('/');
    const vt = await sam.get('/login?next=/%0B/127.0.0.1:8233/');
    expect(vt.status).toBe(303);
    expect(vt.location).toBe('/');
    const dotted = await sam.get('/login?next=/.//127.0.0.1:8233/');
    expect(dotted.location).toBe('/');
    const local = await sam.get(`/login?next=${encodeURIComponent('/rounds/r1?state=overdue')}`);
    expect(local.location).toBe('/rounds/r1?state=overdue');
  });

  test('signing in with a tab in next lands on the rounds page, and the form never carries it', async () => {
    const agent = new WebAgent(s.url);
    const form = await agent.get('/login?next=/%09/127.0.0.1:8233/');
    expect(form.status).toBe(200);
    expect(form.text).toContain('<input type="hidden" name="next" value="/">');
    const token = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    const res = await agent.post('/login', { _csrf: token, name: 'sam', password: s.passwords.sam, next: '/\u000b/127.0.0.1:8233/' });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/');
  });
});

describe('item 11: a failure from Temporal is an HTML page that says why, never raw JSON', () => {
  const grpcError = () => Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14, details: 'No connection established', metadata: {} });
  const failing = (thrown: () => unknown): Client => {
    const { client } = fakeClient(letters);
    const list = () => {
      throw thrown();
    };
    return { ...client, workflow: { ...client.workflow, list } } as unknown as Client;
  };

  test.each([
    // A gRPC error says it in the server's own words (its details), as the CLI does.
    ['a gRPC error (numeric code)', grpcError, 'The dashboard could not do that: No connection established'],
    [
      'a ServiceError with a gRPC cause',
      () => new ServiceError('Failed to list workflows', { cause: grpcError() }),
      'The dashboard could not do that: Failed to list workflows: No connection established',
    ],
    ['a thrown string', () => 'the disk is full', 'The dashboard could not do that: the disk is full'],
    ['a thrown object with a numeric code and no message', () => ({ code: 13 }), 'The dashboard could not do that: it failed without saying why'],
  ])('%s', async (_what, thrown, message) => {
    const log: string[] = [];
    const s = await site(failing(thrown), log);
    try {
      const sam = await signedIn(s, 'sam');
      const res = await sam.get('/');
      expect(res.status).toBe(500);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.text).toContain('<h1>Something went wrong</h1>');
      expect(res.text).toContain(message);
      expect(res.text).not.toMatch(/"statusCode"|\n\s+at /);
      // The log has it, with the stack when there is one.
      const entry = log.map((line) => JSON.parse(line) as { msg: string; err?: { stack?: string } }).find((e) => e.msg === 'request failed');
      expect(entry).toBeDefined();
      if (thrown() instanceof Error) expect(entry!.err?.stack).toMatch(/\n\s+at /);
    } finally {
      await s.close();
    }
  });
});

describe('item 14: wrong passwords are counted before the password is checked', () => {
  test('20 wrong passwords sent at once: 5 are checked (401), 15 are refused (429, Retry-After)', async () => {
    const s = await site();
    try {
      const agent = new WebAgent(s.url);
      const token = await agent.csrfFrom('/login');
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => agent.post('/login', { _csrf: token, name: 'sam', password: `wrong-guess-${i}`, next: '/' })),
      );
      const codes = results.map((r) => r.status).sort();
      expect(codes.filter((c) => c === 401)).toHaveLength(5);
      expect(codes.filter((c) => c === 429)).toHaveLength(15);
      for (const r of results.filter((x) => x.status === 429)) {
        expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(r.text).toContain('Too many wrong passwords');
      }
      // The right password is refused too while the name is held back.
      expect((await agent.post('/login', { _csrf: token, name: 'sam', password: s.passwords.sam, next: '/' })).status).toBe(429);
    } finally {
      await s.close();
    }
  });

  test('an attempt is a failure until its password proves right; a right one gives back its count', () => {
    let now = 0;
    const t = new LoginThrottle(undefined, () => now);
    // Five attempts in flight at once: the fifth already closes the door for the sixth.
    for (let i = 0; i < 5; i++) expect(t.attempt('sam', '10.0.0.1')).toBe(0);
    expect(t.attempt('sam', '10.0.0.1')).toBe(30_000);
    expect(t.attempt('kim', '10.0.0.1')).toBe(30_000);
    // One of the five was right after all: the name is forgiven, the address is back to four.
    t.succeeded('sam', '10.0.0.1');
    expect(t.retryAfter('sam', '10.0.0.1')).toBe(0);
    expect(t.attempt('kim', '10.0.0.1')).toBe(0);
    expect(t.attempt('kim', '10.0.0.1')).toBe(30_000);
    now += 15 * 60_000 + 1;
    expect(t.attempt('kim', '10.0.0.1')).toBe(0);
  });
});

describe('item 13: every request checks its session against the users file as it is now', () => {
  let s: Site;
  beforeEach(async () => (s = await site()));
  afterEach(() => s?.close());
  const letterPath = '/letters/r1/kent';

  test('a removed user is signed out at their next request', async () => {
    const sam = await signedIn(s, 'sam');
    expect((await sam.get(letterPath)).status).toBe(200);
    const token = await sam.csrfFrom(letterPath);
    removeUser(s.usersFile, 'sam');
    const page = await sam.get(letterPath);
    expect(page.status).toBe(303);
    expect(page.location).toBe(`/login?next=${encodeURIComponent(letterPath)}`);
    const post = await sam.post(`${letterPath}/note`, { _csrf: token, text: 'still here?' });
    expect(post.status).toBe(401);
    expect(post.text).toContain('Your session has ended');
    // And they cannot sign in again.
    expect((await sam.signIn('sam', s.passwords.sam)).status).toBe(401);
  });

  test('a new role applies at the next request, both ways', async () => {
    const lee = await signedIn(s, 'lee');
    expect((await lee.get('/start')).status).toBe(200);
    setRole(s.usersFile, 'lee', 'viewer');
    const refused = await lee.get('/start');
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Starting a round needs the lead role; yours is viewer.');
    const letter = await lee.get(letterPath);
    expect(letter.text).toContain('Signed in as <strong>lee</strong> (viewer)');
    expect(letter.text).not.toContain(`action="${letterPath}/note"`);
    setRole(s.usersFile, 'lee', 'lead');
    expect((await lee.get('/start')).status).toBe(200);
  });

  test('a new password ends the sessions begun with the old one, not the one begun after', async () => {
    const before = await signedIn(s, 'sam');
    expect((await before.get(letterPath)).status).toBe(200);
    const { password } = await setPassword(s.usersFile, 'sam');
    expect((await before.get(letterPath)).status).toBe(303);
    const after = new WebAgent(s.url);
    expect((await after.signIn('sam', password)).status).toBe(303);
    expect((await after.get(letterPath)).status).toBe(200);
    expect((await after.get(letterPath)).status).toBe(200);
  });
});

describe('item 17: the words staff see, and searching the register', () => {
  const person = (name: string, organisation: string) => ({ name, role: 'Commissioner', organisation, email: 'x@example.org', cc: [], escalateTo: [] });
  const memo = (name: string, organisation: string) => letterMemo({ recipient: person(name, organisation), letterDate: '2020-10-13', documents: ['problemProfile', 'responseStrategy'] });
  const round: FakeLetter[] = [
    { roundId: 'r2', letterId: 'kent-7', state: 'awaiting', nextActionAt: null, outstanding: ['problemProfile', 'responseStrategy'], memo: memo('Alice Smith', 'Kent Police and Crime Commissioner') },
    { roundId: 'r2', letterId: 'essex', state: 'awaiting', nextActionAt: null, outstanding: ['problemProfile', 'responseStrategy'], memo: memo('Bob <b>Jones</b>', 'Essex & "Southend" Office') },
    { roundId: 'r2', letterId: 'surrey', state: 'withdrawn', nextActionAt: null, outstanding: ['problemProfile', 'responseStrategy'], executionStatus: 'COMPLETED', memo: memo('Carol Kentish', 'Surrey Office') },
    // Started before the memo existed: found by its id only.
    { roundId: 'r2', letterId: 'old-kent', state: 'awaiting', nextActionAt: null, outstanding: ['problemProfile'] },
  ];
  let s: Site;
  let sam: WebAgent;
  beforeAll(async () => {
    s = await site(fakeClient(round).client);
    sam = await signedIn(s, 'sam');
  });
  afterAll(() => s?.close());

  const lettersOn = (text: string) => [...text.matchAll(/<tr data-letter="([^"]+)">/g)].map((m) => m[1]).sort();

  test('the search box finds letters by recipient, organisation or letter id, ignoring case', async () => {
    expect(lettersOn((await sam.get('/rounds/r2')).text)).toEqual(['essex', 'kent-7', 'old-kent', 'surrey']);
    // "kent": Kent's organisation, Carol Kentish, and two letter ids.
    const kent = await sam.get('/rounds/r2?q=KENT');
    expect(kent.status).toBe(200);
    expect(lettersOn(kent.text)).toEqual(['kent-7', 'old-kent', 'surrey']);
    expect(kent.text).toContain('<input type="search" id="register-search" name="q" value="KENT"');
    expect(kent.text).toContain('Searching for “KENT”');
    expect(lettersOn((await sam.get('/rounds/r2?q=alice%20smith')).text)).toEqual(['kent-7']);
    expect(lettersOn((await sam.get('/rounds/r2?q=southend')).text)).toEqual(['essex']);
    expect(lettersOn((await sam.get('/rounds/r2?q=ESSEX&state=awaiting')).text)).toEqual(['essex']);
    expect(lettersOn((await sam.get('/rounds/r2?q=essex&state=withdrawn')).text)).toEqual([]);
    // Sorting and paging links keep the search.
    expect(kent.text).toContain('href="/rounds/r2?q=KENT&amp;sort=letter"');
  });

  test('what is searched for is shown as text, never markup', async () => {
    const res = await sam.get(`/rounds/r2?q=${encodeURIComponent('"><script>alert(1)</script>')}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('No letters match.');
    expect(res.text).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(res.text).not.toContain('<script>');
    const bold = await sam.get('/rounds/r2?q=%3Cb%3E');
    expect(lettersOn(bold.text)).toEqual(['essex']);
    expect(bold.text).toContain('Bob &lt;b&gt;Jones&lt;/b&gt;');
  });

  test("a withdrawn letter's documents are not shown as outstanding in the register", async () => {
    const res = await sam.get('/rounds/r2?state=withdrawn');
    const row = /<tr data-letter="surrey">[\s\S]*?<\/tr>/.exec(res.text)![0];
    expect(row).toContain('<span class="not-received">not received: letter withdrawn</span>');
    expect(row).not.toContain('outstanding');
    const open = /<tr data-letter="kent-7">[\s\S]*?<\/tr>/.exec((await sam.get('/rounds/r2')).text)![0];
    expect(open).toContain('<span class="outstanding">outstanding</span>');
  });

  test("the workflow's messages in the form's words", () => {
    const tz = 'Europe/London';
    expect(formMessage('receipt', "receivedOn: 2019-01-01 is before the letter's date, 2020-10-13", tz)).toBe("Date received: 1 January 2019 is before the letter's date, 13 October 2020");
    expect(formMessage('decline', 'on: 2030-01-01 is in the future (today is 2026-12-02)', tz)).toBe('Date declined: 1 January 2030 is in the future (today is 2 December 2026)');
    expect(formMessage('extend', 'until: 2020-11-20 is not later than the next chase, due on 2020-11-24', tz)).toBe(
      'Until (a working day): 20 November 2020 is not later than the next reminder, due on 24 November 2020',
    );
    expect(formMessage('pause', 'the letter is already paused (since 2020-11-02T09:30:00.000Z)', tz)).toBe('the letter is already paused (since 2 November 2020 at 09:30)');
    expect(formMessage('receipt', 'problemProfile (Problem Profile / Strategic Needs Assessment) was not requested in this letter (requested: deliveryUpdate)', tz)).toBe(
      'Problem Profile / Strategic Needs Assessment was not requested in this letter (requested: Updates on progress on delivery)',
    );
    expect(formMessage('note', 'by: at most 200 characters, got 300', tz)).toBe('Recorded by: at most 200 characters, got 300');
    expect(formMessage('receipt', 'note: at most 5000 characters, got 6000', tz)).toBe('Note: at most 5000 characters, got 6000');
    // A field the form does not have keeps its name.
    expect(formMessage('pause', 'text: the note is empty', tz)).toBe('text: the note is empty');
  });
});
