// Replies in, on a local dev server (the sender match reads visibility, which the time-skipping
// server lacks): a reply matched only by its sender's address or domain (low confidence) when
// exactly one open letter has it, also after correctAddress; a tagged Reply-To
// (coordinator.replyTag: plus) and the Message-IDs of a resend. Mail reaches the mailbox as in
// `npm start`: through the local SMTP sink into the inbox folder.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { FolderSource } from '../activities/inbox';
import { startRequest } from '../client/letters';
import { queries } from '../client/queries';
import { messageIdFor } from '../domain/email';
import type { LetterInput, LetterStatus } from '../domain/types';
import type { letter } from '../workflows/letter';
import * as api from '../workflows/letter-api';
import type { mailbox } from '../workflows/mailbox';
import * as mb from '../workflows/mailbox-api';
import { MailSink } from '../worker/dev/mail-sink';
import { devServerEnv } from './support/browser';
import { rounds } from './support/cli';
import { deliveredAndRead, SLOW_POLICY, startInboxWorker, type InboxWorker } from './support/replies';
import { letterInput } from './support/temporal';
import { waitFor } from '../worker/dev/wait';

jest.setTimeout(180_000);

let env: TestWorkflowEnvironment;
let sink: MailSink;
let box: WorkflowHandle<typeof mailbox>;
let inbox: InboxWorker;
const COORDINATOR = 'april.mccoig@iasc.example.org';

beforeAll(async () => {
  const varDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rounds-var-'));
  const folder = new FolderSource(path.join(varDir, 'inbox'));
  [env, sink] = await Promise.all([devServerEnv(), new MailSink({ dir: path.join(varDir, 'outbox'), incoming: (raw) => folder.add(raw) }).start()]);
  inbox = await startInboxWorker(env, { smtpUrl: sink.url, source: folder, documentsDir: path.join(varDir, 'documents') });
  box = inbox.box;
});
afterAll(async () => {
  await inbox?.stop();
  await sink?.stop();
  await env?.teardown();
});

/** Starts letters as `rounds start` does (search attributes, memo) and waits until visibility lists them. */
async function start(inputs: LetterInput[]): Promise<WorkflowHandle<typeof letter>[]> {
  const handles = await Promise.all(inputs.map((i) => env.client.workflow.start<typeof letter>(api.WORKFLOW_TYPE, startRequest(i))));
  await waitFor('visibility to list the letters', async () => (await env.client.workflow.count(queries.roundLetters(inputs[0].roundId))).count === inputs.length, 20_000);
  return handles;
}

/** Sends a message to the sink as a recipient's mail server would, and waits until the mailbox has read it. */
async function deliver(mail: nodemailer.SendMailOptions & { envelope?: { from: string; to: string } }): Promise<void> {
  await deliveredAndRead(box, async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: sink.port, secure: false, ignoreTLS: true });
    try {
      await transport.sendMail({ to: COORDINATOR, messageId: `<m-${crypto.randomUUID()}@example.org>`, ...mail });
    } finally {
      transport.close();
    }
  });
}

const statusOf = (h: WorkflowHandle<typeof letter>): Promise<LetterStatus> => h.query(api.status);
const replyOn = (h: WorkflowHandle<typeof letter>, messageId: string) =>
  waitFor(`${messageId} on ${h.workflowId}`, async () => (await statusOf(h)).replies?.find((r) => r.messageId === messageId), 20_000);
const inPen = async (messageId: string) => (await box.query(mb.inbox)).pen.find((e) => e.mail.messageId === messageId);

test("a message matched only by its sender: the address or domain of exactly one open letter, low confidence; correctAddress moves the match to the new address", async () => {
  const roundId = `sender-${process.pid}-${Date.now().toString(36)}`;
  const person = (letterId: string, email: string, cc: string[] = []) =>
    letterInput({ roundId, letterId, policy: SLOW_POLICY, coordinator: { name: 'April McCoig', email: COORDINATOR }, recipient: { ...letterInput().recipient, email, cc, escalateTo: [] } });
  const [kent, avon, shared1, shared2] = await start([
    person('kent', 'pcc@kent.example.org'),
    person('avon', 'pcc@avon.example.org', ['office@avon.example.org']),
    person('shared1', 'one@shared.example.org'),
    person('shared2', 'two@shared.example.org'),
  ]);

  // The domain of one letter only (a colleague of the recipient): filed, shown as a guess.
  const fromColleague = `<colleague-${crypto.randomUUID()}@kent.example.org>`;
  await deliver({ from: 'Clerk <Clerk@Kent.example.org>', subject: 'Our documents', messageId: fromColleague, text: 'Attached.' });
  const r1 = await replyOn(kent, fromColleague);
  expect(r1).toMatchObject({ matchedBy: 'sender', confidence: 'low' });
  expect((await statusOf(kent)).timeline.find((t) => t.messageId === fromColleague)?.message).toMatch(/matched by sender \(low confidence\)/);

  // A cc address, exactly.
  const fromOffice = `<office-${crypto.randomUUID()}@avon.example.org>`;
  await deliver({ from: 'office@avon.example.org', subject: 'Documents', messageId: fromOffice, text: 'Here.' });
  expect(await replyOn(avon, fromOffice)).toMatchObject({ matchedBy: 'sender', confidence: 'low' });

  // A domain two open letters share: not a match; but one of their exact addresses is.
  const ambiguous = `<amb-${crypto.randomUUID()}@shared.example.org>`;
  await deliver({ from: 'someone@shared.example.org', subject: 'Documents', messageId: ambiguous, text: 'Here.' });
  expect(await inPen(ambiguous)).toMatchObject({ why: expect.stringMatching(/its sender is not that of exactly one open letter/) });
  const exact = `<exact-${crypto.randomUUID()}@shared.example.org>`;
  await deliver({ from: 'two@shared.example.org', subject: 'Documents', messageId: exact, text: 'Here.' });
  expect(await replyOn(shared2, exact)).toMatchObject({ matchedBy: 'sender' });
  expect((await statusOf(shared1)).replies).toBeUndefined();

  // An unknown sender: the holding pen.
  const stranger = `<stranger-${crypto.randomUUID()}@elsewhere.example.org>`;
  await deliver({ from: 'x@elsewhere.example.org', subject: 'Hello', messageId: stranger, text: 'Hi.' });
  expect(await inPen(stranger)).toBeDefined();

  // A bounce, then a corrected address: the letter's RecipientEmails follow it, and so does the match.
  await deliver({ from: 'MAILER-DAEMON@mx.kent.example.org', subject: 'Undelivered', headers: { 'X-Failed-Recipients': 'pcc@kent.example.org' }, references: [messageIdFor(roundId, 'kent', 'letter', 'commissioner@iasc.example.org')], text: 'No such user.' });
  await waitFor('kent undeliverable', async () => (await statusOf(kent)).state === 'undeliverable', 20_000);
  await kent.executeUpdate(api.correctAddress, { args: [{ email: 'pcc@kent-police.example.org', by: 'April' }] });
  await waitFor('visibility to see the new address', async () => (await env.client.workflow.count(queries.openLettersWith(['@kent-police.example.org']))).count === 1, 20_000);
  const fromNew = `<new-${crypto.randomUUID()}@kent-police.example.org>`;
  await deliver({ from: 'press@kent-police.example.org', subject: 'Re: documents', messageId: fromNew, text: 'Sent.' });
  expect(await replyOn(kent, fromNew)).toMatchObject({ matchedBy: 'sender', confidence: 'low' });
  await Promise.all([kent, avon, shared1, shared2].map((h) => h.terminate()));
});

test('coordinator.replyTag: plus puts coordinator+<round>.<letter> as Reply-To on the letter and its resend; a resend has its own Message-ID threaded to the first send', async () => {
  const input = letterInput({ policy: SLOW_POLICY, delivery: 'send', body: { text: 'Please send', html: '<p>Please send</p>' }, coordinator: { name: 'April McCoig', email: COORDINATOR }, replyTag: 'plus' });
  const tagged = `april.mccoig+${input.roundId}.${input.letterId}@iasc.example.org`;
  const [h] = await start([input]);
  await waitFor('the letter sent', async () => (await statusOf(h)).emails.length === 1, 20_000);
  const first = await simpleParser(sink.messages.find((m) => m.messageId === messageIdFor(input.roundId, input.letterId, 'letter', input.sender.email))!.raw);
  expect(first.replyTo?.value[0].address).toBe(tagged);

  // A reply from an address no letter has, without threading headers or subject tag: only the +tag names the letter.
  const viaTag = `<tag-${crypto.randomUUID()}@elsewhere.example.org>`;
  await deliver({ from: 'deputy@elsewhere.example.org', to: tagged, subject: 'Documents', messageId: viaTag, text: 'Here they are.' });
  expect(await replyOn(h, viaTag)).toMatchObject({ matchedBy: 'reply-tag', confidence: 'high' });

  // Bounce and correctAddress: the letter goes again, with a Message-ID of its own threaded to the first send.
  const original = messageIdFor(input.roundId, input.letterId, 'letter', input.sender.email);
  await deliver({ from: 'MAILER-DAEMON@mx.example.org', subject: 'Undelivered', headers: { 'X-Failed-Recipients': input.recipient.email }, references: [original], text: 'No such user.' });
  await waitFor('undeliverable', async () => (await statusOf(h)).state === 'undeliverable', 20_000);
  await h.executeUpdate(api.correctAddress, { args: [{ email: 'sue.m@avon-and-somerset.example.org' }] });
  const s = await waitFor('the letter sent again', async () => ((await statusOf(h)).emails.length === 2 ? statusOf(h) : undefined), 20_000);
  const resendId = messageIdFor(input.roundId, input.letterId, 'resend-1', input.sender.email);
  expect(s.emails.map((e) => e.messageId)).toEqual([original, resendId]);
  const resent = await simpleParser(sink.messages.find((m) => m.messageId === resendId)!.raw);
  expect(resent.inReplyTo).toBe(original);
  expect(resent.references).toBe(original);
  expect(resent.replyTo?.value[0].address).toBe(tagged);
  expect((resent.to as { value: { address: string }[] }).value[0].address).toBe('sue.m@avon-and-somerset.example.org');

  // Replies to either send are filed on the letter by their threading headers.
  const toResend = `<r2-${crypto.randomUUID()}@avon.example.org>`;
  await deliver({ from: 'sue.m@avon-and-somerset.example.org', subject: 'Re: your letter', inReplyTo: resendId, references: [original, resendId], messageId: toResend, text: 'Got it.' });
  expect(await replyOn(h, toResend)).toMatchObject({ matchedBy: 'message-id' });
  await h.terminate();
});

test('a wrong ROUNDS_INBOX_POLL or IMAP_URL is a one-line user error (exit 1) before anything starts', async () => {
  const base = { SMTP_URL: 'smtp://127.0.0.1:1', TEMPORAL_ADDRESS: '127.0.0.1:1', IMAP_URL: 'imap://u:p@127.0.0.1:1/INBOX' };
  let r = await rounds(['worker'], { ...base, ROUNDS_INBOX_POLL: 'soon' });
  expect(r.code).toBe(1);
  expect(r.stderr).toBe('rounds: ROUNDS_INBOX_POLL: expected seconds from 1 to 86400, got "soon"\n');
  r = await rounds(['worker'], { ...base, IMAP_URL: 'pop3://mail.example.org' });
  expect(r.code).toBe(1);
  expect(r.stderr).toBe('rounds: IMAP_URL: expected imap:// or imaps://, got pop3://\n');
  // `npm start` says so before it starts a dev server or a mail sink.
  r = await rounds(['serve'], { ROUNDS_INBOX_POLL: '0', ROUNDS_VAR_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'rounds-var-')) });
  expect(r.code).toBe(1);
  expect(r.stderr).toBe('rounds: ROUNDS_INBOX_POLL: expected seconds from 1 to 86400, got "0"\n');
  expect(r.stdout).not.toMatch(/temporal:|mail:/);
});
