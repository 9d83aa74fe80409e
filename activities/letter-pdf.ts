// The letter as a PDF, for sending it as offices do (`rounds start --send`): a PDF letter is
// attached as it is (the client stored it when the round started); any other letter (.md, .txt,
// .html, and .docx through mammoth) is the HTML the letter parser's renderer made of it
// (domain/letter-file/render.ts), printed to A4 by headless Chromium through playwright-core.
// The PDF goes into the content-addressed document store before anything is sent, and the
// workflow keeps only its reference, so the email activity (and any retry of it) attaches
// exactly those bytes and the timeline can say what was sent.
//
// Printing the same HTML twice gives the same bytes: Chromium's PDF differs between runs only in
// its /CreationDate and /ModDate, which are set to the letter's date (same length, so the file's
// offsets stay right). A retry therefore stores the same document under the same reference.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { chromium, type Browser } from 'playwright-core';
import { escapeHtml } from '../domain/email';
import type { ReplyAttachment } from '../domain/types';
import { ChromiumMissingError } from '../domain/errors';
import { findChromium } from './chromium';
import { DocumentStore } from './document-store';

export interface LetterPdfConfig {
  /** The document store (activities/document-store.ts); none: letters cannot be attached. */
  documentsDir?: string;
  /** Where Chromium is; by default ROUNDS_CHROMIUM_PATH, then /usr/bin/chromium (looked up at each print, so installing it needs no restart). */
  chromiumPath?: string;
}

export interface LetterPdfRequest {
  roundId: string;
  letterId: string;
  /** The attachment's name ('london.pdf'). */
  fileName: string;
  /** 'YYYY-MM-DD': the PDF's creation date. */
  letterDate: string;
  /** The letter's title in the PDF's properties (the round's subject). */
  title: string;
  /** The letter as clean HTML (LetterInput.body.html), to print; or */
  html?: string;
  /** a PDF letter already in the document store, attached as it is. */
  pdf?: { sha256: string; size: number };
}

/** Pages printed at once by one worker: each is a Chromium renderer (~100 MB); the rest wait. */
const MAX_PRINTS = 2;

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** The page a letter is printed on: A4, margins as a letter has them, footnotes small. */
export function letterPage(html: string, title: string): string {
  return `<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
@page { size: A4; margin: 25mm 22mm 25mm 25mm; }
body { font-family: "Liberation Serif", "DejaVu Serif", "Times New Roman", serif; font-size: 11pt; line-height: 1.4; color: #000; }
p { margin: 0 0 0.8em 0; }
h1, h2, h3 { font-size: 12pt; }
sup { font-size: 0.7em; line-height: 0; }
a { color: inherit; text-decoration: none; }
table { border-collapse: collapse; }
td, th { border: 1px solid #999; padding: 2pt 4pt; }
hr { border: 0; border-top: 1px solid #999; margin: 1.2em 0 0.6em; width: 40%; text-align: left; }
</style></head>
<body>
${html}
</body></html>`;
}

/** The same PDF bytes for the same page: Chromium's creation and modification times set to the letter's date. */
export function withFixedDates(pdf: Buffer, isoDate: string): Buffer {
  const stamp = isoDate.replace(/-/g, '') + '000000';
  if (!/^\d{14}$/.test(stamp)) return pdf;
  const text = pdf.toString('latin1');
  const fixed = text.replace(/\/(CreationDate|ModDate) \(D:\d{14}/g, (_m, key: string) => `/${key} (D:${stamp}`);
  return Buffer.from(fixed, 'latin1');
}

export function createLetterPdfActivities(config: LetterPdfConfig) {
  const store = config.documentsDir ? new DocumentStore(config.documentsDir) : undefined;
  let browser: Promise<Browser> | undefined;
  let printing = 0;
  const waiting: (() => void)[] = [];

  const launch = (): Promise<Browser> => {
    if (!browser) {
      const executablePath = config.chromiumPath ?? findChromium();
      const launched = chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
      browser = launched;
      launched.then(
        (b) => b.on('disconnected', () => {
          if (browser === launched) browser = undefined;
        }),
        () => {
          if (browser === launched) browser = undefined;
        },
      );
    }
    return browser;
  };

  async function print(html: string, title: string): Promise<Buffer> {
    while (printing >= MAX_PRINTS) await new Promise<void>((resolve) => waiting.push(resolve));
    printing++;
    try {
      const b = await launch();
      // No scripts, no network: the page is the sanitised letter and nothing else (it has no
      // pictures or styles to fetch); every request it might still make is refused.
      const context = await b.newContext({ javaScriptEnabled: false, offline: true });
      try {
        await context.route('**/*', (route) => route.abort());
        const page = await context.newPage();
        await page.setContent(letterPage(html, title), { waitUntil: 'load' });
        return await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: false });
      } finally {
        await context.close();
      }
    } finally {
      printing--;
      waiting.shift()?.();
    }
  }

  async function makeLetterPdf(req: LetterPdfRequest): Promise<ReplyAttachment> {
    if (!store) throw ApplicationFailure.nonRetryable('this worker has no document store (ROUNDS_DOCUMENTS_DIR) to keep the letter\'s PDF in', 'NoDocumentStore');
    const attachment = (ref: { sha256: string; size: number }): ReplyAttachment => ({ name: req.fileName, contentType: 'application/pdf', size: ref.size, sha256: ref.sha256 });
    if (req.pdf) {
      if (!(await store.has(req.pdf.sha256))) {
        throw ApplicationFailure.nonRetryable(
          `the letter ${req.fileName} (SHA-256 ${req.pdf.sha256}) is not in this worker's document store (${store.dir}): \`rounds start\` stores PDF letters in ROUNDS_DOCUMENTS_DIR, which the workers must share`,
          'MissingDocumentError',
        );
      }
      return attachment(req.pdf);
    }
    if (typeof req.html !== 'string' || req.html.trim() === '') throw ApplicationFailure.nonRetryable(`${req.roundId}/${req.letterId}: no letter to print`, 'NoLetter');
    let pdf: Buffer;
    try {
      pdf = await print(req.html, req.title);
    } catch (err) {
      if (err instanceof ChromiumMissingError) throw ApplicationFailure.nonRetryable(err.message, err.name);
      // A crash or a timeout: retried (the activity's retry policy).
      throw new Error(`printing ${req.fileName} to PDF failed: ${(err as Error).message.split('\n')[0]}`);
    }
    const ref = await store.put(withFixedDates(pdf, req.letterDate));
    try {
      Context.current().log.info('letter printed to PDF', { letter: `${req.roundId}/${req.letterId}`, sha256: ref.sha256, size: ref.size });
    } catch {
      // outside an activity (a script or a test)
    }
    return attachment(ref);
  }

  async function close(): Promise<void> {
    const b = browser;
    browser = undefined;
    await (await b?.catch(() => undefined))?.close();
  }

  return { makeLetterPdf, close };
}
