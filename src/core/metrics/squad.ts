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
  return pyWhitespaceFix(pyRemoveArticles(pyLower(s).replace(PUNCT, '')));
}
