// The parser on damaged letters: truncated, shuffled, re-encoded, empty, noise. It must
// never throw, must finish quickly, and must say specifically what is wrong.
import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import fc from 'fast-check';
import { DOCUMENT_KEYS } from '../domain/documents';
import { decodeLetterBytes, parseLetter, type ParsedLetter } from '../domain/letter-file';

const DIR = join(__dirname, '..', 'examples', 'vru-2020', 'letters');
const SEEDS = readdirSync(DIR)
  .sort()
  .map((file) => ({ file, text: readFileSync(join(DIR, file), 'utf8') }));
const london = SEEDS.find((s) => s.file === 'london.md')!;
const avon = SEEDS.find((s) => s.file === 'avon-and-somerset.md')!;

function parse(text: string, fileName = 'letter.md'): ParsedLetter {
  return parseLetter({ fileName, text });
}

/** Issues are well formed: a level, a message that names its line, a line that exists. */
function expectWellFormed(r: ParsedLetter, text: string) {
  const lineCount = text.split(/\r\n|\r|\n/).length;
  for (const issue of r.issues) {
    expect(['error', 'warning']).toContain(issue.level);
    expect(issue.message.length).toBeGreaterThan(10);
    if (issue.line !== null) {
      expect(issue.line).toBeGreaterThanOrEqual(1);
      expect(issue.line).toBeLessThanOrEqual(lineCount);
      expect(issue.message.startsWith(`line ${issue.line}: `)).toBe(true);
    }
  }
  for (const k of r.documents.value) expect(DOCUMENT_KEYS).toContain(k);
  for (const k of r.alreadyPublished.value) expect(DOCUMENT_KEYS).toContain(k);
}

const messages = (r: ParsedLetter) => r.issues.map((i) => i.message);

describe('empty and degenerate input', () => {
  test.each([[''], ['   \n\n\t\n'], ['\uFEFF'], ['\r\n\r\n']])('%j is an empty letter: one error', (text) => {
    const r = parse(text);
    expect(r.issues).toEqual([{ level: 'error', line: null, message: 'the letter is empty: there is no text to read' }]);
    expect(r.documents.value).toEqual([]);
    expect(r.footnotes).toEqual([]);
  });

  test('input that is not a string is an empty letter, not a crash', () => {
    const r = parseLetter({ fileName: undefined, text: undefined } as unknown as { fileName: string; text: string });
    expect(r.issues).toContainEqual({ level: 'error', line: null, message: 'the letter is empty: there is no text to read' });
  });

  test('a letter asking for nothing: error "no requested documents found"', () => {
    const text = london.text.replace(/I would therefore be grateful[^\n]*\n/, 'Please contact April McCoig at April.McCoig@iasc.independent.gov.uk.\n');
    const r = parse(text);
    expect(r.documents.value).toEqual([]);
    expect(r.issues).toContainEqual({
      level: 'error', line: null,
      message: 'no requested documents found: no sentence mentions a Problem Profile / Strategic Needs Assessment, Response Strategy and Updates on progress on delivery',
    });
  });

  test('everything noted as published and nothing asked: an error naming the line', () => {
    const text = london.text.replace(/I would therefore be grateful[^\n]*\n/, 'I note that your Problem Profile is published online.\n');
    const r = parse(text);
    expect(r.alreadyPublished.value).toEqual(['problemProfile']);
    expect(messages(r)).toContain('line 23: no requested documents found: Problem Profile / Strategic Needs Assessment noted as published, and nothing else is asked for');
  });
});

describe('dates', () => {
  test('no date: a specific warning, everything else still read', () => {
    const r = parse(london.text.replace('13 October 2020\n', ''));
    expect(r.date).toBeUndefined();
    expect(messages(r)).toContain("no date found (a line such as '13 October 2020' before the salutation)");
    expect(r.recipientName?.value).toBe('Sophie Linden');
    expect(r.address?.value).toEqual(['City Hall', "The Queen's Walk", 'London', 'SE1 2AA']);
    expect(r.documents.value).toEqual(['problemProfile', 'responseStrategy', 'deliveryUpdate']);
  });

  test('two dates: the first is used, and the warning names both', () => {
    const r = parse(london.text.replace('13 October 2020\n', '13 October 2020\n\n14 October 2020\n'));
    expect(r.date).toMatchObject({ value: '2020-10-13', line: 3, confidence: 'medium' });
    expect(r.issues).toContainEqual({
      level: 'warning', line: 3,
      message: 'line 3: two dates found: 13 October 2020 and 14 October 2020 (line 5); using the first',
    });
    expect(r.recipientName?.value).toBe('Sophie Linden');
  });

  test('a date that does not exist', () => {
    const r = parse(london.text.replace('13 October 2020', '31 February 2020'));
    expect(r.date).toBeUndefined();
    expect(messages(r)).toContain("line 3: '31 February 2020' looks like a date but no such day exists");
  });

  test.each([
    ['Tuesday 13th October 2020', '2020-10-13'],
    ['October 13, 2020', '2020-10-13'],
    ['13/10/2020', '2020-10-13'],
    ['2020-10-13', '2020-10-13'],
    ['Date: 13 Oct 2020', '2020-10-13'],
  ])('date written as %s', (written, iso) => {
    expect(parse(london.text.replace('13 October 2020', written)).date?.value).toBe(iso);
  });
});

describe('truncated letters', () => {
  test.each(SEEDS.map((s) => [s.file, s.text] as const))('%s cut at every 17th character: never throws, always says something new', (_file, text) => {
    const full = new Set(messages(parse(text)));
    // Cuts inside the very last footnote cannot be seen (it is a whole sentence at any length).
    const lastLine = text.lastIndexOf('\n');
    for (let cut = 0; cut < text.length; cut += 17) {
      const part = text.slice(0, cut);
      const r = parse(part);
      expectWellFormed(r, part);
      if (cut < lastLine) {
        const fresh = messages(r).filter((m) => !full.has(m));
        if (fresh.length === 0) throw new Error(`cut at ${cut} (${JSON.stringify(part.slice(-40))}) gave no new issue`);
      }
    }
  });

  test('cut inside the request sentence: what is left is read, and the cut is reported', () => {
    const cut = london.text.indexOf('any updates regarding') + 'any updates regarding'.length;
    const r = parse(london.text.slice(0, cut));
    expect(r.documents.value).toEqual(['problemProfile', 'responseStrategy']);
    expect(r.documents.confidence).toBe('low');
    expect(messages(r)).toContain(
      "line 23: the request for documents ends without a full stop ('…Response Strategy and any updates regarding'): it may be cut short, and documents named after the cut are missing",
    );
    expect(messages(r)).toContain("no sign-off found ('Yours sincerely', 'Yours faithfully', 'Kind regards'): the letter may be truncated");
    expect(messages(r)).toContain('line 17: footnote 1 is marked here but its text is missing: the letter may be truncated');
    // One warning for the cut, not a second one for the paragraph it is in.
    expect(messages(r).filter((m) => m.startsWith('line 23:'))).toHaveLength(1);
  });

  test('cut after the salutation: an error for the documents, warnings for the rest', () => {
    const r = parse(london.text.slice(0, london.text.indexOf('Dear Sophie,') + 12));
    expect(r.salutation?.value).toBe('Dear Sophie,');
    expect(r.recipientName?.value).toBe('Sophie Linden');
    expect(r.issues.filter((i) => i.level === 'error').map((i) => i.message)).toEqual([
      'no requested documents found: no sentence mentions a Problem Profile / Strategic Needs Assessment, Response Strategy and Updates on progress on delivery',
    ]);
    expect(messages(r)).toContain('no coordinator email found in the letter (someone who co-ordinates responses, with an email address)');
    expect(messages(r)).toContain('no request to publish the response found; publicationRequested is false');
  });

  test('Avon and Somerset cut before the footnote block: the half sentence is kept and flagged', () => {
    const cut = avon.text.indexOf('any updates regarding') + 'any updates regarding'.length;
    const r = parse(avon.text.slice(0, cut));
    expect(r.requestSentence?.value.endsWith('as well as any updates regarding')).toBe(true);
    expect(r.documents.value).toEqual(['problemProfile', 'responseStrategy']);
  });
});

describe('shuffled paragraphs', () => {
  const anchors: [string, RegExp][] = [
    ['date', /^13 October 2020$/],
    ['recipient', /^(?:Sophie|Sue|Paddy|Matthew|David) \w+ *\n/],
    ['salutation', /^Dear /],
    ['request', /grateful if|I would welcome/],
    ['sign-off', /^Yours sincerely/],
  ];

  test.each(SEEDS.map((s) => [s.file, s.text] as const))('%s: never throws; out-of-order anchors are reported', (_file, text) => {
    const paras = text.trim().split(/\n{2,}/);
    const baseline = new Set(messages(parse(text)));
    fc.assert(
      fc.property(fc.shuffledSubarray(paras, { minLength: paras.length, maxLength: paras.length }), (shuffled) => {
        const shuffledText = shuffled.join('\n\n');
        const r = parse(shuffledText);
        expectWellFormed(r, shuffledText);
        const positions = anchors.map(([, re]) => shuffled.findIndex((p) => re.test(p)));
        const inOrder = positions.every((p, k) => k === 0 || p > positions[k - 1]!);
        if (!inOrder) {
          expect(messages(r).filter((m) => !baseline.has(m)).length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 60, seed: 20201013 },
    );
  });

  test('sign-off moved before the request: reported as out of order', () => {
    const paras = london.text.trim().split(/\n{2,}/);
    const signOff = paras.findIndex((p) => p.startsWith('Yours sincerely'));
    const [moved] = paras.splice(signOff, 1);
    paras.splice(5, 0, moved!);
    const r = parse(paras.join('\n\n'));
    expect(messages(r).some((m) => /comes before|out of order|no requested documents/.test(m))).toBe(true);
  });

  test('the continuation of a split sentence moved away: "starts mid-sentence"', () => {
    const paras = avon.text.trim().split(/\n{2,}/);
    const k = paras.findIndex((p) => p.startsWith('progress on delivery.'));
    const [moved] = paras.splice(k, 1);
    paras.splice(3, 0, moved!);
    const r = parse(paras.join('\n\n'));
    expect(messages(r).some((m) => m.includes("paragraph starts mid-sentence ('progress on delivery."))).toBe(true);
    expect(messages(r).some((m) => m.includes('the request for documents ends without a full stop'))).toBe(true);
  });
});

describe('line endings, BOM, encodings', () => {
  test.each(SEEDS.map((s) => [s.file, s.text] as const))('%s: CRLF, CR and BOM give exactly the LF result', (_file, text) => {
    const lf = parse(text);
    expect(parse(text.replace(/\n/g, '\r\n'))).toEqual(lf);
    expect(parse(text.replace(/\n/g, '\r'))).toEqual(lf);
    expect(parse(`\uFEFF${text}`)).toEqual(lf);
  });

  test('property: CRLF and LF give the same result for any text', () => {
    const line = fc.oneof(
      fc.constantFrom(...SEEDS.flatMap((s) => s.text.split('\n'))),
      fc.string({ maxLength: 80 }).map((s) => s.replace(/[\r\n]/g, ' ')),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), (lines) => {
        const lf = lines.join('\n');
        expect(parse(lf.replace(/\n/g, '\r\n'))).toEqual(parse(lf));
      }),
      { numRuns: 200, seed: 42 },
    );
  });

  function encode1252(text: string): Uint8Array {
    const high: Record<string, number> = { '’': 0x92, '‘': 0x91, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97, '€': 0x80 };
    return Uint8Array.from([...text].map((ch) => high[ch] ?? (ch.charCodeAt(0) < 256 ? ch.charCodeAt(0) : 0x3f)));
  }

  test('Windows-1252 bytes: decoded with a warning that names the line, then parsed', () => {
    const text = london.text.replace("The Mayor's Office", 'The Mayor’s Office').replace('Sophie Linden', 'Sophie Lindén');
    const { text: decoded, issues, encoding } = decodeLetterBytes(encode1252(text), 'london.md');
    expect(encoding).toBe('windows-1252');
    expect(decoded).toBe(text);
    expect(issues).toEqual([
      {
        level: 'warning', line: 5,
        message: "line 5: london.md is not UTF-8 (byte 0xe9 near 'Sophie Lindén'); read as Windows-1252: check quotes and accented letters, and save it as UTF-8",
      },
    ]);
    const r = parse(decoded);
    expect(r.organisation?.value).toBe('The Mayor’s Office for Policing and Crime');
    expect(r.recipientName?.value).toBe('Sophie Lindén');
  });

  test('UTF-8 with and without BOM, UTF-16 with BOM: same text, no issues', () => {
    const utf8 = new TextEncoder().encode(london.text);
    expect(decodeLetterBytes(utf8, 'l.md')).toEqual({ text: london.text, issues: [], encoding: 'utf-8' });
    expect(decodeLetterBytes(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8]), 'l.md')).toEqual({ text: london.text, issues: [], encoding: 'utf-8' });
    const le = Buffer.from(`\uFEFF${london.text}`, 'utf16le');
    expect(decodeLetterBytes(new Uint8Array(le), 'l.md')).toEqual({ text: london.text, issues: [], encoding: 'utf-16le' });
    const be = Buffer.from(le).swap16();
    expect(decodeLetterBytes(new Uint8Array(be), 'l.md')).toEqual({ text: london.text, issues: [], encoding: 'utf-16be' });
  });

  test('UTF-16 without a BOM is recognised, with a warning', () => {
    const le = new Uint8Array(Buffer.from(london.text, 'utf16le'));
    const d = decodeLetterBytes(le, 'l.md');
    expect(d.text).toBe(london.text);
    expect(d.issues).toEqual([{ level: 'warning', line: null, message: 'l.md has no byte-order mark but looks like UTF-16 (little-endian); read as such' }]);
  });

  test('property: any bytes decode without throwing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (bytes) => {
        const d = decodeLetterBytes(bytes, 'x.txt');
        expect(typeof d.text).toBe('string');
        expectWellFormed(parse(d.text, 'x.txt'), d.text);
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});

describe('noise and size', () => {
  /** Deterministic noise: 1 MB from a linear congruential generator, repeated to size. */
  function noise(size: number, alphabet: string, seed: number): string {
    let x = seed >>> 0;
    const out: string[] = [];
    for (let i = 0; i < Math.min(size, 1024 * 1024); i++) {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      out.push(alphabet[(x >>> 16) % alphabet.length]!);
    }
    const block = out.join('');
    return block.repeat(Math.ceil(size / block.length)).slice(0, size);
  }

  const FIVE_MB = 5 * 1024 * 1024;
  const cases: [string, () => string][] = [
    ['random text with markup characters', () => noise(FIVE_MB, 'abc XYZ 019 .,;:()[]<>*_#@/\\-\n\n¹²³ Dear \u00e9', 1)],
    ['one line, no newlines', () => noise(FIVE_MB, 'abcdefghij KLMNOP.,@[]()<>', 2)],
    ['repeated opening brackets', () => '[a'.repeat(FIVE_MB / 2)],
    ['repeated tags', () => '<a href="'.repeat(FIVE_MB / 9)],
    ['repeated sup tags', () => '<sup>&</sup>lt;sup>'.repeat(FIVE_MB / 19)],
    ['repeated emphasis', () => ' *a'.repeat(FIVE_MB / 3)],
    ['repeated email-like text', () => 'a.b@c.'.repeat(FIVE_MB / 6)],
    ['repeated request words', () => 'updates regarding progress '.repeat(FIVE_MB / 27)],
    ['repeated seed letter', () => london.text.repeat(Math.ceil(FIVE_MB / london.text.length))],
    ['control characters', () => noise(FIVE_MB, '\u0000\u0001\u0002abc\n', 3)],
    ['paragraphs that each continue the last', () => 'and so on without end\n\n'.repeat(FIVE_MB / 23)],
    ['many short sentences', () => 'A b. '.repeat(FIVE_MB / 5)],
    ['many acronyms', () => noise(FIVE_MB, 'ABCDEFGH (ABC) (BCD) Able Bodied Cat ', 4)],
    ['many footnote marks', () => noise(FIVE_MB, '¹²³⁴ x\n', 5)],
    ['many dates and salutations', () => '13 October 2020\nDear X,\n'.repeat(FIVE_MB / 24)],
  ];

  test.each(cases)('5 MB of %s: finishes quickly with a size warning', (_name, make) => {
    const text = make();
    const started = Date.now();
    const r = parse(text);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(3000);
    expectWellFormed(r, text);
    expect(messages(r).some((m) => /^the letter is [\d,]+ characters long, far longer than a letter; only the first [\d,]+ were read$/.test(m))).toBe(true);
  });

  test('control characters are reported', () => {
    const r = parse(`${london.text}\u0000\u0001\u0002`.repeat(1).replace(/e/g, '\u0000'));
    expect(messages(r).some((m) => /control or replacement characters in the text/.test(m))).toBe(true);
  });

  test('property: arbitrary strings never throw', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 3000 }), (text) => {
        expectWellFormed(parse(text), text.startsWith('\uFEFF') ? text.slice(1) : text);
      }),
      { numRuns: 300, seed: 1 },
    );
  });

  test('property: seed lines in any mixture never throw and keep issues well formed', () => {
    const pieces = SEEDS.flatMap((s) => s.text.split('\n'));
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 40 })), { maxLength: 120 }), fc.constantFrom('a.md', 'a.txt', 'a.html', 'a'), (lines, name) => {
        const text = lines.join('\n');
        expectWellFormed(parse(text, name), text);
      }),
      { numRuns: 300, seed: 3 },
    );
  });
});

describe('other formats', () => {
  const html = `<!DOCTYPE html>
<html><head><title>Letter</title><style>p { color: red }</style></head>
<body>
<p>13 October 2020</p>
<p>Sophie Linden<br>
Deputy Mayor for Policing and Crime in London<br>
The Mayor&#39;s Office for Policing and Crime<br>
City Hall<br>
The Queen&rsquo;s Walk<br>
London<br>
SE1 2AA</p>
<p>Dear Sophie,</p>
<p>I was pleased to see the announcement<sup>1</sup> about Violence Reduction Units (VRUs). The VRUs matter; so does each VRU.</p>
<p>I would therefore be grateful if you would be willing to share with my office a copy of your Problem Profile/Strategic Needs Assessment, Response Strategy and any updates regarding progress on delivery. April McCoig, the Victims and Partnerships lead within my office will be co-ordinating responses and can be contacted at <a href="mailto:April.McCoig@example.org">April.McCoig@example.org</a>.</p>
<script>document.write("Dear Mallory,")</script>
<p>I request that you respond in a way that enables me to publish your letter on my website.</p>
<p>Yours sincerely,</p>
<p><b>Independent Anti-Slavery Commissioner</b></p>
<hr>
<p><sup>1</sup> Home Office (2019) <a href="https://www.gov.uk/">Funding for Violence Reduction Units announced</a></p>
</body></html>
`;

  test('an HTML letter: blocks become lines, line numbers are the source lines', () => {
    const r = parse(html, 'london.html');
    expect(r.format).toBe('html');
    expect(r.date).toMatchObject({ value: '2020-10-13', line: 4 });
    expect(r.recipientName).toMatchObject({ value: 'Sophie Linden', line: 5 });
    expect(r.organisation?.value).toBe("The Mayor's Office for Policing and Crime");
    expect(r.address?.value).toEqual(['City Hall', 'The Queen’s Walk', 'London', 'SE1 2AA']);
    expect(r.salutation).toMatchObject({ value: 'Dear Sophie,', line: 12 });
    expect(r.documents.value).toEqual(['problemProfile', 'responseStrategy', 'deliveryUpdate']);
    expect(r.coordinator?.email.value).toBe('April.McCoig@example.org');
    expect(r.coordinator?.role?.value).toBe('Victims and Partnerships lead');
    expect(r.publicationRequested.value).toBe(true);
    expect(r.subject?.value).toBe('Violence Reduction Units (VRUs)');
    expect(r.footnotes).toEqual([{ mark: '1', text: 'Home Office (2019) Funding for Violence Reduction Units announced', line: 20 }]);
    expect(r.sender?.title?.value).toBe('Independent Anti-Slavery Commissioner');
  });

  test('an HTML document named .md is read as HTML, with a warning', () => {
    const r = parse(html, 'london.md');
    expect(r.format).toBe('html');
    expect(messages(r)).toContain('the file is named .md but its content is an HTML document; read as HTML');
    expect(r.recipientName?.value).toBe('Sophie Linden');
  });

  test('a plain-text letter and an unknown extension', () => {
    const txt = parse(avon.text, 'avon.txt');
    expect(txt.format).toBe('txt');
    expect(txt.documents.value).toEqual(['problemProfile', 'responseStrategy', 'deliveryUpdate']);
    const odd = parse(avon.text, 'avon.letter');
    expect(odd.format).toBe('md');
    expect(messages(odd)).toContain('the extension .letter is not .md, .txt or .html; read as md from its content');
  });

  test('a salutation that names someone else', () => {
    const r = parse(london.text.replace('Dear Sophie,', 'Dear Bob,'));
    expect(messages(r)).toContain("line 13: the salutation 'Dear Bob,' does not name the recipient 'Sophie Linden' (line 5)");
  });
});

describe('subject lines', () => {
  test.each([
    ['after the date', (t: string) => t.replace('13 October 2020\n', '13 October 2020\n\nRe: Violence Reduction Unit documents\n')],
    ['between the address and "Dear"', (t: string) => t.replace('\nDear Sophie,', '\n**Re: Violence Reduction Unit documents**\n\nDear Sophie,')],
  ])('a "Re:" line %s is the subject, and not part of the address', (_where, edit) => {
    const text = edit(london.text);
    const r = parse(text);
    expect(r.subject).toMatchObject({ value: 'Violence Reduction Unit documents', confidence: 'high' });
    expect(r.recipientName?.value).toBe('Sophie Linden');
    expect(r.address?.value).toEqual(['City Hall', "The Queen's Walk", 'London', 'SE1 2AA']);
  });
});
