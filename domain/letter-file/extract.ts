// The text of a Word or PDF document, for anything that needs to read one (a reply's
// attachments, to suggest which requested documents they are). The same readers and limits
// as Word and PDF letters; plain text, one line per line of the document.
import { docxToLetterHtml } from './docx';
import { officeFormatOf, type ConvertedLetter } from './office';
import { pdfToLetterHtml } from './pdf';
import { linesOfHtml } from './text';
import type { LetterIssue } from './parsed-letter';

export interface ExtractedText {
  /** Plain text; empty when the file was refused or is a scan (see issues). */
  text: string;
  issues: LetterIssue[];
  noText?: boolean;
}

/** null: not a format this reads (.docx, .pdf). */
export async function extractDocumentText(bytes: Uint8Array, fileName: string): Promise<ExtractedText | null> {
  const format = officeFormatOf(fileName);
  if (!format) return null;
  const converted: ConvertedLetter = format === 'docx' ? await docxToLetterHtml(bytes) : await pdfToLetterHtml(bytes);
  const lines = converted.html ? linesOfHtml(converted.html) : [];
  const text = lines
    .map((l) => (l.kind === 'footnote' ? `[${l.footnote!.mark}] ${l.text}` : l.text))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { text, issues: converted.issues, ...(converted.noText ? { noText: true } : {}) };
}
