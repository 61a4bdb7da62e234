/**
 * Importing trajectories from the formats users already have. `openImport` streams a file (plain, gzipped,
 * or an Inspect `.eval` zip) record by record, so memory stays flat whatever its size: it detects the
 * format from the first 64 KiB unless told, and every record it cannot read, analyse or validate is
 * reported by line and reason while the others go on. `importFile` collects the same into lists.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { collectCapped, compressionOf, DEFAULT_DECOMPRESS_LIMITS, fileBytes, type DecompressLimits } from '../decompress';
import { InputError } from '../errors';
import { lineBatches } from '../lineReader';
import { analyzeTrajectory } from '../rewards';
import type { Trajectory } from '../trace';
import { trajectoryProblem } from '../traceStore';
import { detectFormat } from './detect';
import { hopscopeRecord } from './hopscope';
import { igpoRecord } from './igpo';
import { inspectEvalFile, inspectJson } from './inspect';
import { readJsonl, readLine, recordProblem, type RecordReader } from './jsonl';
import { openAiChatRecord } from './openaiChat';
import { otlpBytes, otlpJson } from './otlp';
import { r1SearcherRecord } from './r1searcher';
import { searchR1Record } from './searchR1';
import { IMPORT_FORMATS, type ImportContext, type ImportFormat, type ImportProblem, type ImportResult, type Parsed } from './types';

export { detectFormat } from './detect';
export { IMPORT_FORMATS, type ImportFormat, type ImportProblem, type ImportResult } from './types';

export interface ImportOptions {
  /** Skip detection and read the file as this format. */
  format?: ImportFormat;
  /** Run id of the imported trajectories (default: the file's stem). */
  runId?: string;
  /** Creation time stamped on each trajectory (default: the file's modification time). */
  createdAt?: string;
  /** Compute rewards and diagnosis labels for each trajectory (default true). */
  analyze?: boolean;
  /** Caps on decompression (gzip, `.eval` zips) and on whole-JSON files read at once. */
  limits?: DecompressLimits;
}

/** An import under way: its format, and its trajectories as they are read (problems go to `onProblem`). */
export interface ImportStream {
  format: ImportFormat;
  trajectories: AsyncGenerator<Trajectory>;
}

/** Bytes read to detect the format. */
const HEAD_BYTES = 64 * 1024;

export async function openImport(path: string, options: ImportOptions, onProblem: (p: ImportProblem) => void): Promise<ImportStream> {
  const limits = options.limits ?? DEFAULT_DECOMPRESS_LIMITS;
  const compression = await compressionOf(path);
  let createdAt = options.createdAt;
  if (createdAt === undefined) createdAt = (await stat(path)).mtime.toISOString();
  const ctx = contextFor({ ...options, createdAt, file: path });
  const finish = finisher(options, onProblem);
  if (compression === 'zip') {
    const format = options.format ?? 'inspect';
    if (format !== 'inspect') throw new InputError(`this is a zip archive, not ${format} text`, path, undefined, 'only Inspect .eval logs are zips');
    return { format, trajectories: evalTrajectories(path, ctx, limits, finish, onProblem) };
  }
  const bytes = fileBytes(path, limits);
  const { head, rest } = await peek(bytes, HEAD_BYTES);
  const headBytes = Buffer.concat(head);
  if (headBytes.every((b) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09)) {
    await bytes.return(undefined);
    throw new InputError('the file is empty', path);
  }
  const format = options.format ?? detectFormat(headBytes);
  if (!format) {
    await bytes.return(undefined);
    throw unknownFormat(path);
  }
  const chunks = chain(head, rest);
  if (format === 'otlp') {
    // Spans of one trace can be anywhere in the file (requests are batches): read it whole, under the per-entry cap.
    const whole = await collectCapped(chunks, path, limits);
    return { format, trajectories: wholeDocument(otlpBytes(whole, ctx), finish, onProblem) };
  }
  if (format === 'inspect' || (format === 'openai-chat' && startsWholeArray(headBytes))) {
    // One JSON document for the whole file: read at once, under the per-entry cap.
    const text = (await collectCapped(chunks, path, limits)).toString('utf8');
    return { format, trajectories: wholeDocument(parseWholeText(format, text, ctx), finish, onProblem) };
  }
  return { format, trajectories: jsonlTrajectories(chunks, readerFor(format, ctx), finish, onProblem) };
}

/** All of a file's trajectories and problems at once (small files, tests, the editor's import). */
export async function importFile(path: string, options: ImportOptions = {}): Promise<ImportResult> {
  const problems: ImportProblem[] = [];
  const { format, trajectories } = await openImport(path, options, (p) => problems.push(p));
  const out: Trajectory[] = [];
  for await (const t of trajectories) out.push(t);
  return { trajectories: out, problems, format };
}

/** Text held in memory, read like a file of that name. */
export function importText(text: string, options: ImportOptions & { file: string }): ImportResult {
  if (!text.trim()) throw new InputError('the file is empty', options.file);
  const format = options.format ?? detectFormat(text);
  if (!format) throw unknownFormat(options.file);
  const ctx = contextFor(options);
  const problems: ImportProblem[] = [];
  const finish = finisher(options, (p) => problems.push(p));
  const parsed = parseWholeText(format, text, ctx);
  problems.push(...parsed.problems);
  const trajectories: Trajectory[] = [];
  parsed.trajectories.forEach((t) => {
    const done = finish(t, t.source?.line ?? 0);
    if (done) trajectories.push(done);
  });
  return { trajectories, problems: problems.sort((a, b) => a.line - b.line), format };
}

function unknownFormat(file: string): InputError {
  return new InputError('cannot tell the format of this file', file, undefined, `say which with --format (import) or --from (export): ${IMPORT_FORMATS.join(', ')}`);
}

/**
 * The last step of every record: analysis (rewards, diagnosis) and the trace contract check, inside the
 * record's own error boundary so a record that breaks either is reported by line, never the whole import.
 */
function finisher(options: ImportOptions, onProblem: (p: ImportProblem) => void): (t: Trajectory, line: number) => Trajectory | undefined {
  return (t, line) => {
    const shape = trajectoryProblem(t);
    if (shape) {
      onProblem({ line, reason: shape });
      return undefined;
    }
    try {
      return options.analyze === false ? t : analyzeTrajectory(t);
    } catch (e) {
      onProblem({ line, reason: recordProblem(e) });
      return undefined;
    }
  };
}

type Finish = ReturnType<typeof finisher>;

async function* jsonlTrajectories(chunks: AsyncIterable<Uint8Array>, read: RecordReader, finish: Finish, onProblem: (p: ImportProblem) => void): AsyncGenerator<Trajectory> {
  for await (const batch of lineBatches(chunks, { onBadLine: onProblem })) {
    for (const { line, text } of batch) {
      for (const r of readLine(text, line, read)) {
        if ('problem' in r) onProblem({ line, reason: r.problem });
        else {
          const t = finish(r.trajectory, line);
          if (t) yield t;
        }
      }
    }
  }
}

async function* evalTrajectories(file: string, ctx: ImportContext, limits: DecompressLimits, finish: Finish, onProblem: (p: ImportProblem) => void): AsyncGenerator<Trajectory> {
  for await (const r of inspectEvalFile(file, ctx, limits)) {
    if ('problem' in r) onProblem({ line: r.line, reason: r.problem });
    else {
      const t = finish(r.trajectory, r.trajectory.source?.line ?? 0);
      if (t) yield t;
    }
  }
}

/** A text read whole: Inspect and OTLP documents, a chat array, or JSONL. */
function parseWholeText(format: ImportFormat, text: string, ctx: ImportContext): Parsed {
  if (format === 'inspect') return inspectJson(text, ctx);
  if (format === 'otlp') return otlpJson(text, ctx);
  return readJsonl(wholeArrayAsLine(format, text), readerFor(format, ctx));
}

async function* wholeDocument(parsed: Parsed, finish: Finish, onProblem: (p: ImportProblem) => void): AsyncGenerator<Trajectory> {
  parsed.problems.forEach(onProblem);
  for (const t of parsed.trajectories) {
    const done = finish(t, t.source?.line ?? 0);
    if (done) yield done;
  }
}

/** A whole JSON array of chat messages is one conversation: read it as a single JSONL line. */
function wholeArrayAsLine(format: ImportFormat, text: string): string {
  if (format !== 'openai-chat' || !text.trimStart().replace(/^\uFEFF/, '').startsWith('[')) return text;
  try {
    const whole: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
    if (Array.isArray(whole) && whole.every((m) => m && typeof m === 'object' && 'role' in m)) return JSON.stringify(whole);
  } catch {
    /* JSONL of arrays */
  }
  return text;
}

/** Whether a file opens a JSON array that spans lines (a whole conversation rather than JSONL). */
function startsWholeArray(head: Uint8Array): boolean {
  const text = new TextDecoder().decode(head).replace(/^\uFEFF/, '').trimStart();
  if (!text.startsWith('[')) return false;
  const nl = text.indexOf('\n');
  if (nl < 0) return false;
  try {
    JSON.parse(text.slice(0, nl));
    return false;
  } catch {
    return true;
  }
}

function readerFor(format: Exclude<ImportFormat, never>, ctx: ImportContext): RecordReader {
  switch (format) {
    case 'r1searcher':
      return (v, line) => r1SearcherRecord(v, line, ctx);
    case 'search-r1':
      return (v, line) => searchR1Record(v, line, ctx);
    case 'openai-chat':
      return (v, line) => openAiChatRecord(v, line, ctx);
    case 'igpo':
      return (v, line) => igpoRecord(v, line, ctx);
    case 'hopscope':
      return (v, line) => hopscopeRecord(v, line, ctx);
    case 'inspect':
      // Inspect logs are one JSON document (or a zip), never JSONL.
      return () => {
        throw new InputError('an Inspect log is one JSON document, not one per line');
      };
    case 'otlp':
      // OTLP files are read whole (parseWholeText): a trace's spans can be in any of its requests.
      return () => {
        throw new InputError('OTLP traces are read as a whole file');
      };
    default: {
      const never: never = format;
      throw new InputError(`unknown format ${String(never)}`, ctx.file);
    }
  }
}

/** The first `bytes` of a stream, and the stream to read on from there. */
async function peek(source: AsyncGenerator<Buffer>, bytes: number): Promise<{ head: Buffer[]; rest: AsyncGenerator<Buffer> }> {
  const head: Buffer[] = [];
  let size = 0;
  while (size < bytes) {
    const next = await source.next();
    if (next.done) break;
    head.push(next.value);
    size += next.value.length;
  }
  return { head, rest: source };
}

async function* chain(head: Buffer[], rest: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  yield* head;
  yield* rest;
}

function contextFor(options: ImportOptions & { file: string }): ImportContext {
  const stem = basename(options.file).replace(/\.gz$/, '').replace(/\.(jsonl|json|eval|txt|pb)$/, '').replace(/\.otlp$/, '');
  const runId = options.runId ?? stem.replace(/\.shared$/, '');
  const dataset = /^[A-Za-z0-9-]+/.exec(stem)?.[0];
  return { file: options.file, runId, dataset, createdAt: options.createdAt ?? new Date(0).toISOString() };
}
