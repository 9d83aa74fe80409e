// Turning a letter's raw text into lines of plain text, keeping the original line
// numbers. Shared by the parser (which drops footnote marks from sentences) and the
// plain-text renderer (which shows them as "[1]").
//
// Every regular expression here is linear on any input: no nested unbounded
// quantifiers, and every open-ended repetition is a negated character class that stops
// at the delimiter it is looking for (so noise cannot make them backtrack).

import type { LetterFormat } from './parsed-letter';

/** The most of a letter that is read: a letter is ~5 KB, this is fifty of them. */
export const MAX_LETTER_CHARS = 256 * 1024;

const SUPERSCRIPTS = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const SUPERSCRIPT_RUN = /[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,4}/g;

// Footnote references are replaced by a private-use marker while a line is processed,
// so later steps (link and tag stripping) cannot damage them.
const MARK_OPEN = '\uE000';
const MARK_CLOSE = '\uE001';
const MARKER = /\uE000(\d{1,4})\uE001/g;
const PRIVATE_MARKS = /[\uE000\uE001]/g;

export function superscriptToDigits(s: string): string {
  let out = '';
  for (const ch of s) {
    const i = SUPERSCRIPTS.indexOf(ch);
    out += i >= 0 ? String(i) : ch;
  }
  return out;
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', rsquo: '\u2019', lsquo: '\u2018',
  ldquo: '\u201C', rdquo: '\u201D', ndash: '\u2013', mdash: '\u2014', hellip: '\u2026',
  pound: '£', euro: '€', copy: '©', shy: '', sup1: '¹', sup2: '²', sup3: '³', middot: '·',
  eacute: 'é', egrave: 'è', aacute: 'á', oacute: 'ó', uuml: 'ü', ouml: 'ö', auml: 'ä',
};

export function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,9});/g, (m, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return m;
      return String.fromCodePoint(code);
    }
    const named = NAMED_ENTITIES[body.toLowerCase()];
    return named === undefined ? m : named;
  });
}

export interface InlineResult {
  /** Plain text, whitespace collapsed, trimmed. */
  text: string;
  /** Footnote marks referenced on the line, as digits, in order. */
  refs: string[];
  /** A footnote mark was written as mangled HTML (`<sup>&</sup>lt;sup>1</sup>`). */
  mangled: boolean;
  /** The line ends with a markdown hard break (two spaces) or `<br>`. */
  hardBreak: boolean;
}

export interface InlineOptions {
  /** 'drop' removes footnote marks (for sentences); 'bracket' writes them as "[1]". */
  marks: 'drop' | 'bracket';
  /** 'text' keeps a link's text; 'text+url' adds " <url>" for real (http, mailto) links. */
  links: 'text' | 'text+url';
}

export const PARSE_INLINE: InlineOptions = { marks: 'drop', links: 'text' };

// `<sup>&</sup>lt;sup>1</sup>` (seen in the Nottinghamshire letter: an escaped
// "&lt;sup>" whose ampersand was itself wrapped in <sup>), the form
// `<sup>&</sup><sup>1</sup>`, and a fully escaped `&lt;sup&gt;1&lt;/sup&gt;`.
export const MANGLED_SUP =
  /<sup>\s{0,3}&(?:amp;)?\s{0,3}<\/sup>\s{0,3}(?:&lt;|lt;|<)\s{0,3}sup\s{0,3}(?:&gt;|gt;|>)\s{0,3}\[?(\d{1,4})\]?\s{0,3}(?:<|&lt;)\/sup(?:>|&gt;)/gi;
export const ESCAPED_SUP = /&lt;sup&gt;\s{0,3}\[?(\d{1,4})\]?\s{0,3}&lt;\/sup&gt;/gi;
const SUP_TAG = /<sup(?:\s[^<>]{0,200})?>\s{0,3}\[?(\d{1,4})\]?\s{0,3}<\/sup\s{0,3}>/gi;
const MD_FOOTNOTE_REF = /\[\^(\d{1,4})\](?!:)/g;

/** Replace every form of footnote mark in a raw line by a private-use marker. */
export function markFootnotes(raw: string): { s: string; mangled: boolean } {
  let mangled = false;
  let s = raw.replace(PRIVATE_MARKS, '');
  s = s.replace(MANGLED_SUP, (_m, d: string) => {
    mangled = true;
    return MARK_OPEN + d + MARK_CLOSE;
  });
  s = s.replace(ESCAPED_SUP, (_m, d: string) => {
    mangled = true;
    return MARK_OPEN + d + MARK_CLOSE;
  });
  s = s.replace(SUP_TAG, (_m, d: string) => MARK_OPEN + d + MARK_CLOSE);
  s = s.replace(MD_FOOTNOTE_REF, (_m, d: string) => MARK_OPEN + d + MARK_CLOSE);
  s = s.replace(SUPERSCRIPT_RUN, (m) => MARK_OPEN + superscriptToDigits(m) + MARK_CLOSE);
  return { s, mangled };
}

function isRealUrl(url: string): boolean {
  return /^(?:https?:\/\/|mailto:)/i.test(url.trim());
}

/**
 * One line of markdown (or a segment of HTML) to plain text: links to their text,
 * emphasis and tags removed, entities decoded, footnote marks collected.
 */
export function inlineToPlain(raw: string, options: InlineOptions = PARSE_INLINE): InlineResult {
  const hardBreak = / {2,}$/.test(raw) || /<br\s{0,3}\/?>\s*$/i.test(raw);
  const marked = markFootnotes(raw);
  let s = marked.s;
  // HTML comments on one line.
  s = removeComments(s);
  // Markdown images and links: [text](url "title"). Link text may not contain brackets
  // or a newline, which keeps the match linear.
  // One level of parentheses is allowed in the URL ("javascript:alert(1)", wiki links).
  s = s.replace(/!?\[([^\[\]\n]{0,1000})\]\(\s{0,3}(<[^<>\n]{0,2000}>|[^()\s]{0,2000}(?:\([^()\s]{0,200}\)[^()\s]{0,200})?)(?:\s{1,3}"[^"\n]{0,300}")?\s{0,3}\)/g,
    (_m, text: string, urlRaw: string) => {
      const url = urlRaw.replace(/^<|>$/g, '');
      if (options.links === 'text+url' && isRealUrl(url)) {
        const shown = url.replace(/^mailto:/i, '');
        return unescapeMarkdown(text).trim() === shown ? text : `${text} <${shown}>`;
      }
      return text;
    });
  // HTML anchors: keep the text; for the plain-text rendering, add the URL if real.
  s = s.replace(/<a\s[^<>]{0,2000}>([^<]{0,2000})<\/a\s{0,3}>/gi, (m, text: string) => {
    if (options.links === 'text+url') {
      const href = /href\s{0,3}=\s{0,3}(?:"([^"]{0,2000})"|'([^']{0,2000})')/i.exec(m);
      const url = href ? decodeEntities(href[1] ?? href[2] ?? '') : '';
      if (isRealUrl(url)) {
        const shown = url.replace(/^mailto:/i, '');
        return text.trim() === shown ? text : `${text} <${shown}>`;
      }
    }
    return text;
  });
  // Autolinks <https://...> and <name@example.org>.
  s = s.replace(/<((?:https?:\/\/|mailto:)[^<>\s]{1,2000})>/gi, (_m, u: string) => u.replace(/^mailto:/i, ''));
  s = s.replace(/<([^<>\s@]{1,64}@[^<>\s@]{1,255})>/g, '$1');
  // Any other tag.
  s = s.replace(/<\/?[a-zA-Z][a-zA-Z0-9:-]{0,30}(?:\s[^<>]{0,2000})?\/?>/g, ' ');
  // Headings, blockquotes.
  s = s.replace(/^\s{0,3}#{1,6}\s+/, '').replace(/\s+#{1,6}\s*$/, '');
  s = s.replace(/^\s{0,3}(?:>\s?){1,5}/, '');
  // Emphasis: **bold**, __bold__, *em* (underscores alone are left: emails use them).
  s = s.replace(/\*\*|__/g, '');
  s = s.replace(/(^|[\s(])\*(?=\S)([^*\n]{1,500})\*(?=$|[\s).,;:!?])/g, '$1$2');
  s = unescapeMarkdown(s);
  s = decodeEntities(s);
  // Entities may have produced tags only as text (e.g. "&lt;u&gt;"): leave them as text.
  if (options.marks === 'bracket') {
    s = s.replace(MARKER, (_m, d: string) => `[${d}]`);
  } else {
    s = s.replace(MARKER, '');
  }
  s = s.replace(/[\s\u00A0\u2000-\u200B\u202F\u3000]+/g, ' ').trim();
  const refs: string[] = [];
  for (const m of marked.s.matchAll(MARKER)) refs.push(String(Number(m[1])));
  return { text: s, refs, mangled: marked.mangled, hardBreak };
}

function removeComments(s: string): string {
  let at = s.indexOf('<!--');
  if (at < 0) return s;
  let out = '';
  let from = 0;
  while (at >= 0) {
    const end = s.indexOf('-->', at + 4);
    if (end < 0) break;
    out += s.slice(from, at) + ' ';
    from = end + 3;
    at = s.indexOf('<!--', from);
  }
  return out + s.slice(from);
}

function unescapeMarkdown(s: string): string {
  return s.replace(/\\([\\`*_{}\[\]()#+\-.!|<>~])/g, '$1');
}

export type LineKind = 'blank' | 'rule' | 'heading' | 'footnote' | 'text';

export interface Line {
  /** 1-based line number in the original text. */
  no: number;
  raw: string;
  /** Plain text (footnote marks dropped). */
  text: string;
  kind: LineKind;
  /** Footnote marks referenced on this line (not for footnote definitions). */
  refs: string[];
  /** For kind 'footnote': the mark (digits) and the plain text of the note. */
  footnote?: { mark: string; text: string };
  mangled: boolean;
  bold: boolean;
}

// A footnote definition: a line that starts with a mark. After markFootnotes, every
// mark form is a marker; `[^1]:` is the markdown-extension form.
const FOOTNOTE_DEF = /^\s{0,3}\uE000(\d{1,4})\uE001\s*(.*)$/;
const MD_FOOTNOTE_DEF = /^\s{0,3}\[\^(\d{1,4})\]:\s*(.*)$/;

function classify(raw: string, no: number): Line {
  const trimmed = raw.trim();
  if (trimmed === '' || /^(?:<br\s{0,3}\/?>|&nbsp;|\s)+$/i.test(trimmed)) {
    return { no, raw, text: '', kind: 'blank', refs: [], mangled: false, bold: false };
  }
  const compact = trimmed.replace(/\s+/g, '');
  if (/^(?:-{3,}|\*{3,}|_{3,})$/.test(compact) || /^<hr(?:\s[^<>]{0,200})?\/?>$/i.test(trimmed)) {
    return { no, raw, text: '', kind: 'rule', refs: [], mangled: false, bold: false };
  }
  const marked = markFootnotes(raw);
  const def = FOOTNOTE_DEF.exec(marked.s) ?? MD_FOOTNOTE_DEF.exec(marked.s);
  if (def) {
    const rest = inlineToPlain(def[2] ?? '');
    return {
      no, raw, text: rest.text, kind: 'footnote', refs: [],
      footnote: { mark: String(Number(def[1])), text: rest.text },
      mangled: marked.mangled || rest.mangled, bold: false,
    };
  }
  const plain = inlineToPlain(raw);
  const heading = /^\s{0,3}#{1,6}\s/.test(raw);
  const bold = /^\s{0,3}(?:\*\*|__)[^]{1,300}(?:\*\*|__)\s*$/.test(raw) || /^\s{0,3}<(?:b|strong)>/i.test(raw);
  if (plain.text === '') {
    return { no, raw, text: '', kind: 'blank', refs: plain.refs, mangled: plain.mangled, bold: false };
  }
  return {
    no, raw, text: plain.text, kind: heading ? 'heading' : 'text', refs: plain.refs,
    mangled: plain.mangled, bold,
  };
}

/** Split into lines on LF, CRLF or a lone CR; line numbers are 1-based. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** The line model of a markdown or plain-text letter: one Line per original line. */
export function linesOfText(text: string): Line[] {
  // Markdown may carry raw HTML: a <script> or comment in it is not the letter's text.
  const visible = text.indexOf('<') >= 0 ? blankInvisible(text, false) : text;
  return splitLines(visible).map((raw, i) => classify(raw, i + 1));
}

// HTML: blocks become lines, keeping the number of the original line each began on.
const BLOCK_BREAK = /<\/?(?:p|div|h[1-6]|li|ul|ol|tr|table|blockquote|section|article|header|footer|address|body|html|center)(?:\s[^<>]{0,500})?>/gi;

/**
 * Blank out (keeping newlines, so line numbers stay) the parts of HTML that are never
 * text: comments, scripts, styles, the head. `unclosedToEnd`: an opener without its
 * closer hides the rest of the text (as a browser would); otherwise only the opener
 * itself is blanked (a markdown letter that mentions "<script" loses nothing else).
 */
export function blankInvisible(html: string, unclosedToEnd = true): string {
  let out = '';
  let i = 0;
  const lower = html.toLowerCase();
  const openers: [string, string][] = [['<!--', '-->'], ['<script', '</script'], ['<style', '</style'], ['<head', '</head'], ['<title', '</title']];
  while (i < html.length) {
    let next = -1;
    let pair: [string, string] | null = null;
    for (const p of openers) {
      const at = lower.indexOf(p[0], i);
      if (at >= 0 && (next < 0 || at < next)) {
        next = at;
        pair = p;
      }
    }
    if (next < 0 || !pair) {
      out += html.slice(i);
      break;
    }
    // "<header" and "<headline" are not "<head".
    if (pair[0] === '<head' && /[a-z]/i.test(html[next + 5] ?? '')) {
      out += html.slice(i, next + 5);
      i = next + 5;
      continue;
    }
    out += html.slice(i, next);
    const end = lower.indexOf(pair[1], next + pair[0].length);
    let stop: number;
    if (end >= 0) stop = Math.min(html.length, (html.indexOf('>', end) + 1) || html.length);
    else if (unclosedToEnd) stop = html.length;
    else stop = next + pair[0].length;
    out += html.slice(next, stop).replace(/[^\n]/g, '');
    i = stop;
  }
  return out;
}

/** The line model of an HTML letter. */
export function linesOfHtml(html: string): Line[] {
  const rawLines = splitLines(blankInvisible(html));
  const lines: Line[] = [];
  const push = (raw: string, no: number, blankBefore: boolean) => {
    if (blankBefore && lines.length > 0 && lines[lines.length - 1]!.kind !== 'blank') {
      lines.push(classify('', no));
    }
    if (raw.trim() !== '') lines.push(classify(raw, no));
  };
  rawLines.forEach((rawLine, idx) => {
    const no = idx + 1;
    if (rawLine.trim() === '') {
      push('', no, true);
      return;
    }
    // Split the line at block tags (paragraph breaks) and <br> (line breaks).
    let last = 0;
    let breakBefore = false;
    const parts: { s: string; para: boolean }[] = [];
    const re = new RegExp(`${BLOCK_BREAK.source}|<br\\s{0,3}\\/?>|<hr(?:\\s[^<>]{0,200})?\\/?>`, 'gi');
    for (const m of rawLine.matchAll(re)) {
      const at = m.index ?? 0;
      parts.push({ s: rawLine.slice(last, at), para: breakBefore });
      const tag = m[0].toLowerCase();
      breakBefore = !tag.startsWith('<br');
      if (tag.startsWith('<hr')) {
        parts.push({ s: '---', para: true });
        breakBefore = true;
      }
      last = at + m[0].length;
    }
    parts.push({ s: rawLine.slice(last), para: breakBefore });
    for (const p of parts) push(p.s, no, p.para);
  });
  return lines;
}

/** Does the text look like an HTML document (rather than markdown with a few tags)? */
export function looksLikeHtml(text: string): boolean {
  const head = text.slice(0, 4096).trimStart().toLowerCase();
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) return true;
  const sample = text.slice(0, 64 * 1024);
  const blocks = (sample.match(/<(?:p|div|br|table|h[1-6])(?:\s[^<>]{0,200})?\/?>/gi) ?? []).length;
  const blankLines = (sample.match(/\n[ \t]*\n/g) ?? []).length;
  return blocks >= 3 && blocks > blankLines;
}

/** Does the text have markdown structure (headings, emphasis, links, rules)? */
export function looksLikeMarkdown(text: string): boolean {
  const sample = text.slice(0, 64 * 1024);
  return /^#{1,6}\s|\*\*[^*\n]{1,200}\*\*|\[[^\[\]\n]{1,300}\]\([^()\s]{0,300}\)|^-{3,}\s*$/m.test(sample);
}

export function formatFromFileName(fileName: string): LetterFormat | null {
  const m = /\.([A-Za-z0-9]{1,10})$/.exec(fileName);
  const ext = m ? m[1]!.toLowerCase() : '';
  if (ext === 'md' || ext === 'markdown') return 'md';
  if (ext === 'txt' || ext === 'text') return 'txt';
  if (ext === 'html' || ext === 'htm') return 'html';
  return null;
}
