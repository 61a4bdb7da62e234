/**
 * Reading one byte range of a step file into rows: complete lines only (a trainer may be writing the
 * file: its unfinished last line waits for the next ingest), each line parsed, analysed and reduced to
 * a row; a line that is not a rollout is reported by file and line, never dropped silently.
 */
import { errorMessage } from '../errors';
import { lineText, RangeBuffers, readFileRange } from '../fileRange';
import { recordProblem } from '../importers/jsonl';
import { rowOutcome } from '../rewards';
import { promptKey, type PromptRouter } from './promptRoute';
import { rolloutTrajectory } from './rollout';
import { rowOf } from './row';
import { RowBatchBuilder, type RowBatch } from './rowBatch';

export interface RangeRequest {
  file: string;
  fileId: number;
  fileStep: number | undefined;
  /** Byte offset to start at: 0, or where the previous ingest of a growing file stopped. */
  start: number;
  /** Bytes to read from `start` (the file's size when it was looked at). */
  length: number;
  /** Line number of the line at `start` (1-based). */
  firstLine: number;
  /**
   * The previous ingest took an unterminated last line (it parsed whole): the newline that now follows
   * it ends that line, not a blank one.
   */
  afterUnterminated?: boolean;
  /**
   * Parse only the lines routed to `worker` (routeLines: `lines[k]` is the worker of the range's k-th
   * line; lines past the end go to worker 0); the others are counted (lines, bytes consumed) but not
   * read. Each worker's part of a range gives the same `consumed`, `lines` and `unterminated`, and
   * together their rows and problems are the range's.
   */
  route?: { lines: Uint8Array; worker: number };
  /** The range's bytes, already read (ingest.ts parseRouted), shared with the caller: [0, length) of it. */
  bytes?: SharedArrayBuffer;
  runId: string;
  createdAt: string;
}

export interface RangeProblem {
  file: string;
  line: number;
  reason: string;
}

export interface RangeResult {
  /** As columns: a worker sends them to the main thread as a few block copies (rowBatch.ts). */
  rows: RowBatch;
  problems: RangeProblem[];
  /** Bytes of complete lines read: the next ingest starts at `start + consumed`. */
  consumed: number;
  /** Complete lines read (blank ones included). */
  lines: number;
  /** The range ended on a line without its newline that parsed whole (a finished file with no final newline). */
  unterminated: boolean;
}

const NL = 0x0a;

/** `into`: a buffer to read into (RangeBuffers), when it is long enough. */
export function readRange(req: RangeRequest, into?: Buffer): Promise<Buffer> {
  return readFileRange(req.file, req.start, req.length, 'r', into);
}

/** Where the range's first line starts: past the newline that ends a line the previous ingest took whole. */
function firstLineAt(buf: Buffer, req: RangeRequest): number {
  return req.afterUnterminated && buf[0] === NL ? 1 : 0;
}

/** The worker of each newline-terminated line of `buf` (the bytes of `req`'s range), in order, as parseBuffer counts them. */
export function routeLines(buf: Buffer, req: RangeRequest, router: PromptRouter): Uint8Array {
  const workers: number[] = [];
  for (let pos = firstLineAt(buf, req), nl = buf.indexOf(NL, pos); nl >= 0; pos = nl + 1, nl = buf.indexOf(NL, pos)) {
    workers.push(nl > pos ? router.route(promptKey(buf, pos, nl), nl - pos) : 0);
  }
  return Uint8Array.from(workers);
}

/** Rows of the complete lines in `buf` (the bytes of `req`'s range). */
export function parseBuffer(buf: Buffer, req: RangeRequest): RangeResult {
  const rows = new RowBatchBuilder(Math.max(16, Math.ceil(buf.length / 4096)));
  const problems: RangeProblem[] = [];
  const ctx = { file: req.file, fileStep: req.fileStep, runId: req.runId, createdAt: req.createdAt };
  let pos = firstLineAt(buf, req);
  let line = req.firstLine;
  const route = req.route;
  const mine = (): boolean => {
    if (!route) return true;
    const k = line - req.firstLine;
    return (k < route.lines.length ? route.lines[k] : 0) === route.worker;
  };
  const take = (from: number, to: number, text: string): void => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      problems.push({ file: req.file, line, reason: `not valid JSON (${errorMessage(e)})` });
      return;
    }
    try {
      // A row reads no step's rewards, and its rewards only as JSON: rowOutcome gives the same row for less.
      const t = rolloutTrajectory(value, line, ctx);
      rows.add(rowOf(t, { fileId: req.fileId, line, offset: req.start + from, length: to - from }, rowOutcome(t)));
    } catch (e) {
      problems.push({ file: req.file, line, reason: recordProblem(e) });
    }
  };
  for (;;) {
    const nl = buf.indexOf(NL, pos);
    if (nl < 0) break;
    const end = nl > pos && buf[nl - 1] === 0x0d ? nl - 1 : nl;
    if (end > pos && mine()) {
      const text = lineText(buf, pos, end);
      if (text.trim()) take(pos, end, text);
    }
    pos = nl + 1;
    line++;
  }
  // A last line without a newline is complete only if it parses whole: a trainer still writing it
  // leaves a cut-off object, which waits for the next ingest.
  let unterminated = false;
  if (pos < buf.length) {
    const text = lineText(buf, pos, buf.length);
    if (text.trim() && isWholeJson(text)) {
      if (mine()) take(pos, buf.length, text);
      pos = buf.length;
      line++;
      unterminated = true;
    }
  }
  return { rows: rows.finish(), problems, consumed: pos, lines: line - req.firstLine, unterminated };
}

function isWholeJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** A worker holds two ranges at once (pool.ts PER_WORKER): their read buffers are kept for the next two. */
const buffers = new RangeBuffers(2);

export async function parseRange(req: RangeRequest): Promise<RangeResult> {
  if (req.bytes) return parseBuffer(Buffer.from(req.bytes, 0, req.length), req);
  const buf = await readRange(req, buffers.take(req.length));
  try {
    // The rows hold strings decoded from the bytes, never the bytes: the buffer can be read into again.
    return parseBuffer(buf, req);
  } finally {
    buffers.give(buf);
  }
}
