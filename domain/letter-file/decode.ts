// Bytes of a letter file to text. The caller reads the file; this only decodes.
//
// Order of preference: a byte-order mark says what the file is (UTF-8, UTF-16 LE/BE);
// without one, UTF-8 if the bytes are valid UTF-8 (ASCII is); UTF-16 if the bytes look
// like it (every other byte zero); otherwise Windows-1252, which is what a letter saved
// by an older Windows word processor usually is, with a warning naming the first byte
// that was not UTF-8 so a person can check the quotes and accents there.

import type { LetterIssue } from './parsed-letter';

export type LetterEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DecodedLetter {
  text: string;
  issues: LetterIssue[];
  encoding: LetterEncoding;
}

// Windows-1252 0x80–0x9F; the other bytes are the same as Latin-1 (U+0000–U+00FF).
// 0x81, 0x8D, 0x8F, 0x90, 0x9D are undefined in 1252 and map to the C1 controls, as
// the WHATWG encoding standard does.
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

function decodeWindows1252(bytes: Uint8Array): string {
  const parts: string[] = [];
  const CHUNK = 8192;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    const codes: number[] = [];
    const end = Math.min(bytes.length, i + CHUNK);
    for (let j = i; j < end; j++) {
      const b = bytes[j]!;
      codes.push(b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : b);
    }
    parts.push(String.fromCharCode(...codes));
  }
  return parts.join('');
}

/** Offset of the first byte that breaks UTF-8, or -1 if the bytes are valid UTF-8. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    let cp = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

function lineOfOffset(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

function utf16(bytes: Uint8Array, le: boolean): string {
  const decoder = new TextDecoder(le ? 'utf-16le' : 'utf-16be');
  return decoder.decode(bytes);
}

/** Does this look like UTF-16 without a BOM: mostly ASCII with a zero byte beside each? */
function sniffUtf16(bytes: Uint8Array): 'le' | 'be' | null {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 8) return null;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < n; i++) {
    if (bytes[i] === 0) {
      if (i % 2 === 0) zeroEven++;
      else zeroOdd++;
    }
  }
  const half = n / 2;
  if (zeroOdd > half * 0.6 && zeroEven < half * 0.05) return 'le';
  if (zeroEven > half * 0.6 && zeroOdd < half * 0.05) return 'be';
  return null;
}

export function decodeLetterBytes(bytes: Uint8Array, fileName: string): DecodedLetter {
  const issues: LetterIssue[] = [];
  const name = fileName || 'the letter';
  try {
    if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      const rest = bytes.subarray(3);
      const bad = firstInvalidUtf8(rest);
      if (bad < 0) return { text: new TextDecoder('utf-8').decode(rest), issues, encoding: 'utf-8' };
      const line = lineOfOffset(rest, bad);
      issues.push({
        level: 'warning',
        line,
        message: `line ${line}: ${name} starts with a UTF-8 byte-order mark but byte 0x${rest[bad]!.toString(16).padStart(2, '0')} is not UTF-8; read as Windows-1252: check quotes and accented letters`,
      });
      return { text: decodeWindows1252(rest), issues, encoding: 'windows-1252' };
    }
    if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
      return { text: utf16(bytes.subarray(2), true), issues, encoding: 'utf-16le' };
    }
    if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
      return { text: utf16(bytes.subarray(2), false), issues, encoding: 'utf-16be' };
    }
    const sixteen = sniffUtf16(bytes);
    if (sixteen) {
      issues.push({
        level: 'warning',
        line: null,
        message: `${name} has no byte-order mark but looks like UTF-16 (${sixteen === 'le' ? 'little' : 'big'}-endian); read as such`,
      });
      return { text: utf16(bytes, sixteen === 'le'), issues, encoding: sixteen === 'le' ? 'utf-16le' : 'utf-16be' };
    }
    const bad = firstInvalidUtf8(bytes);
    if (bad < 0) return { text: new TextDecoder('utf-8').decode(bytes), issues, encoding: 'utf-8' };
    const line = lineOfOffset(bytes, bad);
    const text = decodeWindows1252(bytes);
    const lineText = text.split(/\r\n|\r|\n/)[line - 1] ?? '';
    const col = bad - (bytes.lastIndexOf(0x0a, bad - 1) + 1);
    const shown = lineText.slice(Math.max(0, col - 20), col + 20).trim();
    issues.push({
      level: 'warning',
      line,
      message: `line ${line}: ${name} is not UTF-8 (byte 0x${bytes[bad]!.toString(16).padStart(2, '0')} near '${shown}'); read as Windows-1252: check quotes and accented letters, and save it as UTF-8`,
    });
    return { text, issues, encoding: 'windows-1252' };
  } catch (err) {
    // TextDecoder without the needed encoding (a Node built without ICU): Latin-1.
    issues.push({
      level: 'warning',
      line: null,
      message: `${name} could not be decoded (${err instanceof Error ? err.message : String(err)}); read as Windows-1252`,
    });
    return { text: decodeWindows1252(bytes), issues, encoding: 'windows-1252' };
  }
}
