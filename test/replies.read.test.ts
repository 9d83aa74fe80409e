// Reading one message for the inbox (activities/inbox.ts) without a server: the size limit and
// the cursor of the local folder mailbox.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInboxActivities, FolderSource, MAX_MESSAGE_BYTES } from '../activities/inbox';
import { DocumentStore } from '../activities/document-store';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'rounds-read-'));

test('a 60 MB message is filed with a note; only its headers are read and kept', async () => {
  const dir = tmp();
  const folder = new FolderSource(path.join(dir, 'inbox'));
  const big = Buffer.alloc(60 * 1024 * 1024, 'A');
  const head = Buffer.from('From: a@x.org\r\nSubject: huge [r/l]\r\nMessage-ID: <huge@x.org>\r\nContent-Type: application/octet-stream\r\n\r\n');
  folder.add(Buffer.concat([head, big]));
  const { pollMailbox } = createInboxActivities({ source: folder, documentsDir: path.join(dir, 'documents') });
  const r = await pollMailbox({ lastUid: 0 });
  expect(r.messages).toHaveLength(1);
  const mail = r.messages[0].mail;
  expect(mail).toMatchObject({ messageId: '<huge@x.org>', subject: 'huge [r/l]', attachments: [] });
  expect(mail.problems[0]).toMatch(/the message is 60 MB, over the 50 MB limit: only its headers were read/);
  expect(MAX_MESSAGE_BYTES).toBe(50 * 1024 * 1024);
  // The headers are stored; the message itself stays in the mailbox.
  expect((await new DocumentStore(path.join(dir, 'documents')).read(mail.raw.sha256)).toString()).toContain('Subject: huge');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the folder mailbox: UIDs after the cursor, in batches; a new UIDVALIDITY rescans; no mailbox configured is an error, not a crash', async () => {
  const dir = tmp();
  const folder = new FolderSource(path.join(dir, 'inbox'));
  for (let i = 1; i <= 25; i++) folder.add(Buffer.from(`Subject: ${i}\r\nMessage-ID: <${i}@x>\r\n\r\nbody\r\n`));
  const { pollMailbox } = createInboxActivities({ source: folder, documentsDir: path.join(dir, 'documents') });
  const first = await pollMailbox({ lastUid: 0 });
  expect(first.messages.map((m) => m.uid)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  expect(first.more).toBe(true);
  const rest = await pollMailbox({ uidValidity: first.uidValidity, lastUid: 20 });
  expect(rest.messages.map((m) => m.mail.subject)).toEqual(['21', '22', '23', '24', '25']);
  expect(rest.more).toBe(false);
  const rescan = await pollMailbox({ uidValidity: 'older', lastUid: 25 });
  expect(rescan.rescanned).toBe(true);
  expect(rescan.messages[0].uid).toBe(1);
  const none = await createInboxActivities({ documentsDir: dir }).pollMailbox({ lastUid: 0 });
  expect(none.error).toMatch(/no mailbox is configured/);
  fs.rmSync(dir, { recursive: true, force: true });
});
