/**
 * A segment opened for reading on demand: opening reads its term dictionary, passage ids, lengths and
 * doc-store offsets (one read, nothing parsed); a term's postings and a passage's text are read from the files (at their offsets)
 * only when a query needs them, so a cold process answers its first query without loading the index.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { PostingsSnapshot } from './bm25';
import type { StoredPassage } from './indexStore';
import { BlockPostings } from './postingsCodec';
import { docsFile, layoutOf, postingsFile, SEGMENT_HEADER_BYTES, type SegmentLayout } from './segmentFiles';

const CHUNK_BYTES = 16 << 20;

export class SegmentReader {
  readonly lengths: Float32Array;
  private readonly termStarts: Uint32Array;
  private readonly termOrder: Uint32Array;
  private readonly idStarts: Uint32Array;
  private readonly offsets: Uint32Array;
  private readonly termWords: Uint32Array;
  private readonly docOffsets: Float64Array;
  private idCache: string[] | undefined;

  private constructor(
    readonly name: string,
    private readonly layout: SegmentLayout,
    /** Everything after the postings, used in place (sections are 8-byte aligned in the file and here). */
    private readonly head: Buffer,
    private readonly postingsFd: number,
    private readonly docsFd: number,
  ) {
    const l = layout;
    const ab = head.buffer;
    this.termStarts = new Uint32Array(ab, l.termStarts, l.nTerms + 1);
    this.termOrder = new Uint32Array(ab, l.termOrder, l.nTerms);
    this.idStarts = new Uint32Array(ab, l.idStarts, l.nDocs + 1);
    this.offsets = new Uint32Array(ab, l.offsets, l.nTerms + 1);
    this.termWords = new Uint32Array(ab, l.termWords, l.nTerms + 1);
    this.lengths = new Float32Array(ab, l.lengths, l.nDocs);
    this.docOffsets = new Float64Array(ab, l.docOffsets, l.nDocs + 1);
    const postingsEnd = l.postings + 4 * this.termWords[l.nTerms];
    if (this.offsets[l.nTerms] !== l.nPostings || this.termStarts[l.nTerms] > l.ids - l.terms || postingsEnd > l.head) throw new Error(`${name}: the postings are inconsistent`);
  }

  static open(dir: string, name: string): SegmentReader {
    const fd = openSync(postingsFile(dir, name), 'r');
    let docsFd: number | undefined;
    try {
      const layout = layoutOf(readInto(fd, 0, Buffer.alloc(SEGMENT_HEADER_BYTES)), name);
      // A buffer of its own (offset 0), so typed arrays can view it in place.
      const head = readInto(fd, layout.head, Buffer.from(new ArrayBuffer(layout.end - layout.head)));
      docsFd = openSync(docsFile(dir, name), 'r');
      return new SegmentReader(name, layout, head, fd, docsFd);
    } catch (e) {
      closeSync(fd);
      if (docsFd !== undefined) closeSync(docsFd);
      throw e;
    }
  }

  /** Passage `doc`'s id. */
  id(doc: number): string {
    const at = this.layout.ids;
    return this.head.toString('utf8', at + this.idStarts[doc], at + this.idStarts[doc + 1]);
  }

  /** Every passage id, in segment order. */
  ids(): string[] {
    if (!this.idCache) this.idCache = Array.from({ length: this.size }, (_, d) => this.id(d));
    return this.idCache;
  }

  /**
   * The document whose id is `id`, or undefined: a native byte search of the ids blob, each hit checked
   * to be a whole id (an id can occur inside a longer one), so an update finds a file's passages without
   * decoding every id.
   */
  findId(id: string): number | undefined {
    const l = this.layout;
    const blob = this.head.subarray(l.ids, l.ids + this.idStarts[l.nDocs]);
    const needle = Buffer.from(id, 'utf8');
    if (needle.length === 0) return undefined;
    for (let at = blob.indexOf(needle); at >= 0; at = blob.indexOf(needle, at + 1)) {
      let lo = 0;
      let hi = l.nDocs - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (this.idStarts[mid] <= at) lo = mid;
        else hi = mid - 1;
      }
      if (this.idStarts[lo] === at && this.idStarts[lo + 1] === at + needle.length) return lo;
    }
    return undefined;
  }

  /** How many passages of this segment (deleted ones included) hold the term: the dictionary alone, no postings read. */
  docFreq(term: string): number {
    const t = this.termIndex(term);
    return t === undefined ? 0 : this.offsets[t + 1] - this.offsets[t];
  }

  /** The k-th term in sorted order. */
  private sortedTerm(k: number): string {
    const at = this.layout.terms;
    return this.head.toString('utf8', at + this.termStarts[k], at + this.termStarts[k + 1]);
  }

  /** The term's index (its postings range), by binary search over the sorted terms. */
  private termIndex(term: string): number | undefined {
    let lo = 0;
    let hi = this.layout.nTerms - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const t = this.sortedTerm(mid);
      if (t === term) return this.termOrder[mid];
      if (t < term) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  get size(): number {
    return this.layout.nDocs;
  }

  /** The term's postings in this segment (deleted passages included), compressed, or undefined. */
  postings(term: string): BlockPostings | undefined {
    const t = this.termIndex(term);
    return t === undefined ? undefined : this.termPostings(t);
  }

  private termPostings(t: number): BlockPostings {
    const from = this.termWords[t];
    const words = new Uint32Array(this.termWords[t + 1] - from);
    readInto(this.postingsFd, this.layout.postings + 4 * from, new Uint8Array(words.buffer));
    return new BlockPostings(words, this.offsets[t + 1] - this.offsets[t]);
  }

  passage(doc: number): StoredPassage {
    const from = this.docOffsets[doc];
    const line = readAt(this.docsFd, from, this.docOffsets[doc + 1] - from).toString('utf8');
    return JSON.parse(line) as StoredPassage;
  }

  /** The whole segment in memory, for an index about to be updated. */
  snapshot(): PostingsSnapshot {
    const l = this.layout;
    const terms = new Array<string>(l.nTerms);
    for (let k = 0; k < l.nTerms; k++) terms[this.termOrder[k]] = this.sortedTerm(k);
    const docs = new Uint32Array(l.nPostings);
    const tfs = new Float32Array(l.nPostings);
    const words = this.termWords;
    // Terms read a chunk of about CHUNK_BYTES at a time: one read per chunk, not per term.
    for (let t = 0; t < l.nTerms; ) {
      let u = t + 1;
      while (u < l.nTerms && 4 * (words[u + 1] - words[t]) <= CHUNK_BYTES) u++;
      const chunk = readInto(this.postingsFd, l.postings + 4 * words[t], new Uint8Array(4 * (words[u] - words[t])));
      const inChunk = new Uint32Array(chunk.buffer);
      const first = words[t];
      for (; t < u; t++) {
        const term = new BlockPostings(inChunk.subarray(words[t] - first, words[t + 1] - first), this.offsets[t + 1] - this.offsets[t]);
        term.decodeAll(docs.subarray(this.offsets[t]), tfs.subarray(this.offsets[t]));
      }
    }
    return { terms, offsets: this.offsets, docs, tfs, lengths: this.lengths, passages: this.allPassages() };
  }

  /** Every passage, read in chunks of about CHUNK_BYTES so no string grows near V8's limit. */
  private allPassages(): StoredPassage[] {
    const out: StoredPassage[] = [];
    const at = this.docOffsets;
    for (let i = 0; i < this.size; ) {
      let j = i + 1;
      while (j < this.size && at[j + 1] - at[i] <= CHUNK_BYTES) j++;
      const buf = readAt(this.docsFd, at[i], at[j] - at[i]);
      for (let d = i; d < j; d++) out.push(JSON.parse(buf.toString('utf8', at[d] - at[i], at[d + 1] - at[i])) as StoredPassage);
      i = j;
    }
    return out;
  }

  close(): void {
    closeSync(this.postingsFd);
    closeSync(this.docsFd);
  }
}

function readAt(fd: number, position: number, bytes: number): Buffer {
  return readInto(fd, position, Buffer.allocUnsafe(bytes));
}

/** Fills `into` from the file at `position` (into a typed array's own buffer: no copy to align). */
function readInto<T extends Uint8Array>(fd: number, position: number, into: T): T {
  let got = 0;
  while (got < into.length) {
    const n = readSync(fd, into, got, into.length - got, position + got);
    if (n === 0) throw new Error('the segment file is shorter than its header says');
    got += n;
  }
  return into;
}
