/**
 * Search-R1's answer metrics: PeterGriffinJin/Search-R1 `verl/utils/reward_score/qa_em.py` @a14dc3a
 * (Apache-2.0), `em_check` and `subem_check` over SQuAD-normalised text (squad.ts). No True/False
 * mapping, no F1. `subEm` asks whether a normalised gold is a substring of the normalised prediction
 * (plain `in`, so an empty normalised gold, e.g. `"The"`, is in every prediction).
 * Which text is the prediction is `extract_solution`'s business (searchR1Answer.ts).
 */
import { squadNormalize } from './squad';

export interface SearchR1Scores {
  em: number;
  subEm: number;
}

export function searchR1Scores(prediction: string, golds: readonly string[]): SearchR1Scores {
  const p = squadNormalize(prediction);
  const gs = golds.map(squadNormalize);
  return { em: gs.some((g) => g === p) ? 1 : 0, subEm: gs.some((g) => p.includes(g)) ? 1 : 0 };
}
