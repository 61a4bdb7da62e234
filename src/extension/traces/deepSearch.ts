/**
 * The trajectories table's text search inside what the tree's summaries do not hold: search queries, retrieved
 * documents (title and text) and reasoning. Reads each trace file once per search, parses only the lines whose raw
 * JSON contains the words, then checks the parsed steps (so a match in an id or a gold answer does not count).
 * No vscode import: tested on Node.
 */
import type { Trajectory } from '../../core/trace';
import { isTrajectory } from '../../protocol';
import type { TraceFileIndex } from './traceFileIndex';

/** True when a query, a document or a reasoning / answer step of `t` contains `needle` (case-insensitive). */
export function mentions(t: Trajectory, needle: string): boolean {
  const q = needle.toLowerCase();
  const has = (s: string | undefined) => !!s && s.toLowerCase().includes(q);
  return t.steps.some((s) => (s.kind === 'search' ? has(s.query) || s.docs.some((d) => has(d.title) || has(d.text)) : has(s.text)));
}

/** One trajectory's line as stored in its file. */
export interface RawLine {
  id: string;
  raw: string;
}

/**
 * Keys (`<file>#<id>`) of the lines of `file` (given in batches, file order) that mention `needle`. Between
 * batches it yields to the event loop, so a search through a large file never holds the extension host long.
 */
export async function searchLines(file: string, batches: AsyncIterable<readonly RawLine[]>, needle: string, signal?: { cancelled: boolean }): Promise<string[]> {
  const q = needle.toLowerCase();
  if (!q) return [];
  // Cheap pre-filter on the raw line; JSON escapes (\" \n \u…) can hide a match, so only a plain-ASCII needle
  // without quotes or backslashes may skip a line on it.
  const prefilter = /^[\x20-\x7e]*$/.test(q) && !/["\\]/.test(q);
  const out: string[] = [];
  for await (const batch of batches) {
    for (const { id, raw } of batch) {
      if (signal?.cancelled) return out;
      if (prefilter && !raw.toLowerCase().includes(q)) continue;
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        continue;
      }
      if (isTrajectory(value) && mentions(value, q)) out.push(`${file}#${id}`);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return out;
}

/**
 * Keys (`<file>#<id>`) of the summarised trajectories of an indexed file that mention `needle`. Read
 * through the index, so a workspace file is read under the same no-symlink rule as everywhere else.
 */
export async function searchFile(index: Pick<TraceFileIndex, 'file' | 'summaries' | 'readAll'>, needle: string, signal?: { cancelled: boolean }): Promise<string[]> {
  if (!needle) return [];
  const { file, summaries } = index;
  const buf = await index.readAll();
  async function* batches(): AsyncGenerator<RawLine[]> {
    for (let i = 0; i < summaries.length; i += 500) {
      yield summaries.slice(i, i + 500).map((s) => ({ id: s.id, raw: buf.toString('utf8', s.offset, s.offset + s.length) }));
    }
  }
  return searchLines(file, batches(), needle, signal);
}
