// Which email attempts the SMTP server has accepted, kept in a file next to the worker.
// Why: between the server accepting an email and Temporal hearing that the activity finished
// (~0.1 s on a busy dev server), a worker that dies leaves Temporal to retry an email that was
// already sent. Written the moment the server says 250 and read only by a retry, the journal
// lets the retry answer "already sent" instead of sending it again; what remains is a kill
// before the worker has read the 250. Workers share it when they share the file (one host, or
// a shared volume); otherwise a retry on another host sends again, with the same Message-ID
// (README, "Email: what is guaranteed").
import fs from 'node:fs';
import path from 'node:path';

/** One accepted attempt. `key` names the activity: its workflow run and activity id, stable across retries. */
export interface SentEntry {
  key: string;
  messageId: string;
  response: string;
  at: string;
}

/** Entries older than this are dropped when a worker opens the journal: a retry comes within seconds or minutes. */
const KEEP_MS = 7 * 86_400_000;

export class SentJournal {
  /** Keys read so far, and how far into the file; only retries read it, and only what is new. */
  private readonly known = new Map<string, SentEntry>();
  private offset = 0;

  constructor(readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.prune(Date.now());
    this.endTornLine();
  }

  /** The accepted attempt of this activity, if there was one (another worker may have written it). */
  find(key: string): SentEntry | undefined {
    this.readNew();
    return this.known.get(key);
  }

  /** Appends one line; O_APPEND writes of a line are not interleaved between processes on a local disk. */
  record(entry: SentEntry): void {
    fs.appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
  }

  private readNew(): void {
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    try {
      const size = fs.fstatSync(fd).size;
      if (size < this.offset) {
        // pruned by a worker that started since: read it again from the top
        this.offset = 0;
        this.known.clear();
      }
      if (size === this.offset) return;
      const buf = Buffer.alloc(size - this.offset);
      fs.readSync(fd, buf, 0, buf.length, this.offset);
      const complete = buf.lastIndexOf(0x0a) + 1; // a line still being written is read next time
      for (const e of parseLines(buf.subarray(0, complete).toString('utf8'))) this.known.set(e.key, e);
      this.offset += complete;
    } finally {
      fs.closeSync(fd);
    }
  }

  /** A line cut short by a crash would swallow the next one appended: end it (it stays unreadable, and is skipped). */
  private endTornLine(): void {
    const size = fs.existsSync(this.file) ? fs.statSync(this.file).size : 0;
    if (size === 0) return;
    const last = Buffer.alloc(1);
    const fd = fs.openSync(this.file, 'r');
    try {
      fs.readSync(fd, last, 0, 1, size - 1);
    } finally {
      fs.closeSync(fd);
    }
    if (last[0] !== 0x0a) fs.appendFileSync(this.file, '\n');
  }

  /** Rewrites the file without old entries. A line another worker appends meanwhile can be lost: at worst that email is retried, as without a journal. */
  private prune(now: number): void {
    this.readNew();
    const all = [...this.known.values()];
    const kept = all.filter((e) => now - Date.parse(e.at) < KEEP_MS);
    if (kept.length === all.length) return;
    const text = kept.map((e) => `${JSON.stringify(e)}\n`).join('');
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, this.file);
    this.known.clear();
    for (const e of kept) this.known.set(e.key, e);
    this.offset = Buffer.byteLength(text);
  }
}

function parseLines(text: string): SentEntry[] {
  const out: SentEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const e = JSON.parse(line) as SentEntry;
      if (typeof e.key === 'string' && typeof e.at === 'string') out.push(e);
    } catch {
      // a line cut short by a crash mid-write: that attempt is retried, as without a journal
    }
  }
  return out;
}
