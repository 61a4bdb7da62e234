/**
 * Reading a trace file into its store, incrementally: the first time all of it, later only what a batch
 * appended (from where the last read stopped, complete lines only); a file rewritten in place (another
 * inode, or the bytes before the stop point changed) or shrunk is read again from the start. The file is
 * cut into ranges at line ends, parsed on worker threads, and committed in file order, one range per
 * transaction: the first (small) range shows rows at once, a cancelled read keeps what it committed and
 * the next read picks up the rest.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { READ_NO_FOLLOW } from '../confinedPath';
import { CancelledError, fileError } from '../errors';
import type { TraceParsePool } from '../runs/pool';
import type { TraceRangeRequest, TraceRangeResult } from './parseTraceRange';
import type { TraceStore, TraceStoreState } from './traceStore';

/** The first range is small, so the first rows are committed (and listed) after a few milliseconds of parsing. */
const FIRST_RANGE = 256 * 1024;
const RANGE = 8 * 1024 * 1024;
/** Bytes before the stop point compared to tell an append from a rewrite. */
const TAIL_BYTES = 64;
const SCAN_BLOCK = 64 * 1024;

export interface TraceIngestProgress {
  /** Trajectories in the store so far. */
  rows: number;
  /** Bytes of the file read so far, and its size when the read started. */
  bytesDone: number;
  bytesTotal: number;
}

export interface TraceIngestOptions {
  signal?: AbortSignal;
  /** After each committed range. */
  onProgress?: (p: TraceIngestProgress) => void;
  /** A workspace file: every open refuses a symbolic link. */
  noFollow?: boolean;
  /** Ranges after the first (tests cut small files into several). */
  rangeBytes?: number;
  firstRangeBytes?: number;
}

export interface TraceIngestReport {
  rowsAdded: number;
  problemsAdded: number;
  /** The file was rewritten or shrank, and was read again from the start. */
  reread: boolean;
}

async function readAt(fh: FileHandle, at: number, n: number): Promise<Buffer> {
  const buf = Buffer.alloc(n);
  const { bytesRead } = await fh.read(buf, 0, n, at);
  return buf.subarray(0, bytesRead);
}

/** The offset just past the first newline at or after `from`, or `size` when there is none before it. */
async function lineEndAfter(fh: FileHandle, from: number, size: number): Promise<number> {
  for (let at = from; at < size; at += SCAN_BLOCK) {
    const block = await readAt(fh, at, Math.min(SCAN_BLOCK, size - at));
    const nl = block.indexOf(0x0a);
    if (nl >= 0) return at + nl + 1;
  }
  return size;
}

export async function ingestTraceFile(file: string, store: TraceStore, pool: TraceParsePool, options: TraceIngestOptions = {}): Promise<TraceIngestReport> {
  const report: TraceIngestReport = { rowsAdded: 0, problemsAdded: 0, reread: false };
  let fh: FileHandle;
  try {
    fh = await open(file, options.noFollow ? READ_NO_FOLLOW : 'r');
  } catch (e) {
    throw fileError(e, file, 'read');
  }
  try {
    const { size, ino } = await fh.stat();
    let s = store.state;
    if (s.bytes > 0) {
      const tail = s.bytes > size ? '' : (await readAt(fh, s.bytes - Math.min(TAIL_BYTES, s.bytes), Math.min(TAIL_BYTES, s.bytes))).toString('hex');
      if (ino !== s.ino || tail !== s.tail) {
        await store.reset(file);
        report.reread = true;
        s = store.state;
      }
    }
    if (size === s.bytes) return report;

    const rangeBytes = options.rangeBytes ?? RANGE;
    let cut = s.bytes;
    let first = true;
    const nextRange = async (): Promise<TraceRangeRequest | undefined> => {
      if (cut >= size) return undefined;
      const nominal = cut + (first ? (options.firstRangeBytes ?? FIRST_RANGE) : rangeBytes);
      const end = nominal >= size ? size : await lineEndAfter(fh, nominal, size);
      const req: TraceRangeRequest = { file, start: cut, length: end - cut, atEnd: end === size, noFollow: options.noFollow };
      if (first && s.unterminated) req.afterUnterminated = true;
      first = false;
      cut = end;
      return req;
    };

    // Ranges parse in parallel; results commit strictly in file order (line numbers and file order add up).
    const inFlight: Array<{ req: TraceRangeRequest; result: Promise<TraceRangeResult> }> = [];
    const fill = async () => {
      while (inFlight.length < pool.width + 1 && !options.signal?.aborted) {
        const req = await nextRange();
        if (!req) return;
        const result = pool.parse(req);
        result.catch(() => undefined); // awaited in order below; a later one's failure must not go unhandled meanwhile
        inFlight.push({ req, result });
      }
    };
    await fill();
    let state: TraceStoreState = s;
    while (inFlight.length) {
      if (options.signal?.aborted) throw new CancelledError();
      const { req, result: pending } = inFlight.shift()!;
      const result = await pending;
      if (options.signal?.aborted) throw new CancelledError();
      const bytes = req.start + result.consumed;
      const tailLen = Math.min(TAIL_BYTES, bytes);
      await store.commit(result, state.lines + 1, {
        bytes,
        lines: state.lines + result.lines,
        ino,
        tail: bytes > 0 ? (await readAt(fh, bytes - tailLen, tailLen)).toString('hex') : '',
        unterminated: result.consumed > 0 ? result.unterminated : state.unterminated,
      });
      state = store.state;
      report.rowsAdded += result.rows;
      report.problemsAdded += result.problems.length;
      options.onProgress?.({ rows: state.rows, bytesDone: bytes, bytesTotal: size });
      // A last range that stopped short (a writer is mid-line) ends this read.
      if (result.consumed < req.length) break;
      await fill();
    }
    return report;
  } finally {
    await fh.close();
  }
}
