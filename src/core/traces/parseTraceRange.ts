/**
 * Reading one byte range of a Hopscope trace file into store rows, on a worker thread: complete lines
 * only (a batch may be appending: its unfinished last line waits for the next read), each line checked
 * against the trace contract and summarised (summary.ts), a line that is not a trajectory reported by
 * number. The rows go back as one JSON string, which DuckDB reads itself (from_json), so the extension
 * host's main thread never touches them one by one.
 */
import { READ_NO_FOLLOW } from '../confinedPath';
import { lineText, readFileRange } from '../fileRange';
import { haystackOf, isBlankLine, NOT_JSON, readTraceLine, summarize, type BadLine } from './summary';

export interface TraceRangeRequest {
  file: string;
  start: number;
  length: number;
  /** The range runs to the file's end: a last line without its newline is taken when it is whole JSON. */
  atEnd: boolean;
  /** The previous read took an unterminated last line: the newline that now follows ends it, not a blank line. */
  afterUnterminated?: boolean;
  /** A workspace file: opened without following a symbolic link. */
  noFollow?: boolean;
}

/** One trajectory's row as the store reads it (column names as in traceStore.ts). */
export interface TraceRowJson {
  /** The row's line within the range, 0-based. */
  rel: number;
  /** The row's place among the range's rows (file order), 0-based. */
  ord: number;
  offset: number;
  length: number;
  id: string;
  question: string;
  answer: string | null;
  verdict: boolean | null;
  verdict_why: string;
  em: number | null;
  f1: number | null;
  judge: number | null;
  cover_em: number | null;
  sub_em: number | null;
  metric_def: string | null;
  tokens: number | null;
  searches: number;
  steps: number;
  stop_reason: string;
  latency_ms: number | null;
  labels: string;
  model: string | null;
  hay: string;
}

export interface TraceRangeResult {
  /** TraceRowJson[] as JSON. */
  rowsJson: string;
  rows: number;
  /** `line` counted from 0 at the range's first line. */
  problems: BadLine[];
  /** Bytes of complete lines read: the next read starts at `start + consumed`. */
  consumed: number;
  /** Complete lines read (blank ones included). */
  lines: number;
  /** The range ended on a line without its newline that parsed whole. */
  unterminated: boolean;
}

/** Labels are stored joined by this character (never in a label), so SQL can test one with a plain substring. */
export const LABEL_SEP = '\u0001';

const NL = 0x0a;
const num = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) ? null : v);

export function readTraceRange(req: TraceRangeRequest): Promise<Buffer> {
  return readFileRange(req.file, req.start, req.length, req.noFollow ? READ_NO_FOLLOW : 'r');
}

export function parseTraceBuffer(buf: Buffer, req: Pick<TraceRangeRequest, 'start' | 'atEnd' | 'afterUnterminated'>): TraceRangeResult {
  const rows: TraceRowJson[] = [];
  const problems: BadLine[] = [];
  let pos = req.afterUnterminated && buf[0] === NL ? 1 : 0;
  let rel = 0;
  const take = (from: number, to: number): boolean => {
    const text = lineText(buf, from, to);
    if (isBlankLine(text)) return true;
    const r = readTraceLine(text);
    if ('problem' in r) {
      problems.push({ line: rel, reason: r.problem });
      return false;
    }
    const s = summarize(r.trajectory, { index: 0, line: 0, offset: req.start + from, length: to - from });
    rows.push({
      rel,
      ord: rows.length,
      offset: s.offset,
      length: s.length,
      id: s.id,
      question: s.question,
      answer: s.answer,
      verdict: s.verdict ?? null,
      verdict_why: s.verdictWhy,
      em: num(s.em),
      f1: num(s.f1),
      judge: num(s.judge),
      cover_em: num(s.coverEm),
      sub_em: num(s.subEm),
      metric_def: s.metricDefinition ?? null,
      tokens: num(s.tokens),
      searches: s.searches,
      steps: s.steps,
      stop_reason: s.stopReason,
      latency_ms: num(s.latencyMs),
      labels: s.labels.join(LABEL_SEP),
      model: s.model ?? null,
      hay: haystackOf(s),
    });
    return true;
  };
  for (;;) {
    const nl = buf.indexOf(NL, pos);
    if (nl < 0) break;
    // The line's bytes include a carriage return before the newline, as the in-memory index counts them.
    take(pos, nl);
    pos = nl + 1;
    rel++;
  }
  // A last line without a newline at the file's end is complete only if it parses whole: a writer
  // still writing it leaves a cut-off object, which waits for the next read.
  let unterminated = false;
  if (req.atEnd && pos < buf.length) {
    const text = lineText(buf, pos, buf.length);
    const r = isBlankLine(text) ? undefined : readTraceLine(text);
    if (r && !('problem' in r && r.problem === NOT_JSON)) {
      take(pos, buf.length);
      pos = buf.length;
      rel++;
      unterminated = true;
    }
  }
  return { rowsJson: JSON.stringify(rows), rows: rows.length, problems, consumed: pos, lines: rel, unterminated };
}

export async function parseTraceRange(req: TraceRangeRequest): Promise<TraceRangeResult> {
  return parseTraceBuffer(await readTraceRange(req), req);
}
