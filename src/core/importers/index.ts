/**
 * Importing trajectories from the formats users already have. `importFile` reads a file (plain, gzipped,
 * or an Inspect `.eval` zip), detects its format unless told, and returns the trajectories with every
 * record it could not read reported by line and reason; nothing is dropped silently.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fileError, InputError } from '../errors';
import { analyzeTrajectory } from '../rewards';
import type { Trajectory } from '../trace';
import { validateTrajectory } from '../traceSchema';
import { detectFormat, isGzip, isZip } from './detect';
import { readJsonl } from './jsonl';
import { hopscopeRecord } from './hopscope';
import { igpoRecord } from './igpo';
import { inspectEval, inspectJson } from './inspect';
import { openAiChatRecord } from './openaiChat';
import { r1SearcherRecord } from './r1searcher';
import { searchR1Record } from './searchR1';
import { IMPORT_FORMATS, type ImportContext, type ImportFormat, type ImportResult, type Parsed } from './types';

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
}

export async function importFile(path: string, options: ImportOptions = {}): Promise<ImportResult> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw fileError(e, path, 'read');
  }
  if (isGzip(bytes)) bytes = gunzipSync(bytes);
  const createdAt = options.createdAt ?? (await stat(path)).mtime.toISOString();
  return importBytes(bytes, { ...options, createdAt, file: path });
}

function importBytes(bytes: Uint8Array, options: ImportOptions & { file: string }): ImportResult {
  if (bytes.every((b) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09)) throw new InputError('the file is empty', options.file);
  const format = options.format ?? detectFormat(bytes);
  if (!format) {
    throw new InputError(
      'cannot tell the format of this file',
      options.file,
      undefined,
      `say which with --format (import) or --from (export): ${IMPORT_FORMATS.join(', ')}`,
    );
  }
  const ctx = contextFor(options);
  const parsed = parseAs(format, bytes, ctx);
  const problems = [...parsed.problems];
  const trajectories: Trajectory[] = [];
  for (const read of parsed.trajectories) {
    const t = options.analyze === false ? read : analyzeTrajectory(read);
    // What an importer makes must meet the trace contract like any trace file; a record it cannot map is reported, not kept.
    const v = validateTrajectory(t);
    if (v.ok) trajectories.push(t);
    else problems.push({ line: t.source?.line ?? 0, reason: `read as a trajectory that breaks the trace schema: ${v.errors.join('; ')}` });
  }
  problems.sort((a, b) => a.line - b.line);
  return { trajectories, problems, format };
}

export function importText(text: string, options: ImportOptions & { file: string }): ImportResult {
  return importBytes(new TextEncoder().encode(text), options);
}

function parseAs(format: ImportFormat, bytes: Uint8Array, ctx: ImportContext): Parsed {
  if (isZip(bytes) && format !== 'inspect') {
    throw new InputError(`this is a zip archive, not ${format} text`, ctx.file, undefined, 'only Inspect .eval logs are zips');
  }
  const text = () => new TextDecoder().decode(bytes);
  switch (format) {
    case 'r1searcher':
      return readJsonl(text(), (v, line) => r1SearcherRecord(v, line, ctx));
    case 'search-r1':
      return readJsonl(text(), (v, line) => searchR1Record(v, line, ctx));
    case 'openai-chat': {
      const body = text();
      // A whole JSON array of messages is one conversation; JSONL is one per line.
      const whole = body.trimStart().startsWith('[') ? tryParse(body) : undefined;
      if (Array.isArray(whole) && whole.every((m) => m && typeof m === 'object' && 'role' in m)) {
        return readJsonl(JSON.stringify(whole), (v, line) => openAiChatRecord(v, line, ctx));
      }
      return readJsonl(body, (v, line) => openAiChatRecord(v, line, ctx));
    }
    case 'inspect':
      return isZip(bytes) ? inspectEval(bytes, ctx) : inspectJson(text(), ctx);
    case 'igpo':
      return readJsonl(text(), (v, line) => igpoRecord(v, line, ctx));
    case 'hopscope':
      return readJsonl(text(), (v, line) => hopscopeRecord(v, line, ctx));
    default: {
      const never: never = format;
      throw new InputError(`unknown format ${String(never)}`, ctx.file);
    }
  }
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function contextFor(options: ImportOptions & { file: string }): ImportContext {
  const stem = basename(options.file).replace(/\.gz$/, '').replace(/\.(jsonl|json|eval|txt)$/, '');
  const runId = options.runId ?? stem.replace(/\.shared$/, '');
  const dataset = /^[A-Za-z0-9-]+/.exec(stem)?.[0];
  return { file: options.file, runId, dataset, createdAt: options.createdAt ?? new Date(0).toISOString() };
}
