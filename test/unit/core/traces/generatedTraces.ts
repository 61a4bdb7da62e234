/** A generated trace file for the trace-store tests: varied verdicts, metrics, searches, labels, stop reasons and bad lines. */
import type { StopReason, Trajectory } from '../../../../src/core/trace';
import { makeTrajectory } from '../../../webview/sample';

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const STOPS: StopReason[] = ['finished', 'max_turns', 'eos_no_answer', 'length'];
const LABELS = ['format_error', 'ignored_gold', 'no_search', 'gold-retrieved', 'over_search'];
const WORDS = ['Zürich', 'film', 'director', 'river', 'Paris', 'who', 'ÉCOLE', 'the'];

export function generatedTrajectory(i: number, random: () => number): Trajectory {
  const base = makeTrajectory();
  const searchStep = base.steps[1]!;
  const searches = Math.floor(random() * 4);
  const steps = [base.steps[0]!, ...Array.from({ length: searches }, () => searchStep), base.steps[3]!];
  const hasGold = random() > 0.15;
  const f1 = random() > 0.1 ? Math.round(random() * 4) / 4 : undefined;
  const labels = LABELS.filter(() => random() > 0.7).map((label) => ({ label, explanation: '' }));
  return {
    ...base,
    id: `t-${i % 97 === 5 ? 5 : i}`,
    question: `${WORDS[i % WORDS.length]} question ${i}?`,
    answer: random() > 0.1 ? `${WORDS[(i * 3) % WORDS.length]} answer` : null,
    gold: hasGold ? ['film answer'] : undefined,
    outcome: f1 === undefined ? {} : { em: f1 === 1 ? 1 : 0, f1 },
    steps,
    stopReason: STOPS[Math.floor(random() * STOPS.length)]!,
    labels,
    timing: random() > 0.2 ? { totalMs: Math.floor(random() * 5000) } : {},
  };
}

/** The file's text: trajectories with a bad line every 50, a blank line every 70. */
export function generatedTraceText(n: number, seed = 7): string {
  const random = rng(seed);
  let out = '';
  for (let i = 0; i < n; i++) {
    if (i % 50 === 49) out += '{"broken": \n';
    if (i % 70 === 3) out += '\n';
    out += `${JSON.stringify(generatedTrajectory(i, random))}\n`;
  }
  return out;
}
