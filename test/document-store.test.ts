import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DocumentStore, documentsDir } from '../activities/document-store';
import { MissingDocumentError } from '../domain/errors';

const fresh = () => new DocumentStore(fs.mkdtempSync(path.join(os.tmpdir(), 'rounds-docs-')));

describe('document store', () => {
  test('stores bytes under their SHA-256 and reads them back', async () => {
    const store = fresh();
    const bytes = Buffer.from('%PDF-1.7 Problem Profile');
    const ref = await store.put(bytes);
    expect(ref).toEqual({ sha256: crypto.createHash('sha256').update(bytes).digest('hex'), size: bytes.length });
    expect(store.pathOf(ref.sha256)).toBe(path.join(store.dir, 'sha256', ref.sha256.slice(0, 2), ref.sha256));
    expect(await store.read(ref.sha256)).toEqual(bytes);
    expect(await store.has(ref.sha256)).toBe(true);
  });

  test('the same bytes stored twice, even at once, make one file and leave no temporary files', async () => {
    const store = fresh();
    const bytes = crypto.randomBytes(200_000);
    const refs = await Promise.all(Array.from({ length: 8 }, () => store.put(bytes)));
    expect(new Set(refs.map((r) => r.sha256)).size).toBe(1);
    const folder = path.dirname(store.pathOf(refs[0].sha256));
    expect(fs.readdirSync(folder)).toEqual([refs[0].sha256]);
    expect(await store.read(refs[0].sha256)).toEqual(bytes);
  });

  test('a stored file is never overwritten', async () => {
    const store = fresh();
    const ref = await store.put(Buffer.from('original'));
    const before = fs.statSync(store.pathOf(ref.sha256));
    await store.put(Buffer.from('original'));
    expect(fs.statSync(store.pathOf(ref.sha256)).ino).toBe(before.ino);
  });

  test('a missing document is a clear error; a reference that is not 64 hex digits cannot name a path', async () => {
    const store = fresh();
    const absent = 'a'.repeat(64);
    await expect(store.read(absent)).rejects.toThrow(MissingDocumentError);
    await expect(store.read(absent)).rejects.toThrow(`document ${absent} is not in the document store (${store.dir})`);
    for (const bad of ['../../etc/passwd', 'A'.repeat(64), 'a'.repeat(63), '']) {
      expect(() => store.pathOf(bad)).toThrow('not a SHA-256 document reference');
    }
  });

  test('ROUNDS_DOCUMENTS_DIR, else documents/ in the var folder', () => {
    expect(documentsDir('/srv/rounds/var', {})).toBe('/srv/rounds/var/documents');
    expect(documentsDir('/srv/rounds/var', { ROUNDS_DOCUMENTS_DIR: '/data/docs' })).toBe('/data/docs');
  });
});
