/**
 * The BM25 fast path beside minisearch. minisearch's scorer walks Maps per field and per document: on
 * the 15k-passage benchmark (`npm run bench:retrieval -- --all`) it takes 6 ms per question with this
 * tokenizer and 45-90 ms with its defaults, against Lucene's 0.4 ms. This one keeps postings as flat
 * arrays of (doc, tf), scores into a Float64Array and keeps the top k in a heap: about 0.15 ms.
 *
 * Fields are combined BM25F-style: tf = tf(text) + boost.title·tf(title) + boost.path·tf(path), and the
 * length the same way, so a title hit counts like `boost.title` text hits within one saturation curve.
 * IDF is Lucene's: ln(1 + (N − df + 0.5) / (df + 0.5)).
 */
import type { StoredPassage } from './indexStore';
import type { IndexSettings } from './settings';
import type { Tokenizer } from './tokenizer';
import { topK } from './topK';
import { scanWords, type WordVisitor } from './wordScanner';
import { WordTable } from './wordTable';

/** A document's fields as the scorer reads them: text, title and path, each with its own weight. */
export interface ScoredFields {
  title: string;
  text: string;
  path: string;
}

export interface ScoredDoc {
  doc: StoredPassage;
  score: number;
}

/** Postings in flat typed arrays, as saved beside the manifest. Docs are positions in `passages`. */
export interface PostingsSnapshot {
  terms: string[];
  /** Term i's postings are [offsets[i], offsets[i+1]). */
  offsets: Uint32Array;
  docs: Uint32Array;
  tfs: Float32Array;
  lengths: Float32Array;
  passages: StoredPassage[];
}

type Ints = number[] | Uint32Array;
type Floats = number[] | Float32Array | Float64Array;

/** Fewer pending postings than this are appended list by list; more are merged in one flat pass. */
const FLAT_MERGE_AT = 20_000;

export class Bm25Scorer implements WordVisitor {
  private readonly termIds = new Map<string, number>();
  private postDocs: Ints[] = [];
  private postTfs: Floats[] = [];
  private slots: Array<StoredPassage | undefined> = [];
  private readonly slotOf = new Map<string, number>();
  private readonly free: number[] = [];
  private lengths = new Float64Array(1024);
  private norm = new Float64Array(1024);
  private normDirty = true;
  private live = 0;
  private scores = new Float64Array(1024);
  private stamp = new Uint32Array(1024);
  private generation = 0;
  /** Raw word -> term ids, so building the index analyses each distinct word once. */
  private words = new WordTable();
  private tfScratch = new Float64Array(1024);

  constructor(
    private readonly settings: IndexSettings,
    private readonly tokenizer: Tokenizer,
  ) {}

  static fromPostings(settings: IndexSettings, tokenizer: Tokenizer, snap: PostingsSnapshot, passages: StoredPassage[]): Bm25Scorer {
    const s = new Bm25Scorer(settings, tokenizer);
    const n = passages.length;
    s.ensureCapacity(n);
    s.slots = passages.slice();
    for (let i = 0; i < n; i++) {
      s.slotOf.set(passages[i].id, i);
      s.lengths[i] = snap.lengths[i];
    }
    s.live = n;
    const { terms, offsets } = snap;
    s.postDocs = new Array(terms.length);
    s.postTfs = new Array(terms.length);
    for (let t = 0; t < terms.length; t++) {
      s.termIds.set(terms[t], t);
      // Views into the loaded buffers; a term's list is copied only when an update touches it.
      s.postDocs[t] = snap.docs.subarray(offsets[t], offsets[t + 1]);
      s.postTfs[t] = snap.tfs.subarray(offsets[t], offsets[t + 1]);
    }
    return s;
  }

  termCount(): number {
    this.flush();
    let n = 0;
    for (const d of this.postDocs) if (d.length > 0) n++;
    return n;
  }

  size(): number {
    return this.live;
  }

  add(doc: StoredPassage, fields: ScoredFields): void {
    if (this.slotOf.has(doc.id)) throw new Error(`passage ${doc.id} is already indexed`);
    const slot = this.free.length > 0 ? this.free.pop()! : this.slots.length;
    this.ensureCapacity(slot + 1);
    this.slots[slot] = doc;
    this.slotOf.set(doc.id, slot);
    const { title: wt, path: wp } = this.settings.boost;
    const touched = this.touchedScratch;
    touched.length = 0;
    const length = this.count(fields.text, 1, touched) + this.count(fields.title, wt, touched) + this.count(fields.path, wp, touched);
    const tf = this.tfScratch;
    for (let i = 0; i < touched.length; i++) {
      const id = touched[i];
      const f = tf[id];
      tf[id] = 0;
      if (f > 0) this.pend(id, slot, f);
    }
    this.lengths[slot] = length;
    this.live++;
    this.normDirty = true;
  }

  private touchedScratch: number[] = [];
  // Postings added since the last flush, as flat (term, doc, tf) columns: a bulk build appends here
  // instead of growing 60k small arrays, then merges once.
  private pendTerms = new Int32Array(4096);
  private pendDocs = new Int32Array(4096);
  private pendTfs = new Float64Array(4096);
  private pendN = 0;

  private pend(term: number, slot: number, f: number): void {
    if (this.pendN === this.pendTerms.length) {
      const cap = this.pendN * 4;
      const t = new Int32Array(cap);
      t.set(this.pendTerms);
      const d = new Int32Array(cap);
      d.set(this.pendDocs);
      const f2 = new Float64Array(cap);
      f2.set(this.pendTfs);
      this.pendTerms = t;
      this.pendDocs = d;
      this.pendTfs = f2;
    }
    this.pendTerms[this.pendN] = term;
    this.pendDocs[this.pendN] = slot;
    this.pendTfs[this.pendN] = f;
    this.pendN++;
  }

  /** Moves pending postings into the per-term lists (before anything reads them). */
  private flush(): void {
    const n = this.pendN;
    if (n === 0) return;
    this.pendN = 0;
    if (n < FLAT_MERGE_AT) {
      for (let i = 0; i < n; i++) {
        const id = this.pendTerms[i];
        this.mutable(id);
        (this.postDocs[id] as number[]).push(this.pendDocs[i]);
        (this.postTfs[id] as number[]).push(this.pendTfs[i]);
      }
      return;
    }
    // One flat pass: every term's list becomes a view into two shared typed arrays, old postings first.
    const terms = this.postDocs.length;
    const offsets = new Uint32Array(terms + 1);
    for (let t = 0; t < terms; t++) offsets[t + 1] = this.postDocs[t].length;
    for (let i = 0; i < n; i++) offsets[this.pendTerms[i] + 1]++;
    for (let t = 0; t < terms; t++) offsets[t + 1] += offsets[t];
    const docs = new Uint32Array(offsets[terms]);
    const tfs = new Float64Array(offsets[terms]);
    const cursor = offsets.slice(0, terms);
    for (let t = 0; t < terms; t++) {
      const d = this.postDocs[t];
      const f = this.postTfs[t];
      let c = cursor[t];
      for (let i = 0; i < d.length; i++, c++) {
        docs[c] = d[i];
        tfs[c] = f[i];
      }
      cursor[t] = c;
    }
    for (let i = 0; i < n; i++) {
      const c = cursor[this.pendTerms[i]]++;
      docs[c] = this.pendDocs[i];
      tfs[c] = this.pendTfs[i];
    }
    for (let t = 0; t < terms; t++) {
      this.postDocs[t] = docs.subarray(offsets[t], offsets[t + 1]);
      this.postTfs[t] = tfs.subarray(offsets[t], offsets[t + 1]);
    }
    if (this.pendTerms.length > 1 << 16) {
      this.pendTerms = new Int32Array(4096);
      this.pendDocs = new Int32Array(4096);
      this.pendTfs = new Float64Array(4096);
    }
  }

  /** Adds `weight` per occurrence of each term of `text` into the scratch counts; returns the weighted length. */
  private count(text: string, weight: number, touched: number[]): number {
    if (text === '' || weight === 0) return 0;
    this.scanWeight = weight;
    this.scanTouched = touched;
    this.scanTerms = 0;
    scanWords(text, this);
    return this.scanTerms * weight;
  }

  private scanWeight = 1;
  private scanTouched: number[] = [];
  private scanTerms = 0;

  /** WordVisitor: the hot loop of a build, one table lookup per word and no allocation for known words. */
  word(text: string, start: number, end: number, hash: number): void {
    let ids = this.words.get(text, start, end, hash);
    if (ids === undefined) {
      const raw = text.slice(start, end);
      ids = this.tokenizer.analyze(raw).map((t) => this.termId(t));
      if (this.words.size >= 1_000_000) this.words = new WordTable();
      this.words.set(raw, hash, ids);
    }
    const tf = this.tfScratch;
    const w = this.scanWeight;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (tf[id] === 0) this.scanTouched.push(id);
      tf[id] += w;
    }
    this.scanTerms += ids.length;
  }

  private termId(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.postDocs.length;
      this.termIds.set(term, id);
      this.postDocs.push(EMPTY_DOCS);
      this.postTfs.push(EMPTY_TFS);
      if (id >= this.tfScratch.length) {
        const grown = new Float64Array(this.tfScratch.length * 2);
        grown.set(this.tfScratch);
        this.tfScratch = grown;
      }
    }
    return id;
  }

  /**
   * Drops documents. A few are removed through their own terms (`termsOf`, the tokens they were added
   * with); many at once (a corpus file) in one sweep over all postings.
   */
  removeMany(docs: readonly StoredPassage[], fieldsOf: (doc: StoredPassage) => ScoredFields): void {
    this.flush();
    const slots = new Set<number>();
    for (const doc of docs) {
      const slot = this.slotOf.get(doc.id);
      if (slot !== undefined) slots.add(slot);
    }
    if (slots.size === 0) return;
    if (slots.size > 64) {
      for (let id = 0; id < this.postDocs.length; id++) {
        const d = this.postDocs[id];
        let hit = false;
        for (let i = 0; i < d.length && !hit; i++) hit = slots.has(d[i]);
        if (!hit) continue;
        const f = this.postTfs[id];
        const keepD: number[] = [];
        const keepF: number[] = [];
        for (let i = 0; i < d.length; i++) {
          if (slots.has(d[i])) continue;
          keepD.push(d[i]);
          keepF.push(f[i]);
        }
        this.postDocs[id] = keepD;
        this.postTfs[id] = keepF;
      }
    } else {
      for (const doc of docs) {
        const slot = this.slotOf.get(doc.id);
        if (slot === undefined) continue;
        const f = fieldsOf(doc);
        const terms = new Set([...this.tokenizer.tokenize(f.text), ...this.tokenizer.tokenize(f.title), ...this.tokenizer.tokenize(f.path)]);
        for (const term of terms) {
          const id = this.termIds.get(term);
          if (id === undefined) continue;
          const i = indexOf(this.postDocs[id], slot);
          if (i < 0) continue;
          this.mutable(id);
          const d = this.postDocs[id] as number[];
          const f = this.postTfs[id] as number[];
          d[i] = d[d.length - 1];
          f[i] = f[f.length - 1];
          d.pop();
          f.pop();
        }
      }
    }
    for (const doc of docs) {
      const slot = this.slotOf.get(doc.id);
      if (slot === undefined) continue;
      this.slots[slot] = undefined;
      this.slotOf.delete(doc.id);
      this.lengths[slot] = 0;
      this.free.push(slot);
      this.live--;
    }
    this.normDirty = true;
  }

  /** The top `k` documents for the query terms (repeats count, as in Lucene's boolean query). */
  search(query: string, k: number): ScoredDoc[] {
    if (k <= 0 || this.live === 0) return [];
    this.flush();
    const queryTerms = this.tokenizer.tokenize(query);
    this.refreshNorm();
    const qtf = new Map<string, number>();
    for (const t of queryTerms) qtf.set(t, (qtf.get(t) ?? 0) + 1);
    const n = this.live;
    const k1p1 = this.settings.bm25.k1 + 1;
    const scores = this.scores;
    const stamp = this.stamp;
    const norm = this.norm;
    const gen = this.nextGeneration();
    const touched: number[] = [];
    for (const [term, q] of qtf) {
      const id = this.termIds.get(term);
      if (id === undefined) continue;
      const docs = this.postDocs[id];
      const tfs = this.postTfs[id];
      const df = docs.length;
      if (df === 0) continue;
      const w = termWeight(n, df, q, k1p1);
      accumulateTerm({ docs, tfs, base: 0, w, norm, stamp, gen, scores, touched });
    }
    return this.topK(touched, k);
  }

  /** The live documents (or those `keep` accepts) in slot order, renumbered 0..n-1, with their postings. */
  exportPostings(keep?: (p: StoredPassage) => boolean): PostingsSnapshot {
    this.flush();
    const renumber = new Int32Array(this.slots.length).fill(-1);
    const passages: StoredPassage[] = [];
    const lengths: number[] = [];
    this.slots.forEach((p, slot) => {
      if (!p || (keep && !keep(p))) return;
      renumber[slot] = passages.length;
      passages.push(p);
      lengths.push(this.lengths[slot]);
    });
    const terms: string[] = [];
    let total = 0;
    for (const [, id] of this.termIds) {
      const d = this.postDocs[id];
      if (!keep) total += d.length;
      else for (let i = 0; i < d.length; i++) if (renumber[d[i]] >= 0) total++;
    }
    const offsets: number[] = [0];
    const docs = new Uint32Array(total);
    const tfs = new Float32Array(total);
    let o = 0;
    for (const [term, id] of this.termIds) {
      const d = this.postDocs[id];
      const f = this.postTfs[id];
      const start = o;
      for (let i = 0; i < d.length; i++) {
        const r = renumber[d[i]];
        if (r < 0) continue;
        docs[o] = r;
        tfs[o++] = f[i];
      }
      if (o === start) continue;
      sortByDoc(docs, tfs, start, o);
      terms.push(term);
      offsets.push(o);
    }
    return { terms, offsets: Uint32Array.from(offsets), docs, tfs, lengths: Float32Array.from(lengths), passages };
  }

  private topK(touched: number[], k: number): ScoredDoc[] {
    const slots = this.slots;
    return topK(touched, k, this.scores, (d) => slots[d]!.id).map((d) => ({ doc: slots[d]!, score: this.scores[d] }));
  }

  private refreshNorm(): void {
    if (!this.normDirty) return;
    const { k1, b } = this.settings.bm25;
    let sum = 0;
    for (let i = 0; i < this.slots.length; i++) if (this.slots[i]) sum += this.lengths[i];
    const avg = this.live > 0 ? sum / this.live : 1;
    for (let i = 0; i < this.slots.length; i++) this.norm[i] = lengthNorm(k1, b, this.lengths[i], avg);
    this.normDirty = false;
  }

  private nextGeneration(): number {
    this.generation = nextStampGeneration(this.generation, this.stamp);
    return this.generation;
  }

  private mutable(id: number): void {
    const d = this.postDocs[id];
    if (!Array.isArray(d)) {
      this.postDocs[id] = Array.from(d);
      this.postTfs[id] = Array.from(this.postTfs[id]);
    }
  }

  private ensureCapacity(n: number): void {
    if (n <= this.lengths.length) return;
    let cap = this.lengths.length;
    while (cap < n) cap *= 2;
    const grow = <T extends Float64Array | Uint32Array>(a: T, make: (c: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.lengths = grow(this.lengths, (c) => new Float64Array(c));
    this.norm = grow(this.norm, (c) => new Float64Array(c));
    this.scores = grow(this.scores, (c) => new Float64Array(c));
    this.stamp = grow(this.stamp, (c) => new Uint32Array(c));
    this.normDirty = true;
  }
}

/** A query term's weight: Lucene's idf times its count in the query times (k1 + 1). */
export function termWeight(n: number, df: number, queryCount: number, k1p1: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5)) * queryCount * k1p1;
}

/**
 * The next search's stamp: a document's score counts only when its stamp equals it, so scores need no
 * clearing between searches; when the counter wraps, every stamp is cleared once.
 */
export function nextStampGeneration(current: number, stamp: Uint32Array): number {
  const next = (current + 1) >>> 0;
  if (next !== 0) return next;
  stamp.fill(0);
  return 1;
}

/** One query term's postings, to add into the running scores (exhaustive scoring, in memory or over segments). */
export interface TermAccumulation {
  docs: ArrayLike<number>;
  tfs: ArrayLike<number>;
  /** Added to each posting's document number (a segment's first document in the global numbering). */
  base: number;
  /** Documents whose flag is 0 are skipped (deleted passages); absent: every document counts. */
  live?: Uint8Array;
  w: number;
  norm: Float32Array | Float64Array;
  stamp: Uint32Array;
  gen: number;
  scores: Float64Array;
  touched: number[];
}

/**
 * Adds w·tf/(tf + norm) for each posting: the one place both exhaustive searches score a term, so the
 * in-memory index and the segments give bit-identical sums (the same operations in the same order).
 */
export function accumulateTerm(a: TermAccumulation): void {
  const { docs, tfs, base, live, w, norm, stamp, gen, scores, touched } = a;
  for (let i = 0; i < docs.length; i++) {
    const d = base + docs[i]!;
    if (live && live[d] === 0) continue;
    const tf = tfs[i]!;
    const sc = (w * tf) / (tf + norm[d]!);
    if (stamp[d] !== gen) {
      stamp[d] = gen;
      scores[d] = sc;
      touched.push(d);
    } else {
      scores[d] += sc;
    }
  }
}

/** The length part of BM25's denominator: k1·(1 − b + b·length/avgdl). */
export function lengthNorm(k1: number, b: number, length: number, avg: number): number {
  return k1 * (1 - b + (b * length) / (avg || 1));
}

// Shared empty lists for new terms: copied on first write like any typed-array view.
const EMPTY_DOCS = new Uint32Array(0);
const EMPTY_TFS = new Float64Array(0);

/**
 * Puts one term's postings in document order (segments are read document at a time when pruning).
 * Built lists already are; those edited in place (a removal swaps in the last posting) may not be.
 */
function sortByDoc(docs: Uint32Array, tfs: Float32Array, from: number, to: number): void {
  let sorted = true;
  for (let i = from + 1; i < to && sorted; i++) sorted = docs[i - 1] < docs[i];
  if (sorted) return;
  const order = Array.from({ length: to - from }, (_, i) => from + i).sort((a, b) => docs[a] - docs[b]);
  const d = order.map((i) => docs[i]);
  const f = order.map((i) => tfs[i]);
  docs.set(d, from);
  tfs.set(f, from);
}

function indexOf(a: Ints, x: number): number {
  for (let i = 0; i < a.length; i++) if (a[i] === x) return i;
  return -1;
}
