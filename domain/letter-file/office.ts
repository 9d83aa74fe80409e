// Letters as offices write them: a Word (.docx) or PDF file, converted to the HTML that the
// letter parser already reads. The conversions are functions of the file's bytes: the caller
// reads the file; nothing here touches the disk or the network (mammoth is told not to open
// linked files, pdf.js runs without a worker and fetches no fonts or maps).
//
// The converted HTML has one line per line of the letter (an address line, a wrapped line of
// a PDF paragraph, a Word paragraph), so the parser's line numbers map back to where a person
// finds the text: `positions[n - 1]` says where line n is ("page 2, paragraph 3").

import type { LetterIssue } from './parsed-letter';

export type OfficeFormat = 'docx' | 'pdf';

/** Limits for office files: far above a real letter, far below what hurts. */
export const OFFICE_LIMITS = {
  /** A letter with a letterhead and a signature image is well under 1 MB. */
  fileBytes: 20 * 1024 * 1024,
  pdfPages: 50,
  /** The sum of a .docx's unpacked parts (a zip bomb unpacks to gigabytes). */
  docxUnpackedBytes: 100 * 1024 * 1024,
  docxEntries: 2000,
};

export interface ConvertedLetter {
  format: OfficeFormat;
  /** HTML for the letter parser; empty when the file could not be read (see issues). */
  html: string;
  /** Where each line of `html` is in the original, by line number - 1. */
  positions: string[];
  /** Problems a person should know; an 'error' means nothing was read. */
  issues: LetterIssue[];
  /** No text at all: a scanned image. The parser is not run on it. */
  noText?: boolean;
  pages?: number;
}

export function officeFormatOf(fileName: string): OfficeFormat | null {
  const m = /\.(docx|pdf)$/i.exec(fileName);
  return m ? (m[1]!.toLowerCase() as OfficeFormat) : null;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function refused(format: OfficeFormat, message: string): ConvertedLetter {
  return { format, html: '', positions: [], issues: [{ level: 'error', line: null, message }] };
}

/**
 * Rewrites "line 23", "lines 25–29", "lines 31, 33 and 49" in a parser message to positions
 * in the original ("page 1, paragraph 9"), for letters whose lines a person cannot see.
 */
export function withPositions(message: string, positionOf: (line: number) => string | undefined): string {
  const one = (n: string) => positionOf(Number(n)) ?? `line ${n}`;
  return message
    .replace(/\blines (\d+)–(\d+)/g, (m, a: string, b: string) => {
      const pa = positionOf(Number(a));
      const pb = positionOf(Number(b));
      if (!pa || !pb) return m;
      if (pa === pb) return pa;
      // "page 1, footnote 1" to "page 1, footnote 3": "page 1, footnotes 1–3".
      const x = /^(.*?)(\w+) (\d+)$/.exec(pa);
      const y = /^(.*?)(\w+) (\d+)$/.exec(pb);
      if (x && y && x[1] === y[1] && x[2] === y[2]) return `${x[1]}${x[2]}s ${x[3]}–${y[3]}`;
      return `${pa} to ${pb}`;
    })
    .replace(/\blines ((?:\d+, )*\d+ and \d+)/g, (_m, list: string) => {
      const seen: string[] = [];
      for (const n of list.split(/, | and /)) {
        const p = one(n);
        if (!seen.includes(p)) seen.push(p);
      }
      return seen.length === 1 ? seen[0]! : `${seen.slice(0, -1).join('; ')} and ${seen[seen.length - 1]}`;
    })
    .replace(/\bline (\d+)/g, (_m, n: string) => one(n));
}
