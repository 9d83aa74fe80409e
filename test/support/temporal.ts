// Test scaffolding: a real time-skipping Temporal server, a real SMTP server, the workflow
// bundle built once per file, and a fresh worker per scenario.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { simpleParser, type ParsedMail } from 'mailparser';
import { DEFAULT_POLICY, type Policy } from '../../domain/policy';
import type { LetterInput } from '../../domain/types';
import type { letter } from '../../workflows/letter';
import * as api from '../../workflows/letter-api';
import { BUNDLE_OPTIONS } from '../../worker/bundle';
import { createLetterWorker } from '../../worker/worker';
import { MailSink } from '../../worker/dev/mail-sink';
import { ensureSearchAttributes } from '../../worker/search-attributes';
import { timeSkippingServerOptions } from '../../worker/dev/temporal-binaries';
import { appendTestLog } from './test-log';

export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping(timeSkippingServerOptions());
  await ensureSearchAttributes(env.connection, env.namespace ?? 'default');
  return env;
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  // Built exactly as the worker builds it (preloaded modules, lenient payload converter).
  bundle ??= bundleWorkflowCode({ ...BUNDLE_OPTIONS, logger: quietLogger });
  return bundle;
}

// The bundler's warnings go to the test file's log (printed if a test fails), errors show, and
// its info (webpack's module statistics) is dropped.
const quietLogger = { trace() {}, debug() {}, info() {}, warn: (message: string) => appendTestLog('bundler', message), error: console.error, log() {} } as never;

export async function mailSink(): Promise<MailSink> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rounds-outbox-'));
  return new MailSink({ dir }).start();
}

let documents: string | undefined;
/** The document store this test file's workers keep letters' PDFs in (and read attachments from). */
export function testDocumentsDir(): string {
  documents ??= fs.mkdtempSync(path.join(os.tmpdir(), 'rounds-documents-'));
  return documents;
}

export async function letterWorker(env: TestWorkflowEnvironment, sink: MailSink, taskQueue?: string) {
  return createLetterWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    email: { smtpUrl: sink.url, documentsDir: testDocumentsDir() },
    workflowBundle: await workflowBundle(),
    taskQueue,
  });
}

export async function parsedMail(sink: MailSink): Promise<ParsedMail[]> {
  return Promise.all(sink.messages.map((m) => simpleParser(m.raw)));
}

/** A short plain-duration policy: chase at 2 and 4 minutes, escalate at 6, close at 10; a finished letter open for publication 5 minutes. */
export const SHORT_POLICY: Policy = {
  ...DEFAULT_POLICY,
  steps: [
    { after: { unit: 'duration', ms: 2 * 60_000 }, action: 'chase' },
    { after: { unit: 'duration', ms: 4 * 60_000 }, action: 'chase' },
    { after: { unit: 'duration', ms: 6 * 60_000 }, action: 'escalate' },
    { after: { unit: 'duration', ms: 10 * 60_000 }, action: 'close' },
  ],
  publicationWindow: { unit: 'duration', ms: 5 * 60_000 },
};

let counter = 0;
export function letterInput(overrides: Partial<LetterInput> = {}): LetterInput {
  counter++;
  return {
    roundId: `test-${process.pid}-${Date.now().toString(36)}`,
    letterId: `letter-${counter}`,
    recipient: {
      name: 'Sue Mountstevens',
      role: 'Avon and Somerset Police and Crime Commissioner',
      organisation: 'Avon and Somerset Police and Crime Commissioner',
      email: 'pcc@avon-and-somerset.example.org',
      cc: ['office@avon-and-somerset.example.org'],
      escalateTo: ['chief-executive@avon-and-somerset.example.org'],
      salutation: 'Dear Sue,',
    },
    sender: { name: 'Independent Anti-Slavery Commissioner', email: 'commissioner@iasc.example.org' },
    coordinator: { name: 'April McCoig', email: 'april.mccoig@iasc.example.org', role: 'Victims and Partnerships lead' },
    subject: 'Violence Reduction Units: request for your Problem Profile and Response Strategy',
    letterDate: '2020-10-13',
    sentOn: '2020-10-13',
    documents: ['problemProfile', 'responseStrategy', 'deliveryUpdate'],
    policy: SHORT_POLICY,
    delivery: 'record-sent',
    ...overrides,
  };
}

export interface LetterWorld {
  env: TestWorkflowEnvironment;
  sink: MailSink;
}

/**
 * A time-skipping server (or the one makeEnv starts, e.g. browser.ts's devServerEnv), an SMTP
 * server and a running worker; close() stops them in that order's reverse.
 */
export async function openLetterWorld(
  makeSink: () => Promise<MailSink> = mailSink,
  makeEnv: () => Promise<TestWorkflowEnvironment> = timeSkippingEnv,
): Promise<LetterWorld & { close(): Promise<void> }> {
  const [env, sink] = await Promise.all([makeEnv(), makeSink()]);
  const { worker, close } = await letterWorker(env, sink);
  const running = worker.run();
  return {
    env,
    sink,
    close: async () => {
      worker.shutdown();
      await running;
      close();
      await sink.stop();
      await env.teardown();
    },
  };
}

/**
 * One time-skipping server, one SMTP server and one running worker for a whole test file
 * (registered with beforeAll/afterAll). The returned object is filled in before the tests run.
 */
export function withLetterWorker(makeSink: () => Promise<MailSink> = mailSink, makeEnv?: () => Promise<TestWorkflowEnvironment>): LetterWorld {
  const world = {} as LetterWorld;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ env: world.env, sink: world.sink, close } = await openLetterWorld(makeSink, makeEnv));
  });
  afterAll(async () => {
    await close?.();
  });
  return world;
}

/** Starts one letter workflow directly (as `rounds start` does for each letter). */
export async function startLetter(env: TestWorkflowEnvironment, overrides: Partial<LetterInput> = {}): Promise<WorkflowHandle<typeof letter>> {
  const input = letterInput(overrides);
  return env.client.workflow.start<typeof letter>(api.WORKFLOW_TYPE, {
    taskQueue: api.TASK_QUEUE,
    workflowId: api.workflowIdFor(input.roundId, input.letterId),
    args: [input],
  });
}

/** The message of an update the letter refused (its validator's words, as the caller gets them). */
export async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    return ((err as WorkflowUpdateFailedError).cause as Error).message;
  }
  throw new Error('expected the update to be rejected');
}
