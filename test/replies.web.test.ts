// The dashboard's Inbox (issue 13), on a local dev server (bounces to fix is a visibility query)
// with the real worker filing mail from the inbox folder: replies waiting for triage with
// one-click triage, the holding pen (file, dismiss), bounces to fix (correct the address), one
// reply's HTML sanitised in a sandboxed iframe (checked in chromium: its script never runs), and
// attachments for staff only; "File an email" (an .eml upload) filed on its letter.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Browser } from 'playwright-core';
import { FolderSource } from '../activities/inbox';
import { startRequest } from '../client/letters';
import { messageIdFor } from '../domain/email';
import type { LetterInput, LetterStatus } from '../domain/types';
import type { letter } from '../workflows/letter';
import * as api from '../workflows/letter-api';
import type { mailbox } from '../workflows/mailbox';
import * as mb from '../workflows/mailbox-api';
import { devServerEnv, launchBrowser, signIn, startDashboard, WebAgent, type Dashboard } from './support/browser';
import { deliveredAndRead, SLOW_POLICY, startInboxWorker, type InboxWorker } from './support/replies';
import { letterInput, mailSink } from './support/temporal';
import { waitFor } from '../worker/dev/wait';
import type { MailSink } from '../worker/dev/mail-sink';

jest.setTimeout(180_000);

let env: TestWorkflowEnvironment;
let sink: MailSink;
let folder: FolderSource;
let box: WorkflowHandle<typeof mailbox>;
let web: Dashboard;
let browser: Browser | undefined;
let inbox: InboxWorker;
let documentsDir: string;

beforeAll(async () => {
  const varDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rounds-var-'));
  documentsDir = path.join(varDir, 'documents');
  folder = new FolderSource(path.join(varDir, 'inbox'));
  [env, sink] = await Promise.all([devServerEnv(), mailSink()]);
  // The dashboard asks the mailbox workflow by its usual id.
  inbox = await startInboxWorker(env, { smtpUrl: sink.url, source: folder, documentsDir, mailboxId: mb.MAILBOX_WORKFLOW_ID });
  box = inbox.box;
  web = await startDashboard(env.client, { users: [['april', 'staff'], ['val', 'viewer']], documentsDir });
});
afterAll(async () => {
  await browser?.close();
  await web?.close();
  await inbox?.stop();
  await sink?.stop();
  await env?.teardown();
});

async function deliver(opts: ConstructorParameters<typeof MailComposer>[0]): Promise<void> {
  const raw = await new MailComposer({ to: 'april.mccoig@iasc.example.org', messageId: `<m-${crypto.randomUUID()}@example.org>`, ...opts }).compile().build();
  await deliveredAndRead(box, () => folder.add(raw));
}

async function start(overrides: Partial<LetterInput>): Promise<WorkflowHandle<typeof letter>> {
  const input = letterInput({ policy: SLOW_POLICY, ...overrides });
  return env.client.workflow.start<typeof letter>(api.WORKFLOW_TYPE, startRequest(input));
}
const statusOf = (h: WorkflowHandle<typeof letter>): Promise<LetterStatus> => h.query(api.status);
const original = (s: LetterStatus) => messageIdFor(s.roundId, s.letterId, 'letter', 'commissioner@iasc.example.org');

test('the Inbox: a reply waiting for triage (HTML sanitised, attachments for staff only), triaged in one click; the holding pen; a bounce fixed', async () => {
  const h = await start({});
  const s0 = await statusOf(h);
  const replyId = `<reply-${crypto.randomUUID()}@avon.example.org>`;
  const pdf = Buffer.from('%PDF-1.4 problem profile');
  await deliver({
    from: 'pcc@avon-and-somerset.example.org',
    subject: 'Re: VRU: our Problem Profile',
    inReplyTo: original(s0),
    messageId: replyId,
    text: 'Attached is our Problem Profile.',
    html: '<p>Attached is our <b>Problem Profile</b>.</p><script>parent.document.title="pwned";alert(1)</script><img src="x" onerror="alert(2)">',
    attachments: [{ filename: 'Problem Profile.pdf', content: pdf, contentType: 'application/pdf' }],
  });
  await waitFor('the reply on the letter', async () => (await statusOf(h)).replies?.length === 1, 20_000);

  const staff = new WebAgent(web.url);
  await staff.signIn('april', web.passwords.april);
  let page = await staff.get('/inbox');
  expect(page.status).toBe(200);
  expect(page.text).toContain('Re: VRU: our Problem Profile');
  expect(page.text).toMatch(/Record receipt of Problem Profile/);
  const replyHref = /href="(\/inbox\/reply\/[^"]+)"/.exec(page.text)![1].replace(/&amp;/g, '&');

  // The reply: its HTML sanitised, in an iframe with an empty sandbox; the attachment a download for staff.
  page = await staff.get(replyHref);
  expect(page.status).toBe(200);
  const srcdoc = /<iframe class="mail-html" sandbox="" [^>]*srcdoc="([^"]*)"/.exec(page.text)?.[1];
  expect(srcdoc).toContain('&lt;b&gt;Problem Profile&lt;/b&gt;');
  expect(srcdoc).not.toMatch(/script|onerror|img/i);
  const sha = crypto.createHash('sha256').update(pdf).digest('hex');
  expect(page.text).toContain(`/inbox/document/${sha}?name=Problem+Profile.pdf`);
  const doc = await staff.get(`/inbox/document/${sha}?name=Problem+Profile.pdf`);
  expect(doc.status).toBe(200);
  expect(doc.headers.get('content-disposition')).toBe('attachment; filename="Problem Profile.pdf"');
  expect(doc.headers.get('content-type')).toBe('application/octet-stream');
  expect(doc.text).toBe(pdf.toString());
  const viewer = new WebAgent(web.url);
  await viewer.signIn('val', web.passwords.val);
  expect((await viewer.get(`/inbox/document/${sha}`)).status).toBe(403);
  expect((await viewer.get(replyHref)).text).not.toContain('/inbox/document/');
  expect((await new WebAgent(web.url).get(`/inbox/document/${sha}`)).status).toBe(303); // signed out: to the sign-in page

  // In chromium: the reply page runs no script of the reply's (no dialog, the title unchanged).
  browser = await launchBrowser();
  const tab = await browser.newPage();
  const dialogs: string[] = [];
  tab.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await signIn(tab, web.url, 'april', web.passwords.april);
  await tab.goto(web.url + replyHref);
  const frame = tab.frameLocator('iframe.mail-html');
  await frame.locator('b').waitFor();
  expect(await frame.locator('b').textContent()).toBe('Problem Profile');
  await tab.waitForTimeout(500);
  expect(dialogs).toEqual([]);
  expect(await tab.title()).not.toBe('pwned');
  expect(await frame.locator('script, img').count()).toBe(0);

  // One-click triage: the suggested documents recorded as received, linked to the reply.
  const csrf = await staff.csrfFrom('/inbox');
  const triaged = await staff.post('/inbox/triage', { _csrf: csrf, roundId: s0.roundId, letterId: s0.letterId, messageId: replyId, documents: ['problemProfile'], action: 'receipt' });
  expect(triaged.status).toBe(303);
  const s1 = await statusOf(h);
  expect(s1.documents.problemProfile?.receivedOn).toBeDefined();
  expect(s1.replies![0].triaged).toMatchObject({ documents: ['problemProfile'], by: 'april' });
  expect((await staff.get('/inbox')).text).not.toContain('Record receipt of Problem Profile');
  // A viewer may not triage.
  expect((await viewer.post('/inbox/triage', { _csrf: await viewer.csrfFrom('/inbox'), roundId: s0.roundId, letterId: s0.letterId, messageId: replyId, action: 'none' })).status).toBe(403);

  // The holding pen: a refused filing says why and changes nothing; then filed; another dismissed.
  const stray = `<stray-${crypto.randomUUID()}@elsewhere.example.org>`;
  await deliver({ from: 'clerk@elsewhere.example.org', subject: 'Forwarded documents', messageId: stray, text: 'See attached.' });
  page = await staff.get('/inbox');
  expect(page.text).toContain('Forwarded documents');
  let r = await staff.post('/inbox/file', { _csrf: csrf, messageId: stray, letter: 'no-such-round/x' });
  expect(r.status).toBe(422);
  expect(r.text).toMatch(/no-such-round\/x is not an open letter/);
  r = await staff.post('/inbox/file', { _csrf: csrf, messageId: stray, letter: `${s0.roundId}/${s0.letterId}` });
  expect(r.status).toBe(303);
  await waitFor('the stray filed', async () => (await statusOf(h)).replies?.some((x) => x.messageId === stray && x.matchedBy === 'staff'), 20_000);
  const spam = `<spam-${crypto.randomUUID()}@spam.example.org>`;
  await deliver({ from: 'offers@spam.example.org', subject: 'Cheap pens', messageId: spam, text: 'Buy.' });
  r = await staff.post('/inbox/dismiss', { _csrf: csrf, messageId: spam, reason: 'spam' });
  expect(r.status).toBe(303);
  expect((await box.query(mb.inbox)).pen).toEqual([]);

  // Bounces to fix: the undeliverable letter listed; a corrected address sends it on.
  const b = await start({ recipient: { ...letterInput().recipient, name: 'Bounce Recipient', email: 'gone@kent.example.org' } });
  const sb = await statusOf(b);
  await deliver({ from: 'MAILER-DAEMON@mx.kent.example.org', subject: 'Undelivered', headers: { 'X-Failed-Recipients': 'gone@kent.example.org' }, references: [original(sb)], text: 'No such user.' });
  await waitFor('undeliverable in visibility', async () => (await staff.get('/inbox')).text.includes(`${sb.roundId}/${sb.letterId}</a> (Bounce Recipient): undeliverable`), 20_000);
  r = await staff.post('/inbox/correct-address', { _csrf: csrf, roundId: sb.roundId, letterId: sb.letterId, email: 'not an address' });
  expect(r.status).toBe(422);
  expect(r.text).toMatch(/email: expected an email address/);
  r = await staff.post('/inbox/correct-address', { _csrf: csrf, roundId: sb.roundId, letterId: sb.letterId, email: 'pcc@kent.example.org' });
  expect(r.status).toBe(303);
  expect((await statusOf(b)).state).not.toBe('undeliverable');
  await Promise.all([h.terminate(), b.terminate()]);
});

// "File an email": an .eml uploaded on the Inbox page is filed as `rounds inbox import` files it
// (stored, then the mailbox's importMail): a reply to the letter's email lands on that letter.
test('File an email: an uploaded .eml is filed on its letter; not an email, or no CSRF token, changes nothing', async () => {
  const h = await start({});
  const s0 = await statusOf(h);
  const staff = new WebAgent(web.url);
  await staff.signIn('april', web.passwords.april);
  const page = await staff.get('/inbox');
  const action = /<form method="post" action="([^"]+)" enctype="multipart\/form-data" id="inbox-import">/.exec(page.text)?.[1]?.replace(/&amp;/g, '&');
  expect(action).toMatch(/^\/inbox\/import\?_csrf=/);
  const viewer = new WebAgent(web.url);
  await viewer.signIn('val', web.passwords.val);
  expect((await viewer.get('/inbox')).text).not.toContain('id="inbox-import"');

  const messageId = `<forwarded-${crypto.randomUUID()}@avon.example.org>`;
  const eml = await new MailComposer({ from: 'pcc@avon-and-somerset.example.org', to: 'april.mccoig@iasc.example.org', subject: 'Re: VRU: by another route', inReplyTo: original(s0), messageId, text: 'Sent to the wrong mailbox first.' }).compile().build();
  const form = (bytes: Buffer, name: string) => {
    const f = new FormData();
    f.append('file', new Blob([new Uint8Array(bytes)], { type: 'message/rfc822' }), name);
    return f;
  };
  // Refused: not an email; and without the token (nothing read, nothing filed).
  let r = await staff.postMultipart(action!, form(Buffer.from('just some text, no headers\n'), 'notes.eml'));
  expect(r.status).toBe(422);
  expect(r.text).toContain('this does not look like an email (.eml)');
  r = await staff.postMultipart('/inbox/import', form(eml, 'forwarded.eml'));
  expect(r.status).toBe(403);
  expect((await statusOf(h)).replies ?? []).toEqual([]);
  expect((await viewer.postMultipart(`/inbox/import?_csrf=${encodeURIComponent(await viewer.csrfFrom('/inbox'))}`, form(eml, 'forwarded.eml'))).status).toBe(403);

  r = await staff.postMultipart(action!, form(eml, 'forwarded.eml'));
  expect(r.status).toBe(303);
  expect(r.location).toBe('/inbox');
  expect((await staff.get('/inbox')).text).toContain(`${messageId.replace(/</g, '&lt;').replace(/>/g, '&gt;')}: filed on ${s0.roundId}/${s0.letterId} as reply`);
  await waitFor('the uploaded email on the letter', async () => (await statusOf(h)).replies?.some((x) => x.messageId === messageId) ?? false, 20_000);
  await h.terminate();
});
