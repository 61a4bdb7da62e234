/**
 * HotpotQA's token F1 (hotpot_evaluate_v1.py), as R1-Searcher's `f1_score` and FlashRAG's
 * `F1_Score.token_level_scores` both compute it on already-normalised strings: 0 when either side is
 * `yes`/`no`/`noanswer` and the two differ, else the harmonic mean of token precision and recall with
 * tokens counted as a multiset (Counter &). Floating point follows Python's: the same IEEE operations
 * in the same order.
 */
import { commonTokenCount, pySplit } from './python';

const YES_NO = new Set(['yes', 'no', 'noanswer']);

export function tokenF1(normalizedPrediction: string, normalizedGold: string): number {
  if (YES_NO.has(normalizedPrediction) && normalizedPrediction !== normalizedGold) return 0;
  if (YES_NO.has(normalizedGold) && normalizedPrediction !== normalizedGold) return 0;
  const p = pySplit(normalizedPrediction);
  const g = pySplit(normalizedGold);
  const same = commonTokenCount(p, g);
  if (same === 0) return 0;
  const precision = (1.0 * same) / p.length;
  const recall = (1.0 * same) / g.length;
  return (2 * precision * recall) / (precision + recall);
}
