/**
 * R1-Searcher's answer metrics: RUCAIBox/R1-Searcher `evaluation/metric_calc_rule.py` @631167c (MIT),
 * the functions its evaluation reports and its reward server (`train/reward_server_qwen_zero.py`)
 * repeats: `normalize_answer`, `bool_mapping`, `exact_match_score`, `f1_score`,
 * `cover_exact_match_score_1`, each the best over the gold answers (`metric_max_over_ground_truths`).
 *
 * Its normaliser is not SQuAD's: `_` becomes a space first, and every punctuation character (Python's
 * `string.punctuation` plus ‘ ’ ´ `) is REPLACED by a space, so `acid-house` equals `acid house`.
 * `True`/`False` (exactly) read as `yes`/`no` on both sides before normalising.
 */
import { boundedMemo } from '../boundedMemo';
import { PY_PUNCTUATION, pyLower, pyRemoveArticles, pyWhitespaceFix } from './python';
import { tokenF1 } from './tokenF1';

/**
 * Upstream maps each character in PUNCT to a space. All of them are single UTF-16 code units (none is a
 * surrogate), so one replace over the code units maps exactly the code points Python's loop maps; it
 * was a loop appending one character at a time, which on a long prediction (a rollout that never
 * closed its answer is scored on its whole solution) was ~14 % of a run's first-pass parse.
 */
const PUNCT = new RegExp(`[${[...PY_PUNCTUATION, '‘', '’', '´', '`'].join('').replace(/[\\\]^-]/g, '\\$&')}]`, 'g');

export function normalizeR1Searcher(s: string): string {
  return pyWhitespaceFix(pyRemoveArticles(pyLower(s.replaceAll('_', ' ')).replace(PUNCT, ' ')));
}

export function boolMapping(s: string): string {
  return s === 'True' ? 'yes' : s === 'False' ? 'no' : s;
}

/** Every metric normalises the prediction and each gold again, and a group's rollouts share their golds: remembered. */
const norm = boundedMemo((s: string): string => normalizeR1Searcher(boolMapping(s)));

export interface R1SearcherScores {
  em: number;
  f1: number;
  coverEm: number;
}

/** The three metrics, each the maximum over `golds` (which must not be empty: upstream's max() raises). */
export function r1SearcherScores(prediction: string, golds: readonly string[]): R1SearcherScores {
  // Each gold and the prediction normalised once, the prediction's words gathered once for every gold.
  const p = norm(prediction);
  const gs = golds.map(norm);
  const predWords = new Set(p.split(' '));
  return {
    em: gs.some((g) => g === p) ? 1 : 0,
    f1: Math.max(...gs.map((g) => tokenF1(p, g))),
    // `cover_exact_match_score_1`: every gold token (split on single spaces) is among the prediction's.
    coverEm: gs.some((g) => g.split(' ').every((w) => predWords.has(w))) ? 1 : 0,
  };
}

/** `f1_score(prediction, ground_truth)` for one gold: what the qwen-zero reward server adds up. */
export function r1SearcherF1(prediction: string, gold: string): number {
  return tokenF1(norm(prediction), norm(gold));
}
