/**
 * Inspect AI evaluation logs (UKGovernmentBEIS/inspect_ai): `.json` (an EvalLog with `eval` and
 * `samples`) or `.eval` (a zip with `header.json` and `samples/<id>_epoch_<n>.json`). Each sample becomes
 * a trajectory: its messages give the steps (tool calls become search steps), `target` the gold, and
 * its `scores` the outcome (each scorer under its name; "C"/"I" verdicts also as `judge`).
 */
import { zipEntries, type DecompressLimits } from '../decompress';
import { errorMessage, InputError } from '../errors';
import type { Outcome, StopReason, Trajectory } from '../trace';
import { chatSteps, chatTranscript, contentText, normalizeMessage } from './chat';
import { recordProblem } from './jsonl';
import { goldList, importedTrajectory, judgeVerdict } from './record';
import type { ImportContext, ImportProblem, Parsed } from './types';

interface EvalHeader {
  run_id?: string;
  created?: string;
  model?: string;
  task?: string;
}

export function inspectJson(text: string, ctx: ImportContext): Parsed {
  let log: Record<string, unknown>;
  try {
    log = JSON.parse(text);
  } catch (e) {
    return { trajectories: [], problems: [{ line: 1, reason: `not valid JSON (${errorMessage(e)})` }] };
  }
  const header = (log.eval ?? {}) as EvalHeader;
  const samples = Array.isArray(log.samples) ? log.samples : [];
  if (!samples.length) return { trajectories: [], problems: [{ line: 1, reason: `the log has no samples (status: ${String(log.status ?? 'unknown')})` }] };
  return readSamples(samples.map((s, i) => ({ value: s, where: `sample ${i + 1}`, index: i + 1 })), header, ctx);
}

/** What one sample of an `.eval` archive gave: a trajectory, or a problem against its record number. */
export type SampleResult = { trajectory: Trajectory } | { line: number; problem: string };

const SAMPLE_ENTRY = /^samples\/.+\.json$/;

/**
 * An Inspect `.eval` zip read entry by entry (decompression capped, see decompress.ts): a first pass takes
 * the header (Inspect writes `header.json` last), a second streams the samples in archive order.
 */
export async function* inspectEvalFile(file: string, ctx: ImportContext, limits: DecompressLimits): AsyncGenerator<SampleResult> {
  let header: EvalHeader = {};
  const isHeader = (n: string) => n === 'header.json' || n === '_journal/start.json';
  const headers = new Map<string, Uint8Array>();
  for await (const e of zipEntries(file, isHeader, limits)) {
    if ('problem' in e) yield { line: 0, problem: `${e.name}: ${e.problem}` };
    else headers.set(e.name, e.bytes);
  }
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  const h = headers.get('header.json') ?? headers.get('_journal/start.json');
  if (h) {
    try {
      header = (JSON.parse(decode(h)).eval ?? {}) as EvalHeader;
    } catch (e) {
      // A broken journal is harmless: the samples still carry what matters.
      if (headers.has('header.json')) yield { line: 0, problem: `header.json: ${errorMessage(e)}` };
    }
  }
  const run = runContext(ctx, header);
  let index = 0;
  for await (const e of zipEntries(file, (n) => SAMPLE_ENTRY.test(n), limits)) {
    index++;
    if ('problem' in e) {
      yield { line: index, problem: `${e.name}: ${e.problem}` };
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(decode(e.bytes));
    } catch (err) {
      yield { line: index, problem: `${e.name}: not valid JSON (${errorMessage(err)})` };
      continue;
    }
    try {
      yield { trajectory: sampleTrajectory(value, index, run, header) };
    } catch (err) {
      yield { line: index, problem: `${e.name}: ${recordProblem(err)}` };
    }
  }
  if (index === 0) yield { line: 0, problem: 'the archive holds no samples/*.json' };
}

function runContext(ctx: ImportContext, header: EvalHeader): ImportContext {
  return { ...ctx, createdAt: header.created ?? ctx.createdAt, dataset: header.task ?? ctx.dataset };
}

function readSamples(samples: Array<{ value: unknown; where: string; index: number }>, header: EvalHeader, ctx: ImportContext): Parsed {
  const trajectories: Trajectory[] = [];
  const problems: ImportProblem[] = [];
  const run = runContext(ctx, header);
  for (const s of samples) {
    try {
      trajectories.push(sampleTrajectory(s.value, s.index, run, header));
    } catch (e) {
      problems.push({ line: s.index, reason: `${s.where}: ${recordProblem(e)}` });
    }
  }
  return { trajectories, problems };
}

function sampleTrajectory(value: unknown, index: number, ctx: ImportContext, header: EvalHeader): Trajectory {
  if (!value || typeof value !== 'object') throw new InputError('not a sample object');
  const s = value as Record<string, unknown>;
  if (!Array.isArray(s.messages)) throw new InputError('no "messages" list');
  const messages = s.messages.map((m, i) => normalizeMessage(m, `message ${i + 1}`));
  const { steps, answer, question } = chatSteps(messages);
  const input = typeof s.input === 'string' ? s.input : Array.isArray(s.input) ? contentText((s.input.find((m: any) => m?.role === 'user') as any)?.content) : undefined;
  const q = input?.trim() || question;
  if (!q) throw new InputError('no input or user message to take the question from');
  const outcome: Outcome = {};
  const scores = (s.scores ?? {}) as Record<string, { value?: unknown }>;
  for (const [name, score] of Object.entries(scores)) {
    const v = score?.value;
    if (typeof v === 'number') outcome[name] = v;
    else if (typeof v === 'boolean') outcome[name] = v ? 1 : 0;
    else {
      const verdict = judgeVerdict(v);
      if (verdict !== undefined) {
        outcome[name] = verdict;
        outcome.judge ??= verdict;
      }
    }
  }
  const usage = { promptTokens: 0, completionTokens: 0 };
  for (const u of Object.values((s.model_usage ?? {}) as Record<string, { input_tokens?: number; output_tokens?: number }>)) {
    usage.promptTokens += u.input_tokens ?? 0;
    usage.completionTokens += u.output_tokens ?? 0;
  }
  const stop: StopReason = s.error ? 'error' : answer !== null ? 'finished' : 'eos_no_answer';
  const t = importedTrajectory('inspect', ctx, index, {
    question: q,
    gold: goldList(s.target),
    steps,
    answer,
    stopReason: stop,
    raw: chatTranscript(messages),
    outcome,
    template: 'inspect',
    model: header.model,
    usage: usage.promptTokens || usage.completionTokens ? usage : {},
    timing: typeof s.total_time === 'number' ? { totalMs: Math.round(s.total_time * 1000) } : {},
    key: `${String(s.id ?? index)}:${String(s.epoch ?? 1)}`,
  });
  if (s.error) t.error = typeof s.error === 'string' ? s.error : String((s.error as { message?: unknown }).message ?? 'sample error');
  return t;
}
