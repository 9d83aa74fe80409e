// The body of a letter (salutation to sign-off) as sentences, rejoining a sentence that
// a footnote block split across a page break. Paragraphs that start or end mid-sentence
// are reported: the letter may be truncated or shuffled.
import { type LetterIssues, quote } from './issues';
import { type Para, type Piece, type Sentence, TERMINATED, splitSentences, startsLower, wordCount, paragraphs } from './sentences';
import type { Line } from './text';

interface Chain {
  paras: Para[];
  /** Footnote/rule lines skipped between joined paragraphs. */
  gaps: { from: number; to: number; joinedLine: number; fromLine: number }[];
}

/** A paragraph that ends mid-sentence: reported once the request sentence is known. */
export interface Unfinished {
  line: number;
  text: string;
}

export interface Body {
  sentences: Sentence[];
  unfinished: Unfinished[];
}

/** Sentences of the body, rejoining sentences split by a footnote block. */
export function readBody(bodyLines: Line[], issues: LetterIssues): Body {
  const body: Body = { sentences: [], unfinished: [] };
  for (const chain of chainParagraphs(paragraphs(bodyLines))) {
    if (chain.paras[0]!.kind === 'heading') continue;
    const pieces: Piece[] = [];
    const stitchedAt: number[] = [];
    let offset = 0;
    chain.paras.forEach((p, k) => {
      if (k > 0) stitchedAt.push(offset);
      for (const l of p.lines) {
        pieces.push({ text: l.text, line: l.no, start: offset });
        offset += l.text.length + 1;
      }
    });
    checkChain(chain, body, issues);
    body.sentences.push(...splitSentences(pieces, stitchedAt));
  }
  return body;
}

/**
 * Paragraphs joined where one breaks off unfinished and the next text paragraph (after
 * any footnotes or rules) starts in lower case: a sentence split by a page break.
 */
function chainParagraphs(paras: Para[]): Chain[] {
  const chains: Chain[] = [];
  let pendingGap: Line[] = [];
  for (const p of paras) {
    if (p.kind === 'footnote' || p.kind === 'rule') {
      pendingGap.push(...p.lines);
      continue;
    }
    if (p.kind === 'heading') {
      pendingGap = [];
      chains.push({ paras: [p], gaps: [] });
      continue;
    }
    const prev = chains[chains.length - 1];
    const prevPara = prev?.paras[prev.paras.length - 1];
    if (prev && prevPara && prevPara.kind === 'text' && !TERMINATED.test(prevPara.text) && startsLower(p.text)) {
      const lastPrevLine = prevPara.lines[prevPara.lines.length - 1]!.no;
      prev.gaps.push({
        from: pendingGap[0]?.no ?? lastPrevLine,
        to: pendingGap[pendingGap.length - 1]?.no ?? lastPrevLine,
        joinedLine: p.lines[0]!.no,
        fromLine: lastPrevLine,
      });
      prev.paras.push(p);
    } else {
      chains.push({ paras: [p], gaps: [] });
    }
    pendingGap = [];
  }
  return chains;
}

function checkChain(chain: Chain, body: Body, issues: LetterIssues) {
  for (const g of chain.gaps) {
    const footnoteLines = g.from !== g.fromLine ? ` after ${g.from === g.to ? `line ${g.from}` : `lines ${g.from}–${g.to}`}` : '';
    issues.warn(g.fromLine, `a sentence breaks off here and continues on line ${g.joinedLine}${footnoteLines} (a page break?); read as one sentence`);
  }
  const first = chain.paras[0]!;
  if (startsLower(first.text) && wordCount(first.text) >= 2) {
    issues.warn(first.lines[0]!.no, `paragraph starts mid-sentence (${quote(first.text, 50)}): part of a sentence may be missing or out of order`);
  }
  const last = chain.paras[chain.paras.length - 1]!;
  if (!TERMINATED.test(last.text) && wordCount(last.text) >= 6) {
    // Reported after the documents are read, unless it is the request sentence
    // (which gets its own, more specific, warning).
    body.unfinished.push({ line: last.lines[last.lines.length - 1]!.no, text: last.text });
  }
}
