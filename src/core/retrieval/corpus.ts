/**
 * Corpus JSONL in the community formats, one record per line, each keeping its own `id`:
 * `{id, contents}` with the title on the first line of `contents` (FlashRAG, Search-R1; the title is often
 * quoted) and `{id, title, text}`. Bad lines are reported by line number and skipped, never fatal.
 */
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { DEFAULT_DECOMPRESS_LIMITS, fileBytes } from '../decompress';
import { lineBatches } from '../lineReader';

export interface CorpusRecord {
  id: string;
  title: string;
  text: string;
}

export interface CorpusProblem {
  line: number;
  reason: string;
}

/** A record from one parsed line, or why the line is not one. */
export function parseCorpusLine(line: string): CorpusRecord | { problem: string } {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (e) {
    return { problem: `not valid JSON (${(e as Error).message})` };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { problem: 'not a JSON object' };
  const o = v as Record<string, unknown>;
  const rawId = o.id ?? o._id ?? o.docid;
  if (typeof rawId !== 'string' && typeof rawId !== 'number') return { problem: 'no "id" (string or number)' };
  const id = String(rawId);
  if (typeof o.contents === 'string') {
    const nl = o.contents.indexOf('\n');
    const first = nl < 0 ? o.contents : o.contents.slice(0, nl);
    const rest = nl < 0 ? '' : o.contents.slice(nl + 1);
    const title = typeof o.title === 'string' ? o.title : unquote(first.trim());
    return { id, title, text: typeof o.title === 'string' ? o.contents : rest };
  }
  if (typeof o.text === 'string') return { id, title: typeof o.title === 'string' ? o.title : '', text: o.text };
  return { problem: 'neither "contents" nor "text" is a string' };
}

/**
 * Streams a corpus file (`.jsonl` or `.jsonl.gz`) in batches of records, calling `onProblem` for each line
 * it skips; `hash` (if given) sees the file's (decompressed) bytes.
 */
export async function* readCorpus(
  file: string,
  onProblem: (p: CorpusProblem) => void,
  hash?: { update(data: Buffer): unknown },
): AsyncGenerator<Array<CorpusRecord & { line: number }>> {
  const seen = new Set<string>();
  for await (const lines of lineBatches(hashedBytes(file, hash), { onBadLine: onProblem })) {
    const batch: Array<CorpusRecord & { line: number }> = [];
    for (const { line: n, text: line } of lines) {
      if (line.trim() === '') continue;
      const r = parseCorpusLine(line);
      if ('problem' in r) {
        onProblem({ line: n, reason: r.problem });
        continue;
      }
      if (seen.has(r.id)) {
        onProblem({ line: n, reason: `duplicate id "${r.id}"` });
        continue;
      }
      seen.add(r.id);
      batch.push({ ...r, line: n });
    }
    yield batch;
  }
}

/** The file's bytes (gunzipped when gzip), a megabyte at a time (several times faster than readline), shown to `hash`. */
async function* hashedBytes(file: string, hash?: { update(data: Buffer): unknown }): AsyncGenerator<Buffer> {
  for await (const chunk of fileBytes(file, DEFAULT_DECOMPRESS_LIMITS, 1 << 20)) {
    hash?.update(chunk);
    yield chunk;
  }
}

/** Does this file look like a corpus (`.jsonl[.gz]` whose first line parses as a record)? `head`: its first bytes. */
export function looksLikeCorpus(file: string, head: Buffer): boolean {
  if (!/\.jsonl(\.gz)?$/i.test(file)) return false;
  let text: string;
  try {
    // A truncated gzip head inflates as far as it goes with a sync flush.
    text = (file.toLowerCase().endsWith('.gz') ? gunzipSync(head, { finishFlush: zlibConstants.Z_SYNC_FLUSH }) : head).toString('utf8');
  } catch {
    return false;
  }
  const first = text.replace(/^\uFEFF/, '').split('\n', 1)[0]!.replace(/\r$/, '');
  return !('problem' in parseCorpusLine(first));
}

function unquote(s: string): string {
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s;
}
