/**
 * One immutable segment on disk: `<name>.postings` (term dictionary, postings and lengths as flat
 * binary arrays) and `<name>.docs` (its passages, one JSON line each). Both are written piece by piece
 * and read line by line, so no segment is ever one string: a single JSON string of every passage hit
 * V8's string limit ("Invalid string length") between 740k and 760k passages.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { PostingsSnapshot } from './bm25';
import type { StoredPassage } from './indexStore';
import { encodePostings } from './postingsCodec';

/** The postings of an index saved before segments (one data folder). */
const MAGIC_V1 = 0x48535031; // "HSP1"
/** Segments with uncompressed postings (index format 1). */
const MAGIC_V3 = 0x48535033; // "HSP3"
const MAGIC = 0x48535034; // "HSP4": postings compressed in blocks (postingsCodec.ts)
const HEADER_BYTES = 64;
/** Passages per write of the doc store: big enough to be few writes, small enough to be a short string. */
const DOCS_PER_WRITE = 2000;
/** Compressed postings are written in pieces of about this many bytes. */
const POSTINGS_PER_WRITE = 4 << 20;

export function postingsFile(dir: string, name: string): string {
  return path.join(dir, `${name}.postings`);
}

export function docsFile(dir: string, name: string): string {
  return path.join(dir, `${name}.docs`);
}

/**
 * Writes the segment's two files and returns when both are on disk. The two fsyncs are issued together
 * once both files are written: an editor save's latency is mostly fsync wait, and the file system can
 * serve both in one journal commit.
 */
export async function writeSegment(dir: string, name: string, snap: PostingsSnapshot): Promise<void> {
  const docs = docsFile(dir, name);
  const postings = postingsFile(dir, name);
  const docOffsets = await writeDocs(docs, snap.passages);
  await writePostings(postings, snap, docOffsets);
  await Promise.all([syncFile(docs), syncFile(postings)]);
}

async function syncFile(file: string): Promise<void> {
  const fh = await fs.open(file, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * The postings file: a header, the postings (each term's compressed in turn, read per query term),
 * then what opening needs, used in place with nothing parsed: the terms in sorted order (one blob,
 * with byte offsets, looked up by binary search), the passage ids (one blob, with byte offsets), each
 * term's postings count and word range, the lengths and the doc store's line offsets. The postings
 * come first so they are written term by term as they are encoded, never held whole.
 */
async function writePostings(file: string, p: PostingsSnapshot, docOffsets: Float64Array): Promise<void> {
  const order = Array.from(p.terms.keys()).sort((a, b) => (p.terms[a] < p.terms[b] ? -1 : p.terms[a] > p.terms[b] ? 1 : 0));
  const termStarts = byteStarts(order.map((t) => p.terms[t]));
  const terms = Buffer.from(order.map((t) => p.terms[t]).join(''), 'utf8');
  const idList = p.passages.map((d) => d.id);
  const idStarts = byteStarts(idList);
  const ids = Buffer.from(idList.join(''), 'utf8');
  const fh = await fs.open(file, 'w');
  try {
    let at = 0;
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      if (pending.length > 0) await fh.writev(pending);
      pending = [];
      pendingBytes = 0;
    };
    const put = async (part: ArrayBufferView, align: number) => {
      pending.push(new Uint8Array(part.buffer, part.byteOffset, part.byteLength));
      at += part.byteLength;
      pendingBytes += part.byteLength;
      const pad = (align - (at % align)) % align;
      if (pad) pending.push(Buffer.alloc(pad));
      at += pad;
      pendingBytes += pad;
      if (pendingBytes >= POSTINGS_PER_WRITE) await flush();
    };
    await put(Buffer.alloc(HEADER_BYTES), 8);
    const termWords = new Uint32Array(p.terms.length + 1);
    for (let t = 0; t < p.terms.length; t++) {
      const words = encodePostings(p.docs.subarray(p.offsets[t], p.offsets[t + 1]), p.tfs.subarray(p.offsets[t], p.offsets[t + 1]), p.lengths);
      termWords[t + 1] = termWords[t] + words.length;
      await put(words, 4);
    }
    await put(Buffer.alloc(0), 8);
    const headStart = at;
    for (const part of [terms, ids, termStarts, Uint32Array.from(order), idStarts, p.offsets, termWords, p.lengths, docOffsets]) await put(part, 8);
    await flush();
    const header = Buffer.alloc(HEADER_BYTES);
    [MAGIC, p.terms.length, p.docs.length, p.lengths.length, terms.length, ids.length].forEach((v, i) => header.writeUInt32LE(v, i * 4));
    header.writeDoubleLE(headStart, 24);
    header.writeDoubleLE(at, 32);
    await fh.write(header, 0, HEADER_BYTES, 0);
  } finally {
    await fh.close();
  }
}

/** Each string's byte offset in their UTF-8 concatenation, and the end. */
function byteStarts(strings: readonly string[]): Uint32Array {
  const starts = new Uint32Array(strings.length + 1);
  for (let i = 0; i < strings.length; i++) starts[i + 1] = starts[i] + Buffer.byteLength(strings[i], 'utf8');
  return starts;
}

/** Writes the passages one JSON line each; returns each line's byte offset (and the end). */
async function writeDocs(file: string, passages: readonly StoredPassage[]): Promise<Float64Array> {
  const offsets = new Float64Array(passages.length + 1);
  const fh = await fs.open(file, 'w');
  try {
    let at = 0;
    for (let i = 0; i < passages.length; i += DOCS_PER_WRITE) {
      const lines = passages.slice(i, i + DOCS_PER_WRITE).map((p, j) => {
        const line = JSON.stringify(p) + '\n';
        offsets[i + j] = at;
        at += Buffer.byteLength(line);
        return line;
      });
      await fh.write(lines.join(''));
    }
    offsets[passages.length] = at;
  } finally {
    await fh.close();
  }
  return offsets;
}

/** Where a postings file's sections are: the postings (from the file's start), the rest from `head`. */
export interface SegmentLayout {
  nTerms: number;
  nPostings: number;
  nDocs: number;
  /** Byte offset of the first term's postings in the file. */
  postings: number;
  /** Byte range, in the file, of what opening reads; the offsets below are relative to `head`. */
  head: number;
  end: number;
  terms: number;
  ids: number;
  termStarts: number;
  termOrder: number;
  idStarts: number;
  offsets: number;
  termWords: number;
  lengths: number;
  docOffsets: number;
}

export const SEGMENT_HEADER_BYTES = HEADER_BYTES;

export function layoutOf(header: Buffer, name: string): SegmentLayout {
  const magic = header.length >= 4 ? header.readUInt32LE(0) : 0;
  if (magic === MAGIC_V3) throw new Error(`${name}: written by an older Hopscope (uncompressed postings)`);
  if (header.length < HEADER_BYTES || magic !== MAGIC) throw new Error(`${name}: the postings have no Hopscope header`);
  const [nTerms, nPostings, nDocs, termsBytes, idsBytes] = [4, 8, 12, 16, 20].map((o) => header.readUInt32LE(o));
  const head = header.readDoubleLE(24);
  const end = header.readDoubleLE(32);
  let at = 0;
  const next = (bytes: number) => {
    const start = at;
    at = Math.ceil((at + bytes) / 8) * 8;
    return start;
  };
  const layout: SegmentLayout = {
    nTerms,
    nPostings,
    nDocs,
    postings: HEADER_BYTES,
    head,
    end,
    terms: next(termsBytes),
    ids: next(idsBytes),
    termStarts: next(4 * (nTerms + 1)),
    termOrder: next(4 * nTerms),
    idStarts: next(4 * (nDocs + 1)),
    offsets: next(4 * (nTerms + 1)),
    termWords: next(4 * (nTerms + 1)),
    lengths: next(4 * nDocs),
    docOffsets: next(8 * (nDocs + 1)),
  };
  if (head % 8 !== 0 || head < HEADER_BYTES || head + at !== end) throw new Error(`${name}: the postings header is inconsistent`);
  return layout;
}

/** The postings of an index saved before segments (`postings.bin` beside `passages.json`). */
export function decodePostings(buf: Buffer, passages: StoredPassage[], name: string): PostingsSnapshot {
  if (buf.length < 24 || buf.readUInt32LE(0) !== MAGIC_V1) throw new Error(`${name}: the postings have no Hopscope header`);
  const nTerms = buf.readUInt32LE(4);
  const nPostings = buf.readUInt32LE(8);
  const nDocs = buf.readUInt32LE(12);
  const termsBytes = buf.readUInt32LE(16);
  if (nDocs !== passages.length) throw new Error(`${name}: the postings count ${nDocs} passages, the doc store ${passages.length}`);
  let o = 24;
  const terms = nTerms === 0 ? [] : buf.toString('utf8', o, o + termsBytes).split('\n');
  o += (termsBytes + 3) & ~3;
  // Copy into a fresh, aligned ArrayBuffer: typed arrays need 4-byte alignment.
  const ab = new ArrayBuffer(buf.length - o);
  new Uint8Array(ab).set(buf.subarray(o));
  let a = 0;
  const offsets = new Uint32Array(ab, a, nTerms + 1);
  a += offsets.byteLength;
  const docs = new Uint32Array(ab, a, nPostings);
  a += docs.byteLength;
  const tfs = new Float32Array(ab, a, nPostings);
  a += tfs.byteLength;
  const lengths = new Float32Array(ab, a, nDocs);
  if (terms.length !== nTerms || offsets[nTerms] !== nPostings) throw new Error(`${name}: the postings are inconsistent`);
  return { terms, offsets, docs, tfs, lengths, passages };
}

/**
 * Joins segments into one snapshot, leaving out deleted passages: documents are renumbered in segment
 * order and each term's postings concatenated. Scores do not depend on this order (ties break by id).
 */
export function combineSegments(parts: ReadonlyArray<{ snap: PostingsSnapshot; deleted: ReadonlySet<string> }>): PostingsSnapshot {
  if (parts.length === 1 && parts[0].deleted.size === 0) return parts[0].snap;
  const passages: StoredPassage[] = [];
  const lengths: number[] = [];
  const renumber = parts.map(({ snap, deleted }) => {
    const map = new Int32Array(snap.passages.length).fill(-1);
    snap.passages.forEach((p, i) => {
      if (deleted.has(p.id)) return;
      map[i] = passages.length;
      passages.push(p);
      lengths.push(snap.lengths[i]);
    });
    return map;
  });
  const termIds = new Map<string, number>();
  const counts: number[] = [];
  const idsOf = parts.map(({ snap }, s) =>
    snap.terms.map((term, t) => {
      let id = termIds.get(term);
      if (id === undefined) {
        id = counts.length;
        termIds.set(term, id);
        counts.push(0);
      }
      const map = renumber[s];
      for (let i = snap.offsets[t]; i < snap.offsets[t + 1]; i++) if (map[snap.docs[i]] >= 0) counts[id]++;
      return id;
    }),
  );
  const offsets = new Uint32Array(counts.length + 1);
  for (let t = 0; t < counts.length; t++) offsets[t + 1] = offsets[t] + counts[t];
  const cursor = offsets.slice(0, counts.length);
  const docs = new Uint32Array(offsets[counts.length]);
  const tfs = new Float32Array(offsets[counts.length]);
  parts.forEach(({ snap }, s) => {
    const map = renumber[s];
    snap.terms.forEach((_, t) => {
      const id = idsOf[s][t];
      for (let i = snap.offsets[t]; i < snap.offsets[t + 1]; i++) {
        const d = map[snap.docs[i]];
        if (d < 0) continue;
        const c = cursor[id]++;
        docs[c] = d;
        tfs[c] = snap.tfs[i];
      }
    });
  });
  // Terms left with no live posting stay out, as in an export of the live index.
  const terms: string[] = [];
  const keptOffsets: number[] = [0];
  for (const [term, id] of termIds) {
    if (counts[id] === 0) continue;
    terms.push(term);
    keptOffsets.push(offsets[id + 1]);
  }
  return { terms, offsets: Uint32Array.from(keptOffsets), docs, tfs, lengths: Float32Array.from(lengths), passages };
}
