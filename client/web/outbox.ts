// Reads the local mail sink's outbox (a folder of .eml files, see worker/dev/mail-sink.ts):
// lists messages newest first, parses one with mailparser, and finds a message's file by
// its Message-ID (reading each file's header once and remembering it).
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';

export interface OutboxEntry {
  file: string;
  mtimeMs: number;
}

export interface OutboxMessage {
  file: string;
  subject: string;
  from: string;
  to: string;
  cc: string;
  date: Date | undefined;
  messageId: string | undefined;
  inReplyTo: string | undefined;
  text: string | undefined;
  html: string | undefined;
}

const FILE_RE = /^[A-Za-z0-9@._-]+\.eml$/;

export function isOutboxFileName(name: string): boolean {
  return FILE_RE.test(name) && !name.startsWith('.');
}

export class Outbox {
  /** file name → Message-ID (or null when it has none), read once per file. */
  private readonly ids = new Map<string, string | null>();

  constructor(readonly dir: string) {}

  /** Every .eml file, newest first (the sink's names start with an ISO timestamp and a counter). */
  list(): OutboxEntry[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const entries: OutboxEntry[] = [];
    for (const file of names) {
      if (!isOutboxFileName(file)) continue;
      try {
        entries.push({ file, mtimeMs: fs.statSync(path.join(this.dir, file)).mtimeMs });
      } catch {
        // removed meanwhile
      }
    }
    return entries.sort((a, b) => b.mtimeMs - a.mtimeMs || collate(b.file, a.file));
  }

  /** Parses one message; undefined when there is no such file. */
  async read(file: string): Promise<OutboxMessage | undefined> {
    if (!isOutboxFileName(file)) return undefined;
    let raw: Buffer;
    try {
      raw = fs.readFileSync(path.join(this.dir, file));
    } catch {
      return undefined;
    }
    const m: ParsedMail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
    return {
      file,
      subject: m.subject ?? '',
      from: addresses(m.from),
      to: addresses(m.to),
      cc: addresses(m.cc),
      date: m.date,
      messageId: m.messageId,
      inReplyTo: m.inReplyTo,
      text: m.text,
      html: typeof m.html === 'string' ? m.html : undefined,
    };
  }

  raw(file: string): Buffer | undefined {
    if (!isOutboxFileName(file)) return undefined;
    try {
      return fs.readFileSync(path.join(this.dir, file));
    } catch {
      return undefined;
    }
  }

  /** For each Message-ID, the file holding that message (the first stored, if it was stored twice). */
  findByMessageIds(messageIds: string[]): Map<string, string> {
    const found = new Map<string, string>();
    if (messageIds.length === 0) return found;
    let names: string[];
    try {
      names = fs.readdirSync(this.dir).filter(isOutboxFileName).sort(collate);
    } catch {
      return found;
    }
    const wanted = new Map(messageIds.map((id) => [id.trim().toLowerCase(), id]));
    for (const file of names) {
      if (!this.ids.has(file)) this.ids.set(file, readMessageId(path.join(this.dir, file)));
      const id = this.ids.get(file)?.toLowerCase();
      const original = id ? wanted.get(id) : undefined;
      if (original && !found.has(original)) found.set(original, file);
    }
    return found;
  }
}

function collate(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function addresses(a: AddressObject | AddressObject[] | undefined): string {
  if (!a) return '';
  return (Array.isArray(a) ? a : [a]).map((x) => x.text).join(', ');
}

/** The Message-ID header of an .eml file, reading only its header block. */
function readMessageId(file: string): string | null {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(64 * 1024);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const head = buf.subarray(0, n).toString('utf8').split(/\r?\n\r?\n/)[0];
    // Unfold continuation lines, then find the header.
    const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
    return /^message-id:\s*(<[^>\r\n]*>)/im.exec(unfolded)?.[1] ?? null;
  } catch {
    return null;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
