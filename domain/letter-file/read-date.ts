// The letter's date: the first real date in the header, before the salutation.
import { type LetterIssues, quote } from './issues';
import type { Confidence, Inferred } from './parsed-letter';
import { parseDateLine } from './patterns';
import type { Line } from './text';

export interface LetterDate {
  /** The line the date was read from (it separates the sender's header from the recipient). */
  lineObj: Line;
  inferred: Inferred<string> | undefined;
}

/** The date among the header lines; a date that is no real day, or several dates, are reported. */
export function findDate(header: Line[], salutation: Line | undefined, issues: LetterIssues): LetterDate | undefined {
  const found: { line: Line; iso: string | null; text: string }[] = [];
  for (const l of header) {
    if (l.kind !== 'text' && l.kind !== 'heading') continue;
    const d = parseDateLine(l.text);
    if (d) found.push({ line: l, iso: d.iso, text: d.text });
  }
  for (const f of found) {
    if (f.iso === null) issues.warn(f.line.no, `${quote(f.text)} looks like a date but no such day exists`);
  }
  const valid = found.filter((f) => f.iso !== null);
  if (!valid.length) {
    issues.warn(null, "no date found (a line such as '13 October 2020' before the salutation)");
    return undefined;
  }
  const beforeSal = salutation ? valid.filter((f) => f.line.no < salutation.no) : valid;
  const pool = beforeSal.length ? beforeSal : valid;
  const chosen = pool[0]!;
  if (pool.length > 1) {
    const others = pool.slice(1);
    const count = pool.length === 2 ? 'two' : String(pool.length);
    issues.warn(chosen.line.no, `${count} dates found: ${chosen.text} and ${others.map((o) => `${o.text} (line ${o.line.no})`).join(', ')}; using the first`);
  }
  const confidence: Confidence = pool.length > 1 ? 'medium' : beforeSal.length ? (salutation ? 'high' : 'medium') : 'low';
  return { lineObj: chosen.line, inferred: { value: chosen.iso!, line: chosen.line.no, confidence, source: chosen.text } };
}
