// The letter page's Publication section (issue 14) over HTTP against a real (time-skipping)
// Temporal: a complete letter in its publication window lists its document received by post,
// its reply's attachment and a declined document's reason; staff publish and unpublish each
// through setPublication, a refusal changes nothing and says why, a viewer may not, and
// "Close for publication now" ends the window (closeLetter).
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { LetterStatus } from '../domain/types';
import * as api from '../workflows/letter-api';
import { startDashboard, WebAgent, type Dashboard } from './support/browser';
import { letterInput, openLetterWorld, SHORT_POLICY } from './support/temporal';

let env: TestWorkflowEnvironment;
let dashboard: Dashboard;
let closeWorld: () => Promise<void>;
let sam: WebAgent;
let vic: WebAgent;
const input = letterInput({ letterId: 'kent', documents: ['problemProfile', 'responseStrategy'], policy: { ...SHORT_POLICY, publicationWindow: { unit: 'duration', ms: 60 * 60_000 } } });
const workflowId = api.workflowIdFor(input.roundId, input.letterId);
const letterPath = `/letters/${input.roundId}/${input.letterId}`;
const file = { sha256: 'c'.repeat(64), size: 10, name: 'kent-profile.pdf', mediaType: 'application/pdf' };
const replyId = '<reply-1@pcc-kent.example.org>';

beforeAll(async () => {
  ({ env, close: closeWorld } = await openLetterWorld());
  const h = await env.client.workflow.start(api.WORKFLOW_TYPE, { taskQueue: api.TASK_QUEUE, workflowId, args: [input] });
  await h.executeUpdate(api.attachDocument, { args: [{ document: 'problemProfile', file, by: 'Sam' }] });
  await h.signal(api.fileMail, {
    kind: 'reply',
    messageId: replyId,
    from: 'pcc@kent.example.org',
    date: '2026-01-26T15:00:00.000Z',
    subject: 'Our answer',
    excerpt: 'Please find attached.',
    attachments: [{ name: 'strategy.pdf', contentType: 'application/pdf', size: 12, sha256: 'd'.repeat(64) }],
    raw: { sha256: 'e'.repeat(64), size: 100 },
    matchedBy: 'subject tag',
    confidence: 'high',
  });
  await h.executeUpdate(api.recordReceipt, { args: [{ documents: ['problemProfile'] }] });
  await h.executeUpdate(api.recordDecline, { args: [{ documents: ['responseStrategy'], reason: 'Not yet agreed by the board' }] });
  dashboard = await startDashboard(env.client, { users: [['sam', 'staff'], ['vic', 'viewer']] });
  sam = new WebAgent(dashboard.url);
  vic = new WebAgent(dashboard.url);
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
  expect((await mark(sam, { attachment: 'd1', publish: 'no' })).status).toBe(303);
  expect((await status()).attachments![0].publish).toBe(false);

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
