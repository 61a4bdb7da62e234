/**
 * One term's postings compressed in blocks of BLOCK postings, as 32-bit words:
 *
 *   skip table: per block [last doc, end (word offset of the block's end), widths, max tf (f32), min length (f32)]
 *   blocks:     doc gaps (doc − previous doc − 1) bit-packed at the block's width, then the tfs: bit-packed
 *               (tf − 1) when every tf of the block is a whole number (the usual case: boosts are whole),
 *               else raw float32, so every tf decodes to exactly the value it was written with.
 *
 * The skip table is what block-max pruning needs: a search finds the block holding a document from the
 * last docs, and bounds any score in a block from its max tf and min length (BM25's term score grows
 * with tf and falls with length) without decoding it. A block is decoded only when a search reads it.
 */

export const BLOCK = 128;
/** Document numbers are 32-bit, and 2^32 − 1 marks the end of a list (postingsCursor.ts). */
const MAX_DOCS = 0xffffffff;
/** Words per skip-table entry. */
const SKIP = 5;
/** The tf width that marks raw float32 tfs. */
const RAW_TFS = 0xff;
/** Whole tfs up to this are bit-packed: float32 holds every whole number up to 2^24 exactly. */
const MAX_PACKED_TF = 2 ** 24;

/** A term's postings as stored: the words above and the number of postings. */
export class BlockPostings {
  readonly blocks: number;
  private readonly floats: Float32Array;

  constructor(
    readonly words: Uint32Array,
    readonly df: number,
  ) {
    this.blocks = Math.ceil(df / BLOCK);
    this.floats = new Float32Array(words.buffer, words.byteOffset, words.length);
    if (words.length < this.blocks * SKIP || (this.blocks > 0 && words[(this.blocks - 1) * SKIP + 1] !== words.length)) {
      throw new Error('a term’s postings are shorter than their skip table says');
    }
  }

  get byteLength(): number {
    return this.words.byteLength;
  }

  /** The last document of block b. */
  last(b: number): number {
    return this.words[b * SKIP];
  }

  maxTf(b: number): number {
    return this.floats[b * SKIP + 3];
  }

  minLength(b: number): number {
    return this.floats[b * SKIP + 4];
  }

  /** Decodes block b into the start of `docs` and `tfs`; returns how many postings it holds (at most BLOCK). */
  decode(b: number, docs: Uint32Array, tfs: Float32Array): number {
    const w = this.words;
    const n = Math.min(BLOCK, this.df - b * BLOCK);
    const at = b === 0 ? this.blocks * SKIP : w[(b - 1) * SKIP + 1];
    const widths = w[b * SKIP + 2];
    const wd = widths & 0xff;
    const wt = widths >>> 8;
    unpackDocs(w, at, wd, n, b === 0 ? -1 : w[(b - 1) * SKIP], docs);
    const tfAt = at + ((n * wd + 31) >>> 5);
    if (wt === RAW_TFS) {
      for (let i = 0; i < n; i++) tfs[i] = this.floats[tfAt + i];
    } else unpackTfs(w, tfAt, wt, n, tfs);
    return n;
  }

  /** Every posting, decoded (exhaustive scoring, loading a segment whole), into `docs` and `tfs` if given. */
  decodeAll(docs = new Uint32Array(this.df), tfs = new Float32Array(this.df)): { docs: Uint32Array; tfs: Float32Array } {
    for (let b = 0; b < this.blocks; b++) this.decode(b, docs.subarray(b * BLOCK), tfs.subarray(b * BLOCK));
    return { docs, tfs };
  }
}

/**
 * Encodes one term's postings, in strictly increasing document order, with `lengths` the segment's
 * document lengths (for each block's min length).
 */
export function encodePostings(docs: ArrayLike<number>, tfs: ArrayLike<number>, lengths: ArrayLike<number>): Uint32Array {
  const df = docs.length;
  const blocks = Math.ceil(df / BLOCK);
  const out = new WordWriter(blocks * SKIP + Math.ceil(df / 2) + 8);
  out.length = blocks * SKIP;
  const skip = out;
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  const floatBits = (x: number) => {
    f32[0] = x;
    return u32[0];
  };
  const gaps = new Uint32Array(BLOCK);
  const packedTfs = new Uint32Array(BLOCK);
  let prev = -1;
  for (let b = 0; b < blocks; b++) {
    const from = b * BLOCK;
    const n = Math.min(BLOCK, df - from);
    let maxGap = 0;
    let maxTf = 0;
    let maxPacked = 0;
    let whole = true;
    let minLength = Infinity;
    for (let i = 0; i < n; i++) {
      const d = docs[from + i];
      if (!(d > prev)) throw new Error(`postings out of document order (${d} after ${prev})`);
      if (d >= MAX_DOCS) throw new Error(`document number ${d} is beyond a segment's ${MAX_DOCS}`);
      const gap = d - prev - 1;
      gaps[i] = gap;
      if (gap > maxGap) maxGap = gap;
      prev = d;
      const tf = tfs[from + i];
      if (tf > maxTf) maxTf = tf;
      if (whole && Number.isInteger(tf) && tf >= 1 && tf <= MAX_PACKED_TF) {
        packedTfs[i] = tf - 1;
        if (tf - 1 > maxPacked) maxPacked = tf - 1;
      } else whole = false;
      const len = lengths[d];
      if (len < minLength) minLength = len;
    }
    const wd = bitsFor(maxGap);
    const wt = whole ? bitsFor(maxPacked) : RAW_TFS;
    out.pack(gaps, n, wd);
    if (whole) out.pack(packedTfs, n, wt);
    else for (let i = 0; i < n; i++) out.push(floatBits(tfs[from + i]));
    const e = b * SKIP;
    skip.set(e, prev);
    skip.set(e + 1, out.length);
    skip.set(e + 2, wd | (wt << 8));
    skip.set(e + 3, floatBits(maxTf));
    skip.set(e + 4, floatBits(minLength));
  }
  return out.take();
}

function bitsFor(max: number): number {
  return max === 0 ? 0 : 32 - Math.clz32(max);
}

const MASKS = Array.from({ length: 33 }, (_, w) => (w === 32 ? 0xffffffff : (1 << w) - 1) >>> 0);

/** The `width`-bit value starting `bit` bits into the words from `at` (low bits first; width 1..32). */
function bitsAt(words: Uint32Array, at: number, bit: number, width: number): number {
  const word = at + (bit >>> 5);
  const shift = bit & 31;
  let v = words[word] >>> shift;
  if (shift + width > 32) v |= words[word + 1] << (32 - shift);
  return (v & MASKS[width]) >>> 0;
}

// Two readers of bit-packed values, one each for docs and tfs, so each stays monomorphic in the array it writes.

/** n doc gaps of `width` bits from word `at`, turned into documents after `prev`. */
function unpackDocs(words: Uint32Array, at: number, width: number, n: number, prev: number, out: Uint32Array): void {
  for (let i = 0; i < n; i++) {
    prev += (width === 0 ? 0 : bitsAt(words, at, i * width, width)) + 1;
    out[i] = prev;
  }
}

/** n values of `width` bits from word `at`, each a tf − 1. */
function unpackTfs(words: Uint32Array, at: number, width: number, n: number, out: Float32Array): void {
  for (let i = 0; i < n; i++) out[i] = (width === 0 ? 0 : bitsAt(words, at, i * width, width)) + 1;
}

/** A growable array of 32-bit words. */
class WordWriter {
  private buf: Uint32Array;
  length = 0;

  constructor(capacity: number) {
    this.buf = new Uint32Array(Math.max(16, capacity));
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    const next = new Uint32Array(Math.max(this.buf.length * 2, this.length + extra));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  set(i: number, v: number): void {
    this.buf[i] = v;
  }

  push(v: number): void {
    this.reserve(1);
    this.buf[this.length++] = v;
  }

  /** Appends n values of `width` bits, low bits first, padded to a whole word. */
  pack(values: Uint32Array, n: number, width: number): void {
    if (width === 0) return;
    const words = (n * width + 31) >>> 5;
    this.reserve(words);
    const buf = this.buf;
    buf.fill(0, this.length, this.length + words);
    let bit = 0;
    for (let i = 0; i < n; i++) {
      const word = this.length + (bit >>> 5);
      const shift = bit & 31;
      const v = values[i];
      buf[word] |= v << shift;
      if (shift + width > 32) buf[word + 1] |= v >>> (32 - shift);
      bit += width;
    }
    this.length += words;
  }

  take(): Uint32Array {
    return this.buf.slice(0, this.length);
  }
}
