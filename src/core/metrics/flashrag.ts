/**
 * FlashRAG's answer metrics: RUC-NLPIR/FlashRAG `flashrag/evaluator/metrics.py` @1ee5249 (MIT),
 * `ExactMatch.calculate_em` and `F1_Score.token_level_scores(...)["f1"]` over SQuAD-normalised text
 * (squad.ts), each the best over the gold answers; F1 with the yes/no/noanswer rule (tokenF1.ts).
 * FlashRAG reads golds as regular expressions only for its `curatedtrec` dataset; that mode is not
 * reproduced (Python and JavaScript regex dialects differ).
 */
import { squadNormalize } from './squad';
import { tokenF1 } from './tokenF1';

export interface FlashragScores {
  em: number;
  f1: number;
}

export function flashragScores(prediction: string, golds: readonly string[]): FlashragScores {
  const p = squadNormalize(prediction);
  const gs = golds.map(squadNormalize);
  return { em: gs.some((g) => g === p) ? 1 : 0, f1: Math.max(0, ...gs.map((g) => tokenF1(p, g))) };
}
