/**
 * What the Traces view knows of one trajectory without holding it: a light summary (verdict, metrics,
 * searches, labels…) and where its line lives in the trace file (line number, byte offset and length),
 * so the whole trajectory is read on demand. The in-memory index and the trace store make the same
 * summary from the same line, so a file lists the same rows whichever holds it.
 */
import type { StopReason, Trajectory } from '../trace';
import { validateTrajectory } from '../traceSchema';
import { verdict } from '../verdict';

export interface TrajectorySummary {
  /** Position in file order (0-based). */
  index: number;
  id: string;
  question: string;
  answer: string | null;
  /** 1-based line number in the file. */
  line: number;
  offset: number;
  length: number;
  /** ✓/✗ from the one verdict (src/core/verdict.ts): true correct, false wrong, undefined unknown. */
  verdict?: boolean;
  /** Why the verdict is what it is, in a sentence (for tooltips). */
  verdictWhy: string;
  em?: number;
  f1?: number;
  judge?: number;
  coverEm?: number;
  /** Search-R1's sub-EM, for trajectories scored with the `search-r1` definition. */
  subEm?: number;
  /** Which metric definition scored EM/F1 (core/metrics): `r1-searcher`, `search-r1` or `flashrag`. */
  metricDefinition?: string;
  /** Completion tokens of the whole run (the trajectory's usage, else the sum over its steps). */
  tokens?: number;
  searches: number;
  steps: number;
  stopReason: StopReason;
  latencyMs?: number;
  labels: string[];
  model?: string;
}

export interface BadLine {
  line: number;
  reason: string;
}

const QUESTION_MAX = 300;
const ANSWER_MAX = 200;

export function summarize(t: Trajectory, at: { index: number; line: number; offset: number; length: number }): TrajectorySummary {
  const o = t.outcome ?? {};
  const v = verdict(t);
  return {
    ...at,
    id: t.id,
    question: t.question.length > QUESTION_MAX ? `${t.question.slice(0, QUESTION_MAX)}…` : t.question,
    answer: t.answer === null ? null : t.answer.slice(0, ANSWER_MAX),
    verdict: v.verdict === 'unknown' ? undefined : v.verdict === 'correct',
    verdictWhy: v.why,
    em: o.em,
    f1: o.f1,
    judge: o.judge,
    coverEm: o.coverEm,
    subEm: o.subEm,
    metricDefinition: t.metricDefinition,
    tokens: completionTokens(t),
    searches: t.steps.reduce((n, s) => n + (s.kind === 'search' ? 1 : 0), 0),
    steps: t.steps.length,
    stopReason: t.stopReason,
    latencyMs: t.timing?.totalMs,
    labels: (t.labels ?? []).map((l) => l.label),
    model: t.policy?.model || undefined,
  };
}

function completionTokens(t: Trajectory): number | undefined {
  if (t.usage?.completionTokens !== undefined) return t.usage.completionTokens;
  let n: number | undefined;
  for (const s of t.steps) if (s.tokens !== undefined) n = (n ?? 0) + s.tokens;
  return n;
}

/** The lower-cased text a text filter searches: question, answer and id. */
export function haystackOf(s: Pick<TrajectorySummary, 'question' | 'answer' | 'id'>): string {
  return `${s.question}\u0000${s.answer ?? ''}\u0000${s.id}`.toLowerCase();
}

export const NOT_JSON = 'not valid JSON';
export const NOT_A_TRAJECTORY = 'not a hopscope.trace/v1 trajectory (import it first?)';

/** A trace line holding nothing but spaces, tabs or a carriage return: skipped, not a problem. */
export function isBlankLine(text: string): boolean {
  return /^[ \t\r]*$/.test(text);
}

/** One trace line read: the trajectory, or why it is not one (NOT_JSON / NOT_A_TRAJECTORY). */
export function readTraceLine(text: string): { trajectory: Trajectory } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: NOT_JSON };
  }
  // The viewer's rule (src/protocol.ts isTrajectory): the trace contract, a missing runId allowed.
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: NOT_A_TRAJECTORY };
  const o = value as Record<string, unknown>;
  const v = validateTrajectory(o.runId === undefined ? { ...o, runId: '' } : o);
  return v.ok ? { trajectory: value as Trajectory } : { problem: NOT_A_TRAJECTORY };
}
