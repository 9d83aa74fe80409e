// Office versions of the seed letters, made by the tests from examples/vru-2020/letters:
//   - .docx (the `docx` package): a letterhead in the page header, page numbers in the
//     footer, real Word footnotes, and a page break in the middle of the request sentence;
//   - .pdf (pdf-lib): A4, a running header and "Page n of N" on every page, footnote marks
//     as small raised digits with the notes at the foot of their page, and a page break in
//     the middle of the request sentence;
//   - a scanned letter (an image, no text layer) and hostile files (too big, too many pages,
//     encrypted, macros, linked files, a zip bomb).
import { deflateRawSync, deflateSync } from 'node:zlib';
import fs from 'node:fs';
import path from 'node:path';
import {
  Document, Footer, FootnoteReferenceRun, Header, HeadingLevel, Packer, PageBreak, PageNumber, Paragraph, TextRun,
} from 'docx';
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import { PARSE_INLINE, linesOfText, inlineToPlain } from '../../domain/letter-file/text';

export const SEED_DIR = path.join(__dirname, '..', '..', 'examples', 'vru-2020', 'letters');
export const SEEDS = ['avon-and-somerset', 'kent', 'london', 'nottinghamshire', 'west-midlands'];

interface SeedPara {
  kind: 'text' | 'heading' | 'footnote';
  /** Lines, footnote marks written "[1]". */
  lines: string[];
  mark?: string;
}

const REQUEST = /would therefore be grateful/;
const ENDS_SENTENCE = /[.!?:]["'”’)\]]*$/;

/** The seed letter as paragraphs of plain lines (the parser's own line reading). */
export function seedParagraphs(letterId: string): SeedPara[] {
  const text = fs.readFileSync(path.join(SEED_DIR, `${letterId}.md`), 'utf8');
  const paras: SeedPara[] = [];
  let cur: SeedPara | null = null;
  for (const l of linesOfText(text)) {
    if (l.kind === 'blank' || l.kind === 'rule') {
      cur = null;
      continue;
    }
    if (l.kind === 'footnote') {
      cur = { kind: 'footnote', lines: [l.footnote!.text], mark: l.footnote!.mark };
      paras.push(cur);
      continue;
    }
    const plain = inlineToPlain(l.raw, { ...PARSE_INLINE, marks: 'bracket' }).text;
    if (l.kind === 'heading') {
      paras.push({ kind: 'heading', lines: [plain] });
      cur = null;
    } else if (cur && cur.kind !== 'heading') {
      cur.lines.push(plain);
    } else {
      cur = { kind: 'text', lines: [plain] };
      paras.push(cur);
    }
  }
  // A sentence the seed split across a footnote block is one paragraph again (the office's
  // original); the page break goes in the middle of it below.
  const body = paras.filter((p) => p.kind !== 'footnote');
  for (let i = 0; i + 1 < body.length; i++) {
    const a = body[i]!;
    const b = body[i + 1]!;
    if (a.kind === 'text' && b.kind === 'text' && !ENDS_SENTENCE.test(a.lines.join(' ')) && /^\p{Ll}/u.test(b.lines[0]!)) {
      a.lines = [`${a.lines.join(' ')} \f${b.lines.join(' ')}`];
      paras.splice(paras.indexOf(b), 1);
      body.splice(i + 1, 1);
    }
  }
  // Otherwise the page break goes inside the request sentence.
  const request = body.find((p) => REQUEST.test(p.lines.join(' ')));
  if (request && !request.lines.join(' ').includes('\f')) {
    request.lines = [request.lines.join(' ').replace(' a copy of your ', ' a copy of \fyour ')];
  }
  return paras;
}

const NOTE_MARK = /\[(\d{1,3})\]/;

// -------------------------------------------------------------------------------------
export async function seedDocx(letterId: string): Promise<Buffer> {
  const paras = seedParagraphs(letterId);
  const notes: Record<string, { children: Paragraph[] }> = {};
  for (const p of paras) if (p.kind === 'footnote') notes[p.mark!] = { children: [new Paragraph(p.lines.join(' '))] };
  const runsOf = (line: string) => {
    const runs: (TextRun | FootnoteReferenceRun | PageBreak)[] = [];
    line.split('\f').forEach((part, k) => {
      if (k > 0) runs.push(new PageBreak());
      for (const piece of part.split(/(\[\d{1,3}\])/)) {
        const mark = NOTE_MARK.exec(piece);
        if (mark && piece === mark[0]) runs.push(new FootnoteReferenceRun(Number(mark[1])));
        else if (piece) runs.push(new TextRun(piece));
      }
    });
    return runs;
  };
  const children = paras
    .filter((p) => p.kind !== 'footnote')
    .map((p) => {
      if (p.kind === 'heading') return new Paragraph({ text: p.lines[0], heading: HeadingLevel.HEADING_2 });
      // Lines of an address block are line breaks (Shift+Enter) in one paragraph.
      const runs = p.lines.flatMap((line, k) => (k === 0 ? runsOf(line) : [new TextRun({ text: '', break: 1 }), ...runsOf(line)]));
      return new Paragraph({ children: runs });
    });
  const doc = new Document({
    footnotes: notes,
    sections: [
      {
        headers: { default: new Header({ children: [new Paragraph('Independent Anti-Slavery Commissioner · 5th Floor, Globe House · London SW1V 1PN')] }) },
        footers: { default: new Footer({ children: [new Paragraph({ children: [new TextRun('Page '), new TextRun({ children: [PageNumber.CURRENT] })] })] }) },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}

// -------------------------------------------------------------------------------------
const A4: [number, number] = [595.28, 841.89];
const MARGIN = 72;
const BODY = 10;
const LEAD = 14;
const NOTE = 7.5;
const FOOT_TOP = 170; // body text stops above this; the footnotes sit below it

export async function seedPdf(letterId: string): Promise<Uint8Array> {
  const paras = seedParagraphs(letterId);
  const notes = new Map<string, string>();
  for (const p of paras) if (p.kind === 'footnote') notes.set(p.mark!, p.lines.join(' '));
  const pdf = await PDFDocument.create();
  pdf.setCreationDate(new Date('2020-10-13T09:00:00Z'));
  pdf.setModificationDate(new Date('2020-10-13T09:00:00Z'));
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const width = A4[0] - 2 * MARGIN;
  const pages: { page: ReturnType<PDFDocument['addPage']>; marks: string[] }[] = [];
  let y = 0;
  const newPage = () => {
    pages.push({ page: pdf.addPage(A4), marks: [] });
    y = A4[1] - MARGIN;
  };
  newPage();
  const current = () => pages[pages.length - 1]!;
  /** One line of words; "[n]" marks are drawn small and raised. */
  const drawLine = (words: string[], f = font) => {
    if (y < FOOT_TOP) newPage();
    let x = MARGIN;
    for (const word of words) {
      for (const piece of word.split(/(\[\d{1,3}\])/)) {
        const mark = NOTE_MARK.exec(piece);
        if (mark && piece === mark[0]) {
          current().page.drawText(mark[1]!, { x, y: y + 4, size: 6, font });
          x += font.widthOfTextAtSize(mark[1]!, 6);
          current().marks.push(mark[1]!);
        } else if (piece) {
          current().page.drawText(piece, { x, y, size: BODY, font: f });
          x += f.widthOfTextAtSize(piece, BODY);
        }
      }
      x += font.widthOfTextAtSize(' ', BODY);
    }
    y -= LEAD;
  };
  const measure = (w: string) => font.widthOfTextAtSize(w.replace(/\[\d{1,3}\]/g, ''), BODY);
  for (const p of paras) {
    if (p.kind === 'footnote') continue;
    for (const line of p.lines) {
      line.split(' \f').forEach((part, k) => {
        if (k > 0) newPage();
        let words: string[] = [];
        for (const w of part.split(' ').filter(Boolean)) {
          if (words.length && measure([...words, w].join(' ')) > width) {
            drawLine(words, p.kind === 'heading' ? bold : font);
            words = [];
          }
          words.push(w);
        }
        if (words.length) drawLine(words, p.kind === 'heading' ? bold : font);
      });
    }
    y -= LEAD * 0.8; // paragraph spacing
  }
  pages.forEach(({ page, marks }, k) => {
    page.drawText('OFFICIAL', { x: MARGIN, y: A4[1] - 40, size: 8, font, color: rgb(0.4, 0.4, 0.4) });
    page.drawText(`Page ${k + 1} of ${pages.length}`, { x: A4[0] - MARGIN - 60, y: 30, size: 8, font });
    let ny = FOOT_TOP - 30;
    for (const mark of marks) {
      const text = notes.get(mark);
      if (!text) continue;
      page.drawText(mark, { x: MARGIN, y: ny + 3, size: 5, font });
      let words: string[] = [];
      const flush = () => {
        page.drawText(words.join(' '), { x: MARGIN + 6, y: ny, size: NOTE, font });
        ny -= NOTE + 2;
        words = [];
      };
      for (const w of text.split(' ')) {
        if (words.length && font.widthOfTextAtSize([...words, w].join(' '), NOTE) > width - 6) flush();
        words.push(w);
      }
      if (words.length) flush();
      ny -= 3;
    }
  });
  return pdf.save({ useObjectStreams: false });
}

// -------------------------------------------------------------------------------------
/** A one-page "scan": a grey PNG image, no text layer. */
export async function scannedPdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage(A4);
  const image = await pdf.embedPng(greyPng(200, 280));
  page.drawImage(image, { x: 0, y: 0, width: A4[0], height: A4[1] });
  return pdf.save();
}

function greyPng(w: number, h: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const raw = Buffer.alloc((w + 1) * h, 0xc0);
  for (let r = 0; r < h; r++) raw[r * (w + 1)] = 0;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** A PDF of `pages` blank pages. */
export async function manyPagesPdf(pages: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let k = 0; k < pages; k++) pdf.addPage(A4).drawText(`Page ${k + 1}`, { x: 72, y: 72, size: 10, font });
  return pdf.save();
}

/** A PDF that needs a password (standard security handler; the empty password fails). */
export function encryptedPdf(): Buffer {
  const hex = (n: number) => 'ab'.repeat(n);
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
    `<< /Filter /Standard /V 1 /R 2 /O <${hex(32)}> /U <${hex(32)}> /P -4 >>`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, k) => {
    offsets.push(body.length);
    body += `${k + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Encrypt 4 0 R /ID [<${hex(16)}> <${hex(16)}>] >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

// -------------------------------------------------------------------------------------
/** A zip file from parts, each deflated; `lie` declares a smaller size than the part has. */
export function zipOf(parts: { name: string; data: Buffer; declaredSize?: number }[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const data = deflateRawSync(p.data);
    const name = Buffer.from(p.name, 'utf8');
    const size = p.declaredSize ?? p.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(8, 10);
    cd.writeUInt32LE(data.length, 20);
    cd.writeUInt32LE(size, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    central.push(cd, name);
    offset += 30 + name.length + data.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** The parts of a real .docx (from `docx`), to add hostile parts to. */
export async function docxParts(letterId: string): Promise<{ name: string; data: Buffer }[]> {
  const JSZip = (await import('jszip')).default;
  const zip = await JSZip.loadAsync(await seedDocx(letterId));
  const parts: { name: string; data: Buffer }[] = [];
  for (const [name, file] of Object.entries(zip.files)) if (!file.dir) parts.push({ name, data: await file.async('nodebuffer') });
  return parts;
}
