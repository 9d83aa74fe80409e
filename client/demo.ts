// `npm run demo`: a whole round on a time-skipping Temporal server, in seconds. The letters
// count as sent now; the server skips ahead day by day while a scripted set of replies is
// recorded, then every letter's timeline and every email sent is printed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { DocumentKey } from '../domain/documents';
import { formatIssue } from '../domain/round';
import type { LetterStatus } from '../domain/types';
import { MailSink } from '../worker/dev/mail-sink';
import { ensureSearchAttributes } from '../worker/search-attributes';
import { timeSkippingServerOptions } from '../worker/dev/temporal-binaries';
import { createLetterWorker } from '../worker/worker';
import { workflowIdFor } from '../workflows/letter-api';
import { UserError } from './errors';
import { formatLetter } from './terminal-format';
import { letterInputs, letterStatus, startLetters, updateLetter } from './letters';
import { hasErrors, loadRoundFolder } from './round-folder';

type Reply =
  | { kind: 'receipt'; documents: DocumentKey[] | 'all' }
  | { kind: 'decline'; reason: string }
  | { kind: 'extend'; workingDays: number }
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'note'; text: string };

/**
 * What the recipients do, by calendar day after the letters were sent; `letter` is the
 * position of the letter in the round (the example round, alphabetically: avon-and-somerset,
 * kent, london, nottinghamshire, west-midlands). Letters not named here never answer.
 */
const STORY: { day: number; letter: number; reply: Reply }[] = [
  { day: 6, letter: 2, reply: { kind: 'receipt', documents: 'all' } },
  { day: 10, letter: 1, reply: { kind: 'note', text: 'Office phoned: documents being cleared for release' } },
  { day: 32, letter: 1, reply: { kind: 'receipt', documents: ['problemProfile'] } },
  { day: 33, letter: 3, reply: { kind: 'extend', workingDays: 10 } },
  { day: 40, letter: 4, reply: { kind: 'pause' } },
  { day: 50, letter: 4, reply: { kind: 'resume' } },
  { day: 60, letter: 1, reply: { kind: 'receipt', documents: 'all' } },
  { day: 61, letter: 3, reply: { kind: 'decline', reason: 'Updates will be published in the annual report instead' } },
];
const LAST_DAY = 110;
const DAY = 86_400_000;

export async function demo(dir: string, print: (s: string) => void): Promise<void> {
  const plan = await loadRoundFolder(dir);
  if (hasErrors(plan)) throw new UserError(`${dir}: the round has errors:\n${plan.issues.filter((i) => i.level === 'error').map(formatIssue).join('\n')}`);
  try {
    // Core's own logs too: the time-skipping server does not advertise a capability the dev
    // server has, and core would warn about it once on every run.
    Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });
  } catch {
    // already installed
  }
  const started = Date.now();
  const outbox = fs.mkdtempSync(path.join(os.tmpdir(), 'rounds-demo-outbox-'));
  const env = await TestWorkflowEnvironment.createTimeSkipping(timeSkippingServerOptions());
  const sink = await new MailSink({ dir: outbox }).start();
  try {
    await ensureSearchAttributes(env.connection, 'default');
    const { worker, close } = await createLetterWorker({ connection: env.nativeConnection, namespace: 'default', email: { smtpUrl: sink.url } });
    await worker.runUntil(async () => {
      const t0 = await env.currentTimeMs();
      const inputs = letterInputs(plan, { delivery: 'record-sent', sentOn: 'now', now: new Date(t0) }).map((i) => ({
        ...i,
        roundId: `${i.roundId}-demo-${new Date(t0).toISOString().slice(0, 10)}`,
      }));
      await startLetters(env.client, inputs);
      const ids = inputs.map((i) => workflowIdFor(i.roundId, i.letterId));
      print(`demo: round ${plan.round.id}, ${ids.length} letters, counted as sent ${new Date(t0).toISOString().slice(0, 10)}; policy ${plan.round.policy.steps.map((s) => `${s.action} after ${s.after.unit === 'workingDays' ? `${s.after.days} working days` : `${s.after.ms / 1000}s`}`).join(', ')}`);
      for (const { day, letter, reply } of STORY) {
        const id = ids[letter];
        if (!id) continue;
        await env.sleep(Math.max(0, t0 + day * DAY - (await env.currentTimeMs())));
        await apply(env, id, reply).catch((err) => print(`  day ${day}: ${id}: ${(err as Error).message}`));
      }
      await env.sleep(Math.max(0, t0 + LAST_DAY * DAY - (await env.currentTimeMs())));
      const statuses: LetterStatus[] = [];
      for (const id of ids) statuses.push(await letterStatus(env.client, id));
      for (const s of statuses) print(`\n${formatLetter(s)}`);
      print(`\nemails sent (${sink.messages.length}, kept in ${outbox}):`);
      for (const s of statuses) for (const e of s.emails) print(`  ${e.sentAt.slice(0, 16).replace('T', ' ')}Z  ${s.letterId.padEnd(18)} ${e.subject}`);
      print(`\n${LAST_DAY} days of a round in ${((Date.now() - started) / 1000).toFixed(1)} s of real time.`);
    });
    close();
  } finally {
    await sink.stop();
    await env.teardown();
  }
}

async function apply(env: TestWorkflowEnvironment, id: string, reply: Reply): Promise<void> {
  const by = 'demo';
  switch (reply.kind) {
    case 'receipt': {
      const outstanding = reply.documents === 'all' ? (await letterStatus(env.client, id)).outstanding : reply.documents;
      await updateLetter(env.client, id, 'recordReceipt', { documents: outstanding, by });
      return;
    }
    case 'decline':
      await updateLetter(env.client, id, 'recordDecline', { reason: reply.reason, by });
      return;
    case 'extend':
      await updateLetter(env.client, id, 'extendDeadline', { workingDays: reply.workingDays, reason: 'asked for more time', by });
      return;
    case 'pause':
      await updateLetter(env.client, id, 'pause', { reason: 'office closed for a move', by });
      return;
    case 'resume':
      await updateLetter(env.client, id, 'resume', { by });
      return;
    case 'note':
      await updateLetter(env.client, id, 'addNote', { text: reply.text, by });
  }
}
