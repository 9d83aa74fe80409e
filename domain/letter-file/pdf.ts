// A PDF letter to the HTML the letter parser reads, with pdf.js (Mozilla's PDF reader):
// text with its position on the page, turned back into lines and paragraphs.
//   - running headers and footers (a line in the top or bottom tenth of the page that
//     repeats on other pages, digits aside) and page numbers ("Page 2 of 3", "- 2 -") go;
//   - small raised digits are footnote marks: <sup>1</sup>, so a line that starts with one
//     is a footnote, as in the seeds;
//   - pages follow each other, so a sentence broken by a page break (and that page's
//     footnotes) is joined again by the parser, as for text letters.
// pdf.js runs in this thread (no worker script is loaded), evaluates no code from the file,
// loads no fonts, and is given the bytes, so it has nothing to fetch.
import type { ConvertedLetter } from './office';
import { formatBytes } from '../bytes';
import { OFFICE_LIMITS, escapeHtml, refused } from './office';
import type { LetterIssue } from './parsed-letter';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

function pdfjs(): PdfJs {
  const g = globalThis as { pdfjsWorker?: unknown };
  // pdf.js looks here for its worker code before trying to import a worker script.
  /* eslint-disable @typescript-eslint/no-require-imports */
  g.pdfjsWorker ??= require('pdfjs-dist/legacy/build/pdf.worker.mjs');
  return require('pdfjs-dist/legacy/build/pdf.mjs');
  /* eslint-enable @typescript-eslint/no-require-imports */
}

interface Item {
  x: number;
  y: number;
  size: number;
  width: number;
  str: string;
  sup: boolean;
}

interface PdfLine {
  page: number;
  y: number;
  size: number;
  items: Item[];
  text: string;
  /** Starts with a footnote mark. */
  note: string | null;
}

const PAGE_NUMBER = /^(?:page\s{0,3})?\d{1,4}(?:\s{0,3}(?:of|\/)\s{0,3}\d{1,4})?$|^[-–]\s{0,3}\d{1,4}\s{0,3}[-–]$/i;

export async function pdfToLetterHtml(bytes: Uint8Array): Promise<ConvertedLetter> {
  if (bytes.length > OFFICE_LIMITS.fileBytes) {
    return refused('pdf', `${formatBytes(bytes.length)}: over the ${formatBytes(OFFICE_LIMITS.fileBytes)} limit for a PDF letter`);
  }
  const lib = pdfjs();
  const task = lib.getDocument({
    data: new Uint8Array(bytes), // a copy: pdf.js takes ownership of what it is given
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWorkerFetch: false,
    disableAutoFetch: true,
    disableStream: true,
    disableRange: true,
    enableXfa: false,
    isOffscreenCanvasSupported: false,
    stopAtErrors: false,
    verbosity: 0,
  });
  let doc: Awaited<typeof task.promise>;
  try {
    doc = await task.promise;
  } catch (err) {
    await task.destroy().catch(() => undefined);
    const e = err as Error;
    if (e?.name === 'PasswordException') return refused('pdf', 'not read: the PDF is encrypted with a password; save or print it again without one');
    return refused('pdf', `not read: not a PDF that can be read (${(e?.message ?? String(err)).slice(0, 200)})`);
  }
  try {
    if (doc.numPages > OFFICE_LIMITS.pdfPages) {
      return refused('pdf', `not read: ${doc.numPages} pages; a letter has at most ${OFFICE_LIMITS.pdfPages}`);
    }
    const pages: { items: Item[]; height: number }[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const [, y0, , y1] = page.view;
      const content = await page.getTextContent();
      const items: Item[] = [];
      for (const it of content.items) {
        if (!('str' in it) || !it.str.trim()) continue;
        const t = it.transform as number[];
        items.push({ x: t[4]!, y: t[5]! - y0!, size: Math.abs(t[3]!) || it.height, width: it.width, str: it.str, sup: false });
      }
      pages.push({ items, height: y1! - y0! });
      page.cleanup();
    }
    return linesToHtml(pages);
  } finally {
    await doc.destroy().catch(() => undefined);
  }
}

function linesToHtml(pages: { items: Item[]; height: number }[]): ConvertedLetter {
  const chars = pages.reduce((n, p) => n + p.items.reduce((m, i) => m + i.str.trim().length, 0), 0);
  if (chars < 20) {
    return {
      format: 'pdf', html: '', positions: [], pages: pages.length, noText: true,
      issues: [{ level: 'warning', line: null, message: 'no text: scanned image; give the recipient and documents in recipients.csv' }],
    };
  }
  // The body's font size: the size most characters are written in.
  const weight = new Map<number, number>();
  for (const p of pages) for (const i of p.items) weight.set(Math.round(i.size), (weight.get(Math.round(i.size)) ?? 0) + i.str.length);
  const body = [...weight.entries()].reduce((a, b) => (b[1] > a[1] ? b : a))[0];

  const all: PdfLine[][] = pages.map((p, k) => pageLines(p.items, k + 1, body));
  // Running headers and footers: the same line (digits aside) near the top or bottom of
  // more than one page; page numbers wherever they are in those margins.
  const key = (l: PdfLine, h: number) => `${l.y > h * 0.9 ? 'top' : l.y < h * 0.1 ? 'bottom' : 'body'}:${l.text.toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ')}`;
  const seen = new Map<string, Set<number>>();
  all.forEach((lines, k) => {
    for (const l of lines) {
      const id = key(l, pages[k]!.height);
      if (id.startsWith('body:')) continue;
      if (!seen.has(id)) seen.set(id, new Set());
      seen.get(id)!.add(k);
    }
  });
  const issues: LetterIssue[] = [];
  const out: string[] = [];
  const positions: string[] = [];
  let dropped = 0;
  all.forEach((lines, k) => {
    const h = pages[k]!.height;
    const kept = lines.filter((l) => {
      const id = key(l, h);
      const margin = !id.startsWith('body:');
      const running = margin && (seen.get(id)?.size ?? 0) > 1;
      const pageNumber = margin && PAGE_NUMBER.test(l.text.replace(/<\/?sup>/g, '').trim());
      if (running || pageNumber) dropped++;
      return !(running || pageNumber);
    });
    // Paragraphs: a gap wider than the usual line spacing, a change of type size, a note.
    const gaps = kept.slice(1).map((l, i) => kept[i]!.y - l.y).filter((g) => g > 0).sort((a, b) => a - b);
    const step = gaps.length ? gaps[Math.floor(gaps.length / 4)]! : body * 1.2;
    let paragraph = 0;
    let where = '';
    let open = false;
    kept.forEach((l, i) => {
      const prev = kept[i - 1];
      const fresh = !prev || prev.y - l.y > step * 1.4 || Math.abs(prev.size - l.size) > 0.5 || l.note !== null;
      if (fresh) {
        if (open) out[out.length - 1] += '</p>';
        paragraph++;
        where = l.note !== null ? `page ${k + 1}, footnote ${l.note}` : `page ${k + 1}, paragraph ${paragraph}`;
        out.push(`<p>${l.text}`);
        open = true;
      } else {
        out[out.length - 1] += '<br>';
        out.push(l.text);
      }
      positions.push(where);
    });
    if (open) out[out.length - 1] += '</p>';
  });
  return { format: 'pdf', html: out.join('\n'), positions, issues, pages: pages.length };
}

/** One page's text items as lines, top to bottom, footnote marks as <sup>. */
function pageLines(items: Item[], page: number, body: number): PdfLine[] {
  for (const i of items) i.sup = i.size < body * 0.85 && /^\s*\d{1,3}\s*$/.test(i.str);
  const lines: PdfLine[] = [];
  const sorted = items.filter((i) => !i.sup).sort((a, b) => b.y - a.y || a.x - b.x);
  for (const i of sorted) {
    const line = lines.find((l) => Math.abs(l.y - i.y) <= Math.max(1, i.size * 0.3));
    if (line) {
      line.items.push(i);
      line.size = Math.max(line.size, i.size);
    } else {
      lines.push({ page, y: i.y, size: i.size, items: [i], text: '', note: null });
    }
  }
  // A mark sits above the baseline of the line it belongs to.
  for (const s of items.filter((i) => i.sup)) {
    const below = lines
      .filter((l) => l.y <= s.y + 0.5 && s.y - l.y < Math.max(l.size, s.size * 1.5))
      .sort((a, b) => b.y - a.y)[0];
    if (below) below.items.push(s);
    else lines.push({ page, y: s.y, size: s.size, items: [s], text: '', note: null });
  }
  lines.sort((a, b) => b.y - a.y);
  for (const l of lines) {
    l.items.sort((a, b) => a.x - b.x);
    let text = '';
    let end = -Infinity;
    for (const i of l.items) {
      const piece = i.sup ? `<sup>${i.str.trim()}</sup>` : escapeHtml(i.str);
      const gap = i.x - end;
      if (text && !i.sup && gap > l.size * 0.15 && !/\s$/.test(text) && !/^\s/.test(i.str)) text += ' ';
      else if (text && i.sup && gap > l.size * 0.5 && !/\s$/.test(text)) text += ' ';
      text += piece;
      end = i.x + i.width;
    }
    l.text = text.replace(/\s+/g, ' ').trim();
    const note = /^<sup>(\d{1,3})<\/sup>/.exec(l.text);
    l.note = note ? note[1]! : null;
  }
  return lines.filter((l) => l.text);
}
