// The dashboard as staff use it, in a real browser against a real Temporal dev server:
// sign in, find the overdue letter first, record a receipt, see a rejected one explained
// with nothing changed, read a chase in the outbox, export the register, sign out.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { letterMemo } from '../client/letter-memo';
import { todayIn } from '../client/web/format';
import { formatLongDate } from '../domain/email';
import type { Policy } from '../domain/policy';
import type { LetterInput } from '../domain/types';
import * as api from '../workflows/letter-api';
import { MailSink } from '../worker/dev/mail-sink';
import { devServerEnv, eventually, launchBrowser, screenshot, see, signIn, startDashboard, stuckMailWorker, tempDir, type Dashboard } from './support/browser';
import { letterInput, letterWorker, SHORT_POLICY } from './support/temporal';

const OVERDUE_QUEUE = 'request-rounds-no-smtp';
const roundId = `web-${process.pid}-${Date.now().toString(36)}`;
const quickChase: Policy = {
  ...SHORT_POLICY,
  steps: [{ after: { unit: 'duration', ms: 1000 }, action: 'chase' }, ...SHORT_POLICY.steps.slice(1)],
};

let env: TestWorkflowEnvironment;
let sink: MailSink;
let dashboard: Dashboard;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let stopWorkers: () => Promise<void>;
const letters: Record<string, LetterInput> = {};

beforeAll(async () => {
  const outboxDir = tempDir('rounds-outbox-');
  [env, sink, browser] = await Promise.all([devServerEnv(), new MailSink({ dir: outboxDir }).start(), launchBrowser()]);
  dashboard = await startDashboard(env.client, { users: [['sam', 'staff']], outboxDir });

  // Two workers: the usual one, and one whose emails never go out, so its letter's chase stays due (overdue).
  const main = await letterWorker(env, sink);
  const stuck = await stuckMailWorker(env, OVERDUE_QUEUE);
  const running = [main.worker.run(), stuck.run()];
  stopWorkers = async () => {
    main.worker.shutdown();
    stuck.shutdown();
    await Promise.allSettled(running);
    main.close();
  };

  letters.awaiting = letterInput({ roundId, letterId: 'avon-and-somerset' });
  letters.chased = letterInput({
    roundId,
    letterId: 'kent',
    policy: quickChase,
    recipient: { ...letterInput().recipient, name: 'Matthew Scott', role: 'Kent Police and Crime Commissioner', organisation: 'Kent Police and Crime Commissioner', email: 'pcc@kent.example.org', salutation: 'Dear Matthew,' },
  });
  letters.overdue = letterInput({
    roundId,
    letterId: 'west-midlands',
    policy: quickChase,
    documents: ['problemProfile', 'responseStrategy'],
    recipient: { ...letterInput().recipient, name: 'David Jamieson', role: 'West Midlands Police and Crime Commissioner', organisation: 'West Midlands Police and Crime Commissioner', email: 'pcc@west-midlands.example.org', salutation: 'Dear David,' },
  });
  // Kent is started as `rounds start` starts letters, with its register memo; the other two
  // without one, as letters started before the memo existed (their register rows need a status query).
  for (const [key, input] of Object.entries(letters)) {
    await env.client.workflow.start(api.WORKFLOW_TYPE, {
      taskQueue: key === 'overdue' ? OVERDUE_QUEUE : api.TASK_QUEUE,
      workflowId: api.workflowIdFor(input.roundId, input.letterId),
      args: [input],
      typedSearchAttributes: [
        { key: api.RoundId, value: input.roundId },
        { key: api.LetterState, value: 'awaiting' },
        { key: api.Outstanding, value: input.documents },
      ],
      ...(key === 'chased' ? { memo: letterMemo(input) } : {}),
    });
  }
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await dashboard?.close();
  await stopWorkers?.();
  await sink?.stop();
  await env?.teardown();
});

const handle = (l: LetterInput) => env.client.workflow.getHandle(api.workflowIdFor(l.roundId, l.letterId));
const registerRows = () => page.locator('#register tbody tr');

test('staff sign in, find the overdue letter first, record a receipt, see a rejected one explained, and sign out', async () => {
  const today = todayIn('Europe/London');

  // Kent's chase goes out at once (its worker can send); West Midlands' never does (overdue).
  await eventually(async () => (await handle(letters.chased).query(api.status)).emails.length === 1);

  // Signing in is required.
  await page.goto(`${dashboard.url}/rounds/${roundId}`);
  expect(new URL(page.url()).pathname).toBe('/login');
  await signIn(page, dashboard.url, 'sam', dashboard.passwords.sam);
  await see(page.locator('header')).toContainText('Signed in as sam (staff)');

  // The rounds page lists the round once visibility has caught up.
  await eventually(async () => {
    await page.goto(dashboard.url + '/');
    return (await page.locator('table.rounds').textContent())?.includes(roundId);
  });
  await screenshot(page, 'web-rounds');
  await page.getByRole('link', { name: roundId, exact: true }).click();

  // The register: the West Midlands letter's chase could not be sent, so it is overdue and comes
  // first, although it sorts last by name; its recipient and next action come from its status
  // query (it has no memo), Kent's recipient from its memo in the listing.
  const order = () => registerRows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-letter')).join());
  await eventually(async () => {
    await page.reload();
    return (await order()) === 'west-midlands,avon-and-somerset,kent' && (await registerRows().first().textContent())?.includes('Overdue');
  });
  const first = registerRows().first();
  await see(first).toContainText('David Jamieson');
  await see(first).toContainText('West Midlands Police and Crime Commissioner');
  await see(first).toContainText('Send a reminder');
  const kent = page.locator('#register tr[data-letter="kent"]');
  await see(kent).toContainText('Matthew Scott');
  await see(kent.locator('td[data-label="Organisation"]')).toHaveText('Kent Police and Crime Commissioner');
  await see(kent.locator('td[data-label="Documents"]')).toContainText('Response Strategy: outstanding');
  expect(await registerRows().nth(0).locator('.badge.overdue').count()).toBe(1);
  expect(await page.locator('#register .badge.overdue').count()).toBe(1);
  await screenshot(page, 'web-register');

  // Sorting by letter puts it last; filtering by state shows only chased letters.
  await Promise.all([page.waitForURL(/sort=letter$/), page.getByRole('link', { name: /^Letter/ }).click()]);
  expect(await registerRows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-letter')))).toEqual(['avon-and-somerset', 'kent', 'west-midlands']);
  await Promise.all([page.waitForURL(/sort=letter&dir=desc$/), page.getByRole('link', { name: /^Letter/ }).click()]);
  expect(await registerRows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-letter')))).toEqual(['west-midlands', 'kent', 'avon-and-somerset']);
  await eventually(async () => {
    await page.goto(`${dashboard.url}/rounds/${roundId}?state=chased`);
    return (await registerRows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-letter')))).join() === 'kent';
  });
  await page.getByLabel('State', { exact: true }).selectOption('');
  await page.getByLabel('Sort by').selectOption('next');
  await page.getByLabel('Order').selectOption('asc');
  await Promise.all([page.waitForURL(/state=&sort=next&dir=asc$/), page.getByRole('button', { name: 'Show' }).click()]);
  expect(await registerRows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-letter')))).toEqual(['west-midlands', 'avon-and-somerset', 'kent']);

  // One letter: record the Problem Profile as received today.
  await page.getByRole('link', { name: 'avon-and-somerset', exact: true }).click();
  await see(page.locator('#letter-state')).toHaveText('Awaiting response');
  await see(page.getByLabel('Date received')).toHaveValue(today);
  await see(page.getByLabel('Recorded by').first()).toHaveValue('sam');
  await page.locator('#receipt').getByLabel('Problem Profile / Strategic Needs Assessment').check();
  await page.locator('#receipt').getByLabel('Note (optional)').fill('Came by email to April');
  await page.getByRole('button', { name: 'Record receipt' }).click();
  await see(page.locator('.flash')).toHaveText('Receipt recorded.');
  await see(page.locator('#letter-state')).toHaveText('Partly answered: some documents received');
  await see(page.locator('#documents tr[data-document="problemProfile"]')).toContainText(`Received ${formatLongDate(today)}`);
  await see(page.locator('#documents tr[data-document="problemProfile"]')).toContainText('recorded by sam');
  await see(page.locator('#timeline')).toContainText('Came by email to April');
  const afterReceipt = await handle(letters.awaiting).query(api.status);
  expect(afterReceipt.state).toBe('partial');
  expect(afterReceipt.documents.problemProfile).toEqual({ requested: true, receivedOn: today, receivedBy: 'sam' });

  // The register shows the change (the row from the status query at once; the counts once visibility catches up).
  await eventually(async () => {
    await page.goto(`${dashboard.url}/rounds/${roundId}`);
    const row = page.locator('#register tr[data-letter="avon-and-somerset"]');
    const filter = await page.locator('#state-filter').textContent();
    return (await row.textContent())?.includes('Partly answered') && (await row.textContent())?.includes(`received ${formatLongDate(today)}`) && filter?.includes('Partly answered: some documents received (1)');
  });

  // A receipt dated before the letter: the workflow's own message, HTTP 422, nothing changed.
  await page.getByRole('link', { name: 'avon-and-somerset', exact: true }).click();
  const before = await handle(letters.awaiting).query(api.status);
  await page.locator('#receipt').getByLabel('Response Strategy').check();
  await page.getByLabel('Date received').fill('2020-10-01');
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/receipt') && r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Record receipt' }).click(),
  ]);
  expect(response.status()).toBe(422);
  await see(page.locator('#receipt-error')).toContainText("Date received: 1 October 2020 is before the letter's date, 13 October 2020");
  await see(page.getByLabel('Date received')).toHaveValue('2020-10-01');
  await see(page.locator('#receipt').getByLabel('Response Strategy')).toBeChecked();
  await see(page.locator('#letter-state')).toHaveText('Partly answered: some documents received');
  await see(page.locator('#documents tr[data-document="responseStrategy"]')).toContainText('Outstanding');
  const after = await handle(letters.awaiting).query(api.status);
  expect(after).toEqual(before);
  await screenshot(page, 'web-letter');

  // The Kent letter's chase went out: listed on its page, readable in the outbox.
  await page.goto(`${dashboard.url}/letters/${roundId}/kent`);
  await eventually(async () => {
    await page.reload();
    return (await page.locator('#emails').count()) === 1 && (await page.locator('#emails').textContent())?.includes('Reminder');
  });
  await page.locator('#emails').getByRole('link', { name: /View message/ }).click();
  await see(page.locator('h1')).toContainText(`Reminder: ${letters.chased.subject}`);
  await see(page.locator('pre.mail-text')).toContainText('Response Strategy');
  const frame = page.locator('iframe.mail-html');
  expect(await frame.getAttribute('sandbox')).toBe('');
  await see(page.frameLocator('iframe.mail-html').locator('li').first()).toHaveText('Problem Profile / Strategic Needs Assessment');
  await screenshot(page, 'web-outbox-message');
  await page.getByRole('link', { name: 'Outbox', exact: true }).first().click();
  await see(page.locator('#outbox')).toContainText('Reminder:');
  await screenshot(page, 'web-outbox');

  // The register as CSV, through the same session.
  const csvResponse = await page.request.get(`${dashboard.url}/rounds/${roundId}/export.csv`);
  expect(csvResponse.status()).toBe(200);
  expect(csvResponse.headers()['content-type']).toMatch(/^text\/csv/);
  const csv = (await csvResponse.body()).toString('utf8');
  expect(csv.startsWith('\uFEFFRound,Letter,')).toBe(true);
  const lines = csv.slice(1).trimEnd().split('\r\n');
  expect(lines).toHaveLength(4);
  expect(lines[1]).toMatch(new RegExp(`^${roundId},west-midlands,`));
  expect(lines.find((l) => l.includes(',avon-and-somerset,'))).toContain(`,partial,Partly answered: some documents received,2020-10-13,2020-10-13,chase,`);
  expect(lines.find((l) => l.includes(',avon-and-somerset,'))).toContain(`,yes,${today},`);

  // A phone-sized look at the register.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${dashboard.url}/rounds/${roundId}`);
  await screenshot(page, 'web-register-phone');
  await page.setViewportSize({ width: 1280, height: 900 });

  // Sign out: back to the sign-in page, and the register needs signing in again.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await see(page.locator('.flash')).toHaveText('You have signed out.');
  await page.goto(`${dashboard.url}/rounds/${roundId}`);
  expect(new URL(page.url()).pathname).toBe('/login');
});
