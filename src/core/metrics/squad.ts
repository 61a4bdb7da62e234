/**
 * SQuAD's `normalize_answer` as Search-R1 and FlashRAG copy it, character for character:
 * - Search-R1 `verl/utils/reward_score/qa_em.py` @a14dc3a (PeterGriffinJin/Search-R1, Apache-2.0);
 * - FlashRAG `flashrag/evaluator/utils.py` @1ee5249 (RUC-NLPIR/FlashRAG, MIT).
 * Lower case, punctuation DELETED (so `acid-house` becomes `acidhouse`), articles replaced by a space,
 * whitespace collapsed. R1-Searcher's normaliser differs (r1Searcher.ts).
 *
 * Those four steps are written here as one pass over the lower-cased text (every retrieved document of
 * a training run is normalised for the whole-word answer checks, and most Wikipedia documents hold some
 * non-ASCII character); test/unit/core/metrics/squad.test.ts checks it against the four steps written
 * out with the Python-semantics helpers (python.ts), on random texts of every kind of character.
 */
import { PY_WHITESPACE } from '../pyText';
import { PY_PUNCTUATION, pyLower } from './python';

/**
 * Character classes after lower-casing: a word character of `re`'s Unicode `\b` (`\p{L}`, `\p{N}`; `_`
 * is punctuation, deleted before the article step looks), punctuation (deleted), Python whitespace (a
 * token separator), and anything else (kept inside a token, but not a word character: marks, symbols,
 * control characters, non-ASCII punctuation, lone surrogates).
 */
const WORD = 1;
const PUNCTUATION = 2;
const SPACE = 3;
const OTHER = 4;
const WORD_CHAR = /^[\p{L}\p{N}]$/u;
const SPACE_CHAR = new RegExp(`^[${PY_WHITESPACE}]$`);

function classOf(ch: string): number {
  if (ch.length === 1 && PY_PUNCTUATION.includes(ch)) return PUNCTUATION;
  if (WORD_CHAR.test(ch)) return WORD;
  return SPACE_CHAR.test(ch) ? SPACE : OTHER;
}

/** Classes of the BMP's code units, filled in as they are met (0: not yet); ASCII up front. */
const BMP_CLASS = new Uint8Array(0x10000);
for (let c = 0; c < 128; c++) BMP_CLASS[c] = classOf(String.fromCharCode(c));
/** Classes of astral code points met so far (rare: emoji, CJK extensions, historic scripts). */
const ASTRAL_CLASS = new Map<number, number>();

function bmpClass(c: number): number {
  let k = BMP_CLASS[c]!;
  // A lone surrogate is a code point of its own to the `u` regular expressions: not a word character.
  if (k === 0) BMP_CLASS[c] = k = c >= 0xd800 && c <= 0xdfff ? OTHER : classOf(String.fromCharCode(c));
  return k;
}

function astralClass(cp: number): number {
  let k = ASTRAL_CLASS.get(cp);
  if (k === undefined) ASTRAL_CLASS.set(cp, (k = classOf(String.fromCodePoint(cp))));
  return k;
}

/** Whether a UTF-16 code unit is Python whitespace (a separator of `str.split()`), as this normaliser classes it. */
export function isPySpaceUnit(c: number): boolean {
  return bmpClass(c) === SPACE;
}

/** Whether a UTF-16 code unit (or -1, past a text's end: no) is one of `string.punctuation`, which the normaliser deletes. */
export function isPyPunctuationUnit(c: number): boolean {
  return c >= 0 && c < 0x80 && BMP_CLASS[c] === PUNCTUATION;
}

/** Where the article automaton goes on a word character: `a`, `an`, `the` are the accepted runs. */
const START = 0;
const DEAD = 6;
function articleStep(state: number, c: number): number {
  switch (state) {
    case START:
      return c === 0x61 ? 1 : c === 0x74 ? 3 : DEAD; // a, t
    case 1:
      return c === 0x6e ? 2 : DEAD; // an
    case 3:
      return c === 0x68 ? 4 : DEAD; // th
    case 4:
      return c === 0x65 ? 5 : DEAD; // the
    default:
      return DEAD;
  }
}
const isArticle = (state: number): boolean => state === 1 || state === 2 || state === 5;

export function squadNormalize(s: string): string {
  return squadNormalizeLowered(pyLower(s));
}

/**
 * The four steps in one pass. With punctuation deleted, `\b(a|an|the)\b` matches exactly the maximal
 * runs of word characters (punctuation inside a run is deleted first, so `t.h.e` is one) that spell an
 * article; such a run ends where its token ends or where an OTHER character goes on, so the article's
 * replacement space ends the token at the run's start. Tokens are the text between whitespace, joined
 * with single spaces. The output is copied from `lower` in spans as long as they go: a span stops at
 * deleted punctuation, a removed article, and a separator that is not one plain space.
 * For a text already lower-cased (`pyLower`); `padded`: with a space at each end (` ${normalised} `),
 * the form whole-word containment tests search.
 */
export function squadNormalizeLowered(lower: string, padded = false): string {
  const n = lower.length;
  let out = padded ? ' ' : '';
  /** Start of the span of `lower` being copied, or -1. */
  let span = -1;
  /** Between tokens: where the last one ended (an open span stops there unless the next token follows one plain space). */
  let tokEnd = -1;
  let inToken = false;
  let tokStart = -1;
  /** A token has been written (or is pending in the span): the next one needs a separating space. */
  let written = false;
  // The state when the current token began, to take it back when it turns out to be only an article.
  let savedOut = '';
  let savedSpan = -1;
  let savedTokEnd = -1;
  let savedWritten = false;
  /** The current run of word characters: where it began (-1: none) and the article automaton's state. */
  let runStart = -1;
  let article = START;
  for (let i = 0; i <= n; i++) {
    let k = SPACE;
    let width = 1;
    let c = 0;
    if (i < n) {
      c = lower.charCodeAt(i);
      if (c < 0x80) k = BMP_CLASS[c]!;
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        const d = lower.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          k = astralClass(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
          width = 2;
        } else k = OTHER;
      } else k = bmpClass(c);
    }
    if (k === PUNCTUATION) {
      if (inToken && span >= 0) {
        if (span < i) out += lower.slice(span, i);
        span = -1;
      }
      continue;
    }
    if (k === WORD) {
      if (runStart < 0) {
        runStart = i;
        article = START;
      }
      article = width === 1 ? articleStep(article, c) : DEAD;
    } else if (runStart >= 0) {
      if (isArticle(article)) {
        if (tokStart === runStart) {
          // The token is the article alone: as if it never began.
          out = savedOut;
          span = savedSpan;
          tokEnd = savedTokEnd;
          written = savedWritten;
        } else {
          // The token ends where the article begins: take back what of it was already copied out.
          const articleLength = article === 5 ? 3 : article;
          const inSpan = span >= 0 ? i - Math.max(span, runStart) : 0;
          if (articleLength > inSpan) out = out.slice(0, out.length - (articleLength - inSpan));
          if (span > runStart) span = -1;
          tokEnd = runStart;
        }
        inToken = false;
      }
      runStart = -1;
    }
    if (k === SPACE) {
      if (inToken) {
        inToken = false;
        tokEnd = i;
      }
      continue;
    }
    // A kept character (WORD or OTHER).
    if (!inToken) {
      inToken = true;
      tokStart = i;
      savedOut = out;
      savedSpan = span;
      savedTokEnd = tokEnd;
      savedWritten = written;
      if (span >= 0 && !(i === tokEnd + 1 && lower.charCodeAt(tokEnd) === 0x20)) {
        if (span < tokEnd) out += lower.slice(span, tokEnd);
        span = -1;
      }
      tokEnd = -1;
      if (span < 0) {
        if (!written) span = i;
        else if (lower.charCodeAt(i - 1) === 0x20) span = i - 1;
        else {
          out += ' ';
          span = i;
        }
      }
      written = true;
    } else if (span < 0) span = i;
    if (width === 2) i++;
  }
  if (span >= 0 && span < tokEnd) out += lower.slice(span, tokEnd);
  return padded ? `${out} ` : out;
}
