// The dashboard's deadlines area (issue 16) over HTTP, against a local dev server (the pages
// list letters from visibility, which the time-skipping server lacks) and a real worker: the
// Calendar page (leads: what would move, then apply, the per-letter report; applying again moves
// nothing), the register's checkboxes and one form for round-wide actions (a confirmation that
// changes nothing, then each letter by its own update, refusals reported), and statistics on the
// rounds page and an organisation's page.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startLetters } from '../client/letters';
import { addWorkingDays, holidayTableFrom } from '../domain/calendar';
import { DEFAULT_POLICY, type Policy } from '../domain/policy';
import type { LetterInput } from '../domain/types';
import * as api from '../workflows/letter-api';
import type { MailSink } from '../worker/dev/mail-sink';
import { devServerEnv, startDashboard, WebAgent, type Dashboard } from './support/browser';
import { letterInput, letterWorker, mailSink } from './support/temporal';
import { eventually } from '../worker/dev/wait';

jest.setTimeout(180_000);
let env: TestWorkflowEnvironment;
let sink: MailSink;
let dashboard: Dashboard;
let stopWorker: () => Promise<void>;
const agents = {} as Record<'lee' | 'sam' | 'vic', WebAgent>;

const tag = `${process.pid}-${Date.now().toString(36)}`;
const round = `web-dl-${tag}`;
const other = `web-dl2-${tag}`;
const orgX = `Org X ${tag}`;
const orgY = `Org Y ${tag}`;
const kept: Policy = { ...DEFAULT_POLICY, holidays: holidayTableFrom(2027) };
const make = (roundId: string, letterId: string, organisation: string): LetterInput =>
  letterInput({ roundId, letterId, letterDate: '2027-01-11', sentOn: '2027-01-11', policy: kept, recipient: { ...letterInput().recipient, organisation } });
const inputs = [make(round, 'a', orgX), make(round, 'b', orgY), make(round, 'c', orgX), make(other, 'd', orgX)];
const handle = (roundId: string, letterId: string) => env.client.workflow.getHandle(api.workflowIdFor(roundId, letterId));
const status = (roundId: string, letterId: string) => handle(roundId, letterId).query(api.status);

beforeAll(async () => {
  [env, sink] = await Promise.all([devServerEnv(), mailSink()]);
  const { worker, close } = await letterWorker(env, sink);
  const running = worker.run();
  stopWorker = async () => {
    worker.shutdown();
    await running;
    close();
  };
  await startLetters(env.client, inputs);
  // b answers in full at once: complete (its workflow ends).
  await handle(round, 'b').executeUpdate(api.recordReceipt, { args: [{ documents: inputs[1].documents }] });
  dashboard = await startDashboard(env.client, { users: [['lee', 'lead'], ['sam', 'staff'], ['vic', 'viewer']] });
  for (const name of ['lee', 'sam', 'vic'] as const) {
    agents[name] = new WebAgent(dashboard.url);
    expect((await agents[name].signIn(name, dashboard.passwords[name])).status).toBe(303);
  }
  // Visibility lists the letters a moment after they start, and b as complete after it ends.
  await eventually(async () => {
    const page = await agents.sam.get(`/rounds/${round}`);
    return page.status === 200 && page.text.includes('data-letter="c"') && page.text.includes('state-complete') && page;
  });
});

afterAll(async () => {
  await dashboard?.close();
  await stopWorker?.();
  await sink?.stop();
  await env?.teardown();
});

test('Calendar page (leads): a bad date is refused with the field named; then what would move, changing nothing; apply; the per-letter report; applying again moves nothing', async () => {
  expect((await agents.sam.get('/calendar')).status).toBe(403);
  const lee = agents.lee;
  const form = await lee.get('/calendar');
  expect(form.status).toBe(200);
  expect(form.text).toContain(`<option value="${round}">Round ${round}</option>`);
  const csrf = await lee.csrfFrom('/calendar');
  const bad = await lee.post('/calendar', { _csrf: csrf, from: '2027-02-30', to: '', reason: 'office closed', round, step: 'preview' });
  expect(bad.status).toBe(422);
  expect(bad.text).toContain("<strong>Not sent:</strong> From: &#39;2027-02-30&#39; is not a date (February 2027 has 28 days)");

  const before = await Promise.all(['a', 'c'].map((l) => status(round, l)));
  // Chase 1 of a and c is 20 working days after Monday 11 January 2027: Monday 8 February; closed 25-29 January, it moves to Monday 15 February.
  expect(before[0].steps[0].dueAt).toBe('2027-02-08T09:30:00.000Z');
  const fields = { _csrf: csrf, from: '2027-01-25', to: '2027-01-29', reason: 'office move', round };
  const preview = await lee.post('/calendar', { ...fields, step: 'preview' });
  expect(preview.status).toBe(200);
  expect(preview.text).toContain('It would go to <strong>2</strong> open letters: 2 would take it, 0 would refuse, 0 already have it.');
  expect(preview.text).toContain(
    `<tr data-letter="${round}/a" class="preview-changes"><th scope="row"><a href="/letters/${round}/a">${round}/a</a></th><td>Would change</td><td>closed from Monday 25 January 2027 to Friday 29 January 2027: chase 1 moved from Monday 8 February 2027 to Monday 15 February 2027;`,
  );
  expect(preview.text).not.toContain(`${round}/b`); // complete: not open
  expect(preview.text).not.toContain(`${other}/d`); // another round
  expect(await Promise.all(['a', 'c'].map((l) => status(round, l)))).toEqual(before);

  const applied = await lee.post('/calendar', { ...fields, step: 'apply' });
  expect(applied.status).toBe(200);
  expect(applied.text).toContain('<p id="calendar-report-summary"><strong>2</strong> changed, <strong>0</strong> refused, <strong>0</strong> unchanged.</p>');
  for (const l of ['a', 'c']) {
    const s = await status(round, l);
    expect(s.steps[0].dueAt).toBe('2027-02-15T09:30:00.000Z');
    expect(s.steps[1].dueAt).toBe(`${addWorkingDays(before[0].steps[1].dueAt.slice(0, 10), 5, { holidays: kept.holidays })}T09:30:00.000Z`);
    expect(s.timeline.at(-1)).toMatchObject({ kind: 'calendar', by: 'lee', note: 'office move' });
  }
  expect((await status(other, 'd')).steps[0].dueAt).toBe('2027-02-08T09:30:00.000Z'); // another round: not told

  const again = await lee.post('/calendar', { ...fields, step: 'apply' });
  expect(again.text).toContain('<strong>0</strong> changed, <strong>0</strong> refused, <strong>2</strong> unchanged.');
  expect((await status(round, 'a')).steps[0].dueAt).toBe('2027-02-15T09:30:00.000Z');
});

test('register: checkboxes and one form; the confirmation lists the letters and changes nothing; then each letter by its own update, a refusal reported and the rest changed', async () => {
  const sam = agents.sam;
  const register = await sam.get(`/rounds/${round}`);
  expect(register.text).toContain('<input type="checkbox" name="ids" value="a" form="round-actions" id="select-a" aria-label="Select a">');
  expect(register.text).toContain(`<form method="post" action="/rounds/${round}/actions" id="round-actions"`);
  // A viewer sees no form and may not post one.
  const viewerPage = await agents.vic.get(`/rounds/${round}`);
  expect(viewerPage.text).not.toContain('id="round-actions"');
  expect((await agents.vic.post(`/rounds/${round}/actions`, { _csrf: await agents.vic.csrfFrom(`/rounds/${round}`), action: 'pause', ids: ['a'] })).status).toBe(403);

  const csrf = await sam.csrfFrom(`/rounds/${round}`);
  const fields = { _csrf: csrf, action: 'extend', workingDays: '5', reason: 'pre-election period', text: '', ids: ['a', 'b', 'nosuch'] };
  const noDays = await sam.post(`/rounds/${round}/actions`, { ...fields, workingDays: 'soon' });
  expect(noDays.status).toBe(422);
  expect(noDays.text).toContain('Working days: expected a whole number from 1 to 250 for an extension, got &#39;soon&#39;');

  const before = await status(round, 'a');
  const review = await sam.post(`/rounds/${round}/actions`, { ...fields, step: 'review' });
  expect(review.status).toBe(200);
  expect(review.text).toContain('Confirm: extend by 5 working days (pre-election period), on 2 letters');
  expect(review.text).toContain('<tr data-letter="a">');
  expect(review.text).toContain('<tr data-letter="b">');
  expect(review.text).toContain(`Not in round ${round}, left out: nosuch`);
  expect(await status(round, 'a')).toEqual(before);

  const done = await sam.post(`/rounds/${round}/actions`, { ...fields, ids: ['a', 'b'], step: 'apply' });
  expect(done.status).toBe(200);
  expect(done.text).toContain('<p id="actions-report-summary"><strong>1</strong> changed, <strong>1</strong> refused, <strong>0</strong> unchanged.</p>');
  expect(done.text).toMatch(new RegExp(`<tr data-letter="${round}/b" class="outcome-refused">.*<td>Refused</td><td>the letter is complete; nothing more can be changed on it</td>`));
  const after = await status(round, 'a');
  expect(after.steps[0].dueAt).toBe(`${addWorkingDays(before.steps[0].dueAt.slice(0, 10), 5, { holidays: kept.holidays })}T09:30:00.000Z`);
  expect(after.timeline.at(-1)).toMatchObject({ kind: 'extension', by: 'sam', note: 'pre-election period' });
  expect((await status(round, 'c')).timeline.at(-1)?.kind).toBe('calendar'); // not ticked: untouched
});

test('statistics on the rounds page and an organisation page (across rounds), from the registers', async () => {
  const home = await eventually(async () => {
    const p = await agents.vic.get('/');
    return p.text.includes(`<tr data-group="${round}">`) && p;
  });
  const row = (text: string, group: string) => new RegExp(`<tr data-group="${group}">[\\s\\S]*?</tr>`).exec(text)?.[0] ?? '';
  const cells = (r: string) => [...r.matchAll(/<td data-label="([^"]+)">([\s\S]*?)<\/td>/g)].map((m) => [m[1], m[2]]);
  const roundRow = Object.fromEntries(cells(row(home.text, round)));
  expect(roundRow).toMatchObject({ Letters: '3', 'Answered in full': '1', 'In part': '0', Declined: '0', Unanswered: '2', 'Chases sent': '0', 'Overdue now': '0' });
  expect(row(home.text, orgX)).toContain(`<a href="/organisations/${encodeURIComponent(orgX)}">${orgX}</a>`);

  const org = await agents.vic.get(`/organisations/${encodeURIComponent(orgX)}`);
  expect(org.status).toBe(200);
  expect(Object.fromEntries(cells(row(org.text, orgX)))).toMatchObject({ Letters: '3', 'Answered in full': '0' });
  for (const id of [`${round}/a`, `${round}/c`, `${other}/d`]) expect(org.text).toContain(`<tr data-letter="${id}">`);
  expect(org.text).not.toContain(`${round}/b`);
  const y = await agents.vic.get(`/organisations/${encodeURIComponent(orgY)}`);
  expect(Object.fromEntries(cells(row(y.text, orgY)))).toMatchObject({ Letters: '1', 'Answered in full': '1' });
  expect((await agents.vic.get('/organisations/nobody-at-all')).status).toBe(404);
});
