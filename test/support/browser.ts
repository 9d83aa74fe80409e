// Test scaffolding for the dashboard: a local Temporal dev server (it has visibility, which
// the register needs; the time-skipping server has none), the dashboard on 127.0.0.1 with a
// random port, headless Chromium through playwright-core, and a small cookie-keeping HTTP
// client for tests that need no browser.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { defaultPayloadConverter, TypedSearchAttributes, WorkflowNotFoundError } from '@temporalio/common';
import { encodeUnifiedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { addUser, type Role } from '../../client/users';
import { startWebServer } from '../../client/web/server';
import type { DocumentKey } from '../../domain/documents';
import { LETTER_STATES, type LetterState } from '../../domain/states';
import type { LetterStatus } from '../../domain/types';
import * as api from '../../workflows/letter-api';
import { ensureSearchAttributes } from '../../worker/search-attributes';
import { devServerOptions } from '../../worker/dev/temporal-binaries';
import { workflowBundle } from './temporal';

export { WebAgent, type HttpResult } from '../../worker/dev/web-agent';
export { eventually } from '../../worker/dev/wait';

const { chromiumPath } = require('../../scripts/ensure-chromium') as { chromiumPath(): string };

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts');

/** A local dev server (with visibility and our search attributes). */
export async function devServerEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createLocal({ ...devServerOptions() });
  await ensureSearchAttributes(env.connection, env.namespace ?? 'default');
  return env;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface Dashboard {
  url: string;
  usersFile: string;
  passwords: Record<string, string>;
  close(): Promise<void>;
}

/** The dashboard on 127.0.0.1 (random port), with one user per role given. */
export async function startDashboard(
  client: Client,
  opts: { users?: [string, Role][]; outboxDir?: string; roundsDirs?: string[]; documentsDir?: string; publishDir?: string } = {},
): Promise<Dashboard> {
  const usersFile = path.join(tempDir('rounds-users-'), 'users.json');
  const passwords: Record<string, string> = {};
  for (const [name, role] of opts.users ?? []) passwords[name] = (await addUser(usersFile, name, role)).password;
  const server = await startWebServer({ client, port: 0, host: '127.0.0.1', usersFile, outboxDir: opts.outboxDir, roundsDirs: opts.roundsDirs, documentsDir: opts.documentsDir, publishDir: opts.publishDir });
  return { url: server.url, usersFile, passwords, close: server.close };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
}

export async function signIn(page: Page, baseUrl: string, name: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * A letter worker whose email never goes out (sendEmail waits until it is cancelled, as if
 * the SMTP server never answered): its letters' chases stay due, i.e. overdue, while the
 * letters still answer queries and updates. Stops cleanly with worker.shutdown().
 */
export async function stuckMailWorker(env: TestWorkflowEnvironment, taskQueue: string): Promise<Worker> {
  return Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: {
      async sendEmail(): Promise<never> {
        await Context.current().cancelled;
        throw new Error('cancelled');
      },
    },
  });
}

/**
 * Web-first assertions (playwright-core has no test runner): each retries for up to 10 s,
 * then fails with jest's message. `await see(page.locator('h1')).toHaveText('Rounds')`.
 */
export function see(locator: Locator, timeoutMs = 10_000) {
  const poll = async (check: () => Promise<void>) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return await check();
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  return {
    toHaveText: (text: string) => poll(async () => expect((await locator.textContent({ timeout: 1000 }))?.trim()).toBe(text)),
    toContainText: (text: string) => poll(async () => expect(await locator.textContent({ timeout: 1000 })).toContain(text)),
    toHaveValue: (value: string) => poll(async () => expect(await locator.inputValue({ timeout: 1000 })).toBe(value)),
    toBeChecked: () => poll(async () => expect(await locator.isChecked({ timeout: 1000 })).toBe(true)),
  };
}

export interface FakeLetter {
  roundId: string;
  letterId: string;
  state: LetterState;
  nextActionAt: string | null;
  outstanding: DocumentKey[];
  executionStatus?: 'RUNNING' | 'COMPLETED';
  status?: Partial<LetterStatus>;
  /** The workflow's memo as listings return it (letterMemo(...) for letters started by startLetters); none by default. */
  memo?: Record<string, unknown>;
}

/**
 * A stand-in for a Temporal client with visibility, for page-size and rendering tests that
 * need many letters but no server: lists letters (by RoundId in the query, with their memo)
 * and answers each letter's status query and result from the given data, counting the calls.
 * The raw visibility calls the paged register makes (client/register-query.ts) are answered
 * the way the server does: listWorkflowExecutions a page of `pageSize` with a nextPageToken
 * (counted in `list`), and workflow.count (counted in `count`), for the predicates that module
 * writes (RoundId, ExecutionStatus, NextActionAt, LetterState; GROUP BY ExecutionStatus).
 */
export function fakeClient(letters: FakeLetter[]): { client: Client; calls: { list: number; query: number; result: number; describe: number; count: number } } {
  const calls = { list: 0, query: 0, result: 0, describe: 0, count: 0 };
  const byId = new Map(letters.map((l) => [`${l.roundId}/${l.letterId}`, l]));
  const statusOf = (l: FakeLetter): LetterStatus => ({
    roundId: l.roundId,
    letterId: l.letterId,
    recipient: { name: `Recipient of ${l.letterId}`, role: 'Police and Crime Commissioner', organisation: `Office of ${l.letterId}`, email: `${l.letterId}@example.org`, cc: [], escalateTo: [] },
    subject: 'Violence Reduction Units: request for your Problem Profile and Response Strategy',
    letterDate: '2020-10-13',
    sentOn: '2020-10-13',
    state: l.state,
    stateDescription: LETTER_STATES[l.state],
    documents: Object.fromEntries(
      (['problemProfile', 'responseStrategy', 'deliveryUpdate'] as DocumentKey[]).map((k) => [
        k,
        l.outstanding.includes(k) ? { requested: true } : { requested: true, receivedOn: '2020-11-02', receivedBy: 'April' },
      ]),
    ),
    outstanding: l.outstanding,
    nextAction: l.nextActionAt ? { kind: 'chase', at: l.nextActionAt } : null,
    steps: [],
    timeline: [{ at: '2020-10-13T09:30:00.000Z', kind: 'recorded-sent', on: '2020-10-13' }],
    emails: [],
    ...l.status,
  });
  const info = (l: FakeLetter) => ({
    workflowId: `${l.roundId}/${l.letterId}`,
    status: { name: l.executionStatus ?? 'RUNNING' },
    startTime: new Date('2020-10-13T09:30:00Z'),
    memo: l.memo,
    typedSearchAttributes: new TypedSearchAttributes(sas(l)),
  });
  const sas = (l: FakeLetter) => [
    { key: api.RoundId, value: l.roundId },
    { key: api.LetterState, value: l.state },
    ...(l.nextActionAt ? [{ key: api.NextActionAt, value: new Date(l.nextActionAt) }] : []),
    { key: api.Outstanding, value: l.outstanding },
  ];
  const Status = temporal.api.enums.v1.WorkflowExecutionStatus;
  /** An execution as listWorkflowExecutions returns it (payloads, protobuf status and times). */
  const raws = new Map<FakeLetter, unknown>();
  const raw = (l: FakeLetter) => raws.get(l) ?? raws.set(l, rawOf(l)).get(l);
  const rawOf = (l: FakeLetter) => ({
    execution: { workflowId: `${l.roundId}/${l.letterId}`, runId: 'run' },
    type: { name: api.WORKFLOW_TYPE },
    taskQueue: 'letters',
    status: l.executionStatus === 'COMPLETED' ? Status.WORKFLOW_EXECUTION_STATUS_COMPLETED : Status.WORKFLOW_EXECUTION_STATUS_RUNNING,
    historyLength: { toNumber: () => 1 },
    startTime: msToTs(Date.parse('2020-10-13T09:30:00Z')),
    memo: l.memo ? { fields: Object.fromEntries(Object.entries(l.memo).map(([k, v]) => [k, defaultPayloadConverter.toPayload(v)])) } : undefined,
    searchAttributes: { indexedFields: encodeUnifiedSearchAttributes(undefined, sas(l)) },
  });
  /** The letters a visibility query matches, for the predicates client/queries.ts and client/register-query.ts write. */
  const matching = (query: string): FakeLetter[] => {
    const where = query.replace(/ GROUP BY .*$/, '');
    const round = /RoundId = "([^"]*)"/.exec(where)?.[1];
    const state = /LetterState = "([^"]*)"/.exec(where)?.[1];
    const onlyRunning = / ExecutionStatus = "Running"/.test(where);
    const onlyFinished = /ExecutionStatus != "Running"/.test(where);
    const before = /NextActionAt < "([^"]*)"/.exec(where)?.[1];
    const notBefore = /\(NextActionAt >= "([^"]*)" OR NextActionAt IS NULL\)/.exec(where)?.[1];
    const isRunning = (l: FakeLetter) => (l.executionStatus ?? 'RUNNING') === 'RUNNING';
    const b = before === undefined ? NaN : Date.parse(before);
    const nb = notBefore === undefined ? NaN : Date.parse(notBefore);
    return letters.filter(
      (l) =>
        (round === undefined || l.roundId === round) &&
        (state === undefined || l.state === state) &&
        (!onlyRunning || isRunning(l)) &&
        (!onlyFinished || !isRunning(l)) &&
        (before === undefined || (!!l.nextActionAt && Date.parse(l.nextActionAt) < b)) &&
        (notBefore === undefined || !l.nextActionAt || Date.parse(l.nextActionAt) >= nb),
    );
  };
  const client = {
    options: { namespace: 'default', loadedDataConverter: { payloadConverter: defaultPayloadConverter, failureConverter: undefined, payloadCodecs: [] } },
    workflowService: {
      async listWorkflowExecutions({ query, pageSize, nextPageToken }: { query: string; pageSize: number; nextPageToken?: Uint8Array }) {
        calls.list++;
        const all = matching(query);
        const from = nextPageToken?.length ? Number(Buffer.from(nextPageToken).toString('utf8')) : 0;
        const to = from + pageSize;
        return { executions: all.slice(from, to).map(raw), nextPageToken: to < all.length ? Buffer.from(String(to)) : Buffer.alloc(0) };
      },
    },
    withDeadline: <R>(_deadline: number | Date, fn: () => Promise<R>) => fn(),
    workflow: {
      list({ query }: { query: string }) {
        calls.list++;
        const rows = matching(query);
        return (async function* () {
          for (const l of rows) yield info(l);
        })();
      },
      async count(query: string) {
        calls.count++;
        const all = matching(query);
        if (!/GROUP BY ExecutionStatus/.test(query)) return { count: all.length, groups: [] };
        const by = new Map<string, number>();
        for (const l of all) by.set(l.executionStatus === 'COMPLETED' ? 'Completed' : 'Running', (by.get(l.executionStatus === 'COMPLETED' ? 'Completed' : 'Running') ?? 0) + 1);
        return { count: all.length, groups: [...by].map(([v, count]) => ({ groupValues: [v], count })) };
      },
      getHandle(workflowId: string) {
        const l = byId.get(workflowId);
        const missing = () => new WorkflowNotFoundError(`workflow not found: ${workflowId}`, workflowId, undefined);
        return {
          async query() {
            calls.query++;
            if (!l) throw missing();
            return statusOf(l);
          },
          async result() {
            calls.result++;
            if (!l) throw missing();
            return statusOf(l);
          },
          async describe() {
            calls.describe++;
            if (!l) throw missing();
            return info(l);
          },
        };
      },
    },
  };
  return { client: client as unknown as Client, calls };
}
