// The letter's text as a whole, before any line is read: size cap, BOM, line endings,
// which format to read it as (the extension decides, the content corrects it), and
// whether it is text at all.
import type { LetterIssues } from './issues';
import type { LetterFormat } from './parsed-letter';
import { MAX_LETTER_CHARS, formatFromFileName, looksLikeHtml, looksLikeMarkdown } from './text';

export interface SourceText {
  text: string;
  format: LetterFormat;
}

/** The text to read (capped, no BOM, '\n' line ends) and its format. */
export function normalise(fileName: string, original: string, givenFormat: LetterFormat | undefined, issues: LetterIssues): SourceText {
  let text = original;
  const originalLength = text.length;
  // Cap before any whole-text work; keep a margin for line endings that shrink.
  if (text.length > MAX_LETTER_CHARS * 2) text = text.slice(0, MAX_LETTER_CHARS * 2);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  text = text.replace(/\r\n?/g, '\n');
  if (text.length > MAX_LETTER_CHARS) {
    // Cut at a line end so the last line read is whole.
    const cut = text.lastIndexOf('\n', MAX_LETTER_CHARS);
    text = text.slice(0, cut > MAX_LETTER_CHARS / 2 ? cut : MAX_LETTER_CHARS);
    issues.warn(null, `the letter is ${originalLength.toLocaleString('en-GB')} characters long, far longer than a letter; only the first ${text.length.toLocaleString('en-GB')} were read`);
  }
  return { text, format: formatOf(fileName, text, givenFormat, issues) };
}

function formatOf(fileName: string, text: string, givenFormat: LetterFormat | undefined, issues: LetterIssues): LetterFormat {
  // A Word or PDF letter arrives converted to HTML: its format is given, not read from its name.
  const byName = givenFormat ?? formatFromFileName(fileName);
  const html = looksLikeHtml(text);
  if (byName === null) {
    const format = html ? 'html' : looksLikeMarkdown(text) ? 'md' : 'txt';
    const ext = /\.([^./\\]{1,10})$/.exec(fileName)?.[1];
    issues.warn(null, `${ext ? `the extension .${ext} is not .md, .txt or .html` : 'the file name has no extension'}; read as ${format} from its content`);
    return format;
  }
  if (byName !== 'html' && html) {
    issues.warn(null, `the file is named .${byName} but its content is an HTML document; read as HTML`);
    return 'html';
  }
  return byName;
}

/** Many control or replacement characters: binary, or text in the wrong encoding. */
export function checkControlCharacters(text: string, issues: LetterIssues): void {
  let count = 0;
  let first = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 12) || c === 0x7f || c === 0xfffd) {
      if (first < 0) first = i;
      count++;
    }
  }
  if (count > 0 && (count >= 20 || count / text.length > 0.001)) {
    const line = text.slice(0, first).split('\n').length;
    issues.warn(line, `${count.toLocaleString('en-GB')} control or replacement characters in the text (the first here): is this a text file, in the right encoding?`);
  }
}
