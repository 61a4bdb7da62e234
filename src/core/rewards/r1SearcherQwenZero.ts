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
import { pyFirstPart, pyLastPart, pySplit, pyStrip } from '../metrics/python';
import { pyLstrip } from '../pyText';
import { ASSISTANT_WORD, hasAssistantWord } from './assistantWord';
import { ANSWER_OPEN, BEGIN_DOCS, END_DOCS, tagWalk, type TagWalk } from './r1SearcherTags';

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
  lastSolution = solutionOf(response, eos);
  return lastSolution.solution;
}

/**
 * `strip(split(MARKER + strip_sequence(response) + eos, MARKER)[-1])`, read off the response without
 * building the joined text (a copy of the whole output, made several times per rollout):
 * - the EOS strip only removes a run of EOS that ends the text or precedes its final newline, so it
 *   never reaches into the marker prepended to the response;
 * - the marker holds one newline, its first character, so it cannot overlap itself or start inside the
 *   prepended copy; with no newline in the EOS it cannot straddle the response's end either (checked
 *   below): the last marker of the joined text is the response's last one, else the prepended one;
 * - the EOS neither starts nor ends with whitespace, so stripping the solution strips the start of the
 *   response's part alone.
 * Any other EOS takes the literal route.
 */
function solutionOf(response: string, eos: string): Solution {
  if (!plainEos(eos)) {
    const joined = `${MARKER}${response}`;
    const query = joined.endsWith(eos) || joined.endsWith(`${eos}\n`) ? joined.replace(eosRun(eos), '') + eos : joined + eos;
    return { response, eos, solution: pyStrip(pyLastPart(query, MARKER)) };
  }
  const trimmed = response.endsWith(eos) || response.endsWith(`${eos}\n`) ? response.replace(eosRun(eos), '') : response;
  // The marker holds the word: a text without the word (most outputs, and asked already when the
  // output was found, assistantWord.ts) holds no marker, and its body, a part of it, no word.
  const word = hasAssistantWord(trimmed);
  const at = word ? lastMarker(trimmed) : -1;
  // The body is `base` less its leading whitespace, which holds no tag, no letter and no CJK: the rules
  // read `base` from `from` on, and the format check has walked the tags of the output, mostly `base`
  // itself. Without a marker `base` is the text: the body holds the word where the text does.
  const base = at < 0 ? trimmed : trimmed.slice(at + MARKER.length);
  const body = pyLstrip(base);
  return { response, eos, solution: `${body}${eos}`, base, from: base.length - body.length, word: at < 0 ? word : undefined };
}

/**
 * `s.lastIndexOf(MARKER)` by forward searches: V8's backward search compares at every position, its
 * forward one skips ahead, and an output rarely holds the marker at all (one forward scan, a third of
 * the time of the backward one on a rollout's output).
 */
function lastMarker(s: string): number {
  let at = s.indexOf(MARKER);
  if (at < 0) return at;
  for (let next = s.indexOf(MARKER, at + 1); next >= 0; next = s.indexOf(MARKER, at + 1)) at = next;
  return at;
}

/** An EOS the shortcut above holds for: non-empty, no newline, no whitespace at either end, and not part of the marker's tail. */
function plainEos(eos: string): boolean {
  if (eos === '' || eos.includes('\n') || pyStrip(eos) !== eos) return false;
  // No suffix of the marker may begin the EOS (a marker split across the response's end and the EOS).
  for (let k = 1; k < MARKER.length; k++) if (eos.startsWith(MARKER.slice(k)) || MARKER.slice(k).startsWith(eos)) return false;
  return true;
}

interface Solution {
  response: string;
  eos: string;
  solution: string;
  /**
   * When the solution was built as `body + eos`, `body` is `base.slice(from)`: the judge reads `base`
   * (see judged).
   */
  base?: string;
  from?: number;
  /** Whether the body holds "Assistant" or "assistant", when already known. */
  word?: boolean;
}

let lastSolution: Solution = { response: '', eos: '', solution: '' };
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

/** Python's `count` of each tag in a solution. */
export interface R1SearcherTagCounts {
  beginQuery: number;
  endQuery: number;
  beginDocs: number;
  endDocs: number;
  think: number;
  thinkEnd: number;
  answerOpen: number;
  answerClose: number;
}

/** What the rules saw in a solution, to tell a user why one fired. */
export interface R1SearcherSeen {
  tags: Readonly<R1SearcherTagCounts>;
  /** r1SearcherAnswerText(solution). */
  answer: string;
  /** How often "Assistant" and "assistant" occur (a search of the text: asked only when the rule fired). */
  assistantWords(): number;
}

/** Read off the judged solution (judged below), with no search of the whole solution for what the walk counted. */
export function r1SearcherSeen(solution: string): R1SearcherSeen {
  const j = judged(solution);
  // The solution less its EOS is base's tail after whitespace: the EOS holds neither word, and no word
  // runs into it (it starts with "<"); whitespace holds neither. The two words never overlap (neither
  // holds an "a" or "A" followed by "ssistant"): one search counts both.
  return { tags: j.walk, answer: j.answer, assistantWords: () => j.base.match(ASSISTANT_WORDS)?.length ?? 0 };
}

/** The rules `solution` breaks, in upstream's order; empty when no penalty applies. */
export function r1SearcherViolations(solution: string): R1SearcherViolation[] {
  return [...judged(solution).rules];
}

interface Judged {
  solution: string;
  /** What the rules read: `solution` less its EOS is `base.slice(from)`, and `walk` is base's tag walk. */
  base: string;
  walk: TagWalk;
  rules: R1SearcherViolation[];
  /** r1SearcherAnswerText(solution). */
  answer: string;
  /** The solution holds both `<answer>` and `</answer>`. */
  answered: boolean;
}

/** The format check and the upstream reward judge the same solution in turn: judge it once. */
function judged(solution: string): Judged {
  if (solution !== lastJudged?.solution) {
    // The solution just built is `body + QWEN_EOS`, a joined string whose first search would copy it
    // whole (several KB per rollout): its body is judged instead, which gives the same verdict: Qwen's
    // EOS holds no tag, no letter of "assistant" and no CJK, and as every tag has "<" only first, no tag
    // or word can run from the body into it.
    const built = lastSolution;
    lastJudged =
      built.solution === solution && built.base !== undefined && built.eos === QWEN_EOS
        ? judge(solution, built.base, built.from!, QWEN_EOS, built.word)
        : judge(solution, solution, 0, '');
  }
  return lastJudged;
}

let lastJudged: Judged | undefined;

const ASSISTANT_WORDS = new RegExp(ASSISTANT_WORD.source, 'g');

/**
 * `solution` is `base.slice(from) + eos`, `base` begins with `from` whitespace characters, and `eos`
 * holds nothing the rules look for (see judged).
 */
function judge(solution: string, base: string, from: number, eos: string, word?: boolean): Judged {
  const v: R1SearcherViolation[] = [];
  const w = tagWalk(base);
  // Upstream's order: the seven tag forms, all compared with the first.
  const counts = [w.beginDocsNl, w.endDocsBlank, w.beginQuery, w.endQuery, w.beginDocs, w.endDocs, w.beginDocsFirst];
  if (counts.some((c) => c !== counts[0])) v.push('tag_counts');
  if (word ?? ASSISTANT_WORD.test(base)) v.push('assistant_word');
  if (!(w.think === 0 && w.thinkEnd === 1)) v.push('think');
  if (!(w.answerOpen === 1 && w.answerClose === 1)) v.push('answer_count');
  // r1SearcherAnswerText from the walk: `split("<answer>")[-1]` starts after the last <answer> (they never
  // overlap), `.split("</answer>")[0]` ends at the first </answer> after it; with no <answer>, the
  // first </answer> of all.
  const start = w.lastOpen + ANSWER_OPEN.length;
  const answer = w.lastOpen < 0 ? r1SearcherAnswerText(solution) : pyStrip(w.closeAfter < 0 ? `${base.slice(start)}${eos}` : base.slice(start, w.closeAfter));
  if (answer.includes('begin_of_query') || answer.includes('begin_of_documents')) v.push('tags_in_answer');
  if (pySplit(answer).length > MAX_ANSWER_WORDS) v.push('answer_len');
  if (hasCjkOutsideDocs(base, from, w)) v.push('chinese');
  return { solution, base, walk: w, rules: v, answer, answered: w.answerOpen > 0 && w.answerClose > 0 };
}

/**
 * `re.sub(r"<|begin_of_documents|>[\s\S]*?<|end_of_documents|>", "", s[from:])` then a CJK test,
 * without building the text: the expression removes, from the left, each begin tag up to the first end
 * tag after it; a begin tag with no end tag after it removes nothing, nor does any later one. The tags'
 * places come from the walk (they never overlap each other, so it found every one).
 */
function hasCjkOutsideDocs(s: string, from: number, w: TagWalk): boolean {
  const { docBegins: begins, docEnds: ends } = w;
  for (let bi = 0, ei = 0; ; ) {
    while (bi < begins.length && begins[bi]! < from) bi++;
    if (bi === begins.length) break;
    const b = begins[bi]!;
    while (ei < ends.length && ends[ei]! < b + BEGIN_DOCS.length) ei++;
    if (ei === ends.length) break;
    if (hasCjk(s, from, b)) return true;
    from = ends[ei]! + END_DOCS.length;
  }
  return hasCjk(s, from, s.length);
}

const CJK = /[\u4e00-\u9fff]/;

/** The expression over a slice (a view, not a copy) scans about three times as fast as a loop over char codes. */
function hasCjk(text: string, from: number, to: number): boolean {
  return from < to && CJK.test(from === 0 && to === text.length ? text : text.slice(from, to));
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
  // The answer text and whether both answer tags are there come with the rules (one walk over the tags).
  const { answer, answered } = judged(solution);
  let reward = answered && golds.length ? Math.max(...golds.map((g) => r1SearcherF1(answer, g))) : 0;
  const violations = r1SearcherViolations(solution);
  if (violations.length) reward -= 2;
  return { reward, format: violations.length ? 0 : 1, violations, answer };
}
