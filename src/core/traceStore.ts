/**
 * The JSONL trace store: one trajectory per line. Writers append whole lines (one write call each,
 * serialised) so a file is readable while a batch still writes it; `close()` fsyncs. The reader
 * streams line by line, so files of 100,000 trajectories never sit in memory whole, and reports a
 * bad line by its number while keeping the rest.
 */
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { fileBytes, type DecompressLimits } from './decompress';
import { jsonLines, type BadLine } from './lineReader';
import { APPEND_NO_FOLLOW, ensureFolderInside, symlinkRefused } from './confinedPath';
import { capTrajectory, DEFAULT_CONTENT_LIMITS, type ContentLimits } from './contentLimits';
import { fileError, InputError } from './errors';
import { TRACE_SCHEMA, type Trajectory } from './trace';

export type { BadLine };

/**
 * Why `value` is not a hopscope.trace/v1 trajectory, or undefined when it is one: the fields every reader
 * of a trajectory relies on (trace.schema.json's required ones and each step's shape), so one odd record
 * is reported by line instead of failing whatever reads it later.
 */
export function trajectoryProblem(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
  const v = value as Record<string, unknown>;
  if (v.schema !== TRACE_SCHEMA) return `schema is ${JSON.stringify(v.schema)}, expected "${TRACE_SCHEMA}"`;
  for (const k of ['id', 'question', 'stopReason'] as const) if (typeof v[k] !== 'string') return `"${k}" is missing or not a string`;
  if (!Array.isArray(v.steps)) return '"steps" is missing or not a list';
  for (const [i, s] of (v.steps as unknown[]).entries()) {
    const problem = stepProblem(s);
    if (problem) return `step ${i} ${problem}`;
  }
  if (v.answer !== undefined && v.answer !== null && typeof v.answer !== 'string') return '"answer" is neither text nor null';
  for (const k of ['outcome', 'rewards', 'usage', 'timing', 'policy', 'retriever'] as const) {
    if (v[k] !== undefined && (v[k] === null || typeof v[k] !== 'object' || Array.isArray(v[k]))) return `"${k}" is not an object`;
  }
  if (v.labels !== undefined && !Array.isArray(v.labels)) return '"labels" is not a list';
  return undefined;
}

function stepProblem(s: unknown): string | undefined {
  if (!s || typeof s !== 'object' || Array.isArray(s)) return 'is not an object';
  const step = s as Record<string, unknown>;
  if (step.kind === 'reason' || step.kind === 'answer') return typeof step.text === 'string' ? undefined : `(${step.kind}) has no "text" string`;
  if (step.kind !== 'search') return 'has no valid "kind" (reason, search or answer)';
  if (typeof step.query !== 'string') return '(search) has no "query" string';
  if (!Array.isArray(step.docs)) return '(search) has no "docs" list';
  for (const [j, d] of (step.docs as unknown[]).entries()) {
    if (!d || typeof d !== 'object' || typeof (d as Record<string, unknown>).text !== 'string') return `(search) document ${j} has no "text" string`;
  }
  return undefined;
}

/** One trace line; documents and model turns past the caps are cut and marked (one 10 MB document must not make a 200 MB line). */
export function serializeTrajectory(t: Trajectory, limits: ContentLimits = DEFAULT_CONTENT_LIMITS): string {
  // JSON.stringify escapes newlines inside strings, so one trajectory is always one line.
  return `${JSON.stringify(capTrajectory(t, limits))}\n`;
}

export interface TraceWriterOptions {
  /** The workspace the file must lie in (its folders are then checked without following symlinks). */
  root?: string;
  /** Caps on document and model-turn text in each line. */
  limits?: ContentLimits;
}

/** Appends trajectories to a JSONL file, one whole line per write. */
export class TraceWriter {
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  count = 0;

  private constructor(readonly file: string, private readonly handle: fs.FileHandle, private readonly limits: ContentLimits) {}

  /**
   * Opens `file` for appending, never through a symlink at its name. With `root` (the workspace), its
   * folder is created and checked without following symlinks and must lie inside the root.
   */
  static async open(file: string, options: TraceWriterOptions = {}): Promise<TraceWriter> {
    let handle: fs.FileHandle;
    try {
      if (options.root !== undefined) await ensureFolderInside(options.root, dirname(file));
      else await fs.mkdir(dirname(file), { recursive: true });
      handle = await fs.open(file, APPEND_NO_FOLLOW, 0o644);
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw symlinkRefused(e, file) ?? fileError(e, file, 'write');
    }
    const writer = new TraceWriter(file, handle, options.limits ?? DEFAULT_CONTENT_LIMITS);
    // A file left by a crash mid-line would glue our first line onto its last: start on a fresh line.
    const { size } = await handle.stat();
    if (size > 0) {
      const tail = Buffer.alloc(1);
      await handle.read(tail, 0, 1, size - 1);
      if (tail[0] !== 0x0a) await handle.write('\n');
    }
    return writer;
  }

  write(t: Trajectory): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`trace writer for ${this.file} is closed`));
    const line = serializeTrajectory(t, this.limits);
    const next = this.queue.then(async () => {
      await this.handle.write(line);
      this.count++;
    });
    // A failed write must not wedge later ones; the caller still sees this one's error.
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Waits for pending writes, fsyncs and closes. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    try {
      await this.handle.sync();
    } finally {
      await this.handle.close();
    }
  }
}

/** Appends one trajectory and fsyncs: for single runs (`hopscope ask`, the extension's Ask). */
export async function appendTrajectory(file: string, t: Trajectory, options: TraceWriterOptions = {}): Promise<void> {
  const w = await TraceWriter.open(file, options);
  try {
    await w.write(t);
  } finally {
    await w.close();
  }
}

export interface ReadOptions {
  /** Called for each line that is not a trajectory; reading goes on. */
  onBadLine?: (bad: BadLine) => void;
  /** Caps on what a gzipped file may decompress to. */
  limits?: DecompressLimits;
}

/** Streams the trajectories of a JSONL file, with their 1-based line numbers available via `onBadLine`. */
export async function* readTrajectories(file: string, options: ReadOptions = {}): AsyncGenerator<Trajectory> {
  for await (const { line, value } of readJsonLines(file, options)) {
    const problem = trajectoryProblem(value);
    if (problem) options.onBadLine?.({ line, reason: problem });
    else yield value as Trajectory;
  }
}

/**
 * Each parsed JSON line of a file (gunzipped when it is gzip) with its line number; blank lines skipped,
 * unparseable ones reported. The one reader behind datasets, queries, trace files and JSONL imports.
 */
export async function* readJsonLines(file: string, options: ReadOptions = {}): AsyncGenerator<{ line: number; value: unknown }> {
  yield* jsonLines(fileBytes(file, options.limits), options);
}
