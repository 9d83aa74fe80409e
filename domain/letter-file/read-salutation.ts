// The salutation ("Dear Sophie,"): an anchor of the letter (the recipient block ends
// before it, the body starts after it), and a check that it greets the recipient.
import { type LetterIssues, quote } from './issues';
import type { Inferred } from './parsed-letter';
import { SALUTATION } from './patterns';
import type { Line } from './text';

/** The first short line among the header lines that greets someone. */
export function findSalutation(header: Line[]): Line | undefined {
  return header.find((l) => l.kind === 'text' && l.text.length < 150 && SALUTATION.test(l.text));
}

/** The salutation as read, or a warning that there is none. */
export function readSalutation(salutation: Line | undefined, issues: LetterIssues): Inferred<string> | undefined {
  if (!salutation) {
    issues.warn(null, "no salutation found (a line such as 'Dear Sophie,')");
    return undefined;
  }
  return { value: salutation.text, line: salutation.no, confidence: 'high', source: salutation.text };
}

/** "Dear Paddy," to "Sophie Linden": the salutation names someone else. */
export function checkSalutation(sal: Inferred<string>, name: Inferred<string>, issues: LetterIssues): void {
  const greeting = sal.value.replace(SALUTATION, '').replace(/[,.:;!]+$/, '').trim();
  if (!greeting || /^(?:sir|madam|sir\s*(?:\/|or)\s*madam|colleague|colleagues|all|commissioner|team|it may concern.*)$/i.test(greeting)) return;
  const nameWords = new Set(name.value.toLowerCase().split(/[\s,]+/));
  const greetWords = greeting.toLowerCase().split(/[\s,]+/).filter((w) => !/^(?:mr|mrs|ms|miss|mx|dr|dame|sir|lord|lady|cllr|prof)\.?$/.test(w));
  if (greetWords.length && !greetWords.some((w) => nameWords.has(w))) {
    issues.warn(sal.line, `the salutation ${quote(sal.value)} does not name the recipient ${quote(name.value)} (line ${name.line})`);
  }
}
