// Publication (issue 14) through the real letter workflow on a time-skipping server: a document
// received by post is stored in the document store and attached by reference (attachDocument),
// marked publishable with a redacted copy (setPublication); bad input is refused by the
// validators, changing nothing; the timeline says who and when.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DocumentStore } from '../activities/document-store';
import { planSite } from '../domain/publication/site';
import * as api from '../workflows/letter-api';
import { startLetter, withLetterWorker } from './support/temporal';

const world = withLetterWorker();

async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return [err, (err as { cause?: unknown }).cause].map((e) => (e as Error)?.message ?? '').join(' | ');
  }
  throw new Error('expected a rejection');
}

test('a document by post, then published as a redacted copy; the published site holds the redacted copy only', async () => {
  const store = new DocumentStore(fs.mkdtempSync(path.join(os.tmpdir(), 'rounds-pub-wf-')));
  const original = { ...(await store.put(Buffer.from('%PDF original with names'))), name: 'profile.pdf', mediaType: 'application/pdf' };
  const redacted = { ...(await store.put(Buffer.from('%PDF redacted'))), name: 'profile-redacted.pdf', mediaType: 'application/pdf' };
  const handle = await startLetter(world.env, { documents: ['problemProfile', 'responseStrategy'] });

  expect(await rejection(handle.executeUpdate(api.attachDocument, { args: [{ document: 'deliveryUpdate', file: original }] }))).toMatch(/deliveryUpdate .* was not requested/);
  expect(await rejection(handle.executeUpdate(api.setPublication, { args: [{ attachment: 'd1', publish: true }] }))).toMatch(/no document 'd1' on this letter \(it has: none yet\)/);
  expect((await handle.query(api.status)).timeline.map((e) => e.kind)).toEqual(['recorded-sent']); // refusals leave no trace

  const attached = await handle.executeUpdate(api.attachDocument, { args: [{ document: 'problemProfile', file: original, by: 'Sam' }] });
  expect(attached.attachments).toEqual([expect.objectContaining({ id: 'd1', document: 'problemProfile', file: original, publish: false, by: 'Sam' })]);
  const marked = await handle.executeUpdate(api.setPublication, { args: [{ attachment: 'd1', publish: true, redacted, by: 'Sam' }] });
  expect(marked.attachments![0]).toMatchObject({ publish: true, redacted });
  expect(marked.timeline.slice(-2).map((e) => [e.kind, e.by, e.message])).toEqual([
    ['document', 'Sam', 'd1: Problem Profile / Strategic Needs Assessment (profile.pdf) added'],
    ['publication', 'Sam', 'd1 (Problem Profile / Strategic Needs Assessment) published as a redacted copy'],
  ]);
  await handle.executeUpdate(api.recordReceipt, { args: [{ documents: ['problemProfile'] }] });

  const status = await handle.query(api.status);
  const files = planSite({ rounds: [{ roundId: status.roundId, letters: [status] }], asOf: status.letterDate });
  const documents = files.filter((f) => 'document' in f);
  expect(documents.map((f) => ('document' in f ? f.document.sha256 : ''))).toEqual([redacted.sha256]);
});
