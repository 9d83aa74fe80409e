// Reading the coordinator's mailbox (issue 13): new messages since the mailbox workflow's
// cursor (UIDVALIDITY and last UID), each parsed with mailparser and kept, raw and with its
// attachments, in the document store; the workflow gets only an IncomingMail (references).
// Two sources: an IMAP mailbox (IMAP_URL, imapflow), or, by default, a local folder that the
// mail sink fills with mail addressed to the coordinator (worker/dev/mail-sink.ts).
import fs from 'node:fs';
import path from 'node:path';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { Client, type ConnectionLike } from '@temporalio/client';
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { CLASSIFIER_HEADERS, senderKeys, type IncomingAttachment, type IncomingMail, type OpenLetter } from '../domain/replies';
import { queries } from '../client/queries';
import { RecipientEmails, RoundId } from '../workflows/letter-api';
import { DocumentStore } from './document-store';

/** A message over this is filed with a note from its headers alone (only they are fetched and kept; the message stays in the mailbox). */
export const MAX_MESSAGE_BYTES = 50 * 1024 * 1024;
/** At most this many attachments are stored per message; the rest are counted in a note. */
export const MAX_ATTACHMENTS = 200;
const EXCERPT = 1000;

export interface MailboxCursor {
  uidValidity?: string;
  lastUid: number;
}

export interface PolledMessage {
  uid: number;
  mail: IncomingMail;
}

export interface PollResult {
  uidValidity: string;
  /** Messages after the cursor, oldest first (at most `max`). */
  messages: PolledMessage[];
  /** There are more after these: poll again at once. */
  more: boolean;
  /** The mailbox could not be read (the workflow waits and tries again, and shows this). */
  error?: string;
  /** The UIDVALIDITY changed: the mailbox was scanned from the start (filing is idempotent). */
  rescanned?: boolean;
}

export interface RawMessage {
  uid: number;
  raw: Buffer;
  /** Set when only the headers were fetched (a message over MAX_MESSAGE_BYTES). */
  size?: number;
}

/** Where new mail comes from: an IMAP mailbox or a local folder. */
export interface MailSource {
  readonly description: string;
  poll(cursor: MailboxCursor, max: number): Promise<{ uidValidity: string; messages: RawMessage[]; more: boolean }>;
}

// ---- reading one message ----

/** Parses a raw message and stores it and its attachments. Never throws for a malformed message: what failed becomes a problem noted on it. */
export async function readMail(raw: Buffer, store: DocumentStore, fullSize?: number): Promise<IncomingMail> {
  const rawRef = await store.put(raw);
  const problems: string[] = [];
  const size = fullSize ?? raw.length;
  const tooBig = size > MAX_MESSAGE_BYTES;
  if (tooBig) problems.push(`the message is ${Math.round(size / 1024 / 1024)} MB, over the ${MAX_MESSAGE_BYTES / 1024 / 1024} MB limit: only its headers were read`);
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(tooBig ? headerBlock(raw) : raw, { keepDeliveryStatus: true, skipImageLinks: true, maxHtmlLengthToParse: 2_000_000 });
  } catch (err) {
    problems.push(`the message could not be parsed: ${(err as Error).message}`);
    parsed = await simpleParser(headerBlock(raw)).catch(() => ({ headers: new Map(), headerLines: [], attachments: [] }) as unknown as ParsedMail);
  }
  const header = headerLookup(parsed);
  const attachments: IncomingAttachment[] = [];
  let deliveryStatus: string | undefined;
  let returned: IncomingMail['returned'];
  for (const [i, a] of (tooBig ? [] : (parsed.attachments ?? [])).entries()) {
    const type = (a.contentType ?? 'application/octet-stream').toLowerCase();
    if (type === 'message/delivery-status' || type === 'message/global-delivery-status') {
      deliveryStatus = a.content.toString('utf8').slice(0, 64 * 1024);
      continue;
    }
    if (type === 'text/rfc822-headers' || type === 'message/rfc822' || type === 'message/global-headers') {
      returned ??= returnedHeaders(a.content);
    }
    if (attachments.length >= MAX_ATTACHMENTS) {
      if (i === (parsed.attachments ?? []).length - 1) problems.push(`${(parsed.attachments ?? []).length - MAX_ATTACHMENTS} attachments over the limit of ${MAX_ATTACHMENTS} were not stored (they are in the raw message)`);
      continue;
    }
    try {
      const ref = await store.put(a.content);
      attachments.push({ ...ref, name: a.filename ?? `attachment-${i + 1}`, contentType: type });
    } catch (err) {
      problems.push(`attachment ${a.filename ?? i + 1} could not be stored: ${(err as Error).message}`);
    }
  }
  const text = parsed.text ?? (typeof parsed.html === 'string' ? parsed.html.replace(/<[^>]*>/g, ' ') : '');
  return {
    // A message without a Message-ID gets one from its bytes: the same message is still filed once.
    messageId: parsed.messageId ?? `<${rawRef.sha256}@no-message-id.invalid>`,
    raw: rawRef,
    from: addresses(parsed.from)[0],
    fromName: parsed.from?.value?.[0]?.name || undefined,
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    deliveredTo: [...header.all('delivered-to'), ...header.all('x-original-to')].map((a) => a.replace(/^.*<|>.*$/g, '').trim().toLowerCase()),
    subject: (parsed.subject ?? '').slice(0, 1000),
    date: parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date.toISOString() : undefined,
    inReplyTo: parsed.inReplyTo?.trim() || undefined,
    references: (Array.isArray(parsed.references) ? parsed.references : parsed.references ? parsed.references.split(/\s+/) : []).slice(-50),
    headers: Object.fromEntries(CLASSIFIER_HEADERS.flatMap((h) => (header.all(h).length > 0 ? [[h, header.all(h)[0].slice(0, 1000)]] : []))),
    contentType: header.all('content-type')[0] ?? 'text/plain',
    deliveryStatus,
    returned,
    excerpt: text.replace(/\s+/g, ' ').trim().slice(0, EXCERPT),
    attachments,
    problems,
  };
}

/** The raw header lines, unfolded, by lower-case name. */
function headerLookup(parsed: ParsedMail) {
  const lines = parsed.headerLines ?? [];
  return {
    all: (name: string) =>
      lines.filter((l) => l.key === name).map((l) => l.line.slice(l.line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim()),
  };
}

function addresses(a: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(a) ? a : a ? [a] : [];
  return list.flatMap((o) => o.value.map((v) => v.address?.toLowerCase()).filter((x): x is string => Boolean(x)));
}

function headerBlock(raw: Buffer): Buffer {
  const head = raw.subarray(0, Math.min(raw.length, 256 * 1024));
  const end = head.indexOf('\r\n\r\n') >= 0 ? head.indexOf('\r\n\r\n') + 4 : head.indexOf('\n\n') >= 0 ? head.indexOf('\n\n') + 2 : head.length;
  return Buffer.concat([head.subarray(0, end), Buffer.from('\r\n')]);
}

function returnedHeaders(content: Buffer): IncomingMail['returned'] {
  const text = content.subarray(0, 64 * 1024).toString('utf8').replace(/\r?\n[ \t]+/g, ' ');
  const head = text.split(/\r?\n\r?\n/)[0];
  const get = (name: string) => new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(head)?.[1].trim();
  return {
    messageId: get('message-id'),
    inReplyTo: get('in-reply-to'),
    references: (get('references') ?? '').split(/\s+/).filter(Boolean),
    subject: get('subject'),
  };
}

// ---- sources ----

/** IMAP_URL: imap://user:password@host:port/INBOX (imaps:// for TLS); IMAP_PASSWORD overrides the URL's password. */
export function imapOptions(imapUrl: string, env: NodeJS.ProcessEnv = process.env): { options: ImapFlowOptions; mailbox: string; description: string } {
  let url: URL;
  try {
    url = new URL(imapUrl);
  } catch {
    throw new Error(`IMAP_URL is not a URL: expected imap://user:password@host:port/INBOX, got ${JSON.stringify(imapUrl.replace(/:[^@/]*@/, ':***@'))}`);
  }
  if (url.protocol !== 'imap:' && url.protocol !== 'imaps:') throw new Error(`IMAP_URL: expected imap:// or imaps://, got ${url.protocol}//`);
  const secure = url.protocol === 'imaps:';
  const mailbox = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'INBOX';
  return {
    mailbox,
    description: `${url.protocol}//${url.username ? `${decodeURIComponent(url.username)}@` : ''}${url.host}/${mailbox}`,
    options: {
      host: url.hostname,
      port: Number(url.port) || (secure ? 993 : 143),
      secure,
      auth: { user: decodeURIComponent(url.username), pass: env.IMAP_PASSWORD ?? decodeURIComponent(url.password) },
      logger: false,
      // Plain IMAP on a local test server offers no STARTTLS; imapflow then goes on in plain text.
      doSTARTTLS: secure ? undefined : url.hostname === '127.0.0.1' || url.hostname === 'localhost' ? false : undefined,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 60_000,
    },
  };
}

export class ImapSource implements MailSource {
  readonly description: string;
  readonly options: ImapFlowOptions;
  readonly mailbox: string;
  /** ROUNDS_INBOX_MOVE_TO: a folder filed messages are moved to; unset, the mailbox is never changed. */
  readonly moveTo?: string;

  constructor(imapUrl: string, env: NodeJS.ProcessEnv = process.env) {
    const o = imapOptions(imapUrl, env);
    this.moveTo = env.ROUNDS_INBOX_MOVE_TO || undefined;
    this.options = o.options;
    this.mailbox = o.mailbox;
    this.description = o.description;
  }

  /** One short session per poll: connect, read what is new, log out (the workflow keeps the cursor). */
  async poll(cursor: MailboxCursor, max: number) {
    const client = new ImapFlow({ ...this.options, disableAutoIdle: true });
    client.on('error', () => undefined); // reported through the failed command instead
    await client.connect();
    try {
      const box = await client.mailboxOpen(this.mailbox, { readOnly: !this.moveTo });
      const uidValidity = String(box.uidValidity);
      const after = cursor.uidValidity === uidValidity ? cursor.lastUid : 0;
      // Messages up to the cursor are filed (the workflow moves the cursor after filing each):
      // only those are moved, so a message is never moved before it is filed.
      if (this.moveTo && after > 0 && box.exists > 0) {
        await client.mailboxCreate(this.moveTo).catch(() => undefined); // already there
        await client.messageMove(`1:${after}`, this.moveTo, { uid: true });
      }
      // `n:*` always returns the newest message even when its UID is below n: filter by UID.
      const found = box.exists === 0 ? [] : await client.search({ uid: `${after + 1}:*` }, { uid: true });
      const uids = (found || []).filter((u) => u > after).sort((a, b) => a - b);
      const batch = uids.slice(0, max);
      const messages: RawMessage[] = [];
      for (const uid of batch) {
        const meta = await client.fetchOne(String(uid), { uid: true, size: true }, { uid: true });
        const size = meta ? meta.size ?? 0 : 0;
        if (size > MAX_MESSAGE_BYTES) {
          const head = await client.fetchOne(String(uid), { headers: true }, { uid: true });
          messages.push({ uid, raw: head && head.headers ? head.headers : Buffer.alloc(0), size });
          continue;
        }
        const m = await client.fetchOne(String(uid), { source: true }, { uid: true });
        if (m && m.source) messages.push({ uid, raw: m.source });
      }
      return { uidValidity, messages, more: uids.length > batch.length };
    } finally {
      await client.logout().catch(() => client.close());
    }
  }
}

/**
 * A local folder as a mailbox: '<uid>.eml' files, UIDVALIDITY in '.uidvalidity'. The mail sink
 * writes here the mail it receives for the coordinator, so `npm start` has replies without IMAP.
 */
export class FolderSource implements MailSource {
  readonly description: string;
  constructor(readonly dir: string) {
    this.description = `folder ${dir}`;
  }

  uidValidity(): string {
    fs.mkdirSync(this.dir, { recursive: true });
    const file = path.join(this.dir, '.uidvalidity');
    try {
      return fs.readFileSync(file, 'utf8').trim();
    } catch {
      const value = String(Math.floor(Date.now() / 1000));
      fs.writeFileSync(file, value, { flag: 'wx' });
      return value;
    }
  }

  /** Adds a message; returns its UID. */
  add(raw: Buffer): number {
    this.uidValidity();
    const uids = this.uids();
    let uid = (uids.at(-1) ?? 0) + 1;
    for (;;) {
      try {
        fs.writeFileSync(path.join(this.dir, `${uid}.eml`), raw, { flag: 'wx' });
        return uid;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        uid++;
      }
    }
  }

  private uids(): number[] {
    return fs
      .readdirSync(this.dir)
      .map((f) => /^(\d+)\.eml$/.exec(f)?.[1])
      .filter((x): x is string => x !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  async poll(cursor: MailboxCursor, max: number) {
    const uidValidity = this.uidValidity();
    const after = cursor.uidValidity === uidValidity ? cursor.lastUid : 0;
    const uids = this.uids().filter((u) => u > after);
    const batch = uids.slice(0, max);
    const messages = batch.map((uid) => {
      const file = path.join(this.dir, `${uid}.eml`);
      const size = fs.statSync(file).size;
      return size > MAX_MESSAGE_BYTES ? { uid, raw: headerBlock(fs.readFileSync(file)), size } : { uid, raw: fs.readFileSync(file) };
    });
    return { uidValidity, messages, more: uids.length > batch.length };
  }
}

// ---- the activities ----

export interface InboxConfig {
  source?: MailSource;
  documentsDir: string;
  /** Where the sender match lists open letters (visibility); without it a message is never matched by its sender. */
  temporal?: { connection: ConnectionLike; namespace: string };
}

/** Messages per poll: small enough for a workflow payload and a short activity. */
export const POLL_BATCH = 20;

export function createInboxActivities(config: InboxConfig) {
  const store = new DocumentStore(config.documentsDir);

  /** New messages after the cursor, read and stored. A mailbox that cannot be read is returned as an error (the workflow backs off and shows it). */
  async function pollMailbox(cursor: MailboxCursor): Promise<PollResult> {
    if (!config.source) return { uidValidity: cursor.uidValidity ?? '', messages: [], more: false, error: 'no mailbox is configured on this worker (IMAP_URL)' };
    let batch;
    try {
      batch = await config.source.poll(cursor, POLL_BATCH);
    } catch (err) {
      const e = err as Error & { code?: string; responseText?: string };
      return {
        uidValidity: cursor.uidValidity ?? '',
        messages: [],
        more: false,
        error: `${config.source.description}: ${e.responseText ?? e.message}${e.code ? ` (${e.code})` : ''}`,
      };
    }
    const messages: PolledMessage[] = [];
    for (const m of batch.messages) messages.push({ uid: m.uid, mail: await readMail(m.raw, store, m.size) });
    return { uidValidity: batch.uidValidity, messages, more: batch.more, rescanned: cursor.uidValidity !== undefined && cursor.uidValidity !== batch.uidValidity };
  }

  /** A message given by hand (`rounds inbox import`, the dashboard's "File an email"), already in the store. */
  async function readStoredMail(sha256: string): Promise<IncomingMail> {
    if (!config.documentsDir) throw ApplicationFailure.nonRetryable('no document store is configured on this worker', 'NoDocumentStore');
    return readMail(await store.read(sha256), store);
  }

  const client = config.temporal ? new Client({ connection: config.temporal.connection, namespace: config.temporal.namespace }) : undefined;

  /**
   * The open letters the sender's address belongs to, else those its domain belongs to: at most
   * two of each (two already means "not exactly one"). One visibility query on the RecipientEmails
   * search attribute, none per letter. A server without visibility (the time-skipping test server)
   * or letters started without the attribute give none: the message then waits in the holding pen.
   */
  async function lettersBySender(from: string): Promise<OpenLetter[]> {
    if (!client) return [];
    const { address, domain } = senderKeys(from);
    const list = async (key: string): Promise<OpenLetter[]> => {
      const out: OpenLetter[] = [];
      for await (const info of client.workflow.list({ query: queries.openLettersWith([key]), pageSize: 2 })) {
        const roundId = info.typedSearchAttributes.get(RoundId) ?? info.workflowId.split('/')[0];
        out.push({ roundId, letterId: info.workflowId.slice(roundId.length + 1), emails: info.typedSearchAttributes.get(RecipientEmails) ?? [] });
        if (out.length >= 2) break;
      }
      return out;
    };
    try {
      const exact = await list(address);
      // The keys include '@domain' entries, which domain/replies.ts matchCandidates reads as the domain.
      return exact.length > 0 || !domain ? exact : await list(domain);
    } catch (err) {
      Context.current().log.warn('sender match: could not list open letters', { error: (err as Error).message });
      return [];
    }
  }

  return { pollMailbox, readStoredMail, lettersBySender };
}
