// The issues a letter's readers find, collected in the order they are found. Every
// part-reader (read-*.ts) takes the same collector, so one letter's issues come out in
// reading order, each message starting "line N: " when it is tied to a line.
import type { LetterIssue } from './parsed-letter';

/** At most this many issues are listed; the last one says how many more there were. */
export const MAX_ISSUES = 40;

export class LetterIssues {
  private readonly found: LetterIssue[] = [];

  warn(line: number | null, message: string): void {
    this.found.push({ level: 'warning', line, message: line === null ? message : `line ${line}: ${message}` });
  }

  error(line: number | null, message: string): void {
    this.found.push({ level: 'error', line, message: line === null ? message : `line ${line}: ${message}` });
  }

  /** The issues found, at most MAX_ISSUES: the last then says how many more there were. */
  list(): LetterIssue[] {
    const issues = this.found;
    if (issues.length <= MAX_ISSUES) return [...issues];
    const more = issues.length - (MAX_ISSUES - 1);
    return [...issues.slice(0, MAX_ISSUES - 1), { level: 'warning', line: null, message: `… and ${more} more issues` }];
  }
}

// Quoting letter text in messages.

export function quote(text: string, max = 60): string {
  const t = text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
  return `'${t}'`;
}

/** The end of a long text: where a truncated sentence stops. */
export function tail(text: string, max = 50): string {
  if (text.length <= max) return `'${text}'`;
  const end = text.slice(text.length - max + 1);
  const space = end.indexOf(' ');
  return `'…${(space >= 0 && space < 20 ? end.slice(space + 1) : end).trimStart()}'`;
}

/** "1", "1 and 2", "1, 2 and 3". */
export function listMarks(marks: string[]): string {
  return marks.length === 1 ? marks[0]! : `${marks.slice(0, -1).join(', ')} and ${marks[marks.length - 1]}`;
}
