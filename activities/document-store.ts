// The document store: raw emails, attachments, uploaded and rendered documents, kept on disk
// by the SHA-256 of their bytes, outside Temporal. Why: Temporal payloads are limited to ~2 MB
// and a workflow's history keeps every payload for ever; workflows hold only a DocumentRef.
// Content-addressed, so a file is written once and never overwritten: storing the same bytes
// twice is a no-op, and a reference can never come to mean other bytes.
//
// Layout: <dir>/sha256/<first two hex>/<the 64 hex digits>. Files are written to a temporary
// name in the same folder and linked into place, so a reader never sees half a file and two
// writers of the same bytes (two workers) cannot clobber each other.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MissingDocumentError } from '../domain/errors';

/** What a workflow or a timeline keeps of a stored file. */
export interface DocumentRef {
  sha256: string;
  size: number;
}

const SHA256_RE = /^[0-9a-f]{64}$/;

/** The store's folder: ROUNDS_DOCUMENTS_DIR, else documents/ inside the service's var folder. */
export function documentsDir(varDir: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.ROUNDS_DOCUMENTS_DIR ?? path.join(varDir, 'documents'));
}

export function isSha256(value: unknown): value is string {
  return typeof value === 'string' && SHA256_RE.test(value);
}

export class DocumentStore {
  constructor(readonly dir: string) {}

  /** Stores the bytes (once) and returns their reference. */
  async put(bytes: Uint8Array): Promise<DocumentRef> {
    const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
    const ref = { sha256, size: bytes.byteLength };
    const file = this.pathOf(sha256);
    if (await exists(file)) return ref;
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`;
    await fs.promises.writeFile(temp, bytes, { mode: 0o640, flag: 'wx' });
    try {
      // link() fails if the name exists: the first writer wins, and its bytes are the same.
      await fs.promises.link(temp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      await fs.promises.rm(temp, { force: true });
    }
    return ref;
  }

  /** The stored bytes, or a clear error naming the reference when they are not there. */
  async read(sha256: string): Promise<Buffer> {
    const file = this.pathOf(sha256);
    try {
      return await fs.promises.readFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new MissingDocumentError(sha256, this.dir);
      throw err;
    }
  }

  async has(sha256: string): Promise<boolean> {
    return exists(this.pathOf(sha256));
  }

  /** Where the bytes of a reference live (or would live). Refuses anything but 64 hex digits, so no path can escape the store. */
  pathOf(sha256: string): string {
    if (!isSha256(sha256)) throw new Error(`not a SHA-256 document reference: ${JSON.stringify(String(sha256).slice(0, 80))}`);
    return path.join(this.dir, 'sha256', sha256.slice(0, 2), sha256);
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.promises.access(file);
    return true;
  } catch {
    return false;
  }
}
