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

/**
 * Keys (`<file>#<id>`) of the summarised trajectories of an indexed file that mention `needle`. Read
 * through the index, so a workspace file is read under the same no-symlink rule as everywhere else.
 */
export async function searchFile(index: Pick<TraceFileIndex, 'file' | 'summaries' | 'readAll'>, needle: string, signal?: { cancelled: boolean }): Promise<string[]> {
  const q = needle.toLowerCase();
  if (!q) return [];
  const { file, summaries } = index;
  const buf = await index.readAll();
  const out: string[] = [];
  for (const s of summaries) {
    if (signal?.cancelled) break;
    const raw = buf.toString('utf8', s.offset, s.offset + s.length);
    // Cheap pre-filter on the raw line; JSON escapes (\" \n \u…) can hide a match, so only a plain-ASCII needle
    // without quotes or backslashes may skip a line on it.
    if (/^[\x20-\x7e]*$/.test(q) && !/["\\]/.test(q) && !raw.toLowerCase().includes(q)) continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      continue;
    }
    if (isTrajectory(value) && mentions(value, q)) out.push(`${file}#${s.id}`);
  }
  return out;
}
