/**
 * SQuAD's `normalize_answer` as Search-R1 and FlashRAG copy it, character for character:
 * - Search-R1 `verl/utils/reward_score/qa_em.py` @a14dc3a (PeterGriffinJin/Search-R1, Apache-2.0);
 * - FlashRAG `flashrag/evaluator/utils.py` @1ee5249 (RUC-NLPIR/FlashRAG, MIT).
 * Lower case, punctuation DELETED (so `acid-house` becomes `acidhouse`), articles replaced by a space,
 * whitespace collapsed. R1-Searcher's normaliser differs (r1Searcher.ts).
 */
import { PY_PUNCTUATION, pyLower, pyRemoveArticles, pyWhitespaceFix } from './python';

/**
 * Every character of `string.punctuation`, deleted in one pass: they are all ASCII, so no surrogate
 * pair is ever split, and the result is Python's code-point-by-code-point filter.
 */
const PUNCT = new RegExp(`[${PY_PUNCTUATION.replace(/[\\\]^-]/g, '\\$&')}]`, 'g');

export function squadNormalize(s: string): string {
  const lower = pyLower(s);
  return asciiNormalized(lower) ?? pyWhitespaceFix(pyRemoveArticles(lower.replace(PUNCT, '')));
}

/** Character classes of ASCII after lower-casing, for the one-pass form below. */
const WORD = 0;
const PUNCTUATION = 1;
const SPACE = 2;
const OTHER = 3;
const ASCII_CLASS = Uint8Array.from({ length: 128 }, (_, c) => {
  const ch = String.fromCharCode(c);
  if (/[a-z0-9]/.test(ch)) return WORD;
  if (PY_PUNCTUATION.includes(ch)) return PUNCTUATION;
  // Python's whitespace within ASCII: \t \n \v \f \r, U+001C–U+001F and the space.
  if ((c >= 9 && c <= 13) || (c >= 0x1c && c <= 0x20)) return SPACE;
  return OTHER;
});
const ARTICLES = new Set(['a', 'an', 'the']);

/**
 * The same normalisation in one pass over a lower-cased ASCII text (most retrieved documents, every
 * one of which is normalised for the whole-word answer checks): with punctuation deleted, what is left
 * is runs of [a-z0-9] between whitespace, so a token is a word run, `\b(a|an|the)\b` matches exactly
 * the tokens that are an article, and the whitespace fix joins the other tokens with single spaces.
 * Undefined for any other text (non-ASCII, or control characters, which are neither word nor space):
 * the regular expressions decide those.
 */
function asciiNormalized(lower: string): string | undefined {
  const tokens: string[] = [];
  let token = '';
  let run = -1;
  const n = lower.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? lower.charCodeAt(i) : 32;
    if (c >= 128) return undefined;
    const k = ASCII_CLASS[c]!;
    if (k === WORD) {
      if (run < 0) run = i;
      continue;
    }
    if (run >= 0) {
      token += lower.slice(run, i);
      run = -1;
    }
    if (k === PUNCTUATION) continue;
    if (k === OTHER) return undefined;
    if (token !== '' && !ARTICLES.has(token)) tokens.push(token);
    token = '';
  }
  return tokens.join(' ');
}
