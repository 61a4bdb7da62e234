/**
 * The run store's row for one rollout: what the summary, the dashboard and `runs show` query, and where
 * the full text lives (file, byte offset, length) so a trajectory is read on demand, never kept.
 */
import { DIAGNOSIS_LABELS } from '../diagnosis';
import { searchSteps, type Trajectory } from '../trace';

export interface RolloutRow {
  /** Index of the step file in the store's `files` table. */
  fileId: number;
  /** 1-based line of the file. */
  line: number;
  offset: number;
  length: number;
  step: number;
  group: string;
  question: string;
  answer: string | null;
  gold: string | null;
  /** The trainer's reward (verl `score`); null when the dump has none. */
  score: number | null;
  em: number | null;
  f1: number | null;
  searches: number;
  /** Characters of the model's output. */
  responseChars: number;
  stopReason: string;
  /** The output breaks the template's format rules (the diagnosis' format_error). */
  formatError: boolean;
  /** Diagnosis labels as bits, in DIAGNOSIS_LABELS order. */
  labels: number;
  /** Every reward of the trajectory, as JSON. */
  rewards: string;
}

export function labelBits(t: Pick<Trajectory, 'labels'>): number {
  let bits = 0;
  for (const l of t.labels) {
    const i = (DIAGNOSIS_LABELS as readonly string[]).indexOf(l.label);
    if (i >= 0) bits |= 1 << i;
  }
  return bits;
}

export function labelsOf(bits: number): string[] {
  return DIAGNOSIS_LABELS.filter((_, i) => (bits & (1 << i)) !== 0);
}

/**
 * `outcome`: the trajectory's labels and its rewards as JSON, when they were computed apart from it
 * (rewards/index.ts rowOutcome); by default its own.
 */
export function rowOf(
  t: Trajectory,
  at: Pick<RolloutRow, 'fileId' | 'line' | 'offset' | 'length'>,
  outcome: { labels: Trajectory['labels']; rewards: string } = { labels: t.labels, rewards: JSON.stringify(t.rewards) },
): RolloutRow {
  const { labels } = outcome;
  // Every field written out (no spread of `at`): one object shape for every row, built in one step.
  return {
    fileId: at.fileId,
    line: at.line,
    offset: at.offset,
    length: at.length,
    step: t.training!.step,
    group: t.training!.group,
    question: t.question,
    answer: t.answer,
    gold: t.gold?.length ? JSON.stringify(t.gold) : null,
    score: t.training!.trainerScore ?? null,
    em: t.outcome.em ?? null,
    f1: t.outcome.f1 ?? null,
    searches: searchSteps(t).length,
    responseChars: t.raw.length,
    stopReason: t.stopReason,
    formatError: labels.some((l) => l.label === 'format_error'),
    labels: labelBits(outcome),
    rewards: outcome.rewards,
  };
}
