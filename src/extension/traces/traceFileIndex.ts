/**
 * A lazy index of a JSONL trace file: streams the file once, keeps a light summary and the byte range
 * of each trajectory, and reads one whole trajectory on demand. Files of 20,000 trajectories stay
 * cheap to hold, and a file that a batch is still appending to is picked up where the index stopped.
 * (core's readTrajectories streams too, but does not give byte offsets, which reading on demand needs.)
 * No `vscode` here: the benchmark and the unit tests run it on plain Node.
 */
import { promises as fs } from 'node:fs';
import { assertReadableInside, READ_NO_FOLLOW } from '../../core/confinedPath';
import { errorMessage, InputError } from '../../core/errors';
import type { Trajectory } from '../../core/trace';
import { isBlankLine, readTraceLine, summarize, type BadLine, type TrajectorySummary } from '../../core/traces/summary';
import { isTrajectory } from '../../protocol';

export { summarize, type BadLine, type TrajectorySummary };

/** How many of `summaries` the verdict calls wrong: the "failed" a trace file's row shows (the run summary's wrong count). */
export function failedCount(summaries: readonly TrajectorySummary[]): number {
  return summaries.reduce((k, s) => k + (s.verdict === false ? 1 : 0), 0);
}

export class TraceFileIndex {
  readonly summaries: TrajectorySummary[] = [];
  readonly problems: BadLine[] = [];
  /** Bytes of the file consumed so far (always the end of a whole line). */
  private bytesIndexed = 0;
  private lines = 0;
  private byIdMap = new Map<string, TrajectorySummary>();
  private running: Promise<number> | undefined;
  /** The file's inode and the bytes just before `bytesIndexed`: if either changed, the file was rewritten. */
  private ino = -1;
  private tail: Buffer = Buffer.alloc(0);

  /**
   * Set for a file found in the workspace (not one the user picked): every read first checks that it
   * lies inside these roots with no symlink on the way, and opens it without following a link.
   */
  private confinedTo: readonly string[] | undefined;

  constructor(readonly file: string) {}

  /** Reads of this file must stay inside `roots` (see confinedTo). */
  confine(roots: readonly string[]): void {
    this.confinedTo = roots;
  }

  /** Opens the file for reading: for a workspace file, only when it is a real file inside the workspace. */
  private async open(): Promise<fs.FileHandle> {
    if (!this.confinedTo) return fs.open(this.file, 'r');
    await assertReadableInside(this.confinedTo, this.file);
    return fs.open(this.file, READ_NO_FOLLOW);
  }

  get indexedBytes(): number {
    return this.bytesIndexed;
  }

  byId(id: string): TrajectorySummary | undefined {
    return this.byIdMap.get(id);
  }

  private reset(): void {
    this.summaries.length = 0;
    this.problems.length = 0;
    this.byIdMap.clear();
    this.bytesIndexed = 0;
    this.lines = 0;
    this.tail = Buffer.alloc(0);
  }

  /** True when the part already indexed is still what the file holds (appends keep it; rewrites do not). */
  private async unchangedSoFar(ino: number): Promise<boolean> {
    if (this.bytesIndexed === 0) return true;
    if (ino !== this.ino) return false;
    const handle = await this.open();
    try {
      const buf = Buffer.alloc(this.tail.length);
      await handle.read(buf, 0, buf.length, this.bytesIndexed - buf.length);
      return buf.equals(this.tail);
    } finally {
      await handle.close();
    }
  }

  /**
   * Reads what the file gained since the last call (all of it the first time; again from the start if
   * it shrank) and resolves with the number of trajectories added. `onBatch` fires as trajectories
   * arrive (about every 256 KB), so a tree can show the first ones at once. Concurrent calls share one read.
   */
  update(opts: { onBatch?: (added: number) => void; signal?: AbortSignal } = {}): Promise<number> {
    this.running ??= this.scan(opts).finally(() => (this.running = undefined));
    return this.running;
  }

  private async scan(opts: { onBatch?: (added: number) => void; signal?: AbortSignal }): Promise<number> {
    const scanned = await this.open();
    let size: number;
    let ino: number;
    const before = this.summaries.length;
    try {
      ({ size, ino } = await scanned.stat());
      if (size < this.bytesIndexed || !(await this.unchangedSoFar(ino))) this.reset();
    } catch (e) {
      await scanned.close();
      throw e;
    }
    this.ino = ino;
    if (size === this.bytesIndexed) {
      await scanned.close();
      if (before > this.summaries.length) for (const fn of listeners) fn(this.file);
      return 0;
    }
    let pending: Buffer[] = [];
    let pendingLen = 0;
    let lineStart = this.bytesIndexed;
    let sinceBatch = 0;
    // Read through the handle checked above, so a link swapped in meanwhile is not followed. The stream closes it.
    const stream = scanned.createReadStream({ start: this.bytesIndexed, end: size - 1, highWaterMark: 256 * 1024 });
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        if (opts.signal?.aborted) break;
        let from = 0;
        for (let nl = chunk.indexOf(0x0a, from); nl !== -1; nl = chunk.indexOf(0x0a, from)) {
          const piece = chunk.subarray(from, nl);
          const line = pendingLen ? Buffer.concat([...pending, piece], pendingLen + piece.length) : piece;
          pending = [];
          pendingLen = 0;
          const length = line.length + 1;
          if (this.take(line, lineStart, length)) sinceBatch++;
          lineStart += length;
          from = nl + 1;
        }
        if (from < chunk.length) {
          pending.push(chunk.subarray(from));
          pendingLen += chunk.length - from;
        }
        this.bytesIndexed = lineStart;
        if (sinceBatch > 0) {
          opts.onBatch?.(sinceBatch);
          sinceBatch = 0;
        }
      }
    } finally {
      stream.destroy();
    }
    // A last line without its newline: take it when it is whole JSON (a file ending without "\n"),
    // leave it for the next update when it is not (a writer is mid-line).
    if (pendingLen && !opts.signal?.aborted) {
      const line = Buffer.concat(pending, pendingLen);
      if (this.parse(line) !== undefined) {
        if (this.take(line, lineStart, line.length)) opts.onBatch?.(1);
        this.bytesIndexed = lineStart + line.length;
      }
    }
    if (this.bytesIndexed > 0) {
      const n = Math.min(64, this.bytesIndexed);
      const handle = await this.open();
      try {
        this.tail = Buffer.alloc(n);
        await handle.read(this.tail, 0, n, this.bytesIndexed - n);
      } finally {
        await handle.close();
      }
    }
    const added = this.summaries.length - before;
    if (added !== 0 || before > this.summaries.length) for (const fn of listeners) fn(this.file);
    return added;
  }

  private parse(line: Buffer): unknown {
    try {
      return JSON.parse(line.toString('utf8'));
    } catch {
      return undefined;
    }
  }

  /** Records one line; true when it was a trajectory. */
  private take(line: Buffer, offset: number, length: number): boolean {
    const lineNo = ++this.lines;
    const text = line.toString('utf8');
    if (isBlankLine(text)) return false;
    const r = readTraceLine(text);
    if ('problem' in r) {
      this.problems.push({ line: lineNo, reason: r.problem });
      return false;
    }
    const s = summarize(r.trajectory, { index: this.summaries.length, line: lineNo, offset, length });
    this.summaries.push(s);
    if (!this.byIdMap.has(s.id)) this.byIdMap.set(s.id, s);
    return true;
  }

  /** The whole file's bytes (the table's text search reads each file once). */
  async readAll(): Promise<Buffer> {
    const handle = await this.open();
    try {
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  }

  /** Throws unless the file is (still) a real file inside the roots it is confined to. */
  async checkConfined(): Promise<void> {
    if (this.confinedTo) await assertReadableInside(this.confinedTo, this.file);
  }

  /** The bytes [offset, offset + length) of the file. */
  async readSpan(offset: number, length: number): Promise<Buffer> {
    const handle = await this.open();
    try {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buf, 0, length, offset);
      return buf.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  /** The whole trajectory behind a summary, read from its byte range. */
  async read(summary: TrajectorySummary): Promise<Trajectory> {
    // Opening fails on its own terms (a file gone, a symlink refused); what the bytes say is this method's.
    const bytes = await this.readSpan(summary.offset, summary.length);
    try {
      const value: unknown = JSON.parse(bytes.toString('utf8'));
      if (!isTrajectory(value)) throw new Error('not a trajectory');
      return value;
    } catch (e) {
      throw new InputError(`cannot read the trajectory: ${errorMessage(e)}`, this.file, summary.line, 'the file may have changed: refresh the Traces view');
    }
  }

  /** Finds a trajectory by id, indexing more of the file if it is not known yet. */
  async find(id: string): Promise<Trajectory | undefined> {
    let s = this.byId(id);
    if (!s) {
      await this.update();
      s = this.byId(id);
    }
    return s ? this.read(s) : undefined;
  }
}

const listeners = new Set<(file: string) => void>();

/** Called with the file's path whenever an index gains (or loses) trajectories, whoever triggered the read. */
export function onIndexUpdated(fn: (file: string) => void): { dispose(): void } {
  listeners.add(fn);
  return { dispose: () => listeners.delete(fn) };
}
