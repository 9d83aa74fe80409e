// A letter as an email body: clean HTML and a plain-text version.
//
// Markdown is rendered by markdown-it, then everything (markdown output or an HTML
// letter) goes through sanitize-html with an allowlist: only text formatting, lists,
// headings and links survive; scripts and styles are dropped with their content, event
// handlers and other attributes are dropped, and links are kept only for http(s) and
// mailto (anything else, including javascript: however it is spelt, and the "#" stubs
// of the seed letters, becomes plain text). Footnote marks and footnotes are kept.
// No regular expression sanitises anything here.

import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { ESCAPED_SUP, MANGLED_SUP, blankInvisible, formatFromFileName, inlineToPlain, linesOfHtml, looksLikeHtml, splitLines, type InlineOptions } from './text';
import type { LetterFormat } from './parsed-letter';

export interface RenderedLetter {
  /** An HTML fragment (no <html>/<body>), safe to put in an email. */
  html: string;
  /** The same letter as plain text: links as "text <url>", footnote marks as "[1]". */
  text: string;
}

export type RenderInput = string | { text: string; fileName?: string; format?: LetterFormat };

// `breaks: true`: letters are written line by line (address blocks, signatures), so a
// single newline is a line break, as the writer meant, not a soft wrap.
const markdown = new MarkdownIt({ html: true, breaks: true, linkify: false, typographer: false });

const SAFE_LINK = /^(?:https?:\/\/|mailto:)/i;

const ALLOWED_TAGS = [
  'p', 'br', 'strong', 'b', 'em', 'i', 'u', 'sup', 'sub', 'a', 'ul', 'ol', 'li', 'blockquote',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'code', 'pre', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
];

// Pass 1: the allowlist, with unsafe links turned into <span>.
const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [...ALLOWED_TAGS, 'span'],
  allowedAttributes: { a: ['href', 'title'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    // Attribute values arrive here decoded ("jav&#x61;script:" is "javascript:"), so an
    // allowlist test on them is sound. A link that is not http(s) or mailto is text.
    a: (_tagName, attribs) => {
      const href = (attribs.href ?? '').trim();
      if (SAFE_LINK.test(href)) {
        const kept: Record<string, string> = { href };
        if (attribs.title) kept.title = attribs.title;
        return { tagName: 'a', attribs: kept };
      }
      return { tagName: 'span', attribs: {} };
    },
  },
};

// Pass 2: drop the spans, keeping their text. (Transforming straight to a disallowed
// tag is not safe to rely on: sanitize-html 2.17 then mislabels a later closing tag at
// the same depth, e.g. "<sup>4</unsafe-link>".)
const UNWRAP_SPANS: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: { a: ['href', 'title'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
};

function clean(html: string): string {
  return sanitizeHtml(sanitizeHtml(html, SANITIZE), UNWRAP_SPANS).trim();
}

const PLAIN: InlineOptions = { marks: 'bracket', links: 'text+url' };

function normalise(text: string): string {
  let t = typeof text === 'string' ? text : '';
  if (t.charCodeAt(0) === 0xfeff) t = t.slice(1);
  return t.replace(/\r\n?/g, '\n');
}

/** `<sup>&</sup>lt;sup>1</sup>` (an escaping accident) back to `<sup>1</sup>`. */
function repairFootnoteMarks(text: string): string {
  return text.replace(MANGLED_SUP, '<sup>$1</sup>').replace(ESCAPED_SUP, '<sup>$1</sup>');
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Plain text, line by line, keeping blank lines (at most one in a row). */
function plainLines(rawLines: string[]): string {
  const out: string[] = [];
  for (const raw of rawLines) {
    const compact = raw.replace(/\s+/g, '');
    let line: string;
    if (/^(?:-{3,}|\*{3,}|_{3,})$/.test(compact)) line = '----';
    else line = inlineToPlain(raw, PLAIN).text;
    // A footnote definition starts with its mark: "[1] Home Office (2019) ...".
    if (line === '' && out.length && out[out.length - 1] === '') continue;
    out.push(line);
  }
  while (out.length && out[0] === '') out.shift();
  while (out.length && out[out.length - 1] === '') out.pop();
  return out.join('\n');
}

function resolveFormat(input: RenderInput, text: string): LetterFormat {
  if (typeof input !== 'string') {
    if (input.format) return input.format;
    const byName = input.fileName ? formatFromFileName(input.fileName) : null;
    if (byName === 'html' || (byName !== null && !looksLikeHtml(text))) return byName;
  }
  return looksLikeHtml(text) ? 'html' : 'md';
}

export function renderLetter(input: RenderInput): RenderedLetter {
  const text = normalise(typeof input === 'string' ? input : input?.text);
  const format = resolveFormat(input, text);
  if (format === 'html') {
    const html = clean(repairFootnoteMarks(text));
    const lines = linesOfHtml(repairFootnoteMarks(text));
    return { html, text: plainLines(lines.map((l) => (l.kind === 'blank' ? '' : l.kind === 'rule' ? '---' : l.raw))) };
  }
  const plain = plainLines(splitLines(blankInvisible(repairFootnoteMarks(text), false)));
  if (format === 'txt') {
    // Plain text: paragraphs at blank lines, line breaks kept, everything escaped.
    const html = plain
      .split(/\n{2,}/)
      .filter((p) => p.trim() !== '')
      .map((p) => `<p>${p.split('\n').map(escapeHtml).join('<br>\n')}</p>`)
      .join('\n');
    return { html, text: plain };
  }
  const rendered = markdown.render(repairFootnoteMarks(text));
  return { html: clean(rendered), text: plain };
}
