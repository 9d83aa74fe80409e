// The coordinator: someone (not the sender) who co-ordinates responses, found by an
// email address in the body, preferably in a sentence that says so; their name and role
// are read from around the address.
import { type LetterIssues, quote } from './issues';
import type { Coordinator } from './parsed-letter';
import { EMAIL, ROLE_CUE, looksLikeName } from './patterns';
import { type Sentence, lineInSentence } from './sentences';

const CUE = /co-?ordinat|contact|responses?\b|get\s+in\s+touch|quer(?:y|ies)|enquir|questions/i;

interface EmailFound {
  s: Sentence;
  email: string;
  index: number;
  /** The sentence says what the address is for ("contact", "responses", ...). */
  cue: boolean;
}

/** The coordinator, or a warning; addresses in `senderEmails` (the sender's own) are not it. */
export function readCoordinator(sentences: Sentence[], senderEmails: Set<string>, issues: LetterIssues): Coordinator | undefined {
  const best = findEmail(sentences, senderEmails);
  if (!best) {
    issues.warn(null, 'no coordinator email found in the letter (someone who co-ordinates responses, with an email address)');
    return undefined;
  }
  const { s, email } = best;
  const emailLine = lineInSentence(s, best.index);
  const coordinator: Coordinator = {
    name: { value: '', line: null, confidence: 'low' },
    email: { value: email, line: emailLine, confidence: best.cue ? 'high' : 'medium', source: s.text },
  };
  // Names: runs of two to four capitalised words, with emails blanked out so
  // "April.McCoig@..." is not read as words.
  const text = s.text.replace(EMAIL, (m) => ' '.repeat(m.length));
  const local = email.split('@')[0]!.toLowerCase().split(/[._'-]+/).filter((p) => p.length > 1);
  const candidates = nameCandidates(text, local);
  const chosen = candidates.find((c) => c.matchesEmail) ?? candidates[0];
  if (chosen) {
    coordinator.name = {
      value: chosen.name,
      line: lineInSentence(s, chosen.index),
      confidence: chosen.matchesEmail ? 'high' : 'medium',
      source: s.text,
    };
    const role = coordinatorRole(text, chosen.index, chosen.name.length);
    if (role) coordinator.role = { value: role, line: lineInSentence(s, chosen.index), confidence: 'medium', source: s.text };
  } else if (local.length >= 2 && local.every((p) => /^\p{L}+$/u.test(p))) {
    const fromEmail = email.split('@')[0]!.split(/[._'-]+/).filter(Boolean).map((p) => p[0]!.toUpperCase() + p.slice(1)).join(' ');
    coordinator.name = { value: fromEmail, line: emailLine, confidence: 'low', source: email };
    issues.warn(emailLine, `no coordinator name near ${email}; ${quote(fromEmail)} is read from the address`);
  } else {
    coordinator.name = { value: email.split('@')[0]!, line: emailLine, confidence: 'low', source: email };
    issues.warn(emailLine, `no coordinator name near ${email}`);
  }
  return coordinator;
}

/** The first address in a sentence with a cue, else the first address at all. */
function findEmail(sentences: Sentence[], senderEmails: Set<string>): EmailFound | undefined {
  let best: EmailFound | undefined;
  for (const s of sentences) {
    if (s.text.indexOf('@') < 0) continue;
    const cue = CUE.test(s.text);
    for (const m of s.text.matchAll(EMAIL)) {
      const email = m[0];
      if (senderEmails.has(email.toLowerCase())) continue;
      if (!best || (cue && !best.cue)) best = { s, email, index: m.index ?? 0, cue };
      if (best.cue) break;
    }
    if (best?.cue) break;
  }
  return best;
}

/** Runs of capitalised words that look like a name; `local` is the email's local part in pieces. */
function nameCandidates(text: string, local: string[]): { name: string; index: number; matchesEmail: boolean }[] {
  const candidates: { name: string; index: number; matchesEmail: boolean }[] = [];
  for (const m of text.matchAll(/(?<![\p{L}'’-])\p{Lu}[\p{L}'’-]{0,30}(?:[ \t]{1,2}\p{Lu}[\p{L}'’-]{0,30}){1,3}/gu)) {
    let name = m[0];
    let index = m.index ?? 0;
    // Drop leading words that are not names: "Please", "Contact", "As".
    while (/^(?:Please|Contact|As|The|My|Our|I|Dear|If|Finally|Email|Ms|Mr|Mrs|Dr)\s/.test(name)) {
      const cut = name.indexOf(' ') + 1;
      name = name.slice(cut).trimStart();
      index += cut;
    }
    if (!looksLikeName(name)) continue;
    const words = name.toLowerCase().split(/\s+/);
    const matchesEmail = local.length >= 2 && local.every((p) => words.includes(p));
    candidates.push({ name, index, matchesEmail });
  }
  return candidates;
}

/** "April McCoig, the Victims and Partnerships lead within my office" → the role. */
function coordinatorRole(text: string, index: number, length: number): string | undefined {
  const after = text.slice(index + length, index + length + 200);
  const m =
    /^\s{0,2}[,(]\s{0,2}(?:who\s{1,3}is\s{1,3})?(?:the|my|our)\s{1,3}([^,;.()]{2,100}?)(?=\s{1,3}(?:within|in|at|of|for|from|on)\s{1,3}(?:my|our|the)\s{1,3}(?:office|team|organisation|organization|secretariat)\b|\s{0,2}[,)]|\s{1,3}(?:will|who|can|is)\b)/i.exec(after) ??
    /^\s{0,2}\(([^()]{2,80})\)/.exec(after);
  if (m && m[1]!.trim()) return m[1]!.trim();
  const before = text.slice(Math.max(0, index - 120), index);
  const b = /(?:the|my|our)\s{1,3}([^,;.()]{2,80}?),?\s{1,3}$/i.exec(before);
  if (b && ROLE_CUE.test(b[1]!)) return b[1]!.trim();
  return undefined;
}
