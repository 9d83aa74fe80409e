// Consistency of the letter as a whole: its parts in the usual order, and nothing
// after the signature. Either way the paragraphs may have been shuffled.
import { type LetterIssues, quote } from './issues';
import { paragraphs } from './sentences';
import type { Line } from './text';

/** Anchors in the order a letter has them, each with its line (null: not found). */
export function checkOrder(anchors: [string, number | null][], issues: LetterIssues): void {
  const present = anchors.filter((a): a is [string, number] => a[1] !== null);
  for (let k = 0; k + 1 < present.length; k++) {
    const [a, la] = present[k]!;
    const [b, lb] = present[k + 1]!;
    if (lb < la) issues.warn(lb, `the ${b} comes before the ${a} (line ${la}): paragraphs may be out of order`);
  }
}

/** Text after the signature's last line (`after`; null when there is no sign-off). */
export function checkAfterSignature(lines: Line[], after: number | null, issues: LetterIssues): void {
  if (after === null) return;
  // Paragraphs, so that a footnote's second line is not taken for stray text.
  const stray = paragraphs(lines.filter((l) => l.no > after)).filter((p) => p.kind === 'text');
  if (stray.length) {
    const first = stray[0]!.lines[0]!;
    issues.warn(first.no, `text after the sign-off (${quote(first.text, 50)}): paragraphs may be out of order`);
  }
}
