/**
 * BM25 over segments opened on demand (segmentReader.ts). The statistics are global, as if the
 * segments were one index: N and avgdl over the live passages of all segments, df as the live
 * postings of a term across segments. So the scores, and with ties broken by id the ranking, equal
 * those of the in-memory scorer over the same passages.
 */
import { accumulateTerm, lengthNorm, nextStampGeneration, termWeight, type ScoredDoc } from './bm25';
import type { BlockPostings } from './postingsCodec';
import { BlockCursor, NONE as END } from './postingsCursor';
import type { SegmentReader } from './segmentReader';
import type { IndexSettings } from './settings';
import type { Tokenizer } from './tokenizer';
import { TopK, topK } from './topK';

/** A term's postings in one segment as cached: compressed, with what pruning reads about them. */
interface TermList {
  postings: BlockPostings;
  /** Per block, tf/(tf + norm) at the block's max tf and smallest norm, with the rounding margin. */
  bounds: Float64Array;
  /** Postings of live (not deleted) passages. */
  df: number;
}

interface QueryTerm {
  w: number;
  lists: Array<TermList | undefined>;
}

/** No document; a module constant, read in the hot loop without going through the import. */
const NONE = END;
/** The postings cache's budget (compressed postings: about a quarter of their decoded size). */
const CACHE_BYTES = 96 << 20;
/** Relative margin on score bounds, far above floating-point rounding and far below any score gap that matters. */
const SLACK = 1e-9;

export class SegmentSearch {
  /** Global document numbers: segment s's doc d is bases[s] + d. */
  private readonly bases: number[] = [];
  private readonly live: Uint8Array;
  private readonly norm: Float64Array;
  private readonly scores: Float64Array;
  private readonly stamp: Uint32Array;
  private generation = 0;
  private readonly n: number;
  private readonly cache = new Map<string, TermList | undefined>();
  private cacheBytes = 0;
  /** Per segment, the smallest length norm of its documents: for the terms' score bounds. */
  private readonly minNorm: number[] = [];
  /** Per segment, whether any of its passages is deleted (a term's live df then needs its postings). */
  private readonly hasDeleted: boolean[] = [];
  private readonly avg: number;

  constructor(
    private readonly settings: IndexSettings,
    private readonly tokenizer: Tokenizer,
    /** `dead`, when given, holds the deleted passages' document numbers: no id is decoded to find them. */
    private readonly segments: ReadonlyArray<{ reader: SegmentReader; deleted: ReadonlySet<string>; dead?: ReadonlySet<number> }>,
  ) {
    let total = 0;
    for (const s of segments) {
      this.bases.push(total);
      total += s.reader.size;
    }
    this.live = new Uint8Array(total);
    this.norm = new Float64Array(total);
    this.scores = new Float64Array(total);
    this.stamp = new Uint32Array(total);
    let n = 0;
    let sum = 0;
    segments.forEach(({ reader, deleted, dead }, s) => {
      const before = n;
      for (let d = 0; d < reader.size; d++) {
        if (dead ? dead.has(d) : deleted.size > 0 && deleted.has(reader.id(d))) continue;
        this.live[this.bases[s] + d] = 1;
        sum += reader.lengths[d];
        n++;
      }
      this.hasDeleted.push(n - before < reader.size);
    });
    this.n = n;
    const avg = n > 0 ? sum / n : 1;
    this.avg = avg;
    const { k1, b } = settings.bm25;
    segments.forEach(({ reader }, s) => {
      let min = Infinity;
      for (let d = 0; d < reader.size; d++) {
        const x = lengthNorm(k1, b, reader.lengths[d], avg);
        this.norm[this.bases[s] + d] = x;
        if (x < min) min = x;
      }
      this.minNorm.push(min);
    });
  }

  size(): number {
    return this.n;
  }

  /**
   * The top k by MaxScore (Turtle & Flood 1995), document at a time over each segment's doc-sorted
   * postings: once the k-th best score θ exceeds what the weakest terms could add together, a document
   * found only in those is never scored, and they are only probed for documents the others found.
   * Every document that could enter the top k is scored exactly as `searchExhaustive` scores it (terms
   * summed in query order), so the results are the same.
   */
  search(query: string, k: number): ScoredDoc[] {
    if (k <= 0 || this.n === 0) return [];
    const terms = this.queryTerms(query);
    const top = new TopK(k, (d) => this.idOf(d));
    for (let s = 0; s < this.segments.length; s++) this.searchSegment(s, terms, top);
    return top.sorted().map(({ d, score }) => ({ doc: this.passage(d), score }));
  }

  /** Every matching document scored, term at a time: the reference the pruned search must equal. */
  searchExhaustive(query: string, k: number): ScoredDoc[] {
    if (k <= 0 || this.n === 0) return [];
    const { live, norm, scores, stamp } = this;
    const gen = this.nextGeneration();
    const touched: number[] = [];
    for (const { w, lists } of this.queryTerms(query)) {
      lists.forEach((l, s) => {
        if (!l) return;
        const { docs, tfs } = l.postings.decodeAll();
        accumulateTerm({ docs, tfs, base: this.bases[s]!, live, w, norm, stamp, gen, scores, touched });
      });
    }
    return topK(touched, k, scores, (d) => this.idOf(d)).map((d) => ({ doc: this.passage(d), score: scores[d] }));
  }

  /** The query's terms in query order, with their global weight and postings per segment. */
  private queryTerms(query: string): QueryTerm[] {
    const qtf = new Map<string, number>();
    for (const t of this.tokenizer.tokenize(query)) qtf.set(t, (qtf.get(t) ?? 0) + 1);
    const k1p1 = this.settings.bm25.k1 + 1;
    const out: QueryTerm[] = [];
    for (const [term, q] of qtf) {
      const lists = this.segments.map((_, s) => this.postings(s, term));
      let df = 0;
      for (const l of lists) df += l?.df ?? 0;
      if (df > 0) out.push({ w: termWeight(this.n, df, q, k1p1), lists });
    }
    return out;
  }

  /**
   * A term's postings in segment s, through a small LRU cache bounded in bytes: frequent query terms
   * are read once, and memory stays bounded by what recent queries used. Entries stay compressed.
   */
  private postings(s: number, term: string): TermList | undefined {
    const key = `${s}\u0000${term}`;
    const hit = this.cache.get(key);
    if (hit !== undefined || this.cache.has(key)) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const postings = this.segments[s].reader.postings(term);
    const read = postings && this.termList(s, postings);
    const bytes = read ? entryBytes(read) : 0;
    if (bytes > CACHE_BYTES / 4) return read;
    this.cache.set(key, read);
    this.cacheBytes += bytes + 64;
    for (const [k, v] of this.cache) {
      if (this.cacheBytes <= CACHE_BYTES) break;
      this.cache.delete(k);
      this.cacheBytes -= (v ? entryBytes(v) : 0) + 64;
    }
    return read;
  }

  /**
   * What the postings cache holds: bytes (compressed postings and their block bounds), and what the
   * same lists took decoded (8 bytes a posting, as the uncompressed format cached them).
   */
  cacheFootprint(): { bytes: number; decodedBytes: number } {
    let decodedBytes = 0;
    for (const l of this.cache.values()) decodedBytes += l ? 8 * l.postings.df + 64 : 64;
    return { bytes: this.cacheBytes, decodedBytes };
  }

  private termList(s: number, postings: BlockPostings): TermList {
    const { k1, b } = this.settings.bm25;
    const bounds = new Float64Array(postings.blocks);
    for (let i = 0; i < postings.blocks; i++) {
      const tf = postings.maxTf(i);
      // The smallest norm in the block: at its shortest document, as the norm grows with length
      // (b ≥ 0); with a negative b, the segment's smallest norm.
      const floor = b >= 0 ? lengthNorm(k1, b, postings.minLength(i), this.avg) : this.minNorm[s];
      bounds[i] = (tf / (tf + floor)) * (1 + SLACK);
    }
    let df = postings.df;
    if (this.hasDeleted[s]) {
      const { docs } = postings.decodeAll();
      const base = this.bases[s];
      df = 0;
      for (let i = 0; i < docs.length; i++) df += this.live[base + docs[i]];
    }
    return { postings, bounds, df };
  }

  /**
   * Block-max MaxScore over one segment (MaxScore: Turtle & Flood 1995; its block-max form: Ding & Suel
   * 2011, Chakrabarti et al. 2011), document at a time over the doc-sorted postings. Once the k-th best
   * score θ exceeds what the weakest terms could add together, a document found only in those is never
   * scored, and they are only probed for documents the others found. Before a candidate is scored, the
   * block bounds of every list over the documents up to the nearest block end are summed: below θ, the
   * essential lists jump past that range with nothing decoded in between; and a non-essential list is
   * probed (its block decoded) only when its block's bound could still lift the candidate to θ.
   * Every document that could enter the top k is scored exactly as `searchExhaustive` scores it (terms
   * summed in query order), so the results are the same.
   */
  private searchSegment(s: number, terms: readonly QueryTerm[], top: TopK): void {
    const base = this.bases[s];
    const { live, norm } = this;
    const cursors: BlockCursor[] = [];
    for (const t of terms) {
      const l = t.lists[s];
      if (l && l.postings.df > 0) cursors.push(new BlockCursor(t.w, l.postings, l.bounds));
    }
    if (cursors.length === 0) return;
    const byUb = cursors.slice().sort((a, b) => a.ub - b.ub);
    const prefix = [0];
    for (const c of byUb) prefix.push(prefix[prefix.length - 1] + c.ub);
    // byUb[0, essential) are non-essential: together they cannot reach the threshold.
    let essential = 0;
    const refresh = () => {
      const theta = top.threshold;
      while (essential < byUb.length && prefix[essential + 1] * (1 + SLACK) < theta) essential++;
    };
    refresh();
    // The region [d, regionEnd] lies within one block of every list, so their block bounds hold for all
    // of it: per non-essential list, that block (-1: none) and the running sum of their bounds; and the
    // sum over every list (regionBound). Worked out again past regionEnd or when the essential set changes.
    const blockOf = new Int32Array(byUb.length);
    const blockPrefix = new Float64Array(byUb.length + 1);
    let regionEnd = -1;
    let regionEssential = -1;
    let regionBound = 0;
    for (;;) {
      let d = NONE;
      for (let j = essential; j < byUb.length; j++) if (byUb[j].doc < d) d = byUb[j].doc;
      if (d === NONE) return;
      const theta = top.threshold;
      if (top.full) {
        if (d > regionEnd || essential !== regionEssential) {
          let upTo = NONE;
          for (let j = 0; j < essential; j++) {
            const b = byUb[j].shallow(d);
            blockOf[j] = b;
            blockPrefix[j + 1] = blockPrefix[j] + (b < 0 ? 0 : byUb[j].ubOf(b));
            if (b >= 0) upTo = Math.min(upTo, byUb[j].lastOf(b));
          }
          for (let j = essential; j < byUb.length; j++) if (byUb[j].doc !== NONE) upTo = Math.min(upTo, byUb[j].blockLast);
          let bound = blockPrefix[essential];
          for (let j = essential; j < byUb.length; j++) if (byUb[j].doc <= upTo) bound += byUb[j].blockUb;
          regionEnd = upTo;
          regionEssential = essential;
          regionBound = bound;
        }
        if (regionBound * (1 + SLACK) < theta) {
          // No document in [d, regionEnd] can reach θ: every list there is within the blocks just bounded.
          for (let j = essential; j < byUb.length; j++) byUb[j].advance(regionEnd + 1);
          continue;
        }
      }
      const g = base + d;
      const n = norm[g];
      let partial = 0;
      for (let j = essential; j < byUb.length; j++) {
        const c = byUb[j];
        if (c.doc === d) {
          c.hitDoc = d;
          c.hitTf = c.tf;
          partial += (c.w * c.hitTf) / (c.hitTf + n);
          c.next();
        }
      }
      if (live[g] === 0) continue;
      let dropped = false;
      for (let j = essential - 1; j >= 0; j--) {
        if ((partial + blockPrefix[j + 1]) * (1 + SLACK) < theta) {
          dropped = true;
          break;
        }
        const c = byUb[j];
        if (blockOf[j] < 0) continue;
        c.advance(d);
        if (c.doc === d) {
          c.hitDoc = d;
          c.hitTf = c.tf;
          partial += (c.w * c.hitTf) / (c.hitTf + n);
        }
      }
      if (dropped || partial * (1 + SLACK) < theta) continue;
      // The exact score, summed in query order as the exhaustive search sums it.
      let score = 0;
      for (const c of cursors) if (c.hitDoc === d) score += (c.w * c.hitTf) / (c.hitTf + n);
      top.offer(g, score);
      refresh();
    }
  }

  close(): void {
    for (const s of this.segments) s.reader.close();
  }

  private locate(d: number): { reader: SegmentReader; doc: number } {
    let lo = 0;
    let hi = this.bases.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.bases[mid] <= d) lo = mid;
      else hi = mid - 1;
    }
    return { reader: this.segments[lo].reader, doc: d - this.bases[lo] };
  }

  private idOf(d: number): string {
    const { reader, doc } = this.locate(d);
    return reader.id(doc);
  }

  private passage(d: number) {
    const { reader, doc } = this.locate(d);
    return reader.passage(doc);
  }

  private nextGeneration(): number {
    this.generation = nextStampGeneration(this.generation, this.stamp);
    return this.generation;
  }
}

function entryBytes(l: TermList): number {
  return l.postings.byteLength + l.bounds.byteLength;
}
