// Paragraphs and sentences: the units the part-readers look in. Lines (text.ts) are
// grouped into paragraphs at blank lines; a run of text is cut into sentences, each
// knowing the lines it came from, so an issue can name the line of a word inside it.
import type { Line } from './text';

export interface Para {
  kind: 'text' | 'heading' | 'footnote' | 'rule';
  lines: Line[];
  text: string;
}

export function paragraphs(lines: Line[]): Para[] {
  const out: Para[] = [];
  let cur: Para | null = null;
  const close = () => {
    if (cur) out.push(cur);
    cur = null;
  };
  for (const line of lines) {
    if (line.kind === 'blank') {
      close();
    } else if (line.kind === 'rule' || line.kind === 'heading') {
      close();
      out.push({ kind: line.kind, lines: [line], text: line.text });
    } else if (line.kind === 'footnote') {
      close();
      cur = { kind: 'footnote', lines: [line], text: line.text };
    } else if (cur) {
      // A text line after a footnote line continues the note.
      cur.lines.push(line);
      cur.text = cur.text ? `${cur.text} ${line.text}` : line.text;
    } else {
      cur = { kind: 'text', lines: [line], text: line.text };
    }
  }
  close();
  return out;
}

export interface Piece {
  text: string;
  line: number;
  start: number;
}

export interface Sentence {
  text: string;
  line: number;
  endLine: number;
  /** The sentence runs across paragraphs joined over a footnote block. */
  stitched: boolean;
  terminated: boolean;
  /** Offsets → lines, for finding the line of something inside the sentence. */
  pieces: Piece[];
  offset: number;
}

/** Text that ends a sentence (or a clause that introduces a list). */
export const TERMINATED = /[.!?…:]["'”’)\]]*$/;
const ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'dr', 'st', 'no', 'eg', 'e.g', 'ie', 'i.e', 'etc', 'prof', 'cllr', 'vs', 'approx', 'rt', 'hon', 'ref', 'tel']);

/** The line of a character offset in joined pieces (binary search: chains can be long). */
export function lineAt(pieces: Piece[], offset: number): number {
  let lo = 0;
  let hi = pieces.length - 1;
  if (hi < 0) return 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (pieces[mid]!.start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return pieces[lo]!.line;
}

/** The line of a character offset inside a sentence. */
export function lineInSentence(s: Sentence, index: number): number {
  return lineAt(s.pieces, s.offset + index);
}

/** Is there a join point strictly inside (from, to)? `points` is sorted. */
function joinedWithin(points: number[], from: number, to: number): boolean {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid]! <= from) lo = mid + 1;
    else hi = mid;
  }
  return lo < points.length && points[lo]! < to;
}

/** Sentences of pieces of text joined by spaces; `stitchedAt` are offsets where paragraphs were joined. */
export function splitSentences(pieces: Piece[], stitchedAt: number[]): Sentence[] {
  const text = pieces.map((p) => p.text).join(' ');
  const out: Sentence[] = [];
  let start = 0;
  const push = (end: number) => {
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const s = raw.trim();
    if (s) {
      const from = start + lead;
      const to = start + lead + s.length;
      out.push({
        text: s,
        line: lineAt(pieces, from),
        endLine: lineAt(pieces, Math.max(from, to - 1)),
        stitched: joinedWithin(stitchedAt, from, to),
        terminated: TERMINATED.test(s),
        pieces,
        offset: from,
      });
    }
    start = end;
  };
  const boundary = /[.!?…]+["'”’)\]]*(?=\s+["'“‘(\[]?[\p{Lu}\d])/gu;
  for (const m of text.matchAll(boundary)) {
    const at = m.index ?? 0;
    if (m[0][0] === '.') {
      const before = /([A-Za-z.]{1,6})$/.exec(text.slice(Math.max(0, at - 6), at));
      if (before && ABBREVIATIONS.has(before[1]!.toLowerCase())) continue;
      // Initials ("J. Smith") are not sentence ends.
      if (/(?:^|\s)\p{Lu}$/u.test(text.slice(Math.max(0, at - 2), at))) continue;
    }
    push(at + m[0].length);
  }
  push(text.length);
  return out;
}

export function startsLower(text: string): boolean {
  return /^["'“‘(]?\p{Ll}/u.test(text);
}

export function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}
