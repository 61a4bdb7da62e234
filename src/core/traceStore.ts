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
import { redactTrajectory } from './redactTrajectory';
import { TRACE_SCHEMA, type Trajectory } from './trace';
import { validateTrajectory } from './traceSchema';

export type { BadLine };

/**
 * Why `value` is not a hopscope.trace/v1 trajectory, or undefined when it is one: trace.schema.json,
 * checked by its compiled validator (traceSchema.ts), so one odd record is reported by line instead of
 * failing whatever reads it later. A line of another schema says so in one phrase: it is not a broken trajectory.
 */
export function trajectoryProblem(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
  const schema = (value as { schema?: unknown }).schema;
  if (schema !== TRACE_SCHEMA) return `schema is ${JSON.stringify(schema ?? null)}, expected "${TRACE_SCHEMA}"`;
  const v = validateTrajectory(value);
  return v.ok ? undefined : v.errors.join('; ');
}

/** One trace line; documents and model turns past the caps are cut and marked (one 10 MB document must not make a 200 MB line). */
export function serializeTrajectory(t: Trajectory, limits: ContentLimits = DEFAULT_CONTENT_LIMITS): string {
  // JSON.stringify escapes newlines inside strings, so one trajectory is always one line. No URL
  // credentials are ever stored, whichever version or tool made the trajectory.
  return `${JSON.stringify(capTrajectory(redactTrajectory(t), limits))}\n`;
}

export interface TraceWriterOptions {
  /** The workspace the file must lie in (its folders are then checked without following symlinks). */
  root?: string;
  /** Caps on document and model-turn text in each line. */
  limits?: ContentLimits;
  /** Replaces the opening (tests inject a file that fails like a full disk). */
  openFile?: (file: string) => Promise<TraceFileHandle>;
}

/** What a TraceWriter needs of an open file (a FileHandle; tests inject one that fails like a full disk). */
export type TraceFileHandle = Pick<fs.FileHandle, 'read' | 'write' | 'truncate' | 'stat' | 'sync' | 'close'>;

/** Appends trajectories to a JSONL file, one whole line per write. */
export class TraceWriter {
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  /** Lines fully written. */
  count = 0;

  private constructor(readonly file: string, private readonly handle: TraceFileHandle, private readonly limits: ContentLimits) {}

  /**
   * Opens `file` for appending, never through a symlink at its name. With `root` (the workspace), its
   * folder is created and checked without following symlinks and must lie inside the root. `openFile`
   * replaces the opening (tests inject a file that fails like a full disk).
   */
  static async open(file: string, options: TraceWriterOptions = {}): Promise<TraceWriter> {
    let handle: TraceFileHandle;
    try {
      if (options.root !== undefined) await ensureFolderInside(options.root, dirname(file));
      else await fs.mkdir(dirname(file), { recursive: true });
      handle = options.openFile ? await options.openFile(file) : await fs.open(file, APPEND_NO_FOLLOW, 0o644);
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
      if (tail[0] !== 0x0a) await writer.append(Buffer.from('\n'));
    }
    return writer;
  }

  /**
   * Writes all of `bytes` at the end (a write may be short), or cuts the file back to its last whole
   * line and throws: a full disk leaves no half line for the next reader or the next `--resume`.
   */
  private async append(bytes: Buffer): Promise<void> {
    // Where this line starts, read now rather than remembered: another process may append too.
    const start = (await this.handle.stat()).size;
    let done = 0;
    try {
      while (done < bytes.length) {
        const { bytesWritten } = await this.handle.write(bytes, done, bytes.length - done);
        if (bytesWritten <= 0) throw Object.assign(new Error('no space left on device (short write)'), { code: 'ENOSPC' });
        done += bytesWritten;
      }
    } catch (e) {
      // Even a write that reported nothing may have left bytes (a network or FUSE file system): cut back.
      await this.handle.truncate(start).catch(() => undefined);
      throw e;
    }
  }

  write(t: Trajectory): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`trace writer for ${this.file} is closed`));
    const line = Buffer.from(serializeTrajectory(t, this.limits), 'utf8');
    const next = this.queue.then(async () => {
      await this.append(line);
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
