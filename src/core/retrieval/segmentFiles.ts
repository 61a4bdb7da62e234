/**
 * One immutable segment on disk: `<name>.postings` (term dictionary, postings and lengths as flat
 * binary arrays) and `<name>.docs` (its passages, one JSON line each). Both are written piece by piece
 * and read line by line, so no segment is ever one string: a single JSON string of every passage hit
 * V8's string limit ("Invalid string length") between 740k and 760k passages.
 */
import { createReadStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import type { PostingsSnapshot } from './bm25';
import type { StoredPassage } from './indexStore';

const MAGIC = 0x48535031; // "HSP1"
/** Passages per write of the doc store: big enough to be few writes, small enough to be a short string. */
const DOCS_PER_WRITE = 2000;

export function postingsFile(dir: string, name: string): string {
  return path.join(dir, `${name}.postings`);
}

export function docsFile(dir: string, name: string): string {
  return path.join(dir, `${name}.docs`);
}

/** Writes the segment's two files (flushed to disk) and returns when both are complete. */
export async function writeSegment(dir: string, name: string, snap: PostingsSnapshot): Promise<void> {
  await writePostings(postingsFile(dir, name), snap);
  await writeDocs(docsFile(dir, name), snap.passages);
}

async function writePostings(file: string, p: PostingsSnapshot): Promise<void> {
  const terms = Buffer.from(p.terms.join('\n'), 'utf8');
  const header = Buffer.alloc(24);
  [MAGIC, p.terms.length, p.docs.length, p.lengths.length, terms.length, 0].forEach((v, i) => header.writeUInt32LE(v, i * 4));
  const pad = Buffer.alloc(((terms.length + 3) & ~3) - terms.length);
  const fh = await fs.open(file, 'w');
  try {
    for (const part of [header, terms, pad, p.offsets, p.docs, p.tfs, p.lengths]) {
      await fh.write(new Uint8Array(part.buffer, part.byteOffset, part.byteLength));
    }
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function writeDocs(file: string, passages: readonly StoredPassage[]): Promise<void> {
  const fh = await fs.open(file, 'w');
  try {
    for (let i = 0; i < passages.length; i += DOCS_PER_WRITE) {
      const lines = passages.slice(i, i + DOCS_PER_WRITE).map((p) => JSON.stringify(p));
      await fh.write(lines.join('\n') + '\n');
    }
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Reads a segment whole: its postings and its passages in segment order. */
export async function readSegment(dir: string, name: string): Promise<PostingsSnapshot> {
  const [bin, passages] = await Promise.all([fs.readFile(postingsFile(dir, name)), readDocs(docsFile(dir, name))]);
  return decodePostings(bin, passages, name);
}

async function readDocs(file: string): Promise<StoredPassage[]> {
  const out: StoredPassage[] = [];
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) if (line !== '') out.push(JSON.parse(line) as StoredPassage);
  return out;
}

export function decodePostings(buf: Buffer, passages: StoredPassage[], name: string): PostingsSnapshot {
  if (buf.length < 24 || buf.readUInt32LE(0) !== MAGIC) throw new Error(`${name}: the postings have no Hopscope header`);
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
