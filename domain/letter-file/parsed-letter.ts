// Types of the letter parser. Pure data: no I/O anywhere in domain/letter-file/.
import type { DocumentKey } from '../documents';

export type { DocumentKey };

/** How the text was read: the extension decides, sniffing the content corrects it. */
export type LetterFormat = 'md' | 'txt' | 'html';

export type Confidence = 'high' | 'medium' | 'low';

/** A value the parser inferred, where it came from, and how sure it is. */
export interface Inferred<T> {
  value: T;
  /** 1-based line in the original text (after decoding), or null when not tied to a line. */
  line: number | null;
  confidence: Confidence;
  /** The text it came from (plain text, markup removed). */
  source?: string;
}

/**
 * A problem worth showing a person. `message` is complete on its own and starts with
 * "line N: " when it is tied to a line (so `rounds check` can print it as it is).
 */
export interface LetterIssue {
  level: 'error' | 'warning';
  line: number | null;
  message: string;
}

export interface Footnote {
  /** The mark as ASCII digits ("1"), whatever the letter used (¹, <sup>1</sup>, [^1]). */
  mark: string;
  /** Plain text: links reduced to their text, markup and escapes removed. */
  text: string;
  line: number;
}

export interface Coordinator {
  name: Inferred<string>;
  email: Inferred<string>;
  role?: Inferred<string>;
}

export interface Sender {
  name?: Inferred<string>;
  title?: Inferred<string>;
  email?: Inferred<string>;
  address?: Inferred<string>;
  telephone?: Inferred<string>;
}

export interface ParsedLetter {
  format: LetterFormat;
  /** 'YYYY-MM-DD' */
  date?: Inferred<string>;
  recipientName?: Inferred<string>;
  role?: Inferred<string>;
  organisation?: Inferred<string>;
  /** Postal address lines as written (typos kept), including the postcode line. */
  address?: Inferred<string[]>;
  postcode?: Inferred<string>;
  salutation?: Inferred<string>;
  /** Documents the letter asks for, in DOCUMENT_KEYS order. */
  documents: Inferred<DocumentKey[]>;
  /** Documents the letter notes as already published (so not asked for). */
  alreadyPublished: Inferred<DocumentKey[]>;
  coordinator?: Coordinator;
  publicationRequested: Inferred<boolean>;
  subject?: Inferred<string>;
  sender?: Sender;
  footnotes: Footnote[];
  /** The sentence that asks, whole, even when footnotes split it across a page break. */
  requestSentence?: Inferred<string>;
  issues: LetterIssue[];
}

/** A letter file as read: its name (for the extension) and its decoded text. */
export interface LetterSource {
  fileName: string;
  text: string;
  /** The format of `text` when the file name does not say it (a .docx or .pdf converted to HTML). */
  format?: LetterFormat;
}
