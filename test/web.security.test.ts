// The dashboard's defences, over plain HTTP against a real server and a real (time-skipping)
// Temporal: escaping, CSRF, roles, sign-in throttling, cookies and headers, sign-out.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { LoginThrottle } from '../client/web/auth';
import { html } from '../client/web/html';
import { startWebServer } from '../client/web/server';
import { addUser } from '../client/users';
import type { LetterStatus } from '../domain/types';
import * as api from '../workflows/letter-api';
import { fakeClient, startDashboard, tempDir, WebAgent, type Dashboard } from './support/browser';
import { letterInput, openLetterWorld } from './support/temporal';

let env: TestWorkflowEnvironment;
let dashboard: Dashboard;
let closeWorld: () => Promise<void>;
const input = letterInput({ letterId: 'kent' });
const workflowId = api.workflowIdFor(input.roundId, input.letterId);
const letterPath = `/letters/${input.roundId}/${input.letterId}`;

beforeAll(async () => {
  ({ env, close: closeWorld } = await openLetterWorld());
  await env.client.workflow.start(api.WORKFLOW_TYPE, {
    taskQueue: api.TASK_QUEUE,
    workflowId,
    args: [input],
    typedSearchAttributes: [{ key: api.RoundId, value: input.roundId }],
  });
  dashboard = await startDashboard(env.client, {
    users: [
      ['sam', 'staff'],
      ['val', 'viewer'],
    ],
  });
});

afterAll(async () => {
  await dashboard?.close();
  await closeWorld?.();
});

const status = (): Promise<LetterStatus> => env.client.workflow.getHandle(workflowId).query(api.status);

async function signedIn(name: string): Promise<WebAgent> {
  const agent = new WebAgent(dashboard.url);
  const res = await agent.signIn(name, dashboard.passwords[name]);
  expect(res.status).toBe(303);
  return agent;
}

test('a note with markup in it is shown as text, never run', async () => {
  const sam = await signedIn('sam');
  const nasty = `<script>alert("owned")</script><img src=x onerror="alert(1)"> & "quotes"`;
  const res = await sam.post(`${letterPath}/note`, { _csrf: await sam.csrfFrom(letterPath), text: nasty, by: 'sam"><b>bold</b>' });
  expect(res.status).toBe(303);
  expect(res.location).toBe(`${letterPath}?done=note`);

  const notes = (await status()).timeline.filter((e) => e.kind === 'note');
  expect(notes.map((e) => e.note)).toEqual([nasty]);

  const page = await sam.get(letterPath);
  expect(page.status).toBe(200);
  expect(page.text).toContain('&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &quot;quotes&quot;');
  expect(page.text).toContain('sam&quot;&gt;&lt;b&gt;bold&lt;/b&gt; (entered by sam)');
  expect(page.text).not.toContain('<script');
  expect(page.text).not.toContain('<img');
  expect(page.text).not.toContain('<b>bold');
  // And the browser would not run a script anyway.
  expect(page.headers.get('content-security-policy')).toContain("script-src 'none'");
  expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  expect(page.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  expect(page.headers.get('cache-control')).toBe('no-store');
});

test('a POST without a valid CSRF token is refused and changes nothing', async () => {
  const sam = await signedIn('sam');
  const val = await signedIn('val');
  const before = await status();
  const form = { documents: 'problemProfile', by: 'sam' };

  const missing = await sam.post(`${letterPath}/receipt`, form);
  expect(missing.status).toBe(403);
  expect(missing.text).toContain('This form could not be accepted');

  const garbled = await sam.post(`${letterPath}/receipt`, { ...form, _csrf: 'not-a-token' });
  expect(garbled.status).toBe(403);

  // A token from another person's page is no good either: tokens are bound to the session.
  const othersToken = await val.csrfFrom(letterPath);
  const stolen = await sam.post(`${letterPath}/receipt`, { ...form, _csrf: othersToken });
  expect(stolen.status).toBe(403);

  expect(await status()).toEqual(before);

  // The same request with the right token goes through, so the refusals above were the token's doing.
  const ok = await sam.post(`${letterPath}/receipt`, { ...form, _csrf: await sam.csrfFrom(letterPath) });
  expect(ok.status).toBe(303);
  expect((await status()).documents.problemProfile?.receivedOn).toBeDefined();
});

test('a viewer can read a letter but not record anything on it', async () => {
  const val = await signedIn('val');
  const before = await status();
  const page = await val.get(letterPath);
  expect(page.status).toBe(200);
  expect(page.text).toContain('Recording receipts and the rest needs the staff or lead role');
  expect(page.text).not.toContain(`action="${letterPath}/receipt"`);

  const token = await val.csrfFrom(letterPath);
  for (const form of ['receipt', 'note', 'withdraw']) {
    const res = await val.post(`${letterPath}/${form}`, { _csrf: token, documents: 'responseStrategy', text: 'hello', confirm: 'yes' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('Your role (viewer) can read letters but not record anything');
  }
  expect(await status()).toEqual(before);
});

test('pages need signing in; sign-out ends the session', async () => {
  const anonymous = new WebAgent(dashboard.url);
  const home = await anonymous.get(letterPath);
  expect(home.status).toBe(303);
  expect(home.location).toBe(`/login?next=${encodeURIComponent(letterPath)}`);
  expect((await anonymous.get('/rounds/x/export.csv')).status).toBe(303);

  const sam = new WebAgent(dashboard.url);
  const res = await sam.signIn('sam', dashboard.passwords.sam);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('rounds_session='))!;
  expect(cookie).toMatch(/; HttpOnly/i);
  expect(cookie).toMatch(/; SameSite=Lax/i);
  expect(cookie).toMatch(/; Path=\//i);
  expect(cookie).not.toMatch(/; Secure/i);

  const jar = sam.cookieHeader();
  expect((await sam.get(letterPath)).status).toBe(200);
  const out = await sam.post('/logout', { _csrf: await sam.csrfFrom(letterPath) });
  expect(out.status).toBe(303);
  expect(out.location).toBe('/login?signedout=1');
  // The old session cookie, replayed, no longer works.
  const replay = await fetch(dashboard.url + letterPath, { redirect: 'manual', headers: { cookie: jar } });
  expect(replay.status).toBe(303);
  expect(replay.headers.get('location')).toMatch(/^\/login/);

  // Sign-in never redirects off the site.
  const again = new WebAgent(dashboard.url);
  const token = await again.csrfFrom('/login');
  const offsite = await again.post('/login', { _csrf: token, name: 'sam', password: dashboard.passwords.sam, next: '//evil.example.org/' });
  expect(offsite.status).toBe(303);
  expect(offsite.location).toBe('/');
});

test('after five wrong passwords, sign-in is refused for a while (429), even with the right one', async () => {
  // A dashboard of its own, so its throttle starts from nothing.
  const { client } = fakeClient([]);
  const usersFile = `${tempDir('rounds-users-')}/users.json`;
  const { password } = await addUser(usersFile, 'sam', 'staff');
  await addUser(usersFile, 'kim', 'staff', 'kims-long-password');
  const server = await startWebServer({ client, port: 0, usersFile, secureCookies: true });
  try {
    const agent = new WebAgent(server.url);
    const token = await agent.csrfFrom('/login');
    const attempt = (name: string, pw: string) => agent.post('/login', { _csrf: token, name, password: pw, next: '/' });
    for (let i = 1; i <= 5; i++) {
      const wrong = await attempt('sam', `wrong-${i}`);
      expect(wrong.status).toBe(401);
      expect(wrong.text).toContain('That name and password do not match an account.');
    }
    const refused = await attempt('sam', password);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(25);
    expect(refused.text).toContain('Too many wrong passwords');
    expect(refused.headers.getSetCookie().some((c) => c.startsWith('rounds_session='))).toBe(false);
    // The same address trying another name is held back too.
    expect((await attempt('kim', 'kims-long-password')).status).toBe(429);

    // Behind TLS: Secure cookies and HSTS (checked on a fresh address-less agent's sign-in page).
    const fresh = await fetch(`${server.url}/login`);
    expect(fresh.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(fresh.headers.getSetCookie().every((c) => /; Secure/i.test(c))).toBe(true);
  } finally {
    await server.close();
  }
});

test('the throttle slows down, doubles, and forgives a right password', () => {
  let now = 0;
  const t = new LoginThrottle(undefined, () => now);
  for (let i = 0; i < 4; i++) t.failed('sam', '10.0.0.1');
  expect(t.retryAfter('sam', '10.0.0.1')).toBe(0);
  t.failed('sam', '10.0.0.1');
  expect(t.retryAfter('sam', '10.0.0.1')).toBe(30_000);
  expect(t.retryAfter('SAM', '10.0.0.2')).toBe(30_000); // by name, whatever the address
  expect(t.retryAfter('kim', '10.0.0.1')).toBe(30_000); // by address, whatever the name
  expect(t.retryAfter('kim', '10.0.0.2')).toBe(0);
  now += 30_000;
  expect(t.retryAfter('sam', '10.0.0.1')).toBe(0);
  t.failed('sam', '10.0.0.1');
  expect(t.retryAfter('sam', '10.0.0.1')).toBe(60_000);
  now += 60_000;
  t.succeeded('sam');
  expect(t.retryAfter('sam', '10.0.0.2')).toBe(0);
});

test('html escapes every interpolated value, but not its own fragments', () => {
  const evil = `"><script>x</script>'&\``;
  expect(html`<p title="${evil}">${evil}</p>`.value).toBe(
    '<p title="&quot;&gt;&lt;script&gt;x&lt;/script&gt;&#39;&amp;&#96;">&quot;&gt;&lt;script&gt;x&lt;/script&gt;&#39;&amp;&#96;</p>',
  );
  expect(html`<ul>${['<a>', html`<li>${'<b>'}</li>`]}</ul>`.value).toBe('<ul>&lt;a&gt;<li>&lt;b&gt;</li></ul>');
  expect(html`${null}${undefined}${false}${0}`.value).toBe('0');
});
