// The SMTP transport the email activity uses: a pool of a few connections whatever the number
// of emails at once, and timeouts shorter than the activity's own, whatever SMTP_URL says.
// (A `{ url, pool, ... }` object made nodemailer read the URL alone and drop the rest.)
import net from 'node:net';
import { SMTPServer } from 'smtp-server';
import { createEmailActivities, SMTP_DEFAULTS, transportOptions } from '../activities/email';
import { renderFollowUp } from '../domain/email';
import { letterInput } from './support/temporal';

const message = (i: number) => renderFollowUp(letterInput({ roundId: 'transport', letterId: `l${i}` }), 'chase', 0, 1, ['responseStrategy']);

test('SMTP_URL gives the host, port, TLS and credentials; the pool and timeouts are ours', () => {
  expect(transportOptions('smtps://relay%40office:p%40ss@relay.example.org:465')).toMatchObject({
    host: 'relay.example.org',
    port: 465,
    secure: true,
    auth: { user: 'relay@office', pass: 'p@ss' },
    pool: true,
    maxConnections: SMTP_DEFAULTS.maxConnections,
    connectionTimeout: SMTP_DEFAULTS.connectionTimeoutMs,
    greetingTimeout: SMTP_DEFAULTS.greetingTimeoutMs,
    socketTimeout: SMTP_DEFAULTS.socketTimeoutMs,
  });
  // The SMTP socket goes quiet for less than the activity's 2-minute start-to-close timeout.
  expect(SMTP_DEFAULTS.socketTimeoutMs).toBeLessThan(120_000);
});

test('30 emails at once go through at most 5 connections, and all arrive', async () => {
  let open = 0;
  let most = 0;
  const subjects: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onConnect: (_session, callback) => {
      most = Math.max(most, ++open);
      callback();
    },
    onClose: () => {
      open--;
    },
    onData: (stream, _session, callback) => {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString()));
      stream.on('end', () => {
        subjects.push(/^Message-ID: (.*)$/im.exec(raw)?.[1] ?? '?');
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as net.AddressInfo).port;
  const email = createEmailActivities({ smtpUrl: `smtp://127.0.0.1:${port}` });
  try {
    const messages = Array.from({ length: 30 }, (_, i) => message(i));
    await Promise.all(messages.map((m) => email.sendEmail(m)));
    expect(subjects.sort()).toEqual(messages.map((m) => m.messageId).sort());
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(SMTP_DEFAULTS.maxConnections);
  } finally {
    email.close();
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('a server that never greets fails the attempt after the greeting timeout, so Temporal retries it', async () => {
  // Accepts the TCP connection and says nothing.
  const sockets: net.Socket[] = [];
  const silent = net.createServer((s) => sockets.push(s));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const port = (silent.address() as net.AddressInfo).port;
  const email = createEmailActivities({ smtpUrl: `smtp://127.0.0.1:${port}`, smtp: { greetingTimeoutMs: 300 } });
  try {
    // nodemailer's own greeting timeout is 30 s: a send still pending after 10 s did not get ours.
    let guard: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      email.sendEmail(message(1)).then(
        () => 'sent',
        (err: Error & { code?: string }) => `failed: ${err.code}: ${err.message}`,
      ),
      new Promise<string>((r) => (guard = setTimeout(() => r('still waiting after 10 s'), 10_000))),
    ]);
    clearTimeout(guard);
    expect(outcome).toMatch(/^failed: ETIMEDOUT: .*greeting/i);
  } finally {
    email.close();
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => silent.close(() => r()));
  }
});
