/**
 * A segment opened for reading on demand: opening reads its term dictionary, passage ids, lengths and
 * doc-store offsets; a term's postings and a passage's text are read from the files (at their offsets)
 * only when a query needs them, so a cold process answers its first query without loading the index.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { PostingsSnapshot } from './bm25';
import type { StoredPassage } from './indexStore';
import { aligned, docsFile, layoutOf, postingsFile, type SegmentLayout } from './segmentFiles';

const CHUNK_BYTES = 16 << 20;

export interface TermPostings {
  docs: Uint32Array;
  tfs: Float32Array;
}

export class SegmentReader {
  readonly ids: string[];
  readonly lengths: Float32Array;
  private readonly terms: string[];
  private readonly termIndex = new Map<string, number>();
  private readonly offsets: Uint32Array;
  private readonly docOffsets: Float64Array;

  private constructor(
    readonly name: string,
    private readonly layout: SegmentLayout,
    head: Buffer,
    private readonly postingsFd: number,
    private readonly docsFd: number,
  ) {
    const l = layout;
    const terms = l.nTerms === 0 ? [] : head.toString('utf8', l.terms[0], l.terms[0] + l.terms[1]).split('\n');
    this.terms = terms;
    for (let t = 0; t < terms.length; t++) this.termIndex.set(terms[t], t);
    this.ids = JSON.parse(head.toString('utf8', l.ids[0], l.ids[0] + l.ids[1])) as string[];
    this.offsets = new Uint32Array(aligned(head, l.offsets, 4 * (l.nTerms + 1)));
    this.lengths = new Float32Array(aligned(head, l.lengths, 4 * l.nDocs));
    this.docOffsets = new Float64Array(aligned(head, l.docOffsets, 8 * (l.nDocs + 1)));
    if (terms.length !== l.nTerms || this.ids.length !== l.nDocs || this.offsets[l.nTerms] !== l.nPostings) {
      throw new Error(`${name}: the postings are inconsistent`);
    }
  }

  static open(dir: string, name: string): SegmentReader {
    const fd = openSync(postingsFile(dir, name), 'r');
    let docsFd: number | undefined;
    try {
      const header = readAt(fd, 0, 32);
      const layout = layoutOf(header, name);
      const head = readAt(fd, 0, layout.docs);
      docsFd = openSync(docsFile(dir, name), 'r');
      return new SegmentReader(name, layout, head, fd, docsFd);
    } catch (e) {
      closeSync(fd);
      if (docsFd !== undefined) closeSync(docsFd);
      throw e;
    }
  }

  get size(): number {
    return this.layout.nDocs;
  }

  /** The term's postings in this segment (deleted passages included), or undefined. */
  postings(term: string): TermPostings | undefined {
    const t = this.termIndex.get(term);
    if (t === undefined) return undefined;
    const from = this.offsets[t];
    const n = this.offsets[t + 1] - from;
    const docs = new Uint32Array(n);
    const tfs = new Float32Array(n);
    readInto(this.postingsFd, this.layout.docs + 4 * from, new Uint8Array(docs.buffer));
    readInto(this.postingsFd, this.layout.tfs + 4 * from, new Uint8Array(tfs.buffer));
    return { docs, tfs };
  }

  passage(doc: number): StoredPassage {
    const from = this.docOffsets[doc];
    const line = readAt(this.docsFd, from, this.docOffsets[doc + 1] - from).toString('utf8');
    return JSON.parse(line) as StoredPassage;
  }

  /** The whole segment in memory, for an index about to be updated. */
  snapshot(): PostingsSnapshot {
    const l = this.layout;
    return {
      terms: this.terms,
      offsets: this.offsets,
      docs: new Uint32Array(readInto(this.postingsFd, l.docs, new Uint8Array(4 * l.nPostings)).buffer),
      tfs: new Float32Array(readInto(this.postingsFd, l.tfs, new Uint8Array(4 * l.nPostings)).buffer),
      lengths: this.lengths,
      passages: this.allPassages(),
    };
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
