/**
 * The papers' own reward values for a trajectory, beside Hopscope's measures:
 * - `r1SearcherReward` (R1-Searcher templates): the qwen-zero reward server's value, F1 of the answer,
 *   0 without both answer tags, minus 2 for a format violation (r1SearcherQwenZero.ts).
 * - `retrievalCorrectSearchR1` (Search-R1 templates): `is_retrieval_correct` gated by
 *   `is_valid_sequence`, as `compute_score_em` uses it (searchR1Sequence.ts): a normalised gold as a
 *   substring of a normalised whole `<information>` block. Hopscope's `retrievalHit` (retrievalHit.ts)
 *   is a different, stricter measure: whole words, per document.
 * Both read the text the upstream code reads, rebuilt from the trajectory: the prompt and the model's
 * output with the spliced documents (rewards/output.ts).
 */
import { BUILTIN_TEMPLATES, renderPrompt, type Template } from '../templates';
import type { Rewards, Trajectory } from '../trace';
import { stoppedOutput } from './output';
import { r1SearcherReward, r1SearcherSolution } from './r1SearcherQwenZero';
import { retrievalCorrectSearchR1, searchR1Text } from './searchR1Sequence';
import { tagsOf } from './tags';

export function upstreamRewards(t: Trajectory, template?: Template): Rewards {
  const tpl = template ?? BUILTIN_TEMPLATES[t.policy.template];
  if (!tpl || !t.gold?.length) return {};
  const output = stoppedOutput(t, tpl);
  if (tagsOf(tpl).style === 'search-r1') {
    return { retrievalCorrectSearchR1: retrievalCorrectSearchR1(searchR1Text(renderPrompt(tpl, t.question), output), t.gold) ? 1 : 0 };
  }
  return { r1SearcherReward: r1SearcherReward(r1SearcherSolution(output), t.gold).reward };
}
