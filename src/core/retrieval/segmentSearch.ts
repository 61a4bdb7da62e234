/**
 * BM25 over segments opened on demand (segmentReader.ts). The statistics are global, as if the
 * segments were one index: N and avgdl over the live passages of all segments, df as the live
 * postings of a term across segments. So the scores, and with ties broken by id the ranking, equal
 * those of the in-memory scorer over the same passages.
 */
import { lengthNorm, termWeight, type ScoredDoc } from './bm25';
import type { SegmentReader, TermPostings } from './segmentReader';
import type { IndexSettings } from './settings';
import type { Tokenizer } from './tokenizer';
import { topK } from './topK';

export class SegmentSearch {
  /** Global document numbers: segment s's doc d is bases[s] + d. */
  private readonly bases: number[] = [];
  private readonly live: Uint8Array;
  private readonly norm: Float64Array;
  private readonly scores: Float64Array;
  private readonly stamp: Uint32Array;
  private generation = 0;
  private readonly n: number;

  constructor(
    private readonly settings: IndexSettings,
    private readonly tokenizer: Tokenizer,
    private readonly segments: ReadonlyArray<{ reader: SegmentReader; deleted: ReadonlySet<string> }>,
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
    segments.forEach(({ reader, deleted }, s) => {
      for (let d = 0; d < reader.size; d++) {
        if (deleted.size > 0 && deleted.has(reader.id(d))) continue;
        this.live[this.bases[s] + d] = 1;
        sum += reader.lengths[d];
        n++;
      }
    });
    this.n = n;
    const avg = n > 0 ? sum / n : 1;
    const { k1, b } = settings.bm25;
    segments.forEach(({ reader }, s) => {
      for (let d = 0; d < reader.size; d++) this.norm[this.bases[s] + d] = lengthNorm(k1, b, reader.lengths[d], avg);
    });
  }

  size(): number {
    return this.n;
  }

  search(query: string, k: number): ScoredDoc[] {
    if (k <= 0 || this.n === 0) return [];
    const qtf = new Map<string, number>();
    for (const t of this.tokenizer.tokenize(query)) qtf.set(t, (qtf.get(t) ?? 0) + 1);
    const k1p1 = this.settings.bm25.k1 + 1;
    const { live, norm, scores, stamp } = this;
    const gen = this.nextGeneration();
    const touched: number[] = [];
    for (const [term, q] of qtf) {
      const lists: Array<TermPostings | undefined> = this.segments.map((s) => s.reader.postings(term));
      let df = 0;
      lists.forEach((l, s) => {
        if (!l) return;
        const base = this.bases[s];
        for (let i = 0; i < l.docs.length; i++) df += live[base + l.docs[i]];
      });
      if (df === 0) continue;
      const w = termWeight(this.n, df, q, k1p1);
      lists.forEach((l, s) => {
        if (!l) return;
        const base = this.bases[s];
        const { docs, tfs } = l;
        for (let i = 0; i < docs.length; i++) {
          const d = base + docs[i];
          if (live[d] === 0) continue;
          const tf = tfs[i];
          const sc = (w * tf) / (tf + norm[d]);
          if (stamp[d] !== gen) {
            stamp[d] = gen;
            scores[d] = sc;
            touched.push(d);
          } else {
            scores[d] += sc;
          }
        }
      });
    }
    return topK(touched, k, scores, (d) => this.idOf(d)).map((d) => ({ doc: this.passage(d), score: scores[d] }));
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
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0) {
      this.stamp.fill(0);
      this.generation = 1;
    }
    return this.generation;
  }
}
