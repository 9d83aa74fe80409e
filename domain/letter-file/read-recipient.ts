// The recipient: the name-and-address block between the date and the salutation, read
// as name, role and organisation (in either order), then the postal address and postcode.
import { type LetterIssues, quote } from './issues';
import type { Confidence, Inferred, ParsedLetter } from './parsed-letter';
import { BUILDING_CUE, ORG_CUE, ROLE_CUE, SALUTATION, editDistance, findPostcode, looksLikeName, parseDateLine } from './patterns';
import { SUBJECT_LINE } from './read-subject';
import { paragraphs, wordCount } from './sentences';
import type { Line } from './text';

/** What the recipient block says, in the order the fields are read. */
export type Recipient = Pick<ParsedLetter, 'recipientName' | 'role' | 'organisation' | 'address' | 'postcode'>;

/** At most this many lines make a name-and-address block. */
const MAX_BLOCK_LINES = 15;

const isBlockLine = (l: Line) => l.kind === 'text' || l.kind === 'heading';

/** The recipient's name-and-address lines (empty, with a warning, when there are none). */
export function recipientBlock(lines: Line[], dateLine: Line | undefined, salutation: Line | undefined, issues: LetterIssues): Line[] {
  let block: Line[] = [];
  if (salutation) {
    block = blockBeforeSalutation(lines, dateLine, salutation);
  } else if (dateLine) {
    let i = lines.indexOf(dateLine) + 1;
    while (i < lines.length && lines[i]!.kind === 'blank') i++;
    while (i < lines.length && isBlockLine(lines[i]!) && block.length < MAX_BLOCK_LINES) {
      block.push(lines[i]!);
      i++;
    }
  } else {
    for (const p of paragraphs(lines.slice(0, 80))) {
      if (p.kind === 'text' && p.lines.length <= MAX_BLOCK_LINES && p.lines.some((l) => findPostcode(l.text)) && p.lines.every((l) => l.text.length <= 100)) {
        block = p.lines;
        break;
      }
    }
  }
  if (!block.length) {
    issues.warn(null, "no recipient name and address found (expected between the date and 'Dear ...')");
    return [];
  }
  const plausible = block.every((l) => l.text.length <= 120 && wordCount(l.text) <= 14) && !block.some((l) => SALUTATION.test(l.text));
  if (!plausible) {
    issues.warn(block[0]!.no, `the lines before the salutation (${quote(block[0]!.text)}) do not look like a name and address`);
    return [];
  }
  return block;
}

function blockBeforeSalutation(lines: Line[], dateLine: Line | undefined, salutation: Line): Line[] {
  let block: Line[] = [];
  let i = lines.indexOf(salutation) - 1;
  // A subject line ("Re: ...", or a bold line) between the address and "Dear" is
  // not the address: step over it.
  for (let hops = 0; hops < 3; hops++) {
    while (i >= 0 && lines[i]!.kind === 'blank') i--;
    const l = lines[i];
    if (!l || !(SUBJECT_LINE.test(l.text) || (l.bold && wordCount(l.text) <= 12))) break;
    if (i > 0 && lines[i - 1]!.kind !== 'blank') break;
    i--;
  }
  while (i >= 0 && isBlockLine(lines[i]!) && block.length < MAX_BLOCK_LINES) {
    block.unshift(lines[i]!);
    i--;
  }
  if (dateLine) {
    const at = block.indexOf(dateLine);
    if (at >= 0) block = block.slice(at + 1);
  }
  // A date written after the salutation puts the date paragraph elsewhere; the
  // block before "Dear" may still be only a date.
  return block.filter((l) => !parseDateLine(l.text));
}

/** The recipient block read as name, role, organisation, address and postcode. */
export function readRecipient(block: Line[], issues: LetterIssues): Recipient {
  const recipient: Recipient = {};
  if (!block.length) return recipient;
  let i = readName(block[0]!, recipient, issues);
  i = readRoleAndOrganisation(block, i, recipient);
  const addressLines = block.slice(i);
  if (!addressLines.length) {
    issues.warn(block[block.length - 1]!.no, 'the recipient block has no postal address');
    return recipient;
  }
  readAddress(addressLines, recipient, issues);
  return recipient;
}

/** The recipient's name from the block's first line; returns the index of the next line to read. */
function readName(first: Line, recipient: Recipient, issues: LetterIssues): number {
  const firstText = first.text;
  if (looksLikeName(firstText)) {
    recipient.recipientName = { value: firstText, line: first.no, confidence: 'high', source: firstText };
    return 1;
  }
  if (!ROLE_CUE.test(firstText) && !ORG_CUE.test(firstText) && !BUILDING_CUE.test(firstText) && !findPostcode(firstText) && wordCount(firstText) <= 6 && !/\d/.test(firstText)) {
    recipient.recipientName = { value: firstText, line: first.no, confidence: 'low', source: firstText };
    issues.warn(first.no, `${quote(firstText)} is read as the recipient's name, but it does not look like one`);
    return 1;
  }
  issues.warn(first.no, `the recipient block starts with ${quote(firstText)}, not a name; the recipient's name is not known`);
  return 0;
}

const STARTS_AS_ORG = /^(?:the\s{1,3})?(?:office|department|ministry|directorate|secretariat)\b/i;
const POLICE_COMMISSIONER = /\b(?:police,?\s{1,3}(?:fire\s{1,3})?(?:and|&)\s{1,3}crime|police)\s{1,3}commissioner\b/i;

/** Up to two lines of role and organisation, in either order, before the address; returns the next index. */
function readRoleAndOrganisation(block: Line[], from: number, recipient: Recipient): number {
  let i = from;
  for (let n = 0; n < 2 && i < block.length; n++) {
    const l = block[i]!;
    const t = l.text;
    if (findPostcode(t) || (BUILDING_CUE.test(t) && !ORG_CUE.test(t))) break;
    const org = ORG_CUE.test(t);
    const role = ROLE_CUE.test(t);
    if (org && (!role || STARTS_AS_ORG.test(t) || recipient.role) && !recipient.organisation) {
      recipient.organisation = { value: t, line: l.no, confidence: 'high', source: t };
    } else if (role && !recipient.role) {
      recipient.role = { value: t, line: l.no, confidence: 'high', source: t };
    } else {
      break;
    }
    i++;
  }
  // No organisation line: a Police and Crime Commissioner is a "corporation sole" (the
  // office-holder is the legal body), so the role line ("Avon and Somerset Police and
  // Crime Commissioner") names the organisation. We do not invent an "Office of ..."
  // name: real offices are named inconsistently ("Office of the Police and Crime
  // Commissioner", "OPCC for ..."), and a wrong name is worse than the role's own.
  if (!recipient.organisation && recipient.role && POLICE_COMMISSIONER.test(recipient.role.value)) {
    recipient.organisation = { value: recipient.role.value, line: recipient.role.line, confidence: 'medium', source: recipient.role.value };
  }
  return i;
}

function readAddress(addressLines: Line[], recipient: Recipient, issues: LetterIssues) {
  let postcodeLine: Line | undefined;
  let postcode: string | null = null;
  for (const l of addressLines) {
    const p = findPostcode(l.text);
    if (p) {
      postcodeLine = l;
      postcode = p;
    }
  }
  const last = addressLines[addressLines.length - 1]!;
  let confidence: Confidence = postcodeLine === last ? 'high' : 'medium';
  if (!postcodeLine) {
    issues.warn(last.no, 'no UK postcode in the recipient address; is it complete?');
  } else if (postcodeLine !== last) {
    issues.warn(postcodeLine.no, `the address continues after the postcode (${quote(last.text)})`);
  }
  if (checkAddressTypos(addressLines, issues)) confidence = confidence === 'high' ? 'medium' : 'low';
  const address: Inferred<string[]> = {
    value: addressLines.map((l) => l.text),
    line: addressLines[0]!.no,
    confidence,
    source: addressLines.map((l) => l.text).join(', '),
  };
  recipient.address = address;
  if (postcodeLine && postcode) {
    recipient.postcode = { value: postcode, line: postcodeLine.no, confidence: 'high', source: postcodeLine.text };
  }
}

/**
 * Two words of the address a letter apart ("Arnot Hill House" / "Arnotd Hill Park")
 * suggest a typo. The address is kept as written (it is what was sent); a person is
 * told, so they can correct recipients.csv if it matters. True when one was found.
 */
export function checkAddressTypos(address: Line[], issues: LetterIssues): boolean {
  const words: { w: string; next: string; line: Line }[] = [];
  for (const l of address) {
    if (findPostcode(l.text) && wordCount(l.text) <= 2) continue;
    const ws = l.text.split(/[\s,]+/).filter(Boolean);
    ws.forEach((w, k) => {
      if (/^\p{Lu}\p{L}{3,}$/u.test(w)) words.push({ w, next: (ws[k + 1] ?? '').toLowerCase(), line: l });
    });
  }
  const reported = new Set<string>();
  const pairs: { a: (typeof words)[number]; b: (typeof words)[number]; shared: boolean }[] = [];
  for (let x = 0; x < words.length && x < 60; x++) {
    for (let y = x + 1; y < words.length && y < 60; y++) {
      const a = words[x]!;
      const b = words[y]!;
      if (a.line === b.line || a.w === b.w) continue;
      const la = a.w.toLowerCase();
      const lb = b.w.toLowerCase();
      if (la === lb || la + 's' === lb || lb + 's' === la) continue;
      if (editDistance(la, lb, 1) !== 1) continue;
      const shared = a.next !== '' && a.next === b.next;
      if (!shared && Math.min(la.length, lb.length) < 5) continue;
      pairs.push({ a, b, shared });
    }
  }
  pairs.sort((p, q) => Number(q.shared) - Number(p.shared));
  let any = false;
  for (const { a, b } of pairs) {
    if (reported.has(a.w) || reported.has(b.w)) continue;
    reported.add(a.w);
    reported.add(b.w);
    any = true;
    issues.warn(b.line.no, `address words ${quote(b.w)} (in ${quote(b.line.text)}) and ${quote(a.w)} (line ${a.line.no}) differ by one letter: a typo? kept as written`);
  }
  return any;
}
