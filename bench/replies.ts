// `npm run bench -- --replies 1000 --letters 10000`: replies in at scale (issue 13). A dev server,
// a real Dovecot (worker/dev/dovecot.ts), `rounds start` of a round of open letters, then the
// real `rounds worker` with IMAP_URL (its IDLE watcher and the mailbox workflow); N replies, one
// to each of N letters, are delivered over LMTP at once. Measured: seconds from the first
// delivery until the last reply is on its letter's timeline, and the delay from each message's
// delivery to its `reply` timeline entry (the entry's time is the worker's clock, as is ours).
import crypto from 'node:crypto';
import path from 'node:path';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import { messageIdFor } from '../domain/email';
import type { LetterStatus } from '../domain/types';
import * as api from '../workflows/letter-api';
import * as mb from '../workflows/mailbox-api';
import { DEV_SERVER_SQLITE_PRAGMAS } from '../worker/dev/temporal-binaries';
import { generateRound, runRounds, sleep, waitFor } from '../worker/dev/processes';
import { DevService } from '../worker/dev/service';
import { Dovecot, DOMAIN, USER } from '../worker/dev/dovecot';
import { ms, percentile, round0, round1, table } from './stats';
import { UserError } from '../domain/errors';

export interface RepliesBenchOptions {
  replies: number;
  letters: number;
  concurrency: number;
}

const SENDER = 'office@test-office.example.org';

export async function benchReplies(opts: RepliesBenchOptions, work: string, cleanup: (() => Promise<void> | void)[], log: (s: string) => void): Promise<Record<string, unknown>> {
  if (opts.replies > opts.letters) throw new UserError(`--replies ${opts.replies}: at most one reply per letter (--letters ${opts.letters})`);
  // Dovecot first, so that the worker (stopped with the service) goes before it.
  const dovecot = await new Dovecot().start();
  cleanup.push(() => dovecot.destroy());
  const service = await DevService.start({ dir: work, sqlitePragmas: DEV_SERVER_SQLITE_PRAGMAS });
  cleanup.push(() => service.stop());
  const { address, client } = service;
  log(`dev server ${address}, Dovecot IMAP ${dovecot.imapPort} / LMTP ${dovecot.lmtpPort}`);

  // Open letters whose first step is weeks away: nothing but the replies happens.
  const round = generateRound(work, 'bench-replies', opts.letters, [['20 working days', 'chase'], ['60 working days', 'close']]);
  const started = await runRounds(['--address', address, 'start', round.dir, '--sent-on', 'now', '--concurrency', String(opts.concurrency)], {}, 20 * 60_000);
  if (started.code !== 0) throw new Error(`rounds start failed (${started.code}): ${started.stderr}`);
  log(`rounds start: ${started.stdout.trim()} in ${ms(started.ms)}`);

  const worker = service.startWorker({
    env: { IMAP_URL: dovecot.imapUrl, ROUNDS_VAR_DIR: path.join(work, 'var'), ROUNDS_DOCUMENTS_DIR: path.join(work, 'documents') },
    readyTimeoutMs: 120_000,
  });
  await worker.ready;
  const scheduled = () => client.workflow.count(`RoundId = "${round.roundId}" AND NextActionAt > "2000-01-01T00:00:00Z"`).then((c) => c.count);
  await waitFor('every letter to have run its first task', async () => (await scheduled()) >= opts.letters, 20 * 60_000, 1000);
  await waitFor('the mailbox workflow', async () => (await client.workflow.getHandle(mb.MAILBOX_WORKFLOW_ID).query(mb.inbox)).uidValidity !== undefined, 60_000, 500);
  log(`worker ready; ${opts.letters} letters open`);

  // One reply to each of the first N letters, threaded to the letter; every tenth carries only the subject tag.
  const letters = round.letterIds.slice(0, opts.replies);
  const raws = await Promise.all(
    letters.map((letterId, i) => {
      const original = messageIdFor(round.roundId, letterId, 'letter', SENDER);
      const threaded = i % 10 !== 0;
      return new MailComposer({
        from: `${letterId}@recipient.example.org`,
        to: `${USER}@${DOMAIN}`,
        subject: threaded ? 'Re: please send your documents' : `Documents [${round.roundId}/${letterId}]`,
        messageId: `<bench-${i}-${crypto.randomUUID()}@recipient.example.org>`,
        ...(threaded ? { inReplyTo: original, references: [original] } : {}),
        text: 'Please find attached our Problem Profile.',
        attachments: [{ filename: 'Problem Profile.pdf', content: crypto.randomBytes(20 * 1024), contentType: 'application/pdf' }],
      })
        .compile()
        .build();
    }),
  );
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: dovecot.lmtpPort, lmtp: true, secure: false, ignoreTLS: true, pool: true, maxConnections: 8, maxMessages: Infinity } as never);
  const deliveredAt = new Map<string, number>();
  const t0 = Date.now();
  await Promise.all(
    raws.map(async (raw, i) => {
      await transport.sendMail({ envelope: { from: 'sender@recipient.example.org', to: `${USER}@${DOMAIN}` }, raw });
      deliveredAt.set(letters[i], Date.now());
    }),
  );
  transport.close();
  const deliveryMs = Date.now() - t0;
  log(`${opts.replies} replies delivered over LMTP in ${ms(deliveryMs)}`);

  const box = client.workflow.getHandle(mb.MAILBOX_WORKFLOW_ID);
  await waitFor('the mailbox to read every message', async () => (await box.query(mb.inbox)).lastUid >= opts.replies, 30 * 60_000, 1000);
  const readMs = Date.now() - t0;
  log(`mailbox read all ${opts.replies} in ${ms(readMs)}; reading the letters' timelines`);
  // Afterwards, one status query per replied letter (the measurement, not the product) for the entry's time.
  const filedAt = new Map<string, number>();
  for (let pass = 0; filedAt.size < letters.length && pass < 600; pass++) {
    const missing = letters.filter((l) => !filedAt.has(l));
    for (let i = 0; i < missing.length; i += 32) {
      await Promise.all(
        missing.slice(i, i + 32).map(async (letterId) => {
          let s: LetterStatus;
          try {
            s = await client.workflow.getHandle(api.workflowIdFor(round.roundId, letterId)).query(api.status);
          } catch {
            // e.g. FAILED_PRECONDITION while a workflow task is being retried (a signal arrived as it completed): ask again next pass
            return;
          }
          const entry = s.timeline.find((t) => t.kind === 'reply');
          if (entry) filedAt.set(letterId, Date.parse(entry.at));
        }),
      );
    }
    if (filedAt.size < letters.length) await sleep(1000);
  }
  const inbox = await waitFor('the mailbox to answer', () => box.query(mb.inbox).catch(() => undefined), 120_000, 1000);
  // Where the mailbox workflow's time went: its poll activities (IMAP, parsing, storing) and the rest (filing).
  const history = await box.fetchHistory();
  const time = (e: { eventTime?: { seconds?: unknown; nanos?: number | null } | null }) => Number(e.eventTime?.seconds ?? 0) * 1000 + (e.eventTime?.nanos ?? 0) / 1e6;
  const events = history.events ?? [];
  const activityScheduled = new Map<number, number>();
  const polls: number[] = [];
  let workflowTasks = 0;
  for (const e of events) {
    if (time(e) < t0) continue;
    if (e.activityTaskScheduledEventAttributes) activityScheduled.set(Number(e.eventId), time(e));
    const done = e.activityTaskCompletedEventAttributes;
    if (done && activityScheduled.has(Number(done.scheduledEventId))) polls.push(time(e) - activityScheduled.get(Number(done.scheduledEventId))!);
    if (e.workflowTaskCompletedEventAttributes) workflowTasks++;
  }
  log(`mailbox after the first delivery: ${polls.length} activities, ${ms(polls.reduce((a, b) => a + b, 0))} in them (p50 ${ms(percentile(polls, 50))}), ${workflowTasks} workflow tasks, ${events.length} events in this run`);
  const delays = letters.filter((l) => filedAt.has(l)).map((l) => filedAt.get(l)! - deliveredAt.get(l)!).sort((a, b) => a - b);
  const lastFiled = Math.max(...filedAt.values());
  const r = {
    replies: opts.replies,
    letters: opts.letters,
    filed: filedAt.size,
    inPen: inbox.pen.length,
    deliveryMs: round0(deliveryMs),
    allFiledS: round1((lastFiled - t0) / 1000),
    perSecond: round1(filedAt.size / ((lastFiled - t0) / 1000)),
    delayMs: { p50: round0(percentile(delays, 50)), p99: round0(percentile(delays, 99)), max: round0(delays[delays.length - 1] ?? 0) },
    workerRssMb: round0(worker.rssKb() / 1024),
    mailboxActivities: { count: polls.length, totalMs: round0(polls.reduce((a, b) => a + b, 0)), p50Ms: round0(percentile(polls, 50)) },
    mailboxWorkflowTasks: workflowTasks,
    note: 'replies delivered at once over LMTP to Dovecot; the real rounds worker reads them over IMAP (IDLE + the mailbox workflow, 20 per poll activity), stores raw mail and attachments, and signals each letter; delay = reply timeline entry time minus the moment LMTP accepted the message',
  };
  console.log(
    '\n' +
      table([
        ['measure', 'value'],
        [`replies delivered at once (LMTP)`, `${opts.replies} in ${ms(deliveryMs)}`],
        [`open letters`, String(opts.letters)],
        ['filed on their letters / in the holding pen', `${r.filed} / ${r.inPen}`],
        ['seconds until all are filed (from the first delivery)', `${r.allFiledS} s (${r.perSecond}/s)`],
        ['delivery -> timeline p50 / p99 / max', `${ms(r.delayMs.p50)} / ${ms(r.delayMs.p99)} / ${ms(r.delayMs.max)}`],
        ['worker RSS at end', `${r.workerRssMb} MB`],
      ]) +
      '\n',
  );
  return r;
}
