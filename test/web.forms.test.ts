// Every form on a letter's page, over HTTP against a real (time-skipping) Temporal: each
// turns into the workflow's update, a rejection comes back as 422 with the workflow's own
// message and changes nothing.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { LetterStatus } from '../domain/types';
import * as api from '../workflows/letter-api';
import { startDashboard, WebAgent, type Dashboard } from './support/browser';
import { letterInput, openLetterWorld } from './support/temporal';

let env: TestWorkflowEnvironment;
let dashboard: Dashboard;
let closeWorld: () => Promise<void>;
let sam: WebAgent;
const input = letterInput({ letterId: 'london' });
const workflowId = api.workflowIdFor(input.roundId, input.letterId);
const letterPath = `/letters/${input.roundId}/${input.letterId}`;

beforeAll(async () => {
  ({ env, close: closeWorld } = await openLetterWorld());
  await env.client.workflow.start(api.WORKFLOW_TYPE, { taskQueue: api.TASK_QUEUE, workflowId, args: [input] });
  dashboard = await startDashboard(env.client, { users: [['sam', 'staff']] });
  sam = new WebAgent(dashboard.url);
  expect((await sam.signIn('sam', dashboard.passwords.sam)).status).toBe(303);
});

afterAll(async () => {
  await dashboard?.close();
  await closeWorld?.();
});

const status = (): Promise<LetterStatus> => env.client.workflow.getHandle(workflowId).query(api.status);

async function submit(form: string, fields: Record<string, string | string[]>) {
  return sam.post(`${letterPath}/${form}`, { _csrf: await sam.csrfFrom(letterPath), ...fields });
}

async function rejected(form: string, fields: Record<string, string | string[]>, message: string) {
  const before = await status();
  const res = await submit(form, fields);
  expect(res.status).toBe(422);
  expect(res.text).toContain(`<p class="error" role="alert" id="${form}-error"><strong>Not recorded:</strong> ${message}`);
  expect(await status()).toEqual(before);
  return res;
}

test('pause, resume, extend, decline, note and withdraw, each through the workflow', async () => {
  expect((await submit('pause', { reason: 'They asked for time', by: 'sam' })).location).toBe(`${letterPath}?done=pause`);
  let s = await status();
  expect(s.state).toBe('paused');
  expect(s.timeline.at(-1)).toMatchObject({ kind: 'paused', by: 'sam', note: 'They asked for time' });
  const paused = await sam.get(`${letterPath}?done=pause`);
  expect(paused.text).toContain('<p class="flash" role="status">Chasing paused.</p>');
  expect(paused.text).toContain(`action="${letterPath}/resume"`);
  expect(paused.text).not.toContain(`action="${letterPath}/pause"`);
  await rejected('pause', {}, 'the letter is already paused');

  expect((await submit('resume', { by: '' })).status).toBe(303);
  s = await status();
  expect(s.state).toBe('awaiting');
  expect(s.timeline.at(-1)).toMatchObject({ kind: 'resumed', by: 'sam' });

  const due = Date.parse(s.nextAction!.at);
  // Messages in the form's words: its labels, not the workflow's field names.
  await rejected('extend', { until: '2030-01-07', workingDays: '5' }, 'give either “Until (a working day)” or “Or by this many working days”, not both and not neither');
  await rejected('extend', { workingDays: 'soon' }, 'Or by this many working days: expected a whole number from 1 to 250, got &quot;soon&quot;');
  expect((await submit('extend', { workingDays: '5', reason: 'Awaiting board meeting' })).status).toBe(303);
  s = await status();
  expect(Date.parse(s.nextAction!.at) - due).toBe(5 * 86_400_000); // plain-duration steps move by calendar days
  expect(s.timeline.at(-1)).toMatchObject({ kind: 'extension', note: 'Awaiting board meeting' });

  const declineForm = await rejected('decline', { documents: 'deliveryUpdate', reason: '  ' }, 'Their reason: say why the request was declined (got nothing)');
  // The form comes back as it was filled in.
  expect(declineForm.text).toContain('<input type="checkbox" id="decline-doc-deliveryUpdate" name="documents" value="deliveryUpdate" checked>');
  expect((await submit('decline', { documents: 'deliveryUpdate', reason: 'Not held', by: 'Kim' })).status).toBe(303);
  s = await status();
  expect(s.documents.deliveryUpdate).toMatchObject({ declinedOn: expect.any(String), declineReason: 'Not held' });
  expect(s.timeline.at(-1)).toMatchObject({ kind: 'decline', by: 'Kim (entered by sam)' });

  await rejected('receipt', { documents: ['problemProfile', 'deliveryUpdate'] }, 'Updates on progress on delivery was recorded as declined on');
  await rejected('receipt', { documents: 'problemProfile', receivedOn: '2019-01-01' }, 'Date received: 1 January 2019 is before the letter&#39;s date, 13 October 2020');
  await rejected('receipt', { receivedOn: '2020-11-02' }, 'Documents received: tick at least one document');
  await rejected('note', { text: '' }, 'Note: the note is empty');

  // Withdrawing needs the confirmation box; then the letter is finished and offers no forms.
  await rejected('withdraw', { reason: 'Sent in error' }, 'tick “Yes, withdraw this letter” to confirm');
  expect((await submit('withdraw', { reason: 'Sent in error', confirm: 'yes' })).status).toBe(303);
  s = await env.client.workflow.getHandle(workflowId).result();
  expect(s.state).toBe('withdrawn');
  const finished = await sam.get(letterPath);
  expect(finished.status).toBe(200);
  expect(finished.text).toContain('This letter is finished (Withdrawn); nothing more can be recorded on it.');
  expect(finished.text).not.toContain(`action="${letterPath}/`);
  expect(finished.text).toContain('Sent in error');
  // Its documents are no longer awaited: not red "outstanding"; its notes say what they came with.
  expect(finished.text).toContain('<tr data-document="problemProfile"><th scope="row">Problem Profile / Strategic Needs Assessment</th><td><span class="not-received">Not received: letter withdrawn</span></td></tr>');
  expect(finished.text).not.toContain('class="outstanding"');
  expect(finished.text).toContain('(when the letter was withdrawn)</p><p class="note-text">Sent in error</p>');
  expect(finished.text).toContain('(the reason for the decline)</p><p class="note-text">Not held</p>');
  expect(finished.text).toContain('(when chasing was paused)</p><p class="note-text">They asked for time</p>');
  expect(finished.text).not.toMatch(/\(with the (paused|withdrawn|decline|extension)\)/);

  // A form for a finished letter gets the workflow's word for it.
  const late = await submit('note', { text: 'too late' });
  expect(late.status).toBe(422);
  expect(late.text).toContain('nothing more can be recorded on it');
});
