// The letter page's Publication section (issue 14) over HTTP against a real Temporal dev server
// (the Publish page lists the round's letters from visibility): a complete letter in its publication window lists its document received by post,
// its reply's attachment and a declined document's reason; staff publish and unpublish each
// through setPublication, a refusal changes nothing and says why, a viewer may not, and
// "Close for publication now" ends the window (closeLetter). A lead's Publish page previews the
// round's site (sandboxed) with the marked document in it, and writes it to the output folder.
// Uploads: a document received by post and a redacted copy (multipart), an oversize file and a
// token-less upload refused with nothing changed.
import fs from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DocumentStore } from '../activities/document-store';
import type { LetterStatus } from '../domain/types';
import * as api from '../workflows/letter-api';
import { devServerEnv, startDashboard, tempDir, WebAgent, type Dashboard } from './support/browser';
import { startLetters } from '../client/letters';
import { letterInput, letterWorker, mailSink, SHORT_POLICY } from './support/temporal';
import { eventually } from '../worker/dev/wait';

jest.setTimeout(180_000);

let env: TestWorkflowEnvironment;
let dashboard: Dashboard;
let closeWorld: () => Promise<void>;
let sam: WebAgent;
let vic: WebAgent;
let lee: WebAgent;
const documentsDir = tempDir('rounds-web-pub-store-');
const publishDir = path.join(tempDir('rounds-web-pub-out-'), 'site');
const PDF = Buffer.from('%PDF-1.4 the Kent problem profile');
const input = letterInput({ letterId: 'kent', documents: ['problemProfile', 'responseStrategy'], policy: { ...SHORT_POLICY, publicationWindow: { unit: 'duration', ms: 60 * 60_000 } } });
const workflowId = api.workflowIdFor(input.roundId, input.letterId);
const letterPath = `/letters/${input.roundId}/${input.letterId}`;
const replyId = '<reply-1@pcc-kent.example.org>';

beforeAll(async () => {
  const [e, sink] = await Promise.all([devServerEnv(), mailSink()]);
  env = e;
  const { worker, close } = await letterWorker(env, sink);
  const running = worker.run();
  closeWorld = async () => {
    worker.shutdown();
    await running;
    close();
    await sink.stop();
    await env.teardown();
  };
  const file = { ...(await new DocumentStore(documentsDir).put(PDF)), name: 'kent-profile.pdf', mediaType: 'application/pdf' };
  await startLetters(env.client, [input]); // as `rounds start` does: with its search attributes
  const h = env.client.workflow.getHandle(workflowId);
  await h.executeUpdate(api.attachDocument, { args: [{ document: 'problemProfile', file, by: 'Sam' }] });
  await h.signal(api.fileMail, {
    kind: 'reply',
    messageId: replyId,
    from: 'pcc@kent.example.org',
    date: '2026-01-26T15:00:00.000Z',
    subject: 'Our answer',
    excerpt: 'Please find attached.',
    attachments: [{ name: 'strategy.pdf', contentType: 'application/pdf', ...(await new DocumentStore(documentsDir).put(Buffer.from('%PDF-1.4 the strategy'))) }],
    raw: { sha256: 'e'.repeat(64), size: 100 },
    matchedBy: 'subject tag',
    confidence: 'high',
  });
  await h.executeUpdate(api.recordReceipt, { args: [{ documents: ['problemProfile'] }] });
  await h.executeUpdate(api.recordDecline, { args: [{ documents: ['responseStrategy'], reason: 'Not yet agreed by the board' }] });
  dashboard = await startDashboard(env.client, { users: [['sam', 'staff'], ['vic', 'viewer'], ['lee', 'lead']], documentsDir, publishDir });
  sam = new WebAgent(dashboard.url);
  vic = new WebAgent(dashboard.url);
  lee = new WebAgent(dashboard.url);
  expect((await lee.signIn('lee', dashboard.passwords.lee)).status).toBe(303);
  expect((await sam.signIn('sam', dashboard.passwords.sam)).status).toBe(303);
  expect((await vic.signIn('vic', dashboard.passwords.vic)).status).toBe(303);
});

afterAll(async () => {
  await dashboard?.close();
  await closeWorld?.();
});

const status = (): Promise<LetterStatus> => env.client.workflow.getHandle(workflowId).query(api.status);

async function mark(agent: WebAgent, fields: Record<string, string>, to = '') {
  return agent.post(`${letterPath}/publication${to}`, { _csrf: await agent.csrfFrom(letterPath), ...fields });
}

test('publish and unpublish a document, a reply attachment and a decline reason; refusals say why; close the window', async () => {
  expect((await status()).state).toBe('complete');
  let page = await sam.get(letterPath);
  expect(page.text).toContain('<h2 id="publication-title">Publication</h2>');
  expect(page.text).toMatch(/This letter is finished; until <time datetime="[^"]+">[^<]+<\/time> it takes publication changes only\./);
  expect(page.text).toContain('<tr data-publication="d1"><th scope="row">Problem Profile / Strategic Needs Assessment (kent-profile.pdf)');
  expect(page.text).toContain('<tr data-publication="r1-1"><th scope="row">strategy.pdf, attachment 1 of the reply of');
  expect(page.text).toContain('<tr data-publication="decline-responseStrategy">');
  expect(page.text.match(/<span class="muted">Not published<\/span>/g)).toHaveLength(3);

  let res = await mark(sam, { attachment: 'd1', publish: 'yes' });
  expect(res.status).toBe(303);
  expect(res.location).toBe(`${letterPath}#publication-title`);
  let s = await status();
  expect(s.attachments![0].publish).toBe(true);
  expect(s.timeline.at(-1)).toMatchObject({ kind: 'publication', by: 'sam' });
  page = await sam.get(letterPath);
  expect(page.text).toContain('<p class="flash" role="status">Publication: d1 (Problem Profile / Strategic Needs Assessment) published.</p>');
  expect(page.text).toMatch(/<form method="post" action="[^"]+\/publication" class="inline" id="publication-d1">[\s\S]*?<input type="hidden" name="publish" value="no">/);

  expect((await mark(sam, { reply: replyId, replyAttachment: '1', publish: 'yes' })).status).toBe(303);
  expect((await mark(sam, { declineReasonOf: 'responseStrategy', publish: 'yes' })).status).toBe(303);
  s = await status();
  expect(s.replies![0].published).toEqual([{ attachment: 1 }]);
  expect(s.publishedDeclineReasons).toEqual(['responseStrategy']);

  // The lead's Publish page: the site as it would be written, in a sandboxed frame, with the marked document.
  const publishPath = `/rounds/${input.roundId}/publish`;
  expect((await sam.get(publishPath)).status).toBe(403);
  const publishPage = await eventually(async () => {
    const p = await lee.get(publishPath);
    return p.status === 200 && p;
  });
  expect(publishPage.text).toContain(`<iframe class="site-preview" id="site-preview" title="Preview of the published site" sandbox="" src="${publishPath}/preview/rounds/${input.roundId}/index.html"`);
  const preview = await lee.get(`${publishPath}/preview/rounds/${input.roundId}/letters/kent.html`);
  expect(preview.status).toBe(200);
  expect(preview.headers.get('content-security-policy')).toMatch(/^sandbox/);
  expect(preview.text).toContain(`href="../../../rounds/${input.roundId}/documents/kent-d1-kent-profile.pdf"`);
  expect(preview.text).toContain('strategy.pdf'.replace('strategy.pdf', 'Reply received on 2026-01-26, attachment 1'));
  expect(preview.text).not.toContain('pcc@kent.example.org');
  const doc = await lee.get(`${publishPath}/preview/rounds/${input.roundId}/documents/kent-d1-kent-profile.pdf`);
  expect(doc.status).toBe(200);
  expect(doc.text).toBe(PDF.toString());
  expect((await lee.get(`${publishPath}/preview/rounds/${input.roundId}/documents/nothing.pdf`)).status).toBe(404);
  const written = await lee.post(publishPath, { _csrf: await lee.csrfFrom(publishPath) });
  expect(written.status).toBe(303);
  expect(fs.readFileSync(path.join(publishDir, 'rounds', input.roundId, 'documents', 'kent-d1-kent-profile.pdf'))).toEqual(PDF);
  expect((await lee.get(publishPath)).text).toMatch(/<p class="flash" role="status">Published: \d+ files written to /);

  expect((await mark(sam, { attachment: 'd1', publish: 'no' })).status).toBe(303);
  expect((await status()).attachments![0].publish).toBe(false);
  expect((await lee.get(`${publishPath}/preview/rounds/${input.roundId}/letters/kent.html`)).text).not.toContain('kent-profile.pdf');

  // A refusal: the workflow's own words, nothing changed.
  const before = await status();
  expect((await mark(sam, { attachment: 'd9', publish: 'yes' })).status).toBe(303);
  expect((await sam.get(letterPath)).text).toContain("<p class=\"flash\" role=\"status\">Not recorded: attachment: no document &#39;d9&#39; on this letter (it has: d1)</p>");
  expect(await status()).toEqual(before);
  // A viewer sees the section but has no forms and may not post.
  expect((await vic.get(letterPath)).text).not.toContain('id="publication-d1"');
  expect((await mark(vic, { attachment: 'd1', publish: 'yes' })).status).toBe(403);
  expect(await status()).toEqual(before);

  // Close: the workflow completes; the page shows what is published, without forms.
  expect((await mark(sam, {}, '/close')).status).toBe(303);
  expect((await env.client.workflow.getHandle(workflowId).result()).publicationOpenUntil).toBeUndefined();
  page = await sam.get(letterPath);
  expect(page.text).toContain('Closed for publication: no more publication changes to this letter.');
  expect(page.text).not.toContain('id="publication-d1"');
  expect(page.text).not.toContain('id="publication-close"');
  expect(page.text.match(/<span class="published">Published<\/span>/g)).toHaveLength(2);
});

// Uploads (multipart, the CSRF token in the form's action): a document received by post added
// (attachDocument), a redacted copy published in its place (setPublication), a file over the
// document store's 50 MB refused with a page saying so, and an upload without its token refused;
// neither refusal changes the letter.
test('upload a document received by post and a redacted copy; oversize and token-less uploads are refused, nothing changed', async () => {
  const other = letterInput({ letterId: 'surrey', documents: ['problemProfile', 'responseStrategy'], policy: SHORT_POLICY });
  await startLetters(env.client, [other]);
  const otherPath = `/letters/${other.roundId}/${other.letterId}`;
  const otherStatus = (): Promise<LetterStatus> => env.client.workflow.getHandle(api.workflowIdFor(other.roundId, other.letterId)).query(api.status);
  const upload = (name: string, bytes: Buffer, fields: Record<string, string>) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('file', new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), name);
    return form;
  };
  const page = await sam.get(otherPath);
  expect(page.text).toContain('<legend>Add a document received by post or by hand</legend>');
  expect(page.text).toMatch(/<form method="post" action="[^"]+\/publication\/attach\?_csrf=[^"]+" enctype="multipart\/form-data" id="publication-attach">/);
  expect((await vic.get(otherPath)).text).not.toContain('id="publication-attach"');

  // Added: stored by its bytes, on the letter's status as d1, not published.
  const profile = Buffer.from('%PDF-1.4 the Surrey problem profile, received by post');
  const attachAction = await sam.formAction(otherPath, 'publication-attach');
  let res = await sam.postMultipart(attachAction, upload('Surrey profile.pdf', profile, { document: 'problemProfile', title: '', receivedOn: '2026-01-20' }));
  expect(res.status).toBe(303);
  let s = await otherStatus();
  expect(s.attachments).toHaveLength(1);
  expect(s.attachments![0]).toMatchObject({ id: 'd1', document: 'problemProfile', receivedOn: '2026-01-20', by: 'sam', publish: false, file: { name: 'Surrey profile.pdf', mediaType: 'application/pdf', size: profile.length } });
  expect(await new DocumentStore(documentsDir).read(s.attachments![0].file.sha256)).toEqual(profile);
  expect((await sam.get(otherPath)).text).toContain('Added d1: Problem Profile / Strategic Needs Assessment (Surrey profile.pdf); not published until marked.');

  // A redacted copy: published in the original's place.
  const redacted = Buffer.from('%PDF-1.4 the Surrey problem profile, names blacked out');
  res = await sam.postMultipart(await sam.formAction(otherPath, 'redacted-d1'), upload('profile-redacted.pdf', redacted, { attachment: 'd1' }));
  expect(res.status).toBe(303);
  s = await otherStatus();
  expect(s.attachments![0]).toMatchObject({ publish: true, redacted: { name: 'profile-redacted.pdf', size: redacted.length } });
  expect(await new DocumentStore(documentsDir).read(s.attachments![0].redacted!.sha256)).toEqual(redacted);
  expect((await sam.get(otherPath)).text).toContain('Published as a redacted copy (profile-redacted.pdf)');

  // Over 50 MB: a 413 page that says the limit; nothing changed.
  const before = await otherStatus();
  res = await sam.postMultipart(attachAction, upload('huge.pdf', Buffer.alloc(50 * 1024 * 1024 + 1024, 0x20), { title: 'Huge' }));
  expect(res.status).toBe(413);
  expect(res.text).toContain('The file is larger than 50 MB, the most the document store takes. Nothing was changed.');
  // Without the CSRF token (the action without its query): refused, nothing changed.
  res = await sam.postMultipart(`${otherPath}/publication/attach`, upload('other.pdf', Buffer.from('%PDF-1.4 other'), { title: 'Other' }));
  expect(res.status).toBe(403);
  expect(res.text).toContain('Form refused');
  // Nor as a form field in place of the query.
  res = await sam.postMultipart(`${otherPath}/publication/attach`, upload('other.pdf', Buffer.from('%PDF-1.4 other'), { _csrf: await sam.csrfFrom(otherPath), title: 'Other' }));
  expect(res.status).toBe(403);
  // A viewer may not upload.
  res = await vic.postMultipart(`${otherPath}/publication/attach?_csrf=${encodeURIComponent(await vic.csrfFrom(otherPath))}`, upload('v.pdf', Buffer.from('%PDF v'), { title: 'V' }));
  expect(res.status).toBe(403);
  expect(res.text).toContain('Not allowed');
  expect(await otherStatus()).toEqual(before);
  // Other forms take no multipart bodies at all.
  expect((await sam.postMultipart(`${otherPath}/publication?${attachAction.split('?')[1]}`, upload('x.pdf', Buffer.from('x'), { attachment: 'd1', publish: 'no' }))).status).toBe(415);
  expect(await otherStatus()).toEqual(before);
});
