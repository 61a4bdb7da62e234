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
import { TRACE_SCHEMA, type Trajectory } from './trace';
import { validateTrajectory } from './traceSchema';

export interface BadLine {
  line: number;
  reason: string;
}

/**
 * Why `value` is not a hopscope.trace/v1 trajectory (trace.schema.json, via traceSchema.ts), or
 * undefined when it is one. A line of another schema says so in one phrase: it is not a broken trajectory.
 */
function trajectoryProblem(value: unknown): string | undefined {
  const schema = (value as { schema?: unknown } | null)?.schema;
  if (value && typeof value === 'object' && !Array.isArray(value) && schema !== TRACE_SCHEMA) {
    return `schema is ${JSON.stringify(schema ?? null)}, expected "${TRACE_SCHEMA}"`;
  }
  const v = validateTrajectory(value);
  return v.ok ? undefined : v.errors.join('; ');
}

export function serializeTrajectory(t: Trajectory): string {
  // JSON.stringify escapes newlines inside strings, so one trajectory is always one line.
  return `${JSON.stringify(t)}\n`;
}

/** Appends trajectories to a JSONL file, one whole line per write. */
export class TraceWriter {
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  count = 0;

  private constructor(readonly file: string, private readonly handle: fs.FileHandle) {}

  static async open(file: string): Promise<TraceWriter> {
    let handle: fs.FileHandle;
    try {
      await fs.mkdir(dirname(file), { recursive: true });
      handle = await fs.open(file, 'a');
    } catch (e) {
      throw fileError(e, file, 'write');
    }
    // A file left by a crash mid-line would glue our first line onto its last: start on a fresh line.
    const { size } = await handle.stat();
    const writer = new TraceWriter(file, handle);
    if (size > 0) {
      const tail = Buffer.alloc(1);
      const rh = await fs.open(file, 'r');
      try {
        await rh.read(tail, 0, 1, size - 1);
      } finally {
        await rh.close();
      }
      if (tail[0] !== 0x0a) await handle.write('\n');
    }
    return writer;
  }

  write(t: Trajectory): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`trace writer for ${this.file} is closed`));
    const line = serializeTrajectory(t);
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

