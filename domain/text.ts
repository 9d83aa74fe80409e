// Cleaning every text that enters a letter (notes, reasons, names, subjects, recipients'
// fields, values echoed back in messages): no control characters, no bidi overrides, and
// a length cap, so nothing typed or imported can garble a terminal, a page or an email
// header, or grow a letter's status without bound. Pure; used by the workflow too.

// C0 and C1 controls (DEL included); tab and newline are handled by the caller's choice.
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
const TAB_NEWLINE = /[\t\n]/g;
// Bidi embeddings/overrides (U+202A-U+202E) and isolates (U+2066-U+2069): they can make
// text read differently from what it is ("Trojan Source").
const BIDI = /[\u202A-\u202E\u2066-\u2069]/g;

export interface CleanOptions {
  /** Keep tabs and newlines (notes, reasons); otherwise they become spaces. */
  multiline?: boolean;
}

/** `s` without control or bidi-override characters, cut to `max` characters (with '…' when cut). */
export function cleanText(s: string, max: number, opts: CleanOptions = {}): string {
  // Carriage returns end lines too: a CRLF note keeps its lines, a lone CR becomes a newline.
  let t = s.replace(/\r\n?/g, '\n').replace(CONTROLS, '').replace(BIDI, '');
  if (!opts.multiline) t = t.replace(TAB_NEWLINE, ' ');
  return cap(t, max);
}

/** Cuts `s` to at most `max` characters, ending with '…' when something was cut (never splits a surrogate pair). */
export function cap(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max - 1;
  const code = s.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${s.slice(0, end)}…`;
}

/** The most of a bad value shown back in a message. */
export const MAX_ECHO = 100;

/** A value shown back in a message, as JSON ("soon", 7, ["x"]), cleaned and at most ~100 characters. */
export function echo(value: unknown, max = MAX_ECHO): string {
  let s: string;
  try {
    s = JSON.stringify(typeof value === 'string' && value.length > max * 2 ? value.slice(0, max * 2) : value) ?? String(value);
  } catch {
    s = String(value);
  }
  return cleanText(s, max);
}

/** A text shown back in a message as it is (for quoting: 'problemProfil'), cleaned and at most ~100 characters. */
export function echoText(value: unknown, max = MAX_ECHO): string {
  if (typeof value !== 'string') return echo(value, max);
  // Cap first: cleaning a 1.5 MB value just to show 100 characters of it is wasted work.
  return cleanText(value.length > max * 2 ? value.slice(0, max * 2) : value, max);
}
