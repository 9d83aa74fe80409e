// The example round after a scripted story (issue 14's tests), built with the domain's Letter
// (the rules the workflow runs), with distinctive strings planted wherever private data lives.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DocumentStore } from '../../activities/document-store';
import { Letter } from '../../domain/letter';
import { DEFAULT_POLICY } from '../../domain/policy';
import type { PublicationInput } from '../../domain/publication/model';
import type { LetterInput, LetterStatus, StoredFile } from '../../domain/types';

/** Strings that must never appear in any published file. */
export const PLANTED = {
  addresseeEmail: 'planted.addressee@pcc-kent.example.org',
  ccEmail: 'planted.cc@pcc-kent.example.org',
  coordinatorEmail: 'planted.coordinator@office.example.org',
  coordinatorName: 'Zebedee Plantedname',
  staffBy: 'Quentin Stafferson',
  note: 'PLANTED-NOTE-do-not-publish',
  privateReason: 'PLANTED-PRIVATE-REASON',
  unpublished: 'PLANTED-UNPUBLISHED-DOCUMENT-BYTES',
  original: 'PLANTED-UNREDACTED-ORIGINAL-BYTES',
  addresseeName: 'Ophelia Plantedaddressee',
  // a reply filed by email (issue 13): its text, subject, sender and raw message are never published
  replyFrom: 'Planted Replier <planted.replier@pcc-kent.example.org>',
  replySubject: 'PLANTED-REPLY-SUBJECT',
  replyBody: 'PLANTED-REPLY-BODY-TEXT',
  replyRaw: 'PLANTED-RAW-MESSAGE-BYTES',
  replyUnpublished: 'PLANTED-REPLY-UNPUBLISHED-ATTACHMENT',
  replyOriginal: 'PLANTED-REPLY-UNREDACTED-ORIGINAL',
};

export const PUBLIC_REASON = 'The Response Strategy is not yet agreed by the board.';

const ROUND = 'vru-2026';
const at = (date: string, time = '10:00:00') => `${date}T${time}Z`;

function input(letterId: string, organisation: string, documents: LetterInput['documents']): LetterInput {
  return {
    roundId: ROUND,
    letterId,
    recipient: {
      name: PLANTED.addresseeName,
      role: `${organisation} Police and Crime Commissioner`,
      organisation: `${organisation} Office of the Police and Crime Commissioner`,
      email: PLANTED.addresseeEmail,
      cc: [PLANTED.ccEmail],
      escalateTo: [],
    },
    sender: { name: 'Independent Commissioner', email: 'commissioner@office.example.org' },
    coordinator: { name: PLANTED.coordinatorName, email: PLANTED.coordinatorEmail, role: 'Victims and Partnerships lead' },
    subject: 'Violence Reduction Units: request for your Problem Profile and Response Strategy',
    letterDate: '2026-01-05',
    sentOn: '2026-01-05',
    documents,
    policy: DEFAULT_POLICY,
    delivery: 'record-sent',
  };
}

async function file(store: DocumentStore, name: string, text: string): Promise<StoredFile> {
  const ref = await store.put(Buffer.from(`%PDF-1.4 ${text} ${crypto.createHash('md5').update(name).digest('hex')}`));
  return { ...ref, name, mediaType: 'application/pdf' };
}

export interface Story {
  store: DocumentStore;
  input: PublicationInput;
  statuses: LetterStatus[];
}

/** Two bodies answer in full, one declines (one reason publishable), one partly (a redacted copy), one not at all. */
export async function scriptedStory(storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rounds-pub-store-'))): Promise<Story> {
  const store = new DocumentStore(storeDir);
  const all: LetterInput['documents'] = ['problemProfile', 'responseStrategy', 'deliveryUpdate'];
  const by = PLANTED.staffBy;

  const kent = new Letter(input('kent', 'Kent', all), at('2026-01-05'));
  kent.letterSent(at('2026-01-05'));
  const kentPP = kent.attachDocument({ document: 'problemProfile', file: await file(store, 'kent-problem-profile.pdf', 'kent pp'), receivedOn: '2026-01-20', by }, at('2026-01-21')).attachments!.at(-1)!;
  kent.setPublication({ attachment: kentPP.id, publish: true, by }, at('2026-01-21'));
  kent.addNote({ text: PLANTED.note, by }, at('2026-01-21'));
  kent.recordReceipt({ documents: all, receivedOn: '2026-01-20', by, note: PLANTED.note }, at('2026-01-21'));
  // A reply by email after the letter completed (in its publication window), three attachments:
  // the first published, the second not, the third as a redacted copy.
  const attachment = async (n: string, text: string) => {
    const f = await file(store, n, text);
    return { name: f.name, contentType: f.mediaType, size: f.size, sha256: f.sha256 };
  };
  const raw = await store.put(Buffer.from(`From: ${PLANTED.replyFrom}\r\nSubject: ${PLANTED.replySubject}\r\n\r\n${PLANTED.replyBody} ${PLANTED.replyRaw}\r\n`));
  const replyId = '<reply-1@pcc-kent.example.org>';
  kent.fileMail(
    {
      kind: 'reply',
      messageId: replyId,
      from: PLANTED.replyFrom,
      date: '2026-01-26T15:00:00.000Z',
      subject: PLANTED.replySubject,
      excerpt: PLANTED.replyBody,
      attachments: [
        await attachment('kent-delivery-update.pdf', 'kent update'),
        await attachment('kent-internal.pdf', PLANTED.replyUnpublished),
        await attachment('kent-board-minutes.pdf', PLANTED.replyOriginal),
      ],
      raw: { sha256: raw.sha256, size: raw.size },
      matchedBy: 'subject tag',
      confidence: 'high',
    },
    at('2026-01-26', '15:05:00'),
  );
  kent.setPublication({ reply: replyId, publish: true, by }, at('2026-01-27'));
  kent.setPublication({ reply: replyId, replyAttachment: 2, publish: false, by }, at('2026-01-27'));
  kent.setPublication({ reply: replyId, replyAttachment: 3, publish: true, redacted: await file(store, 'kent-board-minutes-redacted.pdf', 'kent minutes redacted'), by }, at('2026-01-27'));

  const essex = new Letter(input('essex', 'Essex', ['problemProfile', 'responseStrategy']), at('2026-01-05'));
  essex.letterSent(at('2026-01-05'));
  essex.stepFired(0, at('2026-02-02', '09:30:00'));
  const essexRS = essex.attachDocument({ document: 'responseStrategy', file: await file(store, 'essex-strategy.pdf', 'essex rs'), receivedOn: '2026-02-10', by }, at('2026-02-10')).attachments!.at(-1)!;
  essex.setPublication({ attachment: essexRS.id, publish: true, by }, at('2026-02-10'));
  essex.recordReceipt({ documents: ['problemProfile', 'responseStrategy'], receivedOn: '2026-02-10', by }, at('2026-02-10'));

  const surrey = new Letter(input('surrey', 'Surrey', ['problemProfile', 'responseStrategy']), at('2026-01-05'));
  surrey.letterSent(at('2026-01-05'));
  surrey.recordDecline({ documents: ['responseStrategy'], reason: PUBLIC_REASON, on: '2026-01-15', by }, at('2026-01-15'));
  surrey.setPublication({ declineReasonOf: 'responseStrategy', publish: true, by }, at('2026-01-15'));
  surrey.recordDecline({ documents: ['problemProfile'], reason: `${PLANTED.privateReason}, ask ${PLANTED.coordinatorEmail}`, on: '2026-01-16', by }, at('2026-01-16'));

  const sussex = new Letter(input('sussex', 'Sussex', all), at('2026-01-05'));
  sussex.letterSent(at('2026-01-05'));
  sussex.stepFired(0, at('2026-02-02', '09:30:00'));
  const original = sussex.attachDocument({ document: 'problemProfile', file: await file(store, 'sussex-profile.pdf', PLANTED.original), receivedOn: '2026-02-05', by }, at('2026-02-05')).attachments!.at(-1)!;
  sussex.setPublication({ attachment: original.id, publish: true, redacted: await file(store, 'sussex-profile-redacted.pdf', 'sussex redacted'), by }, at('2026-02-05'));
  sussex.attachDocument({ title: 'Covering letter', file: await file(store, 'sussex-covering.pdf', PLANTED.unpublished), receivedOn: '2026-02-05', by }, at('2026-02-05'));
  sussex.recordReceipt({ documents: ['problemProfile'], receivedOn: '2026-02-05', by }, at('2026-02-05'));

  const devon = new Letter(input('devon', 'Devon', all), at('2026-01-05'));
  devon.letterSent(at('2026-01-05'));
  devon.stepFired(0, at('2026-02-02', '09:30:00'));
  devon.stepFired(1, at('2026-02-16', '09:30:00'));

  const statuses = [kent, essex, surrey, sussex, devon].map((l) => l.status());
  return {
    store,
    statuses,
    input: {
      asOf: '2026-03-02',
      rounds: [
        {
          roundId: ROUND,
          title: 'Violence Reduction Units 2026',
          letters: statuses,
          staff: [{ name: PLANTED.coordinatorName, role: 'Victims and Partnerships lead' }],
          letterHtml: Object.fromEntries(
            statuses.map((s) => [
              s.letterId,
              `<p>Dear Commissioner,</p><p>Please send your Problem Profile<sup><a href="#fn1" id="fnref1">1</a></sup>.</p><p>${PLANTED.coordinatorName} co-ordinates responses: <a href="mailto:${PLANTED.coordinatorEmail}">${PLANTED.coordinatorEmail}</a>.</p><ol class="footnotes"><li id="fn1">Also called the Strategic Needs Assessment. <a href="#fnref1">↩</a></li></ol>`,
            ]),
          ),
        },
      ],
    },
  };
}
