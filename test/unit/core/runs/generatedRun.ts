/**
 * Small verl-style runs for the runs tests, with every figure known by construction: each rollout is one
 * of a few kinds whose searches, format and diagnosis labels follow from how its text is written, so
 * the tests compute the expected per-step figures from the kinds, not from Hopscope's own analysis.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rng } from '../../../support/random';
export { rng };

export type Kind = 'good' | 'wrongRetrieved' | 'noSearch' | 'repeatedMiss' | 'badFormat';
export const KINDS: readonly Kind[] = ['good', 'wrongRetrieved', 'noSearch', 'repeatedMiss', 'badFormat'];

export interface GenRollout {
  step: number;
  prompt: number;
  kind: Kind;
  score: number;
  line: string;
}

/** What each kind is, label by label (names as in src/core/diagnosis.ts). */
export const EXPECTED: Record<Kind, { searches: number; formatError: boolean; labels: string[] }> = {
  good: { searches: 2, formatError: false, labels: [] },
  wrongRetrieved: { searches: 1, formatError: false, labels: ['gold_retrieved_not_used', 'answer_not_in_docs'] },
  noSearch: { searches: 0, formatError: false, labels: ['no_search'] },
  repeatedMiss: { searches: 2, formatError: false, labels: ['repeated_query', 'gold_never_retrieved', 'answer_not_in_docs'] },
  badFormat: { searches: 2, formatError: true, labels: ['format_error'] },
};

function search(query: string, hasGold: boolean, gold: string): string {
  const body = hasGold ? `The capital city is ${gold}, on the river.` : 'A village with a small church and a mill.';
  return `<|begin_of_query|>${query}<|end_of_query|>\n\n<|begin_of_documents|>\n(1)Title: Place Text: ${body}\n<|end_of_documents|>\n\n`;
}

export function outputOf(kind: Kind, prompt: number, gold: string): string {
  const q1 = `capital of country ${prompt}`;
  const q2 = `river through capital ${prompt}`;
  switch (kind) {
    case 'good':
      return `I should look it up. ${search(q1, true, gold)}Check the river. ${search(q2, true, gold)}Found it.</think>\n\n<answer> ${gold} </answer>`;
    case 'wrongRetrieved':
      return `Search once. ${search(q1, true, gold)}I will guess.</think>\n\n<answer> Zebra </answer>`;
    case 'noSearch':
      return `I know this.</think>\n\n<answer> Zebra </answer>`;
    case 'repeatedMiss':
      return `Search. ${search(q1, false, gold)}Again. ${search(q1, false, gold)}Still nothing.</think>\n\n<answer> Zebra </answer>`;
    case 'badFormat':
      return `Look. ${search(q1, true, gold)}More. ${search(q2, true, gold)}Done.</think> and again </think>\n\n<answer> ${gold} </answer>`;
  }
}

export function goldOf(prompt: number): string {
  return `Cityname${String.fromCharCode(97 + (prompt % 26))}${prompt}`;
}

export function inputOf(prompt: number): string {
  // Like a real training prompt, it names the tags (so a rollout that never searches still reads as R1-Searcher's).
  return `<|im_start|>user\nSearch with <|begin_of_query|> query <|end_of_query|>, answer in <answer></answer>.\nQuestion: What is the capital of country number ${prompt}?<|im_end|>\n<|im_start|>assistant\n`;
}

const SCORES = [0, 0.25, 0.5, 1];

/** One step's rollouts: `prompts` prompts drawn from a pool of 2×prompts, `per` rollouts each; some groups score uniformly. */
export function stepRollouts(step: number, prompts: number, per: number, random: () => number): GenRollout[] {
  const out: GenRollout[] = [];
  const pool = Array.from({ length: prompts * 2 }, (_, i) => i);
  for (let p = 0; p < prompts; p++) {
    const prompt = pool.splice(Math.floor(random() * pool.length), 1)[0]!;
    const uniform = random() < 0.4 ? SCORES[Math.floor(random() * SCORES.length)]! : undefined;
    for (let r = 0; r < per; r++) {
      const kind = KINDS[Math.floor(random() * KINDS.length)]!;
      const score = uniform ?? SCORES[Math.floor(random() * SCORES.length)]!;
      const gold = goldOf(prompt);
      const line = JSON.stringify({ input: inputOf(prompt), output: outputOf(kind, prompt, gold), gts: gold, score, step, acc: score === 1 ? 1 : 0 });
      out.push({ step, prompt, kind, score, line });
    }
  }
  return out;
}

export function writeStep(dir: string, step: number, rollouts: readonly GenRollout[]): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${step}.jsonl`);
  writeFileSync(file, rollouts.map((r) => r.line).join('\n') + '\n');
  return file;
}

/** The per-step figures `runs summary` must print, computed from the kinds and scores alone. */
export function expectedSummary(rollouts: readonly GenRollout[]) {
  const steps = [...new Set(rollouts.map((r) => r.step))].sort((a, b) => a - b);
  return steps.map((step) => {
    const rs = rollouts.filter((r) => r.step === step);
    const groups = new Map<number, number[]>();
    for (const r of rs) groups.set(r.prompt, [...(groups.get(r.prompt) ?? []), r.score]);
    const rate = (pred: (r: GenRollout) => boolean) => rs.filter(pred).length / rs.length;
    const labels: Record<string, number> = {};
    for (const l of ['gold_never_retrieved', 'gold_retrieved_not_used', 'repeated_query', 'format_error', 'max_turns', 'no_search', 'answer_not_in_docs']) {
      labels[l] = rate((r) => EXPECTED[r.kind].labels.includes(l));
    }
    return {
      step,
      n: rs.length,
      meanScore: rs.reduce((s, r) => s + r.score, 0) / rs.length,
      meanSearches: rs.reduce((s, r) => s + EXPECTED[r.kind].searches, 0) / rs.length,
      groups: groups.size,
      uniformGroups: [...groups.values()].filter((s) => s.every((x) => x === s[0])).length,
      formatErrorRate: rate((r) => EXPECTED[r.kind].formatError),
      labels,
    };
  });
}
