// The dashboard's doors, each checked against the way it was found open (issue 11): where
// sign-in may send you, what a failure from Temporal looks like, who is still signed in after
// their account changes, and how fast wrong passwords are refused. Letters come from a
// stand-in client (test/support/browser.ts): none of this needs a Temporal server.
import type { Client } from '@temporalio/client';
import { ServiceError } from '@temporalio/client';
import { addUser, removeUser, setPassword, setRole } from '../client/users';
import { LoginThrottle } from '../client/web/auth';
import { safeNext, startWebServer } from '../client/web/server';
import { fakeClient, tempDir, WebAgent, type FakeLetter } from './support/browser';

const letters: FakeLetter[] = [{ roundId: 'r1', letterId: 'kent', state: 'awaiting', nextActionAt: null, outstanding: ['problemProfile'] }];

interface Site {
  url: string;
  usersFile: string;
  passwords: Record<string, string>;
  close(): Promise<void>;
}

async function site(client: Client = fakeClient(letters).client): Promise<Site> {
  const usersFile = `${tempDir('rounds-users-')}/users.json`;
  const passwords: Record<string, string> = {};
  passwords.sam = (await addUser(usersFile, 'sam', 'staff')).password;
  passwords.lee = (await addUser(usersFile, 'lee', 'lead')).password;
  const server = await startWebServer({ client, port: 0, usersFile });
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
    ['a gRPC error (numeric code)', grpcError, 'The dashboard could not do that: 14 UNAVAILABLE: No connection established'],
    [
      'a ServiceError with a gRPC cause',
      () => new ServiceError('Failed to list workflows', { cause: grpcError() }),
      'The dashboard could not do that: Failed to list workflows: 14 UNAVAILABLE: No connection established',
    ],
    ['a thrown string', () => 'the disk is full', 'The dashboard could not do that: the disk is full'],
    ['a thrown object with a numeric code and no message', () => ({ code: 13 }), 'The dashboard could not do that: it failed without saying why'],
  ])('%s', async (_what, thrown, message) => {
    const s = await site(failing(thrown));
    try {
      const sam = await signedIn(s, 'sam');
      const res = await sam.get('/');
      expect(res.status).toBe(500);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.text).toContain('<h1>Something went wrong</h1>');
      expect(res.text).toContain(message);
      expect(res.text).not.toMatch(/"statusCode"|\n\s+at /);
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
