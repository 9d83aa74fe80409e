// Rendering a letter for email: markdown to clean HTML plus plain text, footnotes kept,
// anything executable removed.
import { readFileSync } from 'fs';
import { join } from 'path';
import fc from 'fast-check';
import { renderLetter } from '../domain/letter-file';

const DIR = join(__dirname, '..', 'examples', 'vru-2020', 'letters');
const read = (file: string) => readFileSync(join(DIR, file), 'utf8');

const ALLOWED_TAGS = new Set([
  'p', 'br', 'strong', 'b', 'em', 'i', 'u', 'sup', 'sub', 'a', 'ul', 'ol', 'li', 'blockquote',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'code', 'pre', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
]);

/** Every tag in the output is allowed; only <a> has attributes, and only safe links. */
function expectSafe(html: string) {
  for (const m of html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>/g)) {
    const tag = m[1]!.toLowerCase();
    const attrs = m[2]!.replace(/\/$/, '').trim();
    expect(ALLOWED_TAGS.has(tag)).toBe(true);
    if (tag !== 'a') {
      expect(attrs).toBe('');
      continue;
    }
    for (const a of attrs.matchAll(/([a-zA-Z-]+)="([^"]*)"/g)) {
      expect(['href', 'title']).toContain(a[1]);
      if (a[1] === 'href') expect(a[2]).toMatch(/^(?:https?:\/\/|mailto:)/i);
    }
  }
  expect(html).not.toMatch(/<script|<style|<iframe|<img|<svg|<object|<embed/i);
}

describe('the seed letters', () => {
  test('London: footnote marks and footnotes, rules, bold, mailto link, address line breaks', () => {
    const { html, text } = renderLetter({ fileName: 'london.md', text: read('london.md') });
    expectSafe(html);
    expect(html).toContain('<p>13 October 2020</p>');
    expect(html).toContain("Sophie Linden<br />\nDeputy Mayor for Policing and Crime in London<br />\nThe Mayor's Office for Policing and Crime<br />");
    expect(html).toContain('the announcement<sup>1</sup> in late 2019');
    expect(html).toContain('<p><sup>1</sup> Home Office (2019) Funding for Violence Reduction Units announced</p>');
    expect(html).toContain('<p><sup>5</sup> Independent Anti-Slavery Commissioner and ECPAT UK (2020) A review of what works');
    expect(html).toContain('<sup>4</sup> Independent Anti-Slavery Commissioner (2020) The Modern Slavery Act (2015) Statutory Defence');
    expect(html.match(/<hr \/>/g)).toHaveLength(2);
    expect(html).toContain('<strong>Independent Anti-Slavery Commissioner</strong>');
    expect(html).toContain('<a href="mailto:April.McCoig@iasc.independent.gov.uk">April.McCoig@iasc.independent.gov.uk</a>');
    // "[x](#)" stubs lead nowhere: text, not links.
    expect(html).not.toContain('href="#"');

    expect(text).not.toMatch(/<[a-z]/i);
    expect(text.startsWith('13 October 2020\n\nSophie Linden\nDeputy Mayor for Policing and Crime in London\n')).toBe(true);
    expect(text).toContain('the announcement[1] in late 2019');
    expect(text).toContain('\n[1] Home Office (2019) Funding for Violence Reduction Units announced\n');
    expect(text).toContain('\n[5] Independent Anti-Slavery Commissioner and ECPAT UK (2020) A review of what works in multi-agency decision making and the implications for child victims of trafficking');
    expect(text).toContain('can be contacted at April.McCoig@iasc.independent.gov.uk.');
    expect(text).toContain('Yours sincerely,\n\nIndependent Anti-Slavery Commissioner\n');
  });

  test('Avon and Somerset: unicode superscripts kept in HTML, bracketed in text', () => {
    const { html, text } = renderLetter({ fileName: 'avon-and-somerset.md', text: read('avon-and-somerset.md') });
    expectSafe(html);
    expect(html).toContain('the announcement¹ in late 2019');
    expect(html).toContain('<p>¹ Home Office (2019) Funding for Violence Reduction Units announced</p>');
    expect(text).toContain('the announcement[1] in late 2019');
    expect(text).toContain('\n[4] Independent Anti-Slavery Commissioner (2020) The Modern Slavery Act (2015) Statutory Defence: A call for evidence\n');
  });

  test('Nottinghamshire: mangled <sup>&</sup> marks repaired, anchors without a URL become text, <u> kept', () => {
    const { html, text } = renderLetter({ fileName: 'nottinghamshire.md', text: read('nottinghamshire.md') });
    expectSafe(html);
    expect(html).not.toContain('lt;sup');
    expect(html).toContain('<p><sup>1</sup> Home Office (2019) Funding for Violence Reduction Units announced</p>');
    expect(html).toContain('<sup>3</sup> Association of Police and Crime Commissioners (2020) <u>PCCs making a difference: Violence Reduction Units in focus</u>');
    expect(html).toContain('within my Strategic Plan 2019-2021: improving');
    expect(html).toContain('<h2>Dame Sara Thornton DBE QPM</h2>');
    expect(text).toContain('\n[3] Association of Police and Crime Commissioners (2020) PCCs making a difference: Violence Reduction Units in focus\n');
    expect(text.startsWith('Dame Sara Thornton DBE QPM\n\nIndependent Anti-Slavery Commissioner 5th Floor')).toBe(true);
  });

  test('CRLF and BOM render the same as LF', () => {
    const lf = renderLetter({ fileName: 'kent.md', text: read('kent.md') });
    expect(renderLetter({ fileName: 'kent.md', text: `\uFEFF${read('kent.md').replace(/\n/g, '\r\n')}` })).toEqual(lf);
  });
});

describe('dangerous content is removed', () => {
  const attack = [
    'Dear Sophie,',
    '',
    'Hello <script>alert("x")</script> there.',
    '',
    '<img src="x" onerror="alert(1)"> and <svg onload="alert(2)"></svg>',
    '',
    '<a href="javascript:alert(3)" onclick="steal()">click me</a>',
    '',
    '<a href="jav&#x61;script:alert(4)">encoded</a> <a href=" JaVaScRiPt:alert(5)">cased</a> <a href="vbscript:x">vb</a> <a href="data:text/html,x">data</a>',
    '',
    '[md link](javascript:alert(6)) and [ok](https://example.org/x) and <a href="https://example.org/y" target="_blank" onmouseover="x()">ok2</a>',
    '',
    '<p onclick="evil()" style="color:red">paragraph</p>',
    '',
    '<iframe src="https://example.org"></iframe><style>body{}</style><object data="x"></object>',
    '',
    'Footnote mark<sup>1</sup> stays.',
    '',
    '<sup>1</sup> The note.',
  ].join('\n');

  test.each(['md', 'html'] as const)('as %s: no script, no event handlers, no javascript: URLs; text and footnotes kept', (format) => {
    const { html, text } = renderLetter({ text: attack, format });
    expectSafe(html);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/href="\s*(?:javascript|vbscript|data):/i);
    expect(html).not.toContain('alert("x")');
    expect(html).toContain('click me');
    expect(html).toContain('paragraph');
    expect(html).toContain('<a href="https://example.org/y">ok2</a>');
    expect(html).toContain('mark<sup>1</sup> stays');
    expect(html).toContain('<sup>1</sup> The note.');
    if (format === 'md') expect(html).toContain('<a href="https://example.org/x">ok</a>');
    expect(text).toContain('Footnote mark[1] stays.');
    expect(text).toContain('[1] The note.');
    expect(text).not.toMatch(/javascript:|vbscript:/i);
  });

  test('a .txt letter: read as plain text as the parser reads it (tags and scripts dropped), then escaped', () => {
    const { html, text } = renderLetter({ fileName: 'x.txt', text: 'Dear Sam,\n\nA <script>alert(1)</script> & B¹ < C.\nNext line.\n\n¹ A note.' });
    expect(html).toBe('<p>Dear Sam,</p>\n<p>A &amp; B[1] &lt; C.<br>\nNext line.</p>\n<p>[1] A note.</p>');
    expect(text).toBe('Dear Sam,\n\nA & B[1] < C.\nNext line.\n\n[1] A note.');
  });

  test('property: whatever the input, the HTML has only allowed tags and safe links', () => {
    const fragments = [
      '<script>x</script>', '<a href="javascript:x">a</a>', '<img src=x onerror=y>', '<p onclick="z">p</p>',
      '[l](javascript:x)', '<sup>1</sup>', '¹', '**b**', '<', '>', '"', "'", '&', '&#x6a;', '\n', '\n\n', '<a href="', '<!--', '-->',
    ];
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 20 })), { maxLength: 40 }),
        fc.constantFrom('md', 'html', 'txt'),
        (parts, format) => {
          const { html } = renderLetter({ text: parts.join(''), format: format as 'md' | 'html' | 'txt' });
          expectSafe(html);
          expect(html).not.toMatch(/\son[a-z]+=/i);
        },
      ),
      { numRuns: 300, seed: 99 },
    );
  });
});
