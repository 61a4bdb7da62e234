/**
 * Per-step figures of a run, one query over the store: what `hopscope runs summary` prints and the
 * dashboard plots. A group is the rollouts of one prompt in one step (the GRPO group); it is uniform when
 * every rollout has a score and all scores are equal, so its advantages are all zero and it teaches nothing.
 */
import { DIAGNOSIS_LABELS, type DiagnosisName } from '../diagnosis';
import type { RunQueries, SqlRow } from './store';

export interface StepSummary {
  step: number;
  /** Rollouts of the step. */
  n: number;
  /** Mean of the trainer's score over the rollouts that have one; null when none has. */
  meanScore: number | null;
  /** Population standard deviation, minimum and maximum of the score. */
  scoreStd: number | null;
  scoreMin: number | null;
  scoreMax: number | null;
  /** Queries per rollout. */
  meanSearches: number;
  /** Characters of the model's output per rollout. */
  meanResponseChars: number;
  /** Distinct prompts. */
  groups: number;
  /** Groups whose rollouts all scored the same (zero advantage). */
  uniformGroups: number;
  /** Uniform groups scoring 0, and scoring 1. */
  allZeroGroups: number;
  allOneGroups: number;
  /** Share of rollouts that break the template's format rules. */
  formatErrorRate: number;
  /** Share of rollouts carrying each diagnosis label. */
  labels: Record<DiagnosisName, number>;
}

const LABEL_COLUMNS = DIAGNOSIS_LABELS.map((name, i) => `avg(((labels >> ${i}) & 1)::DOUBLE) AS "l_${name}"`).join(',\n    ');

/** Group-level figures per step, shared by the summary and the step listing. */
export const GROUPS_SQL = `
  SELECT step, grp, count(*)::INTEGER AS n, count(score)::INTEGER AS scored, min(score) AS lo, max(score) AS hi, avg(score) AS mean,
    (count(score) = count(*) AND min(score) = max(score)) AS uniform
  FROM rollouts GROUP BY step, grp`;

const SUMMARY_SQL = `
WITH g AS (${GROUPS_SQL}),
gs AS (
  SELECT step, count(*)::INTEGER AS groups,
    count(*) FILTER (WHERE uniform)::INTEGER AS uniform_groups,
    count(*) FILTER (WHERE uniform AND hi = 0)::INTEGER AS zero_groups,
    count(*) FILTER (WHERE uniform AND hi = 1)::INTEGER AS one_groups
  FROM g GROUP BY step),
rs AS (
  SELECT step, count(*)::INTEGER AS n, avg(score) AS mean_score, stddev_pop(score) AS score_std,
    min(score) AS score_min, max(score) AS score_max, avg(searches)::DOUBLE AS mean_searches,
    avg(response_chars)::DOUBLE AS mean_chars, avg(format_error::INTEGER)::DOUBLE AS format_rate,
    ${LABEL_COLUMNS}
  FROM rollouts GROUP BY step)
SELECT * FROM rs JOIN gs USING (step) ORDER BY step`;

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function stepSummaryOf(r: SqlRow): StepSummary {
  const labels = {} as Record<DiagnosisName, number>;
  for (const name of DIAGNOSIS_LABELS) labels[name] = num(r[`l_${name}`]) ?? 0;
  return {
    step: r.step as number,
    n: r.n as number,
    meanScore: num(r.mean_score),
    scoreStd: num(r.score_std),
    scoreMin: num(r.score_min),
    scoreMax: num(r.score_max),
    meanSearches: num(r.mean_searches) ?? 0,
    meanResponseChars: num(r.mean_chars) ?? 0,
    groups: r.groups as number,
    uniformGroups: r.uniform_groups as number,
    allZeroGroups: r.zero_groups as number,
    allOneGroups: r.one_groups as number,
    formatErrorRate: num(r.format_rate) ?? 0,
    labels,
  };
}

export async function runSummary(store: RunQueries): Promise<StepSummary[]> {
  return (await store.query(SUMMARY_SQL)).map(stepSummaryOf);
}

export interface RunProblem {
  file: string;
  line: number;
  reason: string;
}

/** Lines that could not be read, by file and line. */
export async function runProblems(store: RunQueries, limit = 1000): Promise<{ problems: RunProblem[]; total: number }> {
  const rows = await store.query(
    `SELECT f.path AS file, p.line, p.reason FROM problems p JOIN files f ON f.id = p.file_id ORDER BY f.step, f.path, p.line LIMIT ${Math.max(0, Math.floor(limit))}`,
  );
  const [t] = await store.query(`SELECT count(*)::INTEGER AS n FROM problems`);
  return { problems: rows.map((r) => ({ file: r.file as string, line: r.line as number, reason: r.reason as string })), total: t!.n as number };
}
