/** Reading JSONL records one line at a time, turning every unreadable line into a reported problem. */
import { errorMessage, InputError } from '../errors';
import type { Trajectory } from '../trace';
import { linesOfText, parseJsonLine } from '../lineReader';
import type { ImportProblem, Parsed } from './types';

export type RecordReader = (value: unknown, line: number) => Trajectory | Trajectory[];

/** JSONL text held in memory, read record by record (same line rules as the streaming reader). */
export function readJsonl(text: string, read: RecordReader): Parsed {
  const trajectories: Trajectory[] = [];
  const problems: ImportProblem[] = [];
  for (const { line, text: src } of linesOfText(text, { onBadLine: (b) => problems.push(b) })) {
    for (const r of readLine(src, line, read)) {
      if ('problem' in r) problems.push({ line, reason: r.problem });
      else trajectories.push(r.trajectory);
    }
  }
  return { trajectories, problems };
}

/** One JSONL line through a record reader: its trajectories, or the one reason it gave none. */
export function readLine(src: string, line: number, read: RecordReader): Array<{ trajectory: Trajectory } | { problem: string }> {
  const parsed = parseJsonLine(src);
  if (!parsed) return [];
  if ('problem' in parsed) return [parsed];
  try {
    const out = read(parsed.value, line);
    return (Array.isArray(out) ? out : [out]).map((trajectory) => ({ trajectory }));
  } catch (e) {
    return [{ problem: recordProblem(e) }];
  }
}

/**
 * Why a record could not be read. Importers throw InputError for what is wrong with a record; anything
 * else is our bug, still reported against its record so one odd record never stops an import.
 */
export function recordProblem(e: unknown): string {
  return e instanceof InputError ? errorMessage(e) : `unexpected error while reading it (${errorMessage(e)})`;
}

/** The first JSON value of a JSONL text (or of a whole-JSON text), for format detection; undefined if none parses. */
export function firstRecord(text: string): unknown {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('[') || (trimmed.startsWith('{') && !firstLineIsWholeValue(trimmed))) {
    try {
      return JSON.parse(trimmed);
    } catch {
      /* fall through to line-wise */
    }
  }
  for (const { text: raw } of linesOfText(text).slice(0, 50)) {
    const src = raw.trim();
    if (!src) continue;
    try {
      return JSON.parse(src);
    } catch {
      continue;
    }
  }
  return undefined;
}

function firstLineIsWholeValue(text: string): boolean {
  const nl = text.indexOf('\n');
  if (nl < 0) return true;
  try {
    JSON.parse(text.slice(0, nl));
    return true;
  } catch {
    return false;
  }
}
