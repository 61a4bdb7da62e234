/**
 * One line of a training run's dump as a trajectory. verl's `trainer.rollout_data_dir` writes
 * `{input, output, gts, score, step, …reward extras}` per rollout (verl/trainer/ppo/ray_trainer.py
 * `_dump_generations`); OpenRLHF-style dumps name the same things `prompt`, `response`/`output`, `label`
 * and `reward`; a Hopscope trace line carries its step in `training.step`, `step` or `checkpoint`.
 * The template is detected from the tags in the output, so searches, documents, answer and format come
 * out as for any imported rollout. Nothing is dropped: `gts` becomes the gold, `score` the trainer's
 * reward (`rewards.trainerScore`, `training.trainerScore`), every other field `training.extras`.
 */
import { createHash } from 'node:crypto';
import { InputError } from '../errors';
import { R1_TAGS } from '../importers/r1searcher';
import { asRecord, goldList, importedTrajectory } from '../importers/record';
import { questionOf, SEARCH_R1_TAGS } from '../importers/searchR1';
import { splitRollout, type RolloutTags } from '../importers/tagged';
import { TRACE_SCHEMA, type RetrievedDoc, type Trajectory } from '../trace';
import { validateTrajectory } from '../traceSchema';
import { TextCache } from '../textCache';

const INPUT_FIELDS = ['input', 'prompt', 'query'] as const;
const OUTPUT_FIELDS = ['output', 'response', 'completion'] as const;
const GOLD_FIELDS = ['gts', 'label', 'ground_truth', 'answer', 'golden_answers'] as const;
const SCORE_FIELDS = ['score', 'reward', 'rewards'] as const;
/** Fields read into the trajectory itself; everything else is the dump's extras. */
const CONSUMED = new Set<string>([...INPUT_FIELDS, ...OUTPUT_FIELDS, ...GOLD_FIELDS, ...SCORE_FIELDS, 'step', 'question']);
/** Chat templates put the assistant turn's opening here; the question is in the text before it. */
const ASSISTANT = /<\|im_start\|>assistant\s*$|<\|start_header_id\|>assistant<\|end_header_id\|>\s*$/;

export interface RolloutContext {
  /** The step file, as `source.file`. */
  file: string;
  /** The step the file's name says, used when a line has no `step` field. */
  fileStep: number | undefined;
  runId: string;
  createdAt: string;
}

function firstOf(o: Record<string, unknown>, keys: readonly string[]): [string, unknown] | undefined {
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) return [k, o[k]];
  return undefined;
}

function stepOf(o: Record<string, unknown>, ctx: RolloutContext): number {
  const training = o.training as Record<string, unknown> | undefined;
  const v = training?.step ?? o.step ?? o.checkpoint ?? o.global_step;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v.trim())) return Number(v);
  if (v !== undefined) throw new InputError(`field "step" is ${JSON.stringify(v)}, not a whole number`);
  if (ctx.fileStep === undefined) throw new InputError('no step: expected a "step" field or a step file name like 12.jsonl');
  return ctx.fileStep;
}

function scoreOf(o: Record<string, unknown>): number | undefined {
  const hit = firstOf(o, SCORE_FIELDS);
  if (!hit) return undefined;
  const [k, v] = hit;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  // A per-token or per-turn reward list: the trainer's outcome is its last entry (or its sum when all are given).
  if (Array.isArray(v) && v.length && v.every((x) => typeof x === 'number')) return v[v.length - 1] as number;
  throw new InputError(`field "${k}" is ${JSON.stringify(v).slice(0, 40)}, not a number`);
}

/**
 * The GRPO group key: every rollout sampled from the same prompt shares it. Remembered, since a group's
 * rollouts arrive together and a hash object per rollout was a visible share of the ingest; keyed by
 * the prompt's ends (textCache.ts), since hashing each rollout's prompt (a KB or two) for a Map was too.
 */
const groups = new TextCache<string>(1024);

export function groupOf(prompt: string): string {
  return groups.get(prompt, (own) => createHash('sha1').update(own).digest('hex').slice(0, 12));
}

/**
 * The rollouts of a GRPO group share a prompt and mostly issue the same queries, and a prompt comes back
 * every epoch, so the same retrieved-documents block recurs across a run. Parsing each distinct block
 * once and handing out the same document objects also lets the rewards' per-document normalisation
 * cache (rewards/goldMatch.ts, keyed by document object) serve every rollout that retrieved it.
 * Bounded: cleared when full; while blocks rarely recur, kept from a block's second sighting on
 * (textCache.ts). Documents are never mutated downstream (rewards copy steps, not docs).
 * Keyed by the search's index too (a document without a title is named after its search); documents
 * are cut from the cache's own copy of the block, so the rollout's whole output stays out of it.
 */
const DOC_CACHE_LIMIT = 20_000;

function cachingTags(tags: RolloutTags): RolloutTags {
  const cache = new TextCache<RetrievedDoc[]>(DOC_CACHE_LIMIT);
  return { ...tags, parseDocs: (block, searchIndex) => cache.get(block, (own) => tags.parseDocs(own, searchIndex), searchIndex) };
}

const CACHED_R1 = cachingTags(R1_TAGS);
const CACHED_SEARCH_R1 = cachingTags(SEARCH_R1_TAGS);

/**
 * The question of a prompt, kept for the last prompt: a GRPO group's rollouts come in a row with the
 * same prompt, and finding the question runs regular expressions over all of it.
 */
let lastPrompt: { input: string; question: string } | undefined;

function promptQuestion(input: string | undefined): string {
  if (input !== undefined && lastPrompt?.input === input) return lastPrompt.question;
  const question = questionOf({}, input?.replace(ASSISTANT, ''));
  if (input !== undefined) lastPrompt = { input, question };
  return question;
}

export function rolloutTrajectory(value: unknown, line: number, ctx: RolloutContext): Trajectory {
  const o = asRecord(value);
  const step = stepOf(o, ctx);
  if (o.schema === TRACE_SCHEMA) {
    // A Hopscope trace line among the rollouts meets the trace contract like any other trace line.
    const v = validateTrajectory(o);
    if (!v.ok) throw new InputError(v.errors.join('; '));
    return tracedRollout(v.trajectory, step, line, ctx);
  }
  const out = firstOf(o, OUTPUT_FIELDS);
  if (!out || typeof out[1] !== 'string') throw new InputError(`no rollout text: expected a text field ${OUTPUT_FIELDS.join(', ')}`);
  const output = out[1];
  const inp = firstOf(o, INPUT_FIELDS);
  const input = inp && typeof inp[1] === 'string' ? inp[1] : undefined;
  const question = typeof o.question === 'string' ? o.question : promptQuestion(input);
  const r1 = output.includes(R1_TAGS.queryBegin) || (input ?? '').includes(R1_TAGS.queryBegin);
  const { steps, answer } = splitRollout(output, r1 ? CACHED_R1 : CACHED_SEARCH_R1);
  const trainerScore = scoreOf(o);
  // for…in walks a parsed object's own keys in Object.entries' order, without an array of pairs.
  let extras: Record<string, unknown> | undefined;
  for (const k in o) if (!CONSUMED.has(k)) (extras ??= {})[k] = o[k];
  const gold = firstOf(o, GOLD_FIELDS);
  const t = importedTrajectory('training-run', { file: ctx.file, runId: ctx.runId, createdAt: ctx.createdAt }, line, {
    question,
    gold: gold ? goldList(gold[1]) : undefined,
    steps,
    answer,
    stopReason: answer !== null ? 'finished' : 'eos_no_answer',
    raw: output,
    template: r1 ? 'r1-searcher' : 'search-r1',
    rewards: trainerScore === undefined ? {} : { trainerScore },
    key: `${step}:${line}`,
  });
  t.training = { step, group: groupOf(input ?? question), ...(trainerScore === undefined ? {} : { trainerScore }) };
  if (extras) t.training.extras = extras;
  return t;
}

/** A Hopscope trace line with a step: kept as it is, with its training place filled in. */
function tracedRollout(t: Trajectory, step: number, line: number, ctx: RolloutContext): Trajectory {
  if (typeof t.question !== 'string' || !Array.isArray(t.steps)) throw new InputError('a hopscope.trace/v1 line needs "question" and "steps"');
  const trainerScore = t.training?.trainerScore ?? t.rewards?.trainerScore;
  return {
    ...t,
    rewards: { ...(t.rewards ?? {}) },
    source: t.source ?? { format: 'hopscope', file: ctx.file, line },
    training: { ...(t.training ?? {}), step, group: t.training?.group ?? groupOf(t.question), ...(trainerScore === undefined ? {} : { trainerScore }) },
  };
}
