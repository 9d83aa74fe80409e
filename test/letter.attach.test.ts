// `rounds start --send` sends the letter as offices do (issue 18, item 2): a covering note in
// the email, the letter attached as a PDF (printed by Chromium, or a PDF letter as it is), its
// SHA-256 on the timeline. Real time-skipping Temporal, real SMTP server, real Chromium; the
// attachment is read back with the project's own PDF text extraction.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ParsedMail } from 'mailparser';
import { chromiumWarning } from '../activities/chromium';
import { createLetterPdfActivities } from '../activities/letter-pdf';
import { DocumentStore } from '../activities/document-store';
import { letterInputs, letterStatus, startLetters, startRequest, storeLetterPdfs } from '../client/letters';
import { formatLetter } from '../client/terminal-format';
import { loadRoundFolder } from '../client/round-folder';
import { parseLetter } from '../domain/letter-file';
import { extractDocumentText } from '../domain/letter-file/extract';
import { pdfToLetterHtml } from '../domain/letter-file/pdf';
import type { LetterInput, LetterStatus } from '../domain/types';
import * as api from '../workflows/letter-api';
import { roundsInProcess } from './support/cli';
import { recordHistory } from './support/histories';
import { letterWorker, parsedMail, testDocumentsDir, withLetterWorker } from './support/temporal';
import { eventually } from '../worker/dev/wait';

jest.setTimeout(120_000);

const world = withLetterWorker();
const EXAMPLE = path.join(__dirname, '..', 'examples', 'vru-2020');
const OFFICE_EXAMPLE = path.join(__dirname, '..', 'examples', 'vru-2020-office');

const sha256 = (b: Uint8Array) => crypto.createHash('sha256').update(b).digest('hex');
/** Words only: line breaks, footnote marks and spacing differ between a PDF's text and the letter's. */
const words = (s: string) => s.replace(/[\u00b9\u00b2\u00b3\u2070-\u2079]|\[\d+\]/g, ' ').replace(/\s+/g, ' ').trim();

/** The request sentence of a letter, as the parser reads it from the text version in examples/vru-2020. */
function requestSentence(letterId: string): string {
  const file = path.join(EXAMPLE, 'letters', `${letterId}.md`);
  const sentence = parseLetter({ fileName: file, text: fs.readFileSync(file, 'utf8') }).requestSentence?.value;
  expect(sentence).toBeTruthy();
  return words(sentence!);
}

/**
 * What a PDF says, read with the project's own PDF reader (domain/letter-file/pdf.ts): its plain text,
 * and its request sentence as the letter parser finds it there (a seed letter's footnotes sit in
 * the middle of that sentence, where its page broke, so the sentence is not one run of text).
 */
async function readPdf(bytes: Uint8Array, name: string): Promise<{ text: string; requestSentence: string }> {
  const extracted = (await extractDocumentText(bytes, name))!;
  expect(extracted.issues.filter((i) => i.level === 'error')).toEqual([]);
  const converted = await pdfToLetterHtml(bytes);
  const sentence = parseLetter({ fileName: name, text: converted.html, format: 'html' }).requestSentence?.value ?? '';
  return { text: words(extracted.text), requestSentence: words(sentence) };
}

async function startRound(dir: string, opts: { inline?: boolean; only?: string[] } = {}): Promise<LetterInput[]> {
  const plan = await loadRoundFolder(dir);
  expect(plan.issues.filter((i) => i.level === 'error')).toEqual([]);
  const now = new Date(await world.env.currentTimeMs());
  const letterPdfs = opts.inline ? undefined : await storeLetterPdfs(plan, new DocumentStore(testDocumentsDir()));
  const roundId = `attach-${now.getTime()}-${Math.random().toString(36).slice(2, 7)}`;
  const inputs = letterInputs(plan, { delivery: 'send', inline: opts.inline, letterPdfs, sentOn: 'now', now })
    .filter((i) => !opts.only || opts.only.includes(i.letterId))
    .map((i) => ({ ...i, roundId }));
  await startLetters(world.env.client, inputs);
  return inputs;
}

/** The letters' emails, once each has arrived, by letter id. */
async function lettersAtTheServer(inputs: LetterInput[]): Promise<Map<string, ParsedMail>> {
  return eventually(async () => {
    const mine = (await parsedMail(world.sink)).filter((m) => inputs.some((i) => m.subject?.includes(`[${i.roundId}/`)));
    if (mine.length < inputs.length) return undefined;
    return new Map(mine.map((m) => [/\/([^\]]+)\]$/.exec(m.subject!)![1]!, m]));
  }, 90_000);
}

const statusOf = (i: LetterInput): Promise<LetterStatus> => letterStatus(world.env.client, api.workflowIdFor(i.roundId, i.letterId));

test('--send on the example round: each email is the covering note with the letter attached as a PDF that says what the letter asks; the timeline names its SHA-256', async () => {
  const inputs = await startRound(EXAMPLE);
  expect(inputs).toHaveLength(5);
  const mails = await lettersAtTheServer(inputs);
  for (const input of inputs) {
    const mail = mails.get(input.letterId)!;
    // The covering note: the recipient's salutation, the letter's date and subject, the coordinator.
    expect(mail.text).toContain(input.recipient.salutation ?? `Dear ${input.recipient.name},`);
    expect(mail.text).toContain('Please find attached our letter of Tuesday 13 October 2020');
    expect(mail.text).toContain('April McCoig, Victims and Partnerships lead, co-ordinates the responses');
    expect(mail.html).toContain('<p>Yours sincerely,</p>');
    // Not the letter itself in the body.
    expect(mail.text).not.toContain('Response Strategy and any updates');

    expect(mail.attachments).toHaveLength(1);
    const [pdf] = mail.attachments;
    expect(pdf).toMatchObject({ filename: `${input.letterId}.pdf`, contentType: 'application/pdf' });
    const read = await readPdf(pdf!.content, pdf!.filename!);
    expect(read.requestSentence).toBe(requestSentence(input.letterId));
    expect(read.text).toContain(input.recipient.salutation!);

    // What exactly was sent: the sent entry (and the email record) carry the attachment's SHA-256, name and size.
    const s = await statusOf(input);
    const sent = s.timeline.find((e) => e.kind === 'sent')!;
    expect(sent.attachments).toEqual([{ name: `${input.letterId}.pdf`, contentType: 'application/pdf', size: pdf!.content.length, sha256: sha256(pdf!.content) }]);
    expect(s.emails[0]!.attachments).toEqual(sent.attachments);
    expect(s.state).toBe('awaiting');
  }
});

test('Word and PDF letters (examples/vru-2020-office): the .docx printed to PDF, the PDF attached byte for byte', async () => {
  const inputs = await startRound(OFFICE_EXAMPLE, { only: ['kent', 'london'] });
  const mails = await lettersAtTheServer(inputs);

  const kent = mails.get('kent')!.attachments[0]!;
  expect(kent.filename).toBe('kent.pdf');
  expect(kent.content.subarray(0, 5).toString()).toBe('%PDF-');
  expect((await readPdf(kent.content, 'kent.pdf')).requestSentence).toBe(requestSentence('kent'));

  const london = mails.get('london')!.attachments[0]!;
  expect(london.content.equals(fs.readFileSync(path.join(OFFICE_EXAMPLE, 'letters', 'london.pdf')))).toBe(true);
  for (const input of inputs) {
    const sent = (await statusOf(input)).timeline.find((e) => e.kind === 'sent')!;
    expect(sent.attachments![0]!.sha256).toBe(sha256(mails.get(input.letterId)!.attachments[0]!.content));
  }
  // `rounds show` answers "what exactly did we send".
  expect(formatLetter(await statusOf(inputs.find((i) => i.letterId === 'london')!))).toContain(`attached london.pdf (${london.content.length} bytes, sha256 ${sha256(london.content)})`);
});

test('`rounds start --send` on the Word and PDF round: every letter attached, the PDF ones from the document store the workers share', async () => {
  const address = (world.env.connection.options as { address: string }).address;
  const saved = process.env.ROUNDS_DOCUMENTS_DIR;
  process.env.ROUNDS_DOCUMENTS_DIR = testDocumentsDir();
  try {
    expect(await roundsInProcess(['start', OFFICE_EXAMPLE, '--inline'])).toMatchObject({ code: 1, err: 'rounds: --inline goes with --send (it says how the letters are emailed)\n' });
    const r = await roundsInProcess(['--address', address, 'start', OFFICE_EXAMPLE, '--send', '--sent-on', 'now']);
    expect(r.out).toContain('round vru-2020-office: started 5 letters');
    expect(r.code).toBe(0);
  } finally {
    if (saved === undefined) delete process.env.ROUNDS_DOCUMENTS_DIR;
    else process.env.ROUNDS_DOCUMENTS_DIR = saved;
  }
  const ids = ['avon-and-somerset', 'kent', 'london', 'nottinghamshire', 'west-midlands'];
  const mails = await lettersAtTheServer(ids.map((letterId) => ({ roundId: 'vru-2020-office', letterId }) as LetterInput));
  for (const id of ids) {
    const [pdf] = mails.get(id)!.attachments;
    expect(pdf!.filename).toBe(`${id}.pdf`);
    const original = path.join(OFFICE_EXAMPLE, 'letters', `${id}.pdf`);
    if (fs.existsSync(original)) expect(pdf!.content.equals(fs.readFileSync(original))).toBe(true);
    else expect((await readPdf(pdf!.content, pdf!.filename!)).requestSentence).toBe(requestSentence(id));
  }
});

test('--send --inline keeps the letter in the body, with no attachment', async () => {
  const inputs = await startRound(EXAMPLE, { inline: true, only: ['london'] });
  expect(inputs[0]!.attachLetter).toBeUndefined();
  const mail = (await lettersAtTheServer(inputs)).get('london')!;
  expect(mail.attachments).toEqual([]);
  expect(mail.html).toContain('Dear Sophie,');
  expect(mail.text).toContain('Problem Profile/Strategic Needs Assessment, Response Strategy and any updates regarding progress on delivery');
  const sent = (await statusOf(inputs[0]!)).timeline.find((e) => e.kind === 'sent')!;
  expect(sent.attachments).toBeUndefined();
});

test('printing the same letter twice stores the same document (a retried activity gives the same reference)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rounds-pdf-'));
  const pdf = createLetterPdfActivities({ documentsDir: dir });
  try {
    const req = { roundId: 'r', letterId: 'l', fileName: 'l.pdf', letterDate: '2020-10-13', title: 'A letter', html: '<p>Dear Sophie,</p><p>Please send the Response Strategy.</p>' };
    const first = await pdf.makeLetterPdf(req);
    await new Promise((r) => setTimeout(r, 1100)); // a second later: Chromium's own timestamps would differ
    const second = await pdf.makeLetterPdf(req);
    expect(second).toEqual(first);
    expect(fs.readdirSync(path.join(dir, 'sha256', first.sha256.slice(0, 2)))).toEqual([first.sha256]);
  } finally {
    await pdf.close();
  }
});

test('a worker without Chromium: the letter is not sent without its PDF nor lost; its timeline says why, and it goes once Chromium is there', async () => {
  expect(chromiumWarning({ ROUNDS_CHROMIUM_PATH: '/nonexistent/chromium' })).toMatch(/^ROUNDS_CHROMIUM_PATH is \/nonexistent\/chromium, which is not an executable file: install it \(Debian\/Ubuntu: apt-get install/);
  expect(chromiumWarning({})).toBeUndefined();

  const taskQueue = `no-chromium-${Date.now()}`;
  const saved = process.env.ROUNDS_CHROMIUM_PATH;
  process.env.ROUNDS_CHROMIUM_PATH = '/nonexistent/chromium';
  const { worker, close } = await letterWorker(world.env, world.sink, taskQueue);
  const running = worker.run();
  try {
    const plan = await loadRoundFolder(EXAMPLE);
    const now = new Date(await world.env.currentTimeMs());
    const [input] = letterInputs(plan, { delivery: 'send', sentOn: 'now', now })
      .filter((i) => i.letterId === 'kent')
      .map((i) => ({ ...i, roundId: `nochromium-${now.getTime()}` }));
    const handle = await world.env.client.workflow.start(api.WORKFLOW_TYPE, startRequest(input!, taskQueue));
    const failed = await eventually(async () => (await handle.query(api.status)).timeline.find((e) => e.kind === 'email-failed'), 30_000);
    expect(failed.message).toMatch(/^the letter was not sent: its PDF \(kent\.pdf\) could not be made: ROUNDS_CHROMIUM_PATH is \/nonexistent\/chromium, which is not an executable file: .*; tried again at /);
    expect(failed.message).not.toMatch(/\n\s+at /); // no stack trace
    const before = await handle.query(api.status);
    expect(before.timeline.some((e) => e.kind === 'sent')).toBe(false);
    expect(before.emails).toEqual([]);

    // Chromium installed: at the next try (10 minutes on) the letter goes, with its PDF.
    if (saved === undefined) delete process.env.ROUNDS_CHROMIUM_PATH;
    else process.env.ROUNDS_CHROMIUM_PATH = saved;
    await world.env.sleep('11 minutes');
    const sent = await eventually(async () => (await handle.query(api.status)).timeline.find((e) => e.kind === 'sent'), 60_000);
    expect(sent.attachments?.[0]).toMatchObject({ name: 'kent.pdf', contentType: 'application/pdf' });
    // Replayed by test/replay.test.ts: the patched path, its failure, the wait and the send.
    await recordHistory(handle, 'letter-attached-pdf-after-no-chromium');
  } finally {
    if (saved === undefined) delete process.env.ROUNDS_CHROMIUM_PATH;
    else process.env.ROUNDS_CHROMIUM_PATH = saved;
    worker.shutdown();
    await running;
    close();
  }
});

test('rounds check refuses a covering note with an unknown placeholder, naming the file, line and field', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rounds-cover-'));
  fs.cpSync(EXAMPLE, dir, { recursive: true });
  const yamlFile = path.join(dir, 'round.yaml');
  const yaml = fs.readFileSync(yamlFile, 'utf8');
  fs.writeFileSync(yamlFile, `${yaml}coverNote: |\n  {salutaton}\n  Our letter is attached.\n`);
  const line = yaml.split('\n').length;
  const r = await roundsInProcess(['check', dir]);
  expect(r.code).toBe(1);
  expect(r.out).toContain(`${yamlFile}, line ${line}, coverNote: unknown placeholder {salutaton} (the placeholders are {salutation}, {name},`);

  // A good one is accepted, and is what the email says.
  fs.writeFileSync(yamlFile, `${yaml}coverNote: |\n  {salutation}\n\n  Our letter of {letterDate} is attached.\n\n  {coordinator}\n`);
  const plan = await loadRoundFolder(dir);
  expect(plan.issues.filter((i) => i.level === 'error')).toEqual([]);
  const [london] = letterInputs(plan, { delivery: 'send', now: new Date('2026-01-05T12:00:00Z') }).filter((i) => i.letterId === 'london');
  expect(london!.coverNote!.text).toBe('Dear Sophie,\n\nOur letter of Tuesday 13 October 2020 is attached.\n\nApril McCoig\n');
});
