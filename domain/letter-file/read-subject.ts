// The letter's subject: a "Re:" line, else a bold line or heading right after the
// salutation, else the topic the letter defines an acronym for and keeps using.
import type { Inferred } from './parsed-letter';
import { type Sentence, TERMINATED, lineInSentence, wordCount } from './sentences';
import type { Line } from './text';

/** "Re: ...", "Subject: ...", "Ref - ...". */
export const SUBJECT_LINE = /^(?:re|subject|ref)\s{0,2}[:.-]\s{0,3}(\S.{1,200})$/i;

export function readSubject(header: Line[], lines: Line[], salutation: Line | undefined, sentences: Sentence[]): Inferred<string> | undefined {
  // An explicit subject line: "Re: ...", "Subject: ...".
  for (const l of header) {
    if (l.kind !== 'text' && l.kind !== 'heading') continue;
    const m = SUBJECT_LINE.exec(l.text);
    if (m) return { value: m[1]!.trim(), line: l.no, confidence: 'high', source: l.text };
  }
  // A bold or heading line right after the salutation.
  if (salutation) {
    const next = lines.find((l) => l.no > salutation.no && l.kind !== 'blank');
    if (next && (next.bold || next.kind === 'heading') && wordCount(next.text) <= 12 && !TERMINATED.test(next.text)) {
      return { value: next.text, line: next.no, confidence: 'medium', source: next.text };
    }
  }
  return subjectFromAcronym(sentences);
}

/**
 * The topic the letter defines an acronym for and then keeps using: "Violence Reduction
 * Units (VRUs)" then "the VRUs", "the London VRU".
 */
function subjectFromAcronym(sentences: Sentence[]): Inferred<string> | undefined {
  const body = sentences.map((s) => s.text).join(' ');
  const defined: { phrase: string; acronym: string; line: number; count: number }[] = [];
  let looked = 0;
  for (const s of sentences) {
    if (defined.length >= 20 || looked > 200) break;
    for (const m of s.text.matchAll(/\(([A-Z]{2,8})(s?)\)/g)) {
      if (defined.length >= 20 || ++looked > 200) break;
      const acronym = m[1]!;
      const phrase = expandAcronym(s.text.slice(Math.max(0, (m.index ?? 0) - 160), m.index ?? 0), acronym);
      if (!phrase || defined.some((d) => d.acronym === acronym)) continue;
      const count = [...body.matchAll(new RegExp(`\\b${acronym}s?\\b`, 'g'))].length;
      defined.push({ phrase: `${phrase} (${acronym}${m[2]})`, acronym, line: lineInSentence(s, m.index ?? 0), count });
    }
  }
  if (!defined.length) return undefined;
  const best = defined.reduce((a, b) => (b.count > a.count ? b : a));
  if (best.count < 2) return undefined;
  return { value: best.phrase, line: best.line, confidence: best.count >= 3 ? 'medium' : 'low', source: best.phrase };
}

/** The words before "(VRU)" whose initials spell it: "Violence Reduction Units". */
export function expandAcronym(before: string, acronym: string): string | null {
  const words = before.trimEnd().split(/\s+/);
  const letters = acronym.toLowerCase().split('');
  let j = letters.length - 1;
  let k = words.length - 1;
  while (k >= 0 && j >= 0) {
    const w = words[k]!;
    if (/^(?:and|of|for|the|in|on|&)$/i.test(w) && j < letters.length - 1) {
      k--;
      continue;
    }
    if (!/^\p{Lu}/u.test(w) || w[0]!.toLowerCase() !== letters[j]) return null;
    j--;
    k--;
  }
  if (j >= 0) return null;
  return words.slice(k + 1).join(' ');
}
