/**
 * Building imported trajectories: the defaults every importer fills in, the gold list and the outcome,
 * so each importer only maps its own fields.
 */
import { InputError } from '../errors';
import type { MetricDefinitionName } from '../metrics';
import { definitionForTemplate, scorePrediction, trajectoryOutcome } from '../metrics/outcome';
import { TRACE_SCHEMA, type Outcome, type Step, type StopReason, type Trajectory } from '../trace';
import type { ImportContext } from './types';

export interface ImportedFields {
  question: string;
  gold?: string[];
  steps: Step[];
  answer: string | null;
  stopReason: StopReason;
  raw: string;
  /** Metrics the source recorded itself (a judge verdict, a score); merged over the computed ones. */
  outcome?: Outcome;
  model?: string;
  template: string;
  usage?: Trajectory['usage'];
  timing?: Trajectory['timing'];
  rewards?: Trajectory['rewards'];
  /** Stable id suffix; defaults to the line number. */
  key?: string;
  /** The metric definition of the source; default: the template's (metrics/outcome.ts). */
  metricDefinition?: MetricDefinitionName;
  /**
   * The text the source's own evaluation scores when it is not `answer` (R1-Searcher's `pred_ans`,
   * Search-R1's `extract_solution` over its whole decoded sequence); null: it scores nothing (zeros).
   */
  prediction?: string | null;
  /** Scores the file recorded itself (Trajectory.recordedScores). */
  recordedScores?: Record<string, number>;
}

/**
 * A complete trajectory from an importer's fields; when there is a gold answer, scores it with the
 * source's metric definition and records which.
 */
export function importedTrajectory(format: string, ctx: ImportContext, line: number, f: ImportedFields): Trajectory {
  const t: Trajectory = {
    schema: TRACE_SCHEMA,
    id: `${ctx.runId}:${f.key ?? line}`,
    runId: ctx.runId,
    createdAt: ctx.createdAt,
    question: f.question,
    policy: { endpoint: '', model: f.model ?? 'unknown', template: f.template, params: {} },
    retriever: { kind: 'imported', topK: maxDocs(f.steps) },
    steps: f.steps,
    answer: f.answer,
    stopReason: f.stopReason,
    outcome: { ...(f.outcome ?? {}) },
    rewards: f.rewards ?? {},
    labels: [],
    usage: f.usage ?? {},
    timing: f.timing ?? {},
    raw: f.raw,
    source: { format, file: ctx.file, line },
  };
  if (f.gold) t.gold = f.gold;
  const definition = f.metricDefinition ?? definitionForTemplate(f.template);
  const scored =
    f.prediction !== undefined && f.gold?.length
      ? { metricDefinition: definition, outcome: scorePrediction(f.prediction, f.gold, definition) }
      : trajectoryOutcome(t, definition);
  if (scored) {
    t.metricDefinition = scored.metricDefinition;
    t.outcome = { ...scored.outcome, ...(f.outcome ?? {}) };
  }
  if (f.recordedScores && Object.keys(f.recordedScores).length) t.recordedScores = f.recordedScores;
  if (ctx.dataset) t.dataset = ctx.dataset;
  return t;
}

function maxDocs(steps: Step[]): number {
  let k = 0;
  for (const s of steps) if (s.kind === 'search') k = Math.max(k, s.docs.length);
  return k;
}

/** Gold answers as a list, from a string, a list, or Search-R1's `{target: [...]}`. */
export function goldList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value.trim() ? [value.trim()] : undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  if (Array.isArray(value)) {
    const out = value.flatMap((v) => goldList(v) ?? []);
    return out.length > 0 ? out : undefined;
  }
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const k of ['target', 'answers', 'golden_answers', 'answer', 'value']) if (k in o) return goldList(o[k]);
  }
  return undefined;
}

/** Judge verdicts come as "True"/"False", booleans, numbers or "C"/"I" (Inspect); 1, 0 or undefined. */
export function judgeVerdict(value: unknown): number | undefined {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase();
  if (['true', 'yes', 'correct', 'c', '1'].includes(v)) return 1;
  if (['false', 'no', 'incorrect', 'i', '0'].includes(v)) return 0;
  return undefined;
}

/** A short, stable hash (FNV-1a, hex) for document ids that have none of their own. */
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The object behind one JSONL record, or a reason it is not one. */
export function asRecord(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(`expected a JSON object, got ${Array.isArray(value) ? 'an array' : typeof value}`);
  }
  return value as Record<string, unknown>;
}

export function requireString(o: Record<string, unknown>, key: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new InputError(`field "${key}" is ${v === undefined ? 'missing' : `a ${typeof v}, not text`}`);
  return v;
}

/** Fields some rollout files carry with a score of their own (kept as `recordedScores`). */
const SCORE_FIELDS = ['score', 'reward', 'em', 'f1', 'acc', 'subem', 'sub_em', 'cover_em', 'cover_em_1'];

/** The numeric score fields of a record, by their own names; undefined when it has none. */
export function recordedScoresOf(o: Record<string, unknown>): Record<string, number> | undefined {
  const out: Record<string, number> = {};
  for (const k of SCORE_FIELDS) {
    const v = o[k];
    if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
    else if (typeof v === 'boolean') out[k] = v ? 1 : 0;
  }
  return Object.keys(out).length ? out : undefined;
}
