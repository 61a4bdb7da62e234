/**
 * The JSONL trace store: one trajectory per line. Writers append whole lines (one write call each,
 * serialised) so a file is readable while a batch still writes it; `close()` fsyncs. The reader
 * streams line by line, so files of 100,000 trajectories never sit in memory whole, and reports a
 * bad line by its number while keeping the rest.
 */
import { createReadStream, promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { fileError } from './errors';
import { redactTrajectory } from './redactTrajectory';
import { TRACE_SCHEMA, type Trajectory } from './trace';

export interface BadLine {
  line: number;
  reason: string;
}

/** Why `value` is not a hopscope.trace/v1 trajectory, or undefined when it is one (a shallow check). */
function trajectoryProblem(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
  const v = value as Record<string, unknown>;
  if (v.schema !== TRACE_SCHEMA) return `schema is ${JSON.stringify(v.schema)}, expected "${TRACE_SCHEMA}"`;
  for (const k of ['id', 'question', 'stopReason'] as const) if (typeof v[k] !== 'string') return `"${k}" is missing or not a string`;
  if (!Array.isArray(v.steps)) return '"steps" is missing or not a list';
  for (const [i, s] of (v.steps as unknown[]).entries()) {
    const kind = (s as { kind?: unknown } | null)?.kind;
    if (kind !== 'reason' && kind !== 'search' && kind !== 'answer') return `step ${i} has no valid "kind"`;
  }
  return undefined;
}

export function serializeTrajectory(t: Trajectory): string {
  // JSON.stringify escapes newlines inside strings, so one trajectory is always one line. No URL
  // credentials are ever stored, whichever version or tool made the trajectory.
  return `${JSON.stringify(redactTrajectory(t))}\n`;
}

/** What a TraceWriter needs of an open file (a FileHandle; tests inject one that fails like a full disk). */
export type TraceFileHandle = Pick<fs.FileHandle, 'write' | 'truncate' | 'stat' | 'sync' | 'close'>;

/** Appends trajectories to a JSONL file, one whole line per write. */
export class TraceWriter {
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  /** The file's length after the last whole line: where a failed write is cut back to. */
  private size = 0;
  /** Lines fully written. */
  count = 0;

  private constructor(readonly file: string, private readonly handle: TraceFileHandle) {}

  static async open(file: string, options: { openFile?: (file: string) => Promise<TraceFileHandle> } = {}): Promise<TraceWriter> {
    let handle: TraceFileHandle;
    try {
      await fs.mkdir(dirname(file), { recursive: true });
      handle = await (options.openFile ?? ((f: string) => fs.open(f, 'a')))(file);
    } catch (e) {
      throw fileError(e, file, 'write');
    }
    // A file left by a crash mid-line would glue our first line onto its last: start on a fresh line.
    const { size } = await handle.stat();
    const writer = new TraceWriter(file, handle);
    writer.size = size;
    if (size > 0) {
      const tail = Buffer.alloc(1);
      const rh = await fs.open(file, 'r');
      try {
        await rh.read(tail, 0, 1, size - 1);
      } finally {
        await rh.close();
      }
      if (tail[0] !== 0x0a) await writer.append(Buffer.from('\n'));
    }
    return writer;
  }

  /**
   * Writes all of `bytes` at the end (a write may be short), or cuts the file back to its last whole
   * line and throws: a full disk leaves no half line for the next reader or the next `--resume`.
   */
  private async append(bytes: Buffer): Promise<void> {
    let done = 0;
    try {
      while (done < bytes.length) {
        const { bytesWritten } = await this.handle.write(bytes, done, bytes.length - done);
        if (bytesWritten <= 0) throw Object.assign(new Error('no space left on device (short write)'), { code: 'ENOSPC' });
        done += bytesWritten;
      }
    } catch (e) {
      if (done > 0) await this.handle.truncate(this.size).catch(() => undefined);
      throw e;
    }
    this.size += bytes.length;
  }

  write(t: Trajectory): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`trace writer for ${this.file} is closed`));
    const line = Buffer.from(serializeTrajectory(t), 'utf8');
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
export async function appendTrajectory(file: string, t: Trajectory): Promise<void> {
  const w = await TraceWriter.open(file);
  try {
    await w.write(t);
  } finally {
    await w.close();
  }
}

export interface ReadOptions {
  /** Called for each line that is not a trajectory; reading goes on. */
  onBadLine?: (bad: BadLine) => void;
}

/** Streams the trajectories of a JSONL file, with their 1-based line numbers available via `onBadLine`. */
export async function* readTrajectories(file: string, options: ReadOptions = {}): AsyncGenerator<Trajectory> {
  for await (const { line, value } of readJsonLines(file, options)) {
    const problem = trajectoryProblem(value);
    if (problem) options.onBadLine?.({ line, reason: problem });
    else yield value as Trajectory;
  }
}

/** Each parsed JSON line of a file with its line number; blank lines skipped, unparseable ones reported. */
export async function* readJsonLines(file: string, options: ReadOptions = {}): AsyncGenerator<{ line: number; value: unknown }> {
  const stream = createReadStream(file, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', reject);
  });
  try {
    await opened;
  } catch (e) {
    throw fileError(e, file, 'read');
  }
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  // A directory opens fine and fails on the first read.
  let readError: unknown;
  stream.once('error', (e) => (readError = e));
  let n = 0;
  try {
    for await (const text of lines) {
      n++;
      if (!text.trim()) continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (e) {
        options.onBadLine?.({ line: n, reason: `not valid JSON (${(e as Error).message})` });
        continue;
      }
      yield { line: n, value };
    }
    if (readError) throw fileError(readError, file, 'read');
  } catch (e) {
    throw e === readError ? fileError(e, file, 'read') : e;
  } finally {
    lines.close();
    stream.destroy();
  }
}

