/**
 * Reading an input file's bytes as a stream, gunzipped when it is gzip, and the entries of a zip archive
 * one at a time, with caps on what decompression may produce. A 5 MB gzip or zip can expand to gigabytes
 * (and the same code runs inside the editor's extension host), so output is counted as it is produced
 * and a cap stops it with an error naming the file, instead of memory running out.
 */
import { createReadStream, promises as fs } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { Unzip, UnzipInflate, UnzipPassThrough } from 'fflate';
import { fileError, InputError } from './errors';

export interface DecompressLimits {
  /** Most bytes one file may decompress to in all (a gzip stream, or all entries of a zip together). */
  maxTotalBytes: number;
  /** Most bytes one zip entry (or one whole-JSON document, which is held in memory) may decompress to. */
  maxEntryBytes: number;
}

const MiB = 1024 * 1024;
/** Defaults: generous for real RL dumps (which stream), small enough that the editor stays up. */
export const DEFAULT_DECOMPRESS_LIMITS: DecompressLimits = { maxTotalBytes: 16 * 1024 * MiB, maxEntryBytes: 256 * MiB };

/** Where a user raises the caps, for the hint of the error. */
const RAISE_HINT = 'raise --max-decompressed-mb / --max-entry-mb (CLI) or hopscope.limits.maxDecompressedMB / maxEntryMB (settings) if the file is trusted';

export class DecompressLimitError extends InputError {
  constructor(file: string, what: string, cap: number) {
    super(`${what} decompresses to more than ${formatBytes(cap)}; stopped`, file, undefined, RAISE_HINT);
  }
}

export function formatBytes(n: number): string {
  return n >= 1024 * MiB ? `${+(n / (1024 * MiB)).toFixed(1)} GiB` : n >= MiB ? `${+(n / MiB).toFixed(1)} MiB` : `${n} bytes`;
}

export type Compression = 'gzip' | 'zip' | undefined;

/** The compression a file's first bytes announce. */
export async function compressionOf(file: string): Promise<Compression> {
  let h: fs.FileHandle;
  try {
    h = await fs.open(file, 'r');
  } catch (e) {
    throw fileError(e, file, 'read');
  }
  try {
    const b = Buffer.alloc(4);
    const { bytesRead } = await h.read(b, 0, 4, 0);
    if (bytesRead >= 2 && b[0] === 0x1f && b[1] === 0x8b) return 'gzip';
    if (bytesRead >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) return 'zip';
    return undefined;
  } catch (e) {
    // A directory opens and fails on the read.
    throw fileError(e, file, 'read');
  } finally {
    await h.close();
  }
}

/** A file's bytes, chunk by chunk, gunzipped when it is gzip; stops with DecompressLimitError past `maxTotalBytes`. */
export async function* fileBytes(file: string, limits: DecompressLimits = DEFAULT_DECOMPRESS_LIMITS, chunkBytes = 1 << 16): AsyncGenerator<Buffer> {
  const gzip = (await compressionOf(file)) === 'gzip';
  const raw = createReadStream(file, { highWaterMark: chunkBytes });
  const input = gzip ? raw.pipe(createGunzip({ chunkSize: chunkBytes })) : raw;
  if (gzip) raw.once('error', (e) => input.destroy(e));
  let total = 0;
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (gzip && total > limits.maxTotalBytes) throw new DecompressLimitError(file, 'the gzip stream', limits.maxTotalBytes);
      yield chunk;
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code.startsWith('Z_')) throw new InputError(`not a readable gzip file (${(e as Error).message})`, file);
    throw fileError(e, file, 'read');
  } finally {
    raw.destroy();
    input.destroy();
  }
}

/** A zip entry read whole, or why it was not. */
export type ZipEntry = { name: string; bytes: Uint8Array } | { name: string; problem: string };

/**
 * The entries of a zip archive whose name `want` accepts, each decompressed whole (they are JSON
 * documents), in archive order. An entry past `maxEntryBytes` is reported and skipped; all entries
 * together past `maxTotalBytes` stop the read with DecompressLimitError.
 */
export async function* zipEntries(file: string, want: (name: string) => boolean, limits: DecompressLimits = DEFAULT_DECOMPRESS_LIMITS): AsyncGenerator<ZipEntry> {
  const ready: ZipEntry[] = [];
  let total = 0;
  let fatal: Error | undefined;
  const unzip = new Unzip((entry) => {
    if (!want(entry.name)) return;
    const parts: Uint8Array[] = [];
    let size = 0;
    let dead = false;
    entry.ondata = (err, chunk, final) => {
      if (dead) return;
      if (err) {
        dead = true;
        ready.push({ name: entry.name, problem: `cannot decompress (${err.message})` });
        return;
      }
      size += chunk.length;
      if (size > limits.maxEntryBytes) {
        dead = true;
        ready.push({ name: entry.name, problem: `decompresses to more than ${formatBytes(limits.maxEntryBytes)}; skipped (${RAISE_HINT})` });
        entry.terminate();
        return;
      }
      // Only what is kept counts toward the total: a skipped entry holds no memory.
      total += chunk.length;
      if (total > limits.maxTotalBytes) {
        dead = true;
        fatal ??= new DecompressLimitError(file, `the archive (at ${entry.name})`, limits.maxTotalBytes);
        entry.terminate();
        return;
      }
      parts.push(chunk);
      if (final) ready.push({ name: entry.name, bytes: Buffer.concat(parts) });
    };
    entry.start();
  });
  unzip.register(UnzipInflate);
  unzip.register(UnzipPassThrough);
  // Small pushes: fflate inflates all it is given at once, and deflate expands at most ~1,032×.
  const raw = createReadStream(file, { highWaterMark: 8 * 1024 });
  try {
    for await (const chunk of raw as AsyncIterable<Buffer>) {
      try {
        unzip.push(chunk);
      } catch (e) {
        throw new InputError(`not a readable zip archive (${(e as Error).message})`, file);
      }
      if (fatal) throw fatal;
      yield* ready.splice(0);
    }
    unzip.push(new Uint8Array(0), true);
    if (fatal) throw fatal;
    yield* ready.splice(0);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw fileError(e, file, 'read');
  } finally {
    raw.destroy();
  }
}

/** A whole stream as one buffer, for formats that are one JSON document; capped at `maxEntryBytes`. */
export async function collectCapped(chunks: AsyncIterable<Uint8Array>, file: string, limits: DecompressLimits): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const c of chunks) {
    size += c.length;
    if (size > limits.maxEntryBytes) throw new DecompressLimitError(file, 'this whole-JSON file (read at once)', limits.maxEntryBytes);
    parts.push(c);
  }
  return Buffer.concat(parts);
}
