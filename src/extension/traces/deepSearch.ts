/**
 * The trajectories table's text search inside what the tree's summaries do not hold: search queries, retrieved
 * documents (title and text) and reasoning, for a file held in memory (a store-held file is searched on the
 * store worker).
 * No vscode import: tested on Node.
 */
import { searchLines, type RawLine } from '../../core/traces/textSearch';
import type { TraceFileIndex } from './traceFileIndex';

// The search itself is core (src/core/traces/textSearch.ts): the store worker runs it for store-held files.
export { mentions, searchLines, type RawLine } from '../../core/traces/textSearch';

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
