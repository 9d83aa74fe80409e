// Letters in: parse a letter file's text into what a round needs (recipient, documents
// requested, coordinator, ...), decode its bytes, and render it for sending by email.
//
// parse.ts and decode.ts are pure and dependency-free. render.ts uses markdown-it and
// sanitize-html (Node libraries): code that must stay light (a Temporal workflow
// bundle) should import './parse' directly rather than this index.
export { parseLetter } from './parse';
export { decodeLetterBytes, type DecodedLetter, type LetterEncoding } from './decode';
export { renderLetter, type RenderedLetter, type RenderInput } from './render';
export { MAX_LETTER_CHARS } from './text';
export type {
  Confidence, Coordinator, DocumentKey, Footnote, Inferred, LetterFormat, LetterIssue, LetterSource, ParsedLetter, Sender,
} from './parsed-letter';
