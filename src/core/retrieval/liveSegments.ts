/**
 * An index folder opened on demand and changed in place. Queries read the segments' postings and text
 * when they need them (segmentSearch.ts); a change (an editor save, a file deleted) never loads the
 * other segments: the changed file's old passages are found by id in the segments' id blobs and marked
 * deleted, its new passages are written as one small segment, and the manifest lists both. The BM25
 * statistics stay global (N, avgdl and df over the live passages of every segment), so the scores are
 * those of a rebuild. Merges (mergePolicy.ts) run when the caller asks, never as part of a save.
 *
 * Not re-entrant: the caller runs one change, flush, commit or merge at a time (the worker's queue, the
 * CLI's pass). Searches may come between the awaits of any of them: the searched state changes in one
 * synchronous step at the end of a flush, a commit or a merge.
 */
import { Bm25Scorer, type PostingsSnapshot, type ScoredDoc, type ScoredFields } from './bm25';
import { loadSegments, newSegmentName, saveIndex, type ManifestInput, type SaveHooks, type SegmentEntry, type StoredPassage } from './indexStore';
import { mergePlan } from './mergePolicy';
import { combineSegments, writeSegment } from './segmentFiles';
import { SegmentReader } from './segmentReader';
import { SegmentSearch } from './segmentSearch';
import type { IndexSettings } from './settings';
import type { Tokenizer } from './tokenizer';

interface Segment {
  name: string;
  reader: SegmentReader;
  /** Its deleted passages: by id (what the manifest lists) and by document number (what searches skip). */
  deleted: ReadonlySet<string>;
  dead: ReadonlySet<number>;
}

/** Below this many deletion marks a segment's dead documents are found id by id, above it by one pass over its ids. */
const FIND_EACH_BELOW = 64;

export class LiveSegments {
  private segments: Segment[];
  private searcher: SegmentSearch;
  /** Distinct terms with a live posting (the manifest's count), as of the last flush. */
  private terms: number;
  /** Passages added since the last flush (in memory until then), and the saved ones they replace. */
  private adds: Bm25Scorer;
  private readonly added = new Map<string, StoredPassage>();
  private readonly dying = new Map<Segment, Map<number, string>>();
  private dyingCount = 0;

  private constructor(
    readonly dir: string,
    private readonly settings: IndexSettings,
    private readonly tokenizer: Tokenizer,
    private readonly fieldsOf: (p: StoredPassage) => ScoredFields,
    segments: Segment[],
    terms: number,
  ) {
    this.segments = segments;
    this.terms = terms;
    this.adds = new Bm25Scorer(settings, tokenizer);
    this.searcher = this.newSearch();
  }

  /** Opens the listed segments (dictionaries, ids and lengths only). `terms`: the manifest's count. */
  static open(
    dir: string,
    entries: readonly SegmentEntry[],
    terms: number,
    ctx: { settings: IndexSettings; tokenizer: Tokenizer; fieldsOf: (p: StoredPassage) => ScoredFields },
  ): LiveSegments {
    const segments: Segment[] = [];
    try {
      for (const e of entries) {
        const reader = SegmentReader.open(dir, e.name);
        segments.push({ name: e.name, reader, deleted: new Set(e.deleted), dead: deadDocs(reader, e.deleted) });
      }
    } catch (err) {
      for (const s of segments) s.reader.close();
      throw err;
    }
    return new LiveSegments(dir, ctx.settings, ctx.tokenizer, ctx.fieldsOf, segments, terms);
  }

  /** Live passages, counting the changes not flushed yet. */
  size(): number {
    return this.searcher.size() + this.added.size - this.dyingCount;
  }

  termCount(): number {
    return this.terms;
  }

  /** Passages waiting for the next flush. */
  pending(): number {
    return this.added.size + this.dyingCount;
  }

  /** The top k over the flushed state. */
  search(query: string, k: number): ScoredDoc[] {
    return this.searcher.search(query, k);
  }

  add(p: StoredPassage): void {
    this.adds.add(p, this.fieldsOf(p));
    this.added.set(p.id, p);
  }

  /**
   * Marks a workspace file's passages (`key#0` … `key#count-1`) deleted. Each is looked for next to the
   * previous one first: a file's passages are written together, so they are usually neighbours.
   */
  removeFile(key: string, count: number): void {
    let prev: { seg: Segment; doc: number } | undefined;
    for (let i = 0; i < count; i++) {
      const id = `${key}#${i}`;
      if (this.dropAdded(id)) continue;
      let at: { seg: Segment; doc: number } | undefined;
      if (prev && prev.doc + 1 < prev.seg.reader.size && !this.isDead(prev.seg, prev.doc + 1) && prev.seg.reader.id(prev.doc + 1) === id) {
        at = { seg: prev.seg, doc: prev.doc + 1 };
      } else at = this.locate(id);
      if (at) this.kill(at.seg, at.doc, id);
      prev = at;
    }
  }

  /** Marks a corpus file's records deleted: found by reading the passages (corpus edits are rare). */
  removeCorpus(key: string): void {
    for (const [id, p] of [...this.added]) if (p.file === key) this.dropAdded(id);
    for (const seg of this.segments) {
      for (let d = 0; d < seg.reader.size; d++) {
        if (this.isDead(seg, d)) continue;
        const p = seg.reader.passage(d);
        if (p.file === key) this.kill(seg, d, p.id);
      }
    }
  }

  /** Every live id (flushed or not): for a corpus file's duplicate-id check. */
  liveIds(): Set<string> {
    const ids = new Set(this.added.keys());
    for (const seg of this.segments) for (let d = 0; d < seg.reader.size; d++) if (!this.isDead(seg, d)) ids.add(seg.reader.id(d));
    return ids;
  }

  /**
   * Makes the pending changes searchable: the added passages become a segment on disk (not yet in the
   * manifest: a crash now leaves an orphan the next save sweeps), and the deletion marks apply. The
   * term count is kept exact from the terms of what changed alone.
   */
  async flush(): Promise<void> {
    if (this.pending() === 0) return;
    let fresh: Segment | undefined;
    let added: PostingsSnapshot | undefined;
    if (this.added.size > 0) {
      added = this.adds.exportPostings();
      const name = newSegmentName();
      await writeSegment(this.dir, name, added);
      fresh = { name, reader: SegmentReader.open(this.dir, name), deleted: new Set(), dead: new Set() };
    }
    // From here on synchronous: a search sees the index before this flush or after it.
    const addedTerms = new Set<string>(added?.terms);
    const touched = new Set<string>(addedTerms);
    for (const [seg, docs] of this.dying) {
      for (const doc of docs.keys()) {
        const f = this.fieldsOf(seg.reader.passage(doc));
        for (const text of [f.title, f.text, f.path]) for (const t of this.tokenizer.tokenize(text)) touched.add(t);
      }
    }
    const deadBefore = new Map(this.segments.map((seg) => [seg, seg.dead]));
    for (const [seg, docs] of this.dying) {
      seg.deleted = new Set([...seg.deleted, ...docs.values()]);
      seg.dead = new Set([...seg.dead, ...docs.keys()]);
    }
    for (const t of touched) this.terms += this.liveness(t, deadBefore, addedTerms.has(t));
    if (fresh) this.segments.push(fresh);
    this.dying.clear();
    this.dyingCount = 0;
    this.added.clear();
    this.adds = new Bm25Scorer(this.settings, this.tokenizer);
    this.searcher = this.newSearch();
  }

  /**
   * Flushes, then writes the manifest (atomic: temp file, fsync, rename) listing the segments and their
   * deletion marks. Segments with nothing live left are dropped from the list (their files swept).
   */
  async commit(manifest: () => ManifestInput, hooks: SaveHooks = {}): Promise<void> {
    await this.flush();
    const keep = this.segments.filter((s) => s.dead.size < s.reader.size);
    await saveIndex(this.dir, { ...manifest(), keep: keep.map(entryOf), add: [] }, hooks);
    if (keep.length < this.segments.length) this.replace(keep);
  }

  /** Whether the merge policy wants some segments merged. */
  wantsMerge(): boolean {
    return this.plan().length > 0;
  }

  /**
   * Merges what the policy picks into one segment (their live passages only) and commits. Only those
   * segments are read whole; the others stay as they are. Returns whether anything was merged.
   */
  async merge(manifest: () => ManifestInput, hooks: SaveHooks = {}): Promise<boolean> {
    await this.flush();
    const names = new Set(this.plan());
    if (names.size === 0) return false;
    const group = this.segments.filter((s) => names.has(s.name));
    const postings = combineSegments(group.map((s) => ({ snap: s.reader.snapshot(), deleted: s.deleted })));
    let fresh: Segment | undefined;
    if (postings.passages.length > 0) {
      const name = newSegmentName();
      await writeSegment(this.dir, name, postings);
      fresh = { name, reader: SegmentReader.open(this.dir, name), deleted: new Set(), dead: new Set() };
    }
    const at = this.segments.indexOf(group[0]);
    const next = this.segments.filter((s) => !names.has(s.name));
    if (fresh) next.splice(Math.min(at, next.length), 0, fresh);
    try {
      await saveIndex(this.dir, { ...manifest(), keep: next.map(entryOf), add: [] }, hooks);
    } catch (e) {
      fresh?.reader.close();
      throw e;
    }
    this.replace(next);
    return true;
  }

  /** Every live passage in memory (flushed or not): for a caller that needs the index whole. */
  loadAll(): { postings: PostingsSnapshot; added: StoredPassage[] } {
    const open = this.segments.map((s) => {
      const dying = this.dying.get(s);
      return { reader: s.reader, deleted: dying ? new Set([...s.deleted, ...dying.values()]) : s.deleted };
    });
    return { postings: loadSegments(open).postings, added: [...this.added.values()] };
  }

  close(): void {
    for (const s of this.segments) s.reader.close();
    this.segments = [];
  }

  private plan(): string[] {
    return mergePlan(this.segments.map((s) => ({ name: s.name, passages: s.reader.size, deleted: s.dead.size })));
  }

  /** Swaps in a new segment list (one synchronous step) and closes the segments left out. */
  private replace(next: Segment[]): void {
    const kept = new Set(next);
    const gone = this.segments.filter((s) => !kept.has(s));
    this.segments = next;
    this.searcher = this.newSearch();
    for (const s of gone) s.reader.close();
  }

  private newSearch(): SegmentSearch {
    return new SegmentSearch(
      this.settings,
      this.tokenizer,
      this.segments.map((s) => ({ reader: s.reader, deleted: s.deleted, dead: s.dead })),
    );
  }

  /** The live copy of a passage id, newest segment first (older ones may hold a deleted copy). */
  private locate(id: string): { seg: Segment; doc: number } | undefined {
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const seg = this.segments[i];
      const doc = seg.reader.findId(id);
      if (doc !== undefined && !this.isDead(seg, doc)) return { seg, doc };
    }
    return undefined;
  }

  private isDead(seg: Segment, doc: number): boolean {
    return seg.dead.has(doc) || this.dying.get(seg)?.has(doc) === true;
  }

  private kill(seg: Segment, doc: number, id: string): void {
    let docs = this.dying.get(seg);
    if (!docs) this.dying.set(seg, (docs = new Map()));
    if (docs.has(doc)) return;
    docs.set(doc, id);
    this.dyingCount++;
  }

  /** An added passage not flushed yet is simply forgotten. */
  private dropAdded(id: string): boolean {
    const p = this.added.get(id);
    if (!p) return false;
    this.adds.removeMany([p], this.fieldsOf);
    this.added.delete(id);
    return true;
  }

  /**
   * How a flush changes the count of terms with a live posting by `term` (+1, 0 or -1): live before
   * (under `deadBefore`) and after (under the segments' dead marks now, or in the added passages), in
   * one pass over the segments. The dictionary's count settles most: a segment with fewer deletions
   * than postings of the term has a live one; only rarer terms read their postings.
   */
  private liveness(term: string, deadBefore: ReadonlyMap<Segment, ReadonlySet<number>>, added: boolean): number {
    let before = false;
    let after = added;
    for (const seg of this.segments) {
      if (before && after) break;
      const df = seg.reader.docFreq(term);
      if (df === 0) continue;
      const old = deadBefore.get(seg) ?? seg.dead;
      if (!before && old.size < df) before = true;
      if (!after && seg.dead.size < df) after = true;
      if (before && after) break;
      const { docs } = seg.reader.postings(term)!.decodeAll();
      for (let i = 0; i < docs.length && !(before && after); i++) {
        if (!before && !old.has(docs[i])) before = true;
        if (!after && !seg.dead.has(docs[i])) after = true;
      }
    }
    return (after ? 1 : 0) - (before ? 1 : 0);
  }
}

function entryOf(s: Segment): SegmentEntry {
  return { name: s.name, passages: s.reader.size, deleted: [...s.deleted].sort() };
}

/** The document numbers of a segment's deleted ids. */
function deadDocs(reader: SegmentReader, deleted: readonly string[]): Set<number> {
  const dead = new Set<number>();
  if (deleted.length === 0) return dead;
  if (deleted.length < FIND_EACH_BELOW) {
    for (const id of deleted) {
      const d = reader.findId(id);
      if (d !== undefined) dead.add(d);
    }
    return dead;
  }
  const want = new Set(deleted);
  for (let d = 0; d < reader.size; d++) if (want.has(reader.id(d))) dead.add(d);
  return dead;
}
