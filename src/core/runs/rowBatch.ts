/**
 * A range's rows as columns: numbers in typed arrays, text in one array per column. A worker hands its
 * rows to the main thread this way because copying a typed array between threads is one memory copy,
 * where an array of row objects is copied field by field and rebuilt on the other side; and the store
 * writes each numeric column into DuckDB as one block (store.ts `commitBatch`).
 */
import { detachedString } from '../detachedString';
import type { RolloutRow } from './row';

/**
 * Whole-number columns are kept as doubles too: the store's INTEGER columns refuse a value out of range
 * when it is written, as they did row by row, instead of a typed array wrapping it silently.
 */
export interface RowBatch {
  n: number;
  fileId: Float64Array;
  line: Float64Array;
  offset: Float64Array;
  length: Float64Array;
  step: Float64Array;
  group: string[];
  question: string[];
  answer: Array<string | null>;
  gold: Array<string | null>;
  score: Float64Array;
  /** 1 where `score` is null. */
  scoreNull: Uint8Array;
  em: Float64Array;
  emNull: Uint8Array;
  f1: Float64Array;
  f1Null: Uint8Array;
  searches: Float64Array;
  responseChars: Float64Array;
  stopReason: string[];
  formatError: Uint8Array;
  labels: Float64Array;
  rewards: string[];
}

type NumericKey = { [K in keyof RowBatch]: RowBatch[K] extends Float64Array | Uint8Array ? K : never }[keyof RowBatch];
const NUMBER_KEYS = ['fileId', 'line', 'offset', 'length', 'step', 'score', 'em', 'f1', 'searches', 'responseChars', 'labels'] as const;
const FLAG_KEYS = ['scoreNull', 'emNull', 'f1Null', 'formatError'] as const;
const NUMERIC_KEYS: readonly NumericKey[] = [...NUMBER_KEYS, ...FLAG_KEYS];
const TEXT_KEYS = ['group', 'question', 'answer', 'gold', 'stopReason', 'rewards'] as const;

function emptyBatch(capacity: number): RowBatch {
  const b = { n: 0 } as RowBatch;
  for (const k of NUMBER_KEYS) b[k] = new Float64Array(capacity);
  for (const k of FLAG_KEYS) b[k] = new Uint8Array(capacity);
  for (const k of TEXT_KEYS) b[k] = [];
  return b;
}

/** Collects rows into a batch, growing its arrays as needed. */
export class RowBatchBuilder {
  private b: RowBatch;

  constructor(capacity = 256) {
    this.b = emptyBatch(Math.max(1, capacity));
  }

  add(r: RolloutRow): void {
    let b = this.b;
    if (b.n === b.line.length) b = this.grow();
    const i = b.n++;
    b.fileId[i] = r.fileId;
    b.line[i] = r.line;
    b.offset[i] = r.offset;
    b.length[i] = r.length;
    b.step[i] = r.step;
    b.group.push(r.group);
    b.question.push(detachedString(r.question));
    b.answer.push(r.answer === null ? null : detachedString(r.answer));
    b.gold.push(r.gold);
    if (r.score === null) b.scoreNull[i] = 1;
    else b.score[i] = r.score;
    if (r.em === null) b.emNull[i] = 1;
    else b.em[i] = r.em;
    if (r.f1 === null) b.f1Null[i] = 1;
    else b.f1[i] = r.f1;
    b.searches[i] = r.searches;
    b.responseChars[i] = r.responseChars;
    b.stopReason.push(r.stopReason);
    b.formatError[i] = r.formatError ? 1 : 0;
    b.labels[i] = r.labels;
    b.rewards.push(r.rewards);
  }

  private grow(): RowBatch {
    const old = this.b;
    const next = emptyBatch(old.line.length * 2);
    for (const k of NUMERIC_KEYS) (next[k] as Float64Array | Uint8Array).set(old[k] as never);
    for (const k of TEXT_KEYS) next[k] = old[k] as string[];
    next.n = old.n;
    return (this.b = next);
  }

  /** The rows added, in arrays of exactly their number. */
  finish(): RowBatch {
    return trimmed(this.b);
  }
}

function trimmed(b: RowBatch): RowBatch {
  if (b.line.length === b.n) return b;
  const out = { ...b };
  for (const k of NUMERIC_KEYS) (out as Record<NumericKey, unknown>)[k] = b[k].slice(0, b.n);
  return out;
}

export function batchOf(rows: readonly RolloutRow[]): RowBatch {
  const builder = new RowBatchBuilder(rows.length);
  for (const r of rows) builder.add(r);
  return builder.finish();
}

/** Row `i` of a batch, as the row object it was built from. */
export function rowAt(b: RowBatch, i: number): RolloutRow {
  return {
    fileId: b.fileId[i]!,
    line: b.line[i]!,
    offset: b.offset[i]!,
    length: b.length[i]!,
    step: b.step[i]!,
    group: b.group[i]!,
    question: b.question[i]!,
    answer: b.answer[i]!,
    gold: b.gold[i]!,
    score: b.scoreNull[i] ? null : b.score[i]!,
    em: b.emNull[i] ? null : b.em[i]!,
    f1: b.f1Null[i] ? null : b.f1[i]!,
    searches: b.searches[i]!,
    responseChars: b.responseChars[i]!,
    stopReason: b.stopReason[i]!,
    formatError: b.formatError[i] === 1,
    labels: b.labels[i]!,
    rewards: b.rewards[i]!,
  };
}

export function rowsOf(b: RowBatch): RolloutRow[] {
  return Array.from({ length: b.n }, (_, i) => rowAt(b, i));
}

/**
 * The rows of several batches as one, in line order: the parts of a range parsed apart (each worker's
 * lines, parseRange.ts `route`) each hold some of its lines in order, and the store keeps a file's
 * rows as one parse of it would give them. Lines are unique within a range, so the order is total.
 */
export function mergeByLine(parts: readonly RowBatch[]): RowBatch {
  if (parts.length === 1) return parts[0]!;
  const out = emptyBatch(parts.reduce((n, p) => n + p.n, 0));
  const next = parts.map(() => 0);
  for (let at = 0; at < out.line.length; at++) {
    // The part whose next row has the lowest line (a few parts: one per worker).
    let k = -1;
    for (let j = 0; j < parts.length; j++) {
      if (next[j]! < parts[j]!.n && (k < 0 || parts[j]!.line[next[j]!]! < parts[k]!.line[next[k]!]!)) k = j;
    }
    const p = parts[k]!;
    const i = next[k]!++;
    for (const c of NUMERIC_KEYS) (out[c] as Float64Array | Uint8Array)[at] = p[c][i]!;
    for (const c of TEXT_KEYS) (out[c] as Array<string | null>).push(p[c][i]!);
  }
  out.n = out.line.length;
  return out;
}

/** The memory behind a batch's numeric columns, to hand to another thread without copying. */
export function batchBuffers(b: RowBatch): ArrayBuffer[] {
  return [...new Set(NUMERIC_KEYS.map((k) => b[k].buffer as ArrayBuffer))];
}
