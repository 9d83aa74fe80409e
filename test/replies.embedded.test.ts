// The embedded default: no IMAP, mail sent to the local SMTP sink that the workers did not send
// (a reply to the coordinator) is filed by the same mailbox workflow; and `rounds inbox`.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import nodemailer from 'nodemailer';
import { FolderSource } from '../activities/inbox';
import { messageIdFor } from '../domain/email';
import * as api from '../workflows/letter-api';
import type { letter } from '../workflows/letter';
import * as mb from '../workflows/mailbox-api';
import { InboxWatcher } from '../worker/inbox-watcher';
import { MailSink } from '../worker/dev/mail-sink';
import { createLetterWorker } from '../worker/worker';
import { rounds } from './support/cli';
import { letterInput, timeSkippingEnv, workflowBundle } from './support/temporal';
import { waitFor } from '../worker/dev/wait';

jest.setTimeout(120_000);

let env: TestWorkflowEnvironment;
let sink: MailSink;
let folder: FolderSource;
let varDir: string;
let stop: () => Promise<void>;
let watcher: InboxWatcher;
let address: string;

beforeAll(async () => {
  env = await timeSkippingEnv();
  address = (env.connection.options as { address: string }).address;
  varDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rounds-var-'));
  folder = new FolderSource(path.join(varDir, 'inbox'));
  sink = await new MailSink({ dir: path.join(varDir, 'outbox'), incoming: (raw) => folder.add(raw) }).start();
  const { worker, close } = await createLetterWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    email: { smtpUrl: sink.url },
    inbox: { source: folder, documentsDir: path.join(varDir, 'documents') },
    workflowBundle: await workflowBundle(),
  });
  const running = worker.run();
  // As `npm start` does: the watcher starts the mailbox workflow and wakes it when the folder changes.
  watcher = await new InboxWatcher({ connection: env.connection, namespace: 'default', source: folder, pollSeconds: 86_400 }).start();
  stop = async () => {
    await watcher.stop();
    worker.shutdown();
    await running;
    close();
  };
});
afterAll(async () => {
  await env?.client.workflow.getHandle(mb.MAILBOX_WORKFLOW_ID).terminate().catch(() => undefined);
  await stop?.();
  await sink?.stop();
  await env?.teardown();
});

test('a reply sent to the local sink is filed on its letter; the letters themselves are not taken for replies', async () => {
  const input = letterInput({ delivery: 'send', body: { text: 'Please send', html: '<p>Please send</p>' } });
  const h = await env.client.workflow.start<typeof letter>(api.WORKFLOW_TYPE, { taskQueue: api.TASK_QUEUE, workflowId: api.workflowIdFor(input.roundId, input.letterId), args: [input] });
  await waitFor('the letter sent', async () => (await h.query(api.status)).emails.length === 1, 20_000);
  const original = messageIdFor(input.roundId, input.letterId, 'letter', input.sender.email);
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: sink.port, secure: false, ignoreTLS: true });
  await transport.sendMail({ from: input.recipient.email, to: input.coordinator.email, subject: 'Re: your letter', inReplyTo: original, references: [original], messageId: `<dev-${crypto.randomUUID()}@example.org>`, text: 'Our delivery update follows.' });
  transport.close();
  const s = await waitFor('the reply filed', async () => ((await h.query(api.status)).replies?.length ? h.query(api.status) : undefined), 20_000);
  expect(s.replies![0]).toMatchObject({ matchedBy: 'message-id', from: input.recipient.email, suggested: ['deliveryUpdate'] });
  // The letter went through the sink too, but it is ours: not in the inbox folder.
  expect(fs.readdirSync(folder.dir).filter((f) => f.endsWith('.eml'))).toHaveLength(1);

  // `rounds inbox --json` and `rounds inbox import` (a stray .eml lands in the holding pen; `inbox file` files it).
  const cli = (args: string[]) => rounds([...args, '--address', address], { ROUNDS_VAR_DIR: varDir, ROUNDS_DOCUMENTS_DIR: path.join(varDir, 'documents') });
  let r = await cli(['inbox', '--json']);
  expect(r.stderr).toBe('');
  expect(JSON.parse(r.stdout).recent.at(-1)).toMatchObject({ roundId: input.roundId, letterId: input.letterId, kind: 'reply' });
  const eml = path.join(varDir, 'stray.eml');
  const strayId = `<stray-${crypto.randomUUID()}@example.org>`;
  fs.writeFileSync(eml, `From: clerk@elsewhere.example.org\r\nTo: someone@example.org\r\nSubject: forwarded documents\r\nMessage-ID: ${strayId}\r\n\r\nSee attached.\r\n`);
  r = await cli(['inbox', 'import', eml]);
  expect(r.stdout).toMatch(/not matched, kept in the holding pen: it names no letter/);
  r = await cli(['inbox']);
  expect(r.stdout).toContain(strayId);
  r = await cli(['inbox', 'file', strayId, 'nosuchround/x']);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/nosuchround\/x is not an open letter/);
  r = await cli(['inbox', 'file', strayId, `${input.roundId}/${input.letterId}`]);
  expect(r.stdout).toMatch(/filed on .* as reply \(matched by staff/);
  // A second stray one is dismissed with a reason.
  const spamId = `<spam-${crypto.randomUUID()}@example.org>`;
  fs.writeFileSync(eml, `From: offers@spam.example.org\r\nSubject: cheap pens\r\nMessage-ID: ${spamId}\r\n\r\nBuy now.\r\n`);
  await cli(['inbox', 'import', eml]);
  r = await cli(['inbox', 'dismiss', spamId]);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/--reason/);
  r = await cli(['inbox', 'dismiss', spamId, '--reason', 'spam']);
  expect(r.stdout).toBe(`${spamId}: dismissed\n`);
  r = await cli(['inbox', '--json']);
  const state = JSON.parse(r.stdout);
  expect(state.pen).toEqual([]);
  expect(state.recent.at(-1)).toMatchObject({ messageId: spamId, dismissed: 'spam' });
  r = await cli(['inbox', 'import', path.join(varDir, 'outbox')]);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/cannot read it \(EISDIR\)/);
  // Triage from the CLI: no documents yet.
  r = await cli(['triage', h.workflowId, s.replies![0].messageId, '--none']);
  expect(r.stderr).toBe('');
  expect((await h.query(api.status)).replies![0].triaged).toMatchObject({ documents: [] });
  await h.terminate();
});
