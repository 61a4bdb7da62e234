/**
 * Batch evaluation: a dataset of questions run through the loop with N in flight, each trajectory
 * appended as it finishes, and its run summary (src/core/summary.ts).
 * Cancelled runs are not written; `--resume` picks them up again, and redoes those that ended in error.
 */
import { setMaxListeners } from 'node:events';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { EndpointClient } from './endpoint';
import { CancelledError, EndpointError, fileError, InputError } from './errors';
import { probeInfoGain, probeJudge } from './rewards/probes';
import { readJsonLines, readTrajectories, type BadLine, type TraceWriter } from './traceStore';
import { SummaryBuilder, type RunSummary } from './summary';
import type { Trajectory } from './trace';

export interface DatasetItem {
  question: string;
  gold: string[];
  /** 1-based line in the dataset file. */
  line: number;
  id?: string;
  /** Gold (supporting) paragraphs by id or title, when the dataset names them. */
  goldDocs?: string[];
}

/**
 * The gold paragraphs a dataset line names: `gold_docs`/`goldDocs` (ids or titles), IRCoT's
 * `contexts[]` with `is_supporting`, or HotpotQA's `supporting_facts` (HF `{title: []}` or the
 * original `[[title, sent_id]]`). Titles are deduplicated; undefined when the line names none.
 */
export function goldDocsOf(v: Record<string, unknown>): string[] | undefined {
  const out: string[] = [];
  const add = (x: unknown) => {
    if ((typeof x === 'string' && x.trim()) || typeof x === 'number') out.push(String(x));
  };
  const listed = v.gold_docs ?? v.goldDocs;
  if (Array.isArray(listed)) listed.forEach(add);
  if (Array.isArray(v.contexts)) {
    for (const c of v.contexts as unknown[]) {
      if (c && typeof c === 'object' && (c as Record<string, unknown>).is_supporting === true) add((c as Record<string, unknown>).title);
    }
  }
  const sf = v.supporting_facts;
  if (Array.isArray(sf)) for (const f of sf) add(Array.isArray(f) ? f[0] : undefined);
  else if (sf && typeof sf === 'object' && Array.isArray((sf as Record<string, unknown>).title)) ((sf as Record<string, unknown>).title as unknown[]).forEach(add);
  const unique = [...new Set(out)];
  return unique.length ? unique : undefined;
}

/** IRCoT's `answers_objects[].spans`, flattened. */
function ircotAnswers(v: Record<string, unknown>): string[] | undefined {
  if (!Array.isArray(v.answers_objects)) return undefined;
  return (v.answers_objects as unknown[]).flatMap((o) =>
    o && typeof o === 'object' && Array.isArray((o as Record<string, unknown>).spans) ? ((o as Record<string, unknown>).spans as unknown[]).map(String) : [],
  );
}

/**
 * Reads `{question, answer}` (R1-Searcher), `{question, golden_answers}` (FlashRAG) or IRCoT's
 * `{question_id, question_text, answers_objects, contexts}` JSONL, with gold paragraphs where given
 * (goldDocsOf). Lines that are neither are reported by number and skipped; a file without one question is an error.
 */
export async function readDataset(file: string, options: { onBadLine?: (b: BadLine) => void } = {}): Promise<DatasetItem[]> {
  const items: DatasetItem[] = [];
  for await (const { line, value } of readJsonLines(file, options)) {
    const v = value as Record<string, unknown> | null;
    if (!v || typeof v !== 'object' || Array.isArray(v)) {
      options.onBadLine?.({ line, reason: 'not a JSON object' });
      continue;
    }
    const question = v.question ?? v.question_text;
    if (typeof question !== 'string' || !question.trim()) {
      options.onBadLine?.({ line, reason: 'no "question" string' });
      continue;
    }
    const raw = v.golden_answers ?? v.answer ?? v.answers ?? ircotAnswers(v);
    const gold = raw === undefined ? [] : Array.isArray(raw) ? raw.map(String) : [String(raw)];
    if (raw !== undefined && typeof raw !== 'string' && !Array.isArray(raw)) {
      options.onBadLine?.({ line, reason: '"answer"/"golden_answers" must be a string or a list of strings' });
      continue;
    }
    const rawId = v.id ?? v.question_id;
    const id = typeof rawId === 'string' || typeof rawId === 'number' ? String(rawId) : typeof v.idx === 'number' ? String(v.idx) : undefined;
    const goldDocs = goldDocsOf(v);
    items.push({ question, gold, line, ...(id !== undefined ? { id } : {}), ...(goldDocs ? { goldDocs } : {}) });
  }
  if (!items.length) throw new InputError('no questions to run', file, undefined, 'each line needs {"question": …, "answer": …} or "golden_answers"');
  return items;
}

/**
 * Before a batch: one clear error when the endpoint is down, rejects the key or cannot give what the
 * options ask for (prompt log-probs for information gain, a chat API for the judge), instead of one
 * failed trajectory per question. `judgeUnderstood` is false when the judge's replies are neither
 * True nor False, so its verdicts will be missing.
 */
export async function preflight(endpoint: EndpointClient, opts: { infoGain?: boolean | string; judge?: boolean }): Promise<{ judgeUnderstood: boolean }> {
  try {
    await endpoint.listModels();
  } catch (e) {
    // A server without /v1/models is fine; an unreachable one or a rejected key is not.
    if (!(e instanceof EndpointError) || e.status === undefined || e.status === 401 || e.status === 403) throw e;
  }
  if (opts.infoGain) await probeInfoGain(endpoint);
  return { judgeUnderstood: opts.judge ? (await probeJudge(endpoint)).understood : true };
}

/**
 * The questions an output file already holds a result for (for --resume): a trajectory that ended in
 * error or was cancelled is no result, so its question runs again. Bad lines are reported, not fatal.
 */
export async function finishedQuestions(file: string, onBadLine?: (b: BadLine) => void): Promise<Set<string>> {
  const done = new Set<string>();
  // No output yet: nothing to resume.
  if (!existsSync(file)) return done;
  for await (const t of readTrajectories(file, { onBadLine })) if (isResult(t)) done.add(t.question);
  return done;
}

/** A trajectory that answers for its question: not an error, not cancelled. */
export function isResult(t: Pick<Trajectory, 'stopReason'>): boolean {
  return t.stopReason !== 'cancelled' && t.stopReason !== 'error';
}

export interface BatchOptions {
  items: readonly DatasetItem[];
  concurrency: number;
  /** Runs the loop for one item; the signal is the batch's. */
  run: (item: DatasetItem, signal: AbortSignal) => Promise<Trajectory>;
  writer: TraceWriter;
  signal?: AbortSignal;
  /** After each written trajectory, with the summary of those written so far. */
  onResult?: (t: Trajectory, sofar: SummaryBuilder) => void;
}

export interface BatchResult {
  /** Of the trajectories written. */
  summary: RunSummary;
  /** Items not run or not finished because the batch was cancelled. */
  cancelled: number;
  /** The first error message seen, for a closing hint. */
  firstError?: string;
  /** Trajectories written that ended in error. */
  errors: number;
}

/** Runs the items with `concurrency` in flight and appends each finished trajectory. */
export async function runBatch(opts: BatchOptions): Promise<BatchResult> {
  const controller = new AbortController();
  // Every loop in flight listens on this one signal; that is by design, not a leak.
  setMaxListeners(0, controller.signal);
  const onAbort = () => controller.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) controller.abort();
  const sofar = new SummaryBuilder();
  let next = 0;
  let cancelled = 0;
  let firstError: string | undefined;
  let errors = 0;
  let written = 0;
  let writeError: unknown;

  const worker = async () => {
    while (!controller.signal.aborted) {
      const i = next++;
      if (i >= opts.items.length) return;
      const item = opts.items[i];
      let t: Trajectory;
      try {
        t = await opts.run(item, controller.signal);
      } catch (e) {
        if (e instanceof CancelledError || controller.signal.aborted) {
          cancelled++;
          continue;
        }
        throw e;
      }
      if (t.stopReason === 'cancelled') {
        cancelled++;
        continue;
      }
      try {
        await opts.writer.write(t);
      } catch (e) {
        // A full disk or a closed file: stop the batch instead of losing every later trajectory.
        writeError ??= e;
        controller.abort();
        return;
      }
      // Counted once its line is whole in the file, like the progress.
      written++;
      if (t.stopReason === 'error') {
        errors++;
        firstError ??= t.error;
      }
      sofar.add(t);
      opts.onResult?.(t, sofar);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, opts.items.length || 1)) }, worker));
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
  if (writeError) {
    const e = fileError(writeError, opts.writer.file, 'write');
    throw new InputError(`${e.message}; the run stopped after ${written} whole trajectories`, undefined, undefined, 'free some space, then run again with --resume');
  }
  cancelled += Math.max(0, opts.items.length - next);
  return { summary: sofar.result(), cancelled, firstError, errors };
}

/** The dataset's name for trajectories (`hotpotqa` from `data/hotpotqa.jsonl`). */
export function datasetName(file: string): string {
  return basename(file).replace(/\.jsonl?$/i, '').replace(/\.shared$/, '');
}
