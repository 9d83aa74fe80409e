// Whether the letter asks to publish the recipient's response.
import type { LetterIssues } from './issues';
import type { Inferred } from './parsed-letter';
import type { Sentence } from './sentences';

// "enables me to publish your letter", "your response may be published", "with a
// view to publication of your reply": publishing the recipient's answer.
const ASK = /\bpublish\w{0,3}\b[^.;]{0,80}?\b(?:your|the|this|a)\s{1,3}(?:letter|response|reply|answer)s?\b|\b(?:your|the)\s{1,3}(?:letter|response|reply|answer)\b[^.;]{0,80}?\b(?:publish\w{0,3}|publication)\b|\bpublication\s{1,3}of\s{1,3}(?:your|the)\s{1,3}(?:letter|response|reply|answer)\b/i;
const NOT = /\b(?:not|never|won't|will\s{1,3}not|don't|do\s{1,3}not|no\s{1,3}intention)\b[^.;]{0,40}?\bpublish/i;

export function readPublication(sentences: Sentence[], issues: LetterIssues): Inferred<boolean> {
  for (const s of sentences) {
    if (!ASK.test(s.text)) continue;
    return { value: !NOT.test(s.text), line: s.line, confidence: 'high', source: s.text };
  }
  issues.warn(null, 'no request to publish the response found; publicationRequested is false');
  return { value: false, line: null, confidence: 'low' };
}
