// A Word letter (.docx) to the HTML the letter parser reads, with mammoth (docx to semantic
// HTML: paragraphs, bold, links, footnotes; headers and footers, where the letterhead and
// page numbers live, are left out). Checked first: size, zip bomb, macros. Linked files
// (a remote template, a linked picture) are never opened: mammoth's externalFileAccess
// stays off and pictures are dropped without being read.
import mammoth from 'mammoth';
import { formatBytes } from '../bytes';
import { type ConvertedLetter, OFFICE_LIMITS, refused } from './office';
import type { LetterIssue } from './parsed-letter';
import { inspectZip } from './zip';

const MACRO_PART = /(?:^|\/)(?:vbaProject\.bin|vbaData\.xml)$|^word\/activeX\//i;
const EXTERNAL = /<Relationship\b[^>]{0,2000}\bTargetMode="External"[^>]{0,2000}>/g;

export async function docxToLetterHtml(bytes: Uint8Array): Promise<ConvertedLetter> {
  if (bytes.length > OFFICE_LIMITS.fileBytes) {
    return refused('docx', `${formatBytes(bytes.length)}: over the ${formatBytes(OFFICE_LIMITS.fileBytes)} limit for a Word letter`);
  }
  const zip = inspectZip(bytes, { entries: OFFICE_LIMITS.docxEntries, unpackedBytes: OFFICE_LIMITS.docxUnpackedBytes });
  if (!zip.ok) return refused('docx', `not read: ${zip.reason}`);
  const macro = zip.entries.find((e) => MACRO_PART.test(e.name));
  const types = zip.read('[Content_Types].xml');
  if (macro || (types && /macroEnabled/i.test(new TextDecoder().decode(types)))) {
    return refused('docx', `not read: it contains macros${macro ? ` (${macro.name})` : ''}; save the letter as a Word Document (.docx) without macros`);
  }
  if (!zip.read('word/document.xml')) return refused('docx', 'not read: no word/document.xml inside, so not a Word document');
  const issues: LetterIssue[] = [];
  for (const e of zip.entries) {
    if (!e.name.endsWith('.rels')) continue;
    const xml = new TextDecoder().decode(zip.read(e.name));
    for (const m of xml.matchAll(EXTERNAL)) {
      const type = /\bType="[^"]{0,300}\/([A-Za-z]{1,40})"/.exec(m[0])?.[1] ?? 'link';
      if (type === 'hyperlink') continue;
      const target = /\bTarget="([^"]{0,300})"/.exec(m[0])?.[1] ?? '';
      issues.push({ level: 'warning', line: null, message: `links to an outside file (${type}: ${target.slice(0, 120)}), which was not opened` });
    }
  }
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      {
        externalFileAccess: false,
        // A letterhead logo or a signature is not text; do not read or inline it.
        convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
        ignoreEmptyParagraphs: true,
      } as Parameters<typeof mammoth.convertToHtml>[1],
    );
    html = result.value;
  } catch (err) {
    return refused('docx', `not read: not a Word document mammoth can read (${(err as Error).message.slice(0, 200)})`);
  }
  return { ...linesOfMammothHtml(html), issues };
}

/**
 * mammoth's HTML, one line per block (and per line break inside one), footnote marks as
 * `<sup>1</sup>` and footnotes as paragraphs that start with their mark, as the parser
 * reads them in HTML letters.
 */
function linesOfMammothHtml(html: string): Pick<ConvertedLetter, 'format' | 'html' | 'positions'> {
  const s = html
    // <sup><a href="#footnote-1" id="footnote-ref-1">[1]</a></sup> → <sup>1</sup>
    .replace(/<sup><a href="#(?:foot|end)note-\d{1,6}" id="(?:foot|end)note-ref-\d{1,6}">\[(\d{1,4})\]<\/a><\/sup>/g, '<sup>$1</sup>')
    // The notes: <li id="footnote-1"><p>Text <a href="#footnote-ref-1">↑</a></p></li>
    .replace(/<li id="(?:foot|end)note-(\d{1,6})">(?:<p>)?/g, '<p><sup>$1</sup> ')
    .replace(/\s?<a href="#(?:foot|end)note-ref-\d{1,6}">↑<\/a>/g, '')
    .replace(/<\/p><\/li>|<\/li>/g, '</p>')
    .replace(/<\/?ol>/g, '')
    .replace(/<img [^>]{0,500}\/?>/g, '');
  const lines: string[] = [];
  const positions: string[] = [];
  let paragraph = 0;
  // Blocks end at </p>, </hN>, </li>, </tr>; inside one, <br /> starts a new line.
  for (const block of s.split(/(?<=<\/(?:p|h[1-6]|li|tr|table|ul|ol)>)/)) {
    if (!block.trim()) continue;
    paragraph++;
    const note = /^<p><sup>(\d{1,4})<\/sup> /.exec(block);
    const where = note ? `footnote ${note[1]}` : `paragraph ${paragraph}`;
    const parts = block.split(/<br \/>/);
    parts.forEach((part, k) => {
      lines.push(k < parts.length - 1 ? `${part}<br>` : part);
      positions.push(where);
    });
  }
  return { format: 'docx', html: lines.join('\n'), positions };
}
