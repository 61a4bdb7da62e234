/**
 * Named answer-metric definitions. A number is only comparable with a paper's when it is computed by
 * that paper's own function, and the three sources differ (normaliser, True/False mapping, which
 * metrics exist), so every outcome records which definition produced it (`Trajectory.metricDefinition`)
 * and a run never mixes two (summary.ts).
 *
 * | name          | upstream function                                                        | fields          |
 * | `r1-searcher` | RUCAIBox/R1-Searcher evaluation/metric_calc_rule.py @631167c            | em, f1, coverEm |
 * | `search-r1`   | PeterGriffinJin/Search-R1 verl/utils/reward_score/qa_em.py @a14dc3a     | em, subEm       |
 * | `flashrag`    | RUC-NLPIR/FlashRAG flashrag/evaluator/metrics.py @1ee5249               | em, f1          |
 */
import { InputError } from '../errors';
import { r1SearcherSolution, r1SearcherViolations } from '../rewards/r1SearcherQwenZero';
import { validContent } from '../rewards/searchR1Sequence';
import { flashragScores } from './flashrag';
import { r1SearcherScores } from './r1Searcher';
import { searchR1Scores } from './searchR1';
import { squadNormalize } from './squad';

export const METRIC_DEFINITION_NAMES = ['r1-searcher', 'search-r1', 'flashrag'] as const;
export type MetricDefinitionName = (typeof METRIC_DEFINITION_NAMES)[number];

export interface FormatVerdict {
  /** 1 when the definition's format check passes, else 0. */
  format: number;
  /** Names of the rules that failed. */
  violations: string[];
}

export interface MetricDefinition {
  name: MetricDefinitionName;
  /** Upstream repository, file and commit the functions reproduce. */
  source: string;
  /** The metrics `score` returns, in output order. */
  fields: readonly string[];
  /** The metrics of one prediction against its gold answers (at least one). */
  score(prediction: string, golds: readonly string[]): Record<string, number>;
  /** The definition's format check of a model's whole output after the prompt, where it has one. */
  formatCheck?(response: string): FormatVerdict;
}

function needGolds(golds: readonly string[]): void {
  if (!golds.length) throw new InputError('no gold answer to score against', undefined, undefined, 'give "golds", "answer" or "golden_answers"');
}

export const metricDefinitions: Readonly<Record<MetricDefinitionName, MetricDefinition>> = Object.freeze({
  'r1-searcher': {
    name: 'r1-searcher',
    source: 'RUCAIBox/R1-Searcher evaluation/metric_calc_rule.py @631167c',
    fields: ['em', 'f1', 'coverEm'],
    score(prediction, golds) {
      needGolds(golds);
      return { ...r1SearcherScores(prediction, golds) };
    },
    formatCheck(response) {
      const violations = r1SearcherViolations(r1SearcherSolution(response));
      return { format: violations.length ? 0 : 1, violations };
    },
  },
  'search-r1': {
    name: 'search-r1',
    source: 'PeterGriffinJin/Search-R1 verl/utils/reward_score/qa_em.py @a14dc3a',
    fields: ['em', 'subEm'],
    score(prediction, golds) {
      needGolds(golds);
      return { ...searchR1Scores(prediction, golds) };
    },
    formatCheck(response) {
      const check = validContent(response);
      return { format: check.valid ? 1 : 0, violations: check.rule ? [check.rule] : [] };
    },
  },
  flashrag: {
    name: 'flashrag',
    source: 'RUC-NLPIR/FlashRAG flashrag/evaluator/metrics.py @1ee5249',
    fields: ['em', 'f1'],
    score(prediction, golds) {
      needGolds(golds);
      return { ...flashragScores(prediction, golds) };
    },
  },
});

export function isMetricDefinitionName(name: unknown): name is MetricDefinitionName {
  return typeof name === 'string' && (METRIC_DEFINITION_NAMES as readonly string[]).includes(name);
}

/** A definition by name, or an error listing the names. */
export function metricDefinition(name: string): MetricDefinition {
  if (!isMetricDefinitionName(name)) {
    throw new InputError(`unknown metric definition "${name}"`, undefined, undefined, `one of ${METRIC_DEFINITION_NAMES.join(', ')}`);
  }
  return metricDefinitions[name];
}

/**
 * SQuAD normalisation (punctuation deleted): Hopscope's own whole-word retrieval hit and answer-support
 * checks use it. It is not any paper's metric by itself.
 */
export const normalizeAnswer = squadNormalize;

export { r1SearcherScores, normalizeR1Searcher } from './r1Searcher';
export { searchR1Scores } from './searchR1';
export { flashragScores } from './flashrag';
export { squadNormalize } from './squad';
