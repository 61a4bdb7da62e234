/**
 * The text search inside what a trajectory's summary does not hold: search queries, retrieved documents
 * (title and text) and reasoning. Parses only the lines whose raw JSON contains the words, then checks the
 * parsed steps (so a match in an id or a gold answer does not count). Used on the extension host for a
 * file held in memory and on the store worker (src/core/storeHost) for a file held in the trace store.
 */
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { assertReadableInside, READ_NO_FOLLOW } from '../confinedPath';
import { errorMessage, fileError, InputError } from '../errors';
import type { Trajectory } from '../trace';
import { readTraceLine } from './summary';

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
 * batches it yields to the event loop, so a search through a large file never holds its thread long.
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
      const read = readTraceLine(raw);
      if ('trajectory' in read && mentions(read.trajectory, q)) out.push(`${file}#${id}`);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return out;
}

/** Where a store's rows live in their file, in file order (TraceStore.spans). */
export interface SpanSource {
  spans(fromIdx: number, limit: number): Promise<Array<{ idx: number; id: string; offset: number; length: number }>>;
}

/** Rows per batch a store-held file's search reads. */
const SEARCH_BATCH = 500;

/**
 * The search over a store-held file: the store gives each batch's byte ranges, one read covers the batch.
 * `roots`: a workspace file, read only when it is a real file inside them (no symbolic link).
 */
export async function searchStoredFile(store: SpanSource, file: string, needle: string, opts: { roots?: readonly string[]; signal?: { cancelled: boolean } } = {}): Promise<string[]> {
  if (!needle) return [];
  let fh: FileHandle;
  try {
    if (opts.roots) await assertReadableInside(opts.roots, file);
    fh = await open(file, opts.roots ? READ_NO_FOLLOW : 'r');
  } catch (e) {
    throw e instanceof InputError ? e : fileError(e, file, 'read');
  }
  async function* batches(): AsyncGenerator<RawLine[]> {
    for (let from = 0; ; ) {
      const spans = await store.spans(from, SEARCH_BATCH);
      if (!spans.length || opts.signal?.cancelled) return;
      const first = spans[0]!;
      const last = spans[spans.length - 1]!;
      // The batch's lines lie one after another: one read covers them all.
      const buf = Buffer.alloc(last.offset + last.length - first.offset);
      const { bytesRead } = await fh.read(buf, 0, buf.length, first.offset);
      const got = buf.subarray(0, bytesRead);
      yield spans.map((s) => ({ id: s.id, raw: got.toString('utf8', s.offset - first.offset, s.offset - first.offset + s.length) }));
      from = last.idx + 1;
    }
  }
  try {
    return await searchLines(file, batches(), needle, opts.signal);
  } catch (e) {
    throw new InputError(`cannot search the trace file: ${errorMessage(e)}`, file, undefined, 'the file may have changed: refresh the Traces view');
  } finally {
    await fh.close();
  }
}
