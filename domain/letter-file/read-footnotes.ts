// Footnotes: the notes themselves, and their marks in the text. A mark without a note,
// a note without a mark, or a note before its mark says the letter is truncated or
// shuffled.
import { type LetterIssues, listMarks } from './issues';
import type { Footnote } from './parsed-letter';
import { paragraphs } from './sentences';
import type { Line } from './text';

/** At most this many missing, unmarked or misplaced notes are reported one by one. */
const MARK_PROBLEMS_LISTED = 8;

export function readFootnotes(lines: Line[], issues: LetterIssues): Footnote[] {
  const paras = paragraphs(lines).filter((p) => p.kind === 'footnote');
  const notes: Footnote[] = [];
  const seen = new Map<string, number>();
  let dupIssues = 0;
  for (const p of paras) {
    const head = p.lines[0]!;
    const mark = head.footnote!.mark;
    if (seen.has(mark)) {
      if (dupIssues++ < 5) issues.warn(head.no, `footnote ${mark} is written twice (first on line ${seen.get(mark)}); both kept`);
    } else {
      seen.set(mark, head.no);
    }
    notes.push({ mark, text: p.text, line: head.no });
  }
  const mangled = lines.filter((l) => l.mangled);
  if (mangled.length) {
    const nos = mangled.map((l) => l.no);
    issues.warn(nos[0]!, `footnote marks written as broken HTML ('<sup>&</sup>lt;sup>1</sup>') on ${nos.length === 1 ? `line ${nos[0]}` : `lines ${listMarks(nos.map(String))}`}; read as plain footnote numbers`);
  }
  checkMarks(lines, seen, issues);
  return notes;
}

/** Each note against its mark in the text; `notes` maps a note's mark to its line. */
function checkMarks(lines: Line[], notes: Map<string, number>, issues: LetterIssues) {
  // References in the text (not in footnotes themselves).
  const refs = new Map<string, number>();
  for (const l of lines) {
    if (l.kind === 'footnote') continue;
    for (const r of l.refs) if (!refs.has(r)) refs.set(r, l.no);
  }
  let reported = 0;
  const limit = MARK_PROBLEMS_LISTED;
  for (const [mark, line] of refs) {
    if (notes.has(mark)) continue;
    if (reported++ < limit) issues.warn(line, `footnote ${mark} is marked here but its text is missing: the letter may be truncated`);
  }
  for (const [mark, line] of notes) {
    const ref = refs.get(mark);
    if (ref === undefined) {
      if (reported++ < limit) issues.warn(line, `footnote ${mark} has no mark in the text`);
    } else if (line < ref) {
      if (reported++ < limit) issues.warn(line, `footnote ${mark} comes before its mark (line ${ref}): paragraphs may be out of order`);
    }
  }
  if (reported > limit) issues.warn(null, `… ${reported - limit} more footnote problems`);
}
