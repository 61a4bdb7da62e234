/**
 * The outcome of a trajectory under its metric definition, with the prediction each source's own
 * pipeline would score:
 * - `r1-searcher`: the answer text; a run without one scores "I don't know.", the `pred_ans` that
 *   R1-Searcher's evaluation (evaluation/eval_search_loacl.py @631167c) records for unanswered runs.
 * - `search-r1`: `extract_solution` over prompt + output (rewards/searchR1Sequence.ts): the last closed
 *   `<answer>…</answer>`, and none when there are fewer than two; the built-in prompt holds two, so an
 *   output without a closed answer scores the prompt's example `Beijing`, as it does upstream. No
 *   solution scores 0.
 * - `flashrag`: the answer text, empty when there is none.
 */
import { BUILTIN_TEMPLATES, renderPrompt, type Template } from '../templates';
import type { Outcome, Trajectory } from '../trace';
import { stoppedOutput } from '../rewards/output';
import { extractSolution, searchR1Text } from '../rewards/searchR1Sequence';
import { tagsOf } from '../rewards/tags';
import { metricDefinitions, type MetricDefinitionName } from './index';

export const R1_SEARCHER_UNANSWERED = "I don't know.";

/**
 * The definition a template's runs are scored with: its `metricDefinition`, else Search-R1's for
 * `<search>` tags, else R1-Searcher's.
 */
export function definitionForTemplate(template: string | Template | undefined): MetricDefinitionName {
  const chosen = typeof template === 'object' ? template.metricDefinition : undefined;
  if (chosen) return chosen;
  return tagsOf(template).style === 'search-r1' ? 'search-r1' : 'r1-searcher';
}

type Scored = Pick<Trajectory, 'answer' | 'gold' | 'question' | 'raw' | 'policy' | 'stopReason'>;

/** The prediction `definition` scores for `t`, or null when it scores nothing (all metrics 0). */
export function predictionOf(t: Scored, definition: MetricDefinitionName, template?: Template): string | null {
  switch (definition) {
    case 'r1-searcher':
      return t.answer ?? R1_SEARCHER_UNANSWERED;
    case 'search-r1': {
      const tpl = template ?? BUILTIN_TEMPLATES[t.policy.template] ?? BUILTIN_TEMPLATES['search-r1']!;
      return extractSolution(searchR1Text(renderPrompt(tpl, t.question), stoppedOutput(t, tpl)));
    }
    case 'flashrag':
      return t.answer ?? '';
    default: {
      const never: never = definition;
      return never;
    }
  }
}

/** Outcome metrics of `prediction` under `definition`; zeros for no prediction. Needs golds. */
export function scorePrediction(prediction: string | null, golds: readonly string[], definition: MetricDefinitionName): Outcome {
  const def = metricDefinitions[definition];
  if (prediction === null) return Object.fromEntries(def.fields.map((f) => [f, 0]));
  return def.score(prediction, golds);
}

/**
 * `metricDefinition` and `outcome` for a trajectory with gold answers; undefined without. Judge verdicts
 * and other recorded values are the caller's to merge.
 */
export function trajectoryOutcome(
  t: Scored,
  definition: MetricDefinitionName,
  template?: Template,
): { metricDefinition: MetricDefinitionName; outcome: Outcome } | undefined {
  if (!t.gold?.length) return undefined;
  return { metricDefinition: definition, outcome: scorePrediction(predictionOf(t, definition, template), t.gold, definition) };
}
