// The sent journal: a retry of an email the SMTP server already accepted answers "already sent"
// instead of sending it again. The whole story (kill -9 a worker mid-send) is in
// test/faults/worker-kill.test.ts; here, the activity with a real SMTP server and the file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createEmailActivities, type SentEmail } from '../activities/email';
import { SentJournal } from '../activities/sent-journal';
import { renderFollowUp } from '../domain/email';
import type { MailSink } from '../worker/dev/mail-sink';
import { letterInput, mailSink } from './support/temporal';

let sink: MailSink;
let dir: string;
beforeAll(async () => {
  sink = await mailSink();
});
afterAll(async () => {
  await sink.stop();
});
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rounds-journal-'));
});

const message = renderFollowUp(letterInput({ roundId: 'journal', letterId: 'kent' }), 'chase', 0, 1, ['responseStrategy']);
const activity = (workflowId: string, runId: string, attempt: number) =>
  new MockActivityEnvironment({ activityId: '3', attempt, workflowExecution: { workflowId, runId } });

test('a retry of an accepted email is not sent again, by this worker or another that shares the file', async () => {
  const file = path.join(dir, 'sent.jsonl');
  const first = createEmailActivities({ smtpUrl: sink.url, sentJournal: file });
  const other = createEmailActivities({ smtpUrl: sink.url, sentJournal: file });
  try {
    const before = sink.messages.length;
    const sent = (await activity('journal/kent', 'run-1', 1).run(first.sendEmail, message)) as SentEmail;
    expect(sent.accepted.length).toBeGreaterThan(0);
    // The worker "died" before Temporal heard: attempt 2 runs on the other worker.
    const retried = (await activity('journal/kent', 'run-1', 2).run(other.sendEmail, message)) as SentEmail;
    expect(retried.response).toMatch(/^accepted by an earlier attempt at \d{4}-\d\d-\d\dT.*: 250/);
    expect(sink.messages.length - before).toBe(1);
    // The same letter started again (another run) is a different email, and is sent.
    await activity('journal/kent', 'run-2', 2).run(other.sendEmail, message);
    expect(sink.messages.length - before).toBe(2);
  } finally {
    first.close();
    other.close();
  }
});

test('without a journal a retry sends again (what the journal prevents)', async () => {
  const acts = createEmailActivities({ smtpUrl: sink.url });
  try {
    const before = sink.messages.length;
    await activity('journal/none', 'run-1', 1).run(acts.sendEmail, message);
    await activity('journal/none', 'run-1', 2).run(acts.sendEmail, message);
    expect(sink.messages.length - before).toBe(2);
  } finally {
    acts.close();
  }
});

test('a line cut short by a crash is ignored; old entries are pruned when a worker opens the file', () => {
  const file = path.join(dir, 'sent.jsonl');
  const old = { key: 'a/r/1', messageId: '<a>', response: '250 ok', at: '2020-01-01T00:00:00.000Z' };
  const recent = { key: 'b/r/1', messageId: '<b>', response: '250 ok', at: new Date().toISOString() };
  fs.writeFileSync(file, `${JSON.stringify(old)}\n${JSON.stringify(recent)}\n{"key":"c/r/1","messageId":"<c>","resp`);
  const journal = new SentJournal(file);
  expect(journal.find('a/r/1')).toBeUndefined();
  expect(journal.find('b/r/1')).toEqual(recent);
  expect(journal.find('c/r/1')).toBeUndefined();
  expect(fs.readFileSync(file, 'utf8')).toBe(`${JSON.stringify(recent)}\n`);
  // Another worker appends after this one has read: found on the next look.
  new SentJournal(file).record({ ...recent, key: 'd/r/1' });
  expect(journal.find('d/r/1')?.key).toBe('d/r/1');
});

test('an entry appended after a torn line (and nothing to prune) is still found', () => {
  const file = path.join(dir, 'sent.jsonl');
  const recent = { key: 'b/r/1', messageId: '<b>', response: '250 ok', at: new Date().toISOString() };
  fs.writeFileSync(file, `${JSON.stringify(recent)}\n{"key":"c/r/1","mess`);
  const journal = new SentJournal(file);
  journal.record({ ...recent, key: 'd/r/1' });
  expect(new SentJournal(file).find('d/r/1')?.key).toBe('d/r/1');
  expect(journal.find('b/r/1')).toEqual(recent);
});
