/**
 * R1-Searcher's reward as its qwen-zero reward server computes it: RUCAIBox/R1-Searcher
 * `train/reward_server_qwen_zero.py` @631167c (MIT), `MathRuleProxy.get_reward`.
 *
 * What the server sees: the decoded prompt + response with trailing EOS/pad tokens stripped and one EOS
 * appended, then the `solution` is the text after the last `"\nAssistant: <think>"`, stripped. The
 * prompt ends with that marker, so the solution is the model's whole output after the prompt (retrieved
 * documents included) plus the EOS, unless the output itself writes the marker again.
 *
 * Reward: token F1 of the answer (R1-Searcher's metric, metrics/r1Searcher.ts) between the last
 * `<answer>` and the following `</answer>`; 0 when either tag is missing; minus 2 when any format rule
 * below fails. The rules, named here (the names are Hopscope's, the rules upstream's):
 * - `tag_counts`: the counts of `<|begin_of_documents|>\n`, `<|end_of_documents|>\n\n`,
 *   `<|begin_of_query|>`, `<|end_of_query|>`, `<|begin_of_documents|>`, `<|end_of_documents|>` and
 *   `<|begin_of_documents|>\n(1)` are not all equal;
 * - `assistant_word`: "Assistant" or "assistant" appears anywhere, retrieved documents included;
 * - `think`: not exactly zero `<think>` and one `</think>` (the prompt holds the opening one);
 * - `answer_count`: not exactly one `<answer>` and one `</answer>`;
 * - `tags_in_answer`: the answer text contains `begin_of_query` or `begin_of_documents`;
 * - `answer_len`: the answer text has more than 10 whitespace-separated words;
 * - `chinese`: a character in U+4E00–U+9FFF outside `<|begin_of_documents|>…<|end_of_documents|>` blocks.
 */
import { r1SearcherF1 } from '../metrics/r1Searcher';
import { pyCount, pyFirstPart, pyLastPart, pySplit, pyStrip } from '../metrics/python';

export const R1_SEARCHER_VIOLATIONS = [
  'tag_counts',
  'assistant_word',
  'think',
  'answer_count',
  'tags_in_answer',
  'answer_len',
  'chinese',
] as const;
export type R1SearcherViolation = (typeof R1_SEARCHER_VIOLATIONS)[number];

/** Qwen-2.5's EOS (= its pad token), the model qwen-zero trains. */
export const QWEN_EOS = '<|endoftext|>';
const MARKER = '\nAssistant: <think>';
const MAX_ANSWER_WORDS = 10;
const DOC_BLOCK = /<\|begin_of_documents\|>[\s\S]*?<\|end_of_documents\|>/g;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The `solution` the server scores, from the model's output after the prompt. `strip_sequence` removes
 * trailing EOS runs where Python's `$` matches: at the very end or before a final newline.
 */
export function r1SearcherSolution(response: string, eos: string = QWEN_EOS): string {
  // Format check and upstream reward both ask for the same rollout's solution: keep the last one.
  if (response === lastSolution.response && eos === lastSolution.eos) return lastSolution.solution;
  const joined = `${MARKER}${response}`;
  // The strip only matches a run of EOS that ends the text or precedes its final newline, so text
  // ending otherwise is left as it is without running the expression over it.
  const query = joined.endsWith(eos) || joined.endsWith(`${eos}\n`) ? joined.replace(eosRun(eos), '') + eos : joined + eos;
  const solution = pyStrip(pyLastPart(query, MARKER));
  lastSolution = { response, eos, solution };
  return solution;
}

let lastSolution = { response: '', eos: '', solution: '' };
const eosRuns = new Map<string, RegExp>();

function eosRun(eos: string): RegExp {
  let re = eosRuns.get(eos);
  if (!re) eosRuns.set(eos, (re = new RegExp(`(?:${escapeRegExp(eos)})+(?=\\n?$)`, 'g')));
  return re;
}

/** `solution.split("<answer>")[-1].split("</answer>")[0].strip()`: the answer text the rules and F1 read. */
export function r1SearcherAnswerText(solution: string): string {
  return pyStrip(pyFirstPart(pyLastPart(solution, '<answer>'), '</answer>'));
}

/** The rules `solution` breaks, in upstream's order; empty when no penalty applies. */
export function r1SearcherViolations(solution: string): R1SearcherViolation[] {
  // The format check and the upstream reward judge the same solution in turn: judge it once.
  if (solution !== lastViolations?.solution) lastViolations = { solution, rules: judge(solution) };
  return [...lastViolations.rules];
}

let lastViolations: { solution: string; rules: R1SearcherViolation[] } | undefined;

const BEGIN_DOCS = '<|begin_of_documents|>';
const END_DOCS = '<|end_of_documents|>';

/**
 * Counts of a tag and of the tag followed by each of `suffixes`. The tag cannot overlap itself (it
 * opens with its only `<`), so Python's non-overlapping `count` of "tag + suffix" is the number of
 * occurrences of the tag that the suffix follows: one scan serves all three counts.
 */
function tagCounts(s: string, tag: string, suffixes: readonly string[]): number[] {
  const counts = new Array<number>(suffixes.length + 1).fill(0);
  for (let i = s.indexOf(tag); i >= 0; i = s.indexOf(tag, i + tag.length)) {
    counts[0]!++;
    suffixes.forEach((suffix, k) => {
      if (s.startsWith(suffix, i + tag.length)) counts[k + 1]!++;
    });
  }
  return counts;
}

function judge(solution: string): R1SearcherViolation[] {
  const v: R1SearcherViolation[] = [];
  const [beginDocs, beginDocsNl, beginDocsFirst] = tagCounts(solution, BEGIN_DOCS, ['\n', '\n(1)']) as [number, number, number];
  const [endDocs, endDocsBlank] = tagCounts(solution, END_DOCS, ['\n\n']) as [number, number];
  // Upstream's order: the seven tag forms, all compared with the first.
  const counts = [beginDocsNl, endDocsBlank, pyCount(solution, '<|begin_of_query|>'), pyCount(solution, '<|end_of_query|>'), beginDocs, endDocs, beginDocsFirst];
  if (counts.some((c) => c !== counts[0])) v.push('tag_counts');
  if (solution.includes('Assistant') || solution.includes('assistant')) v.push('assistant_word');
  if (!(!solution.includes('<think>') && pyCount(solution, '</think>') === 1)) v.push('think');
  if (!(pyCount(solution, '<answer>') === 1 && pyCount(solution, '</answer>') === 1)) v.push('answer_count');
  const answer = r1SearcherAnswerText(solution);
  if (answer.includes('begin_of_query') || answer.includes('begin_of_documents')) v.push('tags_in_answer');
  if (pySplit(answer).length > MAX_ANSWER_WORDS) v.push('answer_len');
  if (hasCjk(solution.replace(DOC_BLOCK, ''))) v.push('chinese');
  return v;
}

function hasCjk(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x4e00 && c <= 0x9fff) return true;
  }
  return false;
}

export interface R1SearcherReward {
  /** The reward value: F1 (0 without both answer tags), minus 2 on a format violation. */
  reward: number;
  /** 1 when no format rule fired. */
  format: number;
  violations: R1SearcherViolation[];
  /** The answer text scored. */
  answer: string;
}

/**
 * The reward of one `solution` (see r1SearcherSolution). Upstream scores against the training item's
 * one gold string; with several golds this takes the best F1 over them (metric_max_over_ground_truths,
 * as R1-Searcher's evaluation does), which equals upstream's value for a single gold.
 */
export function r1SearcherReward(solution: string, golds: readonly string[]): R1SearcherReward {
  const answer = r1SearcherAnswerText(solution);
  const answered = solution.includes('<answer>') && solution.includes('</answer>');
  let reward = answered && golds.length ? Math.max(...golds.map((g) => r1SearcherF1(answer, g))) : 0;
  const violations = r1SearcherViolations(solution);
  if (violations.length) reward -= 2;
  return { reward, format: violations.length ? 0 : 1, violations, answer };
}
