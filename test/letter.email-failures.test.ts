// Emails that can never be sent: refused by the SMTP server (5xx) or carrying a header
// injection. Each is recorded in the letter's timeline, nothing is sent, the letter goes on.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as api from '../workflows/letter-api';
import { MailSink } from '../worker/dev/mail-sink';
import { letterInput, startLetter, withLetterWorker } from './support/temporal';

const world = withLetterWorker(async () => new MailSink({ dir: fs.mkdtempSync(path.join(os.tmpdir(), 'outbox-')), refuse: /^nobody@/ }).start());

async function run(overrides: Parameters<typeof letterInput>[0]) {
  const handle = await startLetter(world.env, overrides);
  await world.env.sleep('150s');
  return handle.query(api.status);
}

test('a chase refused with 550 is recorded as email-failed and not retried; the next step still comes', async () => {
  const before = world.sink.messages.length;
  const s = await run({ recipient: { ...letterInput().recipient, email: 'nobody@avon-and-somerset.example.org', cc: [] } });
  const failed = s.timeline.find((t) => t.kind === 'email-failed');
  expect(failed?.message).toMatch(/step-0@iasc\.example\.org>: SMTP server refused .*550/);
  expect(world.sink.messages.length).toBe(before);
  expect(s.steps[0].status).toBe('done');
  expect(s.nextAction?.kind).toBe('chase');
});

test('a subject with a line break (header injection) is refused before anything is sent', async () => {
  const before = world.sink.messages.length;
  const s = await run({ subject: 'Documents please\r\nBcc: everyone@example.org' });
  // The letter says why it cannot go on (needs-attention), rather than failing each email.
  expect(s.state).toBe('needs-attention');
  expect(s.attention).toMatch(/subject: must be one line \(it becomes an email header\), got "Documents please\\r\\nBcc: everyone@example.org"/);
  expect(world.sink.messages.length).toBe(before);
});
