/**
 * Reading one byte range of a file whole (a read may return less than asked: it reads on until the range or the
 * file ends), and decoding one line of it: shared by the run and trace-file range parsers.
 */
import * as buffer from 'node:buffer';
import { open } from 'node:fs/promises';
import { fileError } from './errors';

/**
 * `flags`: 'r', or READ_NO_FOLLOW (confinedPath.ts) for a workspace file, which must not be a symbolic link.
 * `into`: read into this buffer (from a RangeBuffers) when it is long enough, instead of a new one.
 */
export async function readFileRange(file: string, start: number, length: number, flags: string | number = 'r', into?: Buffer): Promise<Buffer> {
  let fh;
  try {
    fh = await open(file, flags);
  } catch (e) {
    throw fileError(e, file, 'read');
  }
  try {
    const buf = into && into.length >= length ? into : Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const { bytesRead } = await fh.read(buf, got, length - got, start + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  } finally {
    await fh.close();
  }
}

/**
 * Buffers for range reads, reused: a step file's range is megabytes, and a new buffer for each read is
 * fresh memory the kernel must map and zero, and external memory V8 counts towards its next collection
 * (on a run's ingest, a fifth of the workers' scavenges were for the read and decode buffers). A buffer
 * is taken for one read and its parse, then given back; at most `keep` wait to be taken again.
 */
export class RangeBuffers {
  private readonly spare: Buffer[] = [];
  /** The memory of the buffers this made (never Node's shared pool, which small allocUnsafe buffers come from). */
  private readonly own = new WeakSet<ArrayBufferLike>();

  constructor(private readonly keep = 2) {}

  take(length: number): Buffer {
    const i = this.spare.findIndex((b) => b.length >= length);
    if (i >= 0) return this.spare.splice(i, 1)[0]!;
    // Grown by half again, so a file growing line by line does not get a new buffer at each read.
    const buf = Buffer.allocUnsafeSlow(Math.ceil(length * 1.5));
    this.own.add(buf.buffer);
    return buf;
  }

  /** Back for another read: `buf` or any view of a buffer this made (others are left alone). */
  give(buf: Buffer): void {
    if (!this.own.has(buf.buffer)) return;
    this.spare.push(Buffer.from(buf.buffer, 0, buf.buffer.byteLength));
    // The largest are kept.
    if (this.spare.length > this.keep) this.spare.sort((a, b) => b.length - a.length).pop();
  }
}

// Node's own, present when it is built with ICU (Node's releases and Electron are): else the plain decode.
const transcode = typeof buffer.transcode === 'function' ? buffer.transcode : undefined;

/**
 * `buf.toString('utf8', from, to)`, for less. A rollout's (or trajectory's) line is a few KB of English with a few
 * non-ASCII characters (a dash, an accent), the first one within the prompt, and from there V8's UTF-8
 * decoder goes byte by byte, twice (it measures, then writes): that decode was a sixth of a run's
 * single-thread parse. Node's UTF-8 to UTF-16 transcode converts the same bytes in bulk to the same
 * characters, copied into a string as they are (on a run's lines, transcode then JSON.parse took 92 ms
 * against 125 for decode then parse). Only for well-formed UTF-8, where every decoder agrees (malformed
 * bytes become U+FFFD as V8 decides, and the transcode would refuse them); an all-ASCII line, checked
 * first, is copied byte for byte into a one-byte string.
 */
export function lineText(buf: Buffer, from: number, to: number): string {
  const bytes = buf.subarray(from, to);
  if (buffer.isAscii(bytes)) return buf.toString('latin1', from, to);
  if (transcode && buffer.isUtf8(bytes)) return transcode(bytes, 'utf8', 'ucs2').toString('ucs2');
  return buf.toString('utf8', from, to);
}
