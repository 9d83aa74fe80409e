// The vocabulary the parser recognises. Each pattern is a phrase family, not a seed
// sentence, so that a reworded letter still parses; the comments say why each is there.
// All patterns are linear (bounded repetitions, negated classes that stop at delimiters).

import type { DocumentKey } from '../documents';

// ---------------------------------------------------------------------------------
// Documents.
//
// Home Office guidance asked each Violence Reduction Unit for two documents: an
// analysis of local violence (called a "Problem Profile" or "Strategic Needs
// Assessment", and by some areas just "Strategic Assessment") and a "Response
// Strategy" built on it. The letters also ask for "updates on progress on delivery".
// These are the names a rewording would keep, so we match the names (with plural and
// hyphen variants), never the sentence around them.
export const DOCUMENT_PATTERNS: Record<DocumentKey, RegExp[]> = {
  problemProfile: [
    /\bproblem[\s-]{1,3}profiles?\b/gi,
    // "Strategic Needs Assessment", "Strategic Assessment", "Strategic Threat/Risk Assessment".
    /\bstrategic\s{1,3}(?:(?:needs?|threat|risk|violence)\s{1,3})?assessments?\b/gi,
    /\b(?:joint\s{1,3})?needs\s{1,3}assessments?\b/gi,
    /\bSNAs?\b/g,
  ],
  responseStrategy: [
    /\bresponse\s{1,3}strateg(?:y|ies)\b/gi,
    // What a VRU's strategy is sometimes called instead.
    /\b(?:VRU|violence\s{1,3}reduction(?:\s{1,3}units?)?|serious\s{1,3}violence|prevention)\s{1,3}strateg(?:y|ies)\b/gi,
  ],
  deliveryUpdate: [
    // "updates regarding progress on delivery", "update on delivery", "updates on
    // implementation": the word "update" followed, within the same clause, by progress,
    // delivery or implementation.
    /\bupdates?\b[^.;!?]{0,60}?\b(?:progress|deliver(?:y|ing)|implement(?:ation|ing))\b/gi,
    /\bprogress\s{1,3}(?:on|of|in|with|towards?|made\s{1,3}(?:on|in|with))\s{1,3}(?:the\s{1,3}|its\s{1,3}|your\s{1,3})?(?:delivery|implementation)\b/gi,
    /\bdelivery\s{1,3}(?:plan\s{1,3})?(?:updates?|progress|reports?)\b/gi,
  ],
};

export interface DocumentMention {
  key: DocumentKey;
  index: number;
  text: string;
}

export function findDocumentMentions(text: string): DocumentMention[] {
  const found: DocumentMention[] = [];
  for (const key of Object.keys(DOCUMENT_PATTERNS) as DocumentKey[]) {
    for (const re of DOCUMENT_PATTERNS[key]) {
      re.lastIndex = 0;
      for (const m of text.matchAll(re)) found.push({ key, index: m.index ?? 0, text: m[0] });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

// A clause that asks for something. Phrases of polite request rather than the seed's
// exact words: "I would be grateful if you would share", "I would welcome", "please
// send", "could you provide", "share with my office", "I request a copy of".
export const REQUEST_CUE =
  /\b(?:grateful\s{1,3}(?:if|for)|would\s{1,3}(?:welcome|appreciate|like\s{1,3}(?:to\s{1,3}(?:receive|see|have)|a\s{1,3}cop))|welcome\s{1,3}(?:any|a\s{1,3}copy|copies|sight)|please\s{1,3}(?:could\s{1,3}you\s{1,3})?(?:send|share|provide|forward|supply|let\s{1,3}(?:me|us)\s{1,3}have)|(?:could|would|can|will)\s{1,3}you\s{1,3}(?:please\s{1,3}|kindly\s{1,3})?(?:send|share|provide|forward|supply)|(?:request|ask)\s{1,3}(?:that\s{1,3}you|you\s{1,3}to)\s{1,3}(?:share|send|provide|forward|supply)|share\s{1,3}with\s{1,3}(?:me|us|my\s{1,3}office|our\s{1,3}office|my\s{1,3}team)|(?:I|we)\s{1,3}(?:request|am\s{1,3}requesting|are\s{1,3}requesting|ask\s{1,3}for|would\s{1,3}ask\s{1,3}for)\s{1,3}(?:a\s{1,3}copy|copies|your|the)|(?:to|will)\s{1,3}receive\s{1,3}(?:a\s{1,3}copy|copies|any))/i;

// A clause that says a document is already out: "is published online", "are already
// available on your website", "I have already received".
export const PUBLISHED_CUE =
  /\b(?:(?:is|are|was|were|been|already)\s{1,3}(?:now\s{1,3}|already\s{1,3}|also\s{1,3})?(?:published|publicly\s{1,3}available|available\s{1,3}(?:online|on\s{1,3}your\s{1,3}website|publicly))|published\s{1,3}(?:online|on\s{1,3}your\s{1,3}website)|(?:have|has)\s{1,3}already\s{1,3}(?:received|seen|shared|sent|published))\b/i;

// Where a sentence turns: "..., however I would welcome ...", "; but ...".
export const CLAUSE_BREAK = /\s*(?:[,;:]\s{0,3}(?:however|but|although|though|whereas|while|yet)\b|[;]|\s(?:however|but|although|whereas)\s)/gi;

// ---------------------------------------------------------------------------------
// Header fields.

export const MONTHS = [
  'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december',
];

function monthIndex(word: string): number {
  const w = word.toLowerCase().replace(/\.$/, '');
  if (w.length < 3) return -1;
  const i = MONTHS.findIndex((m) => m.startsWith(w) || (w === 'sept' && m === 'september'));
  return i;
}

function iso(y: number, m: number, d: number): string | null {
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31) return null;
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export interface DateMatch {
  /** 'YYYY-MM-DD', or null when the line is a date that does not exist (31 February). */
  iso: string | null;
  text: string;
}

const WEEKDAY = '(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\\.?,?\\s{1,3})?';
const DMY_WORDS = new RegExp(`^${WEEKDAY}(\\d{1,2})(?:st|nd|rd|th)?\\s{1,3}(?:of\\s{1,3})?([A-Za-z]{3,9}\\.?),?\\s{1,3}(\\d{4})$`, 'i');
const MDY_WORDS = new RegExp(`^${WEEKDAY}([A-Za-z]{3,9}\\.?)\\s{1,3}(\\d{1,2})(?:st|nd|rd|th)?,?\\s{1,3}(\\d{4})$`, 'i');
const DMY_NUM = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
const YMD_NUM = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Is this whole line a date? Accepts an optional "Date:" label and trailing full stop.
 * "13 October 2020", "Tuesday 13th October 2020", "October 13, 2020", "13/10/2020"
 * (day first, as in the UK), "2020-10-13".
 */
export function parseDateLine(line: string): DateMatch | null {
  if (line.length > 60) return null;
  const text = line.replace(/^\s*(?:date|dated)\s{0,3}[:.-]?\s*/i, '').replace(/[.,]\s*$/, '').trim();
  let m = DMY_WORDS.exec(text);
  if (m) {
    const mi = monthIndex(m[2]!);
    if (mi < 0) return null;
    return { iso: iso(Number(m[3]), mi + 1, Number(m[1])), text };
  }
  m = MDY_WORDS.exec(text);
  if (m) {
    const mi = monthIndex(m[1]!);
    if (mi < 0) return null;
    return { iso: iso(Number(m[3]), mi + 1, Number(m[2])), text };
  }
  m = YMD_NUM.exec(text);
  if (m) return { iso: iso(Number(m[1]), Number(m[2]), Number(m[3])), text };
  m = DMY_NUM.exec(text);
  if (m) return { iso: iso(Number(m[3]), Number(m[2]), Number(m[1])), text };
  return null;
}

// UK postcode: outward code (A9, A99, A9A, AA9, AA99, AA9A), space, inward code (9AA).
export const POSTCODE = /\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s{0,2}([0-9][ABD-HJLNP-UW-Z]{2})\b/i;

export function findPostcode(line: string): string | null {
  const m = POSTCODE.exec(line);
  return m ? `${m[1]!.toUpperCase()} ${m[2]!.toUpperCase()}` : null;
}

export const SALUTATION = /^(?:dear|to\s{1,3}whom|hello|hi|good\s{1,3}(?:morning|afternoon))\b/i;
export const VALEDICTION =
  /^(?:yours\s{1,3}(?:sincerely|faithfully|truly|ever)|(?:with\s{1,3})?(?:kind|best|warm|warmest)\s{1,3}(?:regards|wishes)|regards|many\s{1,3}thanks|with\s{1,3}thanks)\b/i;

// A job title. Words that name a post, not a place or a body.
export const ROLE_CUE =
  /\b(?:commissioner|mayor|director|chief|head|deputy|minister|secretary|officer|lead|manager|chair(?:man|woman|person)?|president|executive|coordinator|co-ordinator|superintendent|constable|councillor|leader|adviser|advisor|clerk|registrar|governor|inspector|ombudsman|treasurer|controller)\b/i;

// A body rather than a building: "The Mayor's Office for Policing and Crime", "Office of
// the Police and Crime Commissioner", "Home Office", "... Council".
export const ORG_CUE =
  /\b(?:office|opcc|mopac|department|ministry|authority|council|commission|agency|service|trust|board|constabulary|partnership|limited|ltd|plc|llp|university|institute|foundation|association|directorate|secretariat)\b/i;

// A line of a postal address: building words, streets, or a number.
export const BUILDING_CUE =
  /(?:^\d|\b(?:house|hall|hq|headquarters|building|centre|center|court|tower|chambers|street|st|road|rd|lane|ln|walk|way|square|sq|avenue|ave|place|park|circus|floor|suite|box|crescent|close|drive|gardens|terrace|row|quay|wharf|yard|mews|green|queensway|parade|bridge)\b)/i;

const NAME_PARTICLES = new Set(['de', 'da', 'van', 'von', 'der', 'den', 'la', 'le', 'du', 'di', 'al', 'bin', 'ap', 'of']);
const HONORIFICS = /^(?:mr|mrs|ms|miss|mx|dr|prof|professor|dame|sir|lord|lady|baroness|baron|cllr|councillor|rt|hon|the|rev|revd)\.?$/i;
const POSTNOMINALS = /^(?:[A-Z]{2,6}|QC|KC|MP|MSP|JP|DL)$/;

/** Does this line look like a person's name ("Sophie Linden", "Dame Sara Thornton DBE QPM")? */
export function looksLikeName(line: string): boolean {
  if (line.length < 3 || line.length > 80) return false;
  if (/[0-9@:;!?()\[\]{}<>/\\|=+*_#]/.test(line)) return false;
  // Building words are not checked: Hall, Green, Lane and Park are common surnames.
  if (ROLE_CUE.test(line) || ORG_CUE.test(line) || findPostcode(line)) return false;
  const words = line.replace(/,/g, ' ').split(/\s+/).filter(Boolean);
  if (words.length < 2 || words.length > 7) return false;
  let nameWords = 0;
  for (const w of words) {
    if (HONORIFICS.test(w) || NAME_PARTICLES.has(w.toLowerCase())) continue;
    if (POSTNOMINALS.test(w)) continue;
    if (!/^\p{Lu}[\p{L}'’.-]{0,30}$/u.test(w)) return false;
    nameWords++;
  }
  return nameWords >= 1 && nameWords <= 5;
}

/** Levenshtein distance, capped: returns cap+1 as soon as it is exceeded. */
export function editDistance(a: string, b: string, cap = 2): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > cap) return cap + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

export const EMAIL = /[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}/g;
