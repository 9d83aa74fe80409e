// Sending email: the only place the system talks SMTP.
import { ApplicationFailure, Context } from '@temporalio/activity';
import nodemailer from 'nodemailer';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { assertSafeMessage, type EmailMessage } from '../domain/email';
import { DocumentStore } from './document-store';
import { SentJournal } from './sent-journal';
import { HeaderInjectionError, MissingDocumentError } from '../domain/errors';

/** Well inside the workflow's 20 s heartbeat timeout; the SDK throttles what it sends anyway. */
const HEARTBEAT_EVERY_MS = 5_000;

export interface EmailConfig {
  /** smtp://user:pass@host:port or smtps://... */
  smtpUrl: string;
  /** File of accepted attempts (activities/sent-journal.ts), so a retry after a worker died does not send again; none: no journal. */
  sentJournal?: string;
  /** Connections and timeouts (tests shorten them); SMTP_DEFAULTS otherwise. */
  smtp?: Partial<SmtpSettings>;
  /** The document store attachments are read from (by SHA-256), and letters' PDFs are kept in (activities/letter-pdf.ts). */
  documentsDir?: string;
}

export interface SmtpSettings {
  maxConnections: number;
  connectionTimeoutMs: number;
  greetingTimeoutMs: number;
  socketTimeoutMs: number;
}

export const SMTP_DEFAULTS: SmtpSettings = {
  // One worker keeps at most this many connections to the relay; its other emails wait for one.
  maxConnections: 5,
  // Shorter than the activity's start-to-close timeout (2 minutes), so an attempt that the
  // workflow gives up on has really stopped talking to the server.
  connectionTimeoutMs: 15_000,
  greetingTimeoutMs: 15_000,
  socketTimeoutMs: 45_000,
};

/**
 * nodemailer's options for `smtpUrl` with ours. Not `{ url, pool, ... }`: given a `url`,
 * nodemailer reads only the URL and drops every other option, which left the worker with no
 * pool (a connection per email, 20 at once) and nodemailer's default timeouts (10 minutes of
 * socket silence), longer than the activity's own timeout.
 */
export function transportOptions(smtpUrl: string, settings: Partial<SmtpSettings> = {}): SMTPPool.Options {
  const s = { ...SMTP_DEFAULTS, ...settings };
  return {
    ...parseConnectionUrl(smtpUrl),
    pool: true,
    maxConnections: s.maxConnections,
    connectionTimeout: s.connectionTimeoutMs,
    greetingTimeout: s.greetingTimeoutMs,
    socketTimeout: s.socketTimeoutMs,
  };
}

export interface SentEmail {
  messageId: string;
  accepted: string[];
  response: string;
}

export function createEmailActivities(config: EmailConfig) {
  const transport = nodemailer.createTransport(transportOptions(config.smtpUrl, config.smtp));

  const journal = config.sentJournal ? new SentJournal(config.sentJournal) : undefined;
  const store = config.documentsDir ? new DocumentStore(config.documentsDir) : undefined;

  /** An email's attachments, read from the document store by reference: exactly the bytes the timeline names. */
  async function attachmentsOf(message: EmailMessage) {
    if (!message.attachments?.length) return undefined;
    if (!store) throw ApplicationFailure.nonRetryable(`${message.messageId} has attachments, but this worker has no document store (ROUNDS_DOCUMENTS_DIR) to read them from`, 'NoDocumentStore');
    return Promise.all(
      message.attachments.map(async (a) => {
        try {
          return { filename: a.name, contentType: a.contentType, content: await store.read(a.sha256) };
        } catch (err) {
          if (err instanceof MissingDocumentError) throw ApplicationFailure.nonRetryable(`${message.messageId}: attachment ${a.name}: ${err.message}`, 'MissingDocumentError');
          throw err;
        }
      }),
    );
  }

  async function sendEmail(message: EmailMessage): Promise<SentEmail> {
    try {
      assertSafeMessage(message);
    } catch (err) {
      throw ApplicationFailure.nonRetryable((err as Error).message, (err as Error).name);
    }
    let context: Context | undefined;
    try {
      context = Context.current();
    } catch {
      // called outside an activity (e.g. a script): no workflow to name, nobody to heartbeat to
    }
    const run = context?.info.workflowExecution;
    const workflowId = run?.workflowId;
    // Stable across the retries of one activity, different for a letter started again.
    const key = run ? `${run.workflowId}/${run.runId}/${context!.info.activityId}` : undefined;
    if (journal && key && context!.info.attempt > 1) {
      const sent = journal.find(key);
      if (sent) {
        // Rare (a worker died between the server's 250 and telling Temporal), so worth a line in the log.
        context!.log.warn('email not sent again: the SMTP server accepted it in an earlier attempt', { messageId: message.messageId, acceptedAt: sent.at });
        return { messageId: message.messageId, accepted: [], response: `accepted by an earlier attempt at ${sent.at}: ${sent.response}` };
      }
    }
    const attachments = await attachmentsOf(message);
    // Heartbeats tell Temporal this attempt is alive (the workflow sets a 20 s heartbeat
    // timeout): if the worker dies mid-send, the email is retried after 20 s, not 2 minutes.
    context?.heartbeat();
    const beating = context ? setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS) : undefined;
    try {
      const info = await transport.sendMail({
        from: { name: message.from.name, address: message.from.email },
        to: message.to,
        cc: message.cc.length > 0 ? message.cc : undefined,
        replyTo: { name: message.replyTo.name, address: message.replyTo.email },
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: message.messageId,
        inReplyTo: message.inReplyTo,
        references: message.references,
        attachments,
        headers: workflowId ? { 'X-Request-Rounds-Letter': workflowId } : undefined,
        // A bounce from a server that speaks DSN names our Message-ID (Original-Envelope-Id), so
        // the inbox can match it to its letter even when the original headers are not returned.
        // (an SMTP-only option, missing from nodemailer's general Mail.Options type)
        ...({ dsn: { id: message.messageId, return: 'headers', notify: ['failure', 'delay'], recipient: message.from.email } } as object),
        // nodemailer's own guard as well: it refuses to fold newlines into headers.
        disableFileAccess: true,
        disableUrlAccess: true,
      });
      if (journal && key) {
        try {
          journal.record({ key, messageId: message.messageId, response: info.response, at: new Date().toISOString() });
        } catch (err) {
          // The email is sent: say so to Temporal all the same; only a retry could duplicate it now.
          context?.log.warn('could not note the sent email in the journal', { file: journal.file, error: (err as Error).message });
        }
      }
      return { messageId: message.messageId, accepted: info.accepted.map(String), response: info.response };
    } catch (err) {
      const e = err as Error & { responseCode?: number };
      if (e instanceof HeaderInjectionError) throw ApplicationFailure.nonRetryable(e.message, e.name);
      // 5xx: the server refused this message for good; retrying would only repeat it.
      if (e.responseCode && e.responseCode >= 500) {
        throw ApplicationFailure.nonRetryable(`SMTP server refused ${message.messageId}: ${e.message}`, 'SmtpPermanentError');
      }
      throw err; // connection refused, timeouts, 4xx: retried by Temporal
    } finally {
      clearInterval(beating);
    }
  }

  return { sendEmail, close: () => transport.close() };
}
