/**
 * What an index folder holds, seen from the live index: which segment each saved passage is in, which
 * were deleted since, and which passages were added since the last save. A save then writes only the
 * added passages (one new segment) and the deletion lists: an editor save costs in proportion to the
 * file, not to the index.
 */
import type { SegmentEntry } from './indexStore';

/**
 * Merge policy. Each save adds a small segment; when more than MAX_SMALL_SEGMENTS segments under
 * SMALL_SEGMENT passages pile up, the next save folds them (their live passages) into its new segment,
 * so an editor save never rewrites the big segments of a build. More than MAX_SEGMENTS segments, or
 * more deleted than live passages by MAX_DELETED_RATIO, and a save rewrites the index as one segment.
 */
const SMALL_SEGMENT = 10_000;
const MAX_SMALL_SEGMENTS = 6;
const MAX_SEGMENTS = 48;
const MAX_DELETED_RATIO = 0.25;

export class SavedSegments {
  private readonly segments = new Map<string, { passages: number; deleted: Set<string> }>();
  private pending = new Set<string>();

  constructor(
    readonly dir: string,
    entries: readonly SegmentEntry[],
    private readonly segmentOf: Map<string, string>,
  ) {
    for (const e of entries) this.segments.set(e.name, { passages: e.passages, deleted: new Set(e.deleted) });
  }

  /** A folder just written whole, as one segment holding `ids`. */
  static whole(dir: string, name: string, ids: Iterable<string>): SavedSegments {
    const segmentOf = new Map<string, string>();
    for (const id of ids) segmentOf.set(id, name);
    return new SavedSegments(dir, [{ name, passages: segmentOf.size, deleted: [] }], segmentOf);
  }

  added(id: string): void {
    this.pending.add(id);
  }

  /** A passage left the index: unsaved, it is simply not saved; saved, its segment marks it deleted. */
  forget(id: string): void {
    if (this.pending.delete(id)) return;
    const seg = this.segmentOf.get(id);
    if (seg === undefined) return;
    this.segments.get(seg)?.deleted.add(id);
    this.segmentOf.delete(id);
  }

  wantsMerge(): boolean {
    let stored = 0;
    let deleted = 0;
    for (const s of this.segments.values()) {
      stored += s.passages;
      deleted += s.deleted.size;
    }
    return this.segments.size >= MAX_SEGMENTS || deleted > stored * MAX_DELETED_RATIO;
  }

  /**
   * The passages added since the last save, and those of the small segments folded in now (see the
   * merge policy); from now on they count as saved in segment `name`.
   */
  takePending(name: string): string[] {
    const ids = [...this.pending];
    this.pending = new Set();
    const small = [...this.segments].filter(([, s]) => s.passages < SMALL_SEGMENT).map(([n]) => n);
    if (small.length > MAX_SMALL_SEGMENTS) {
      const folded = new Set(small);
      for (const [id, seg] of this.segmentOf) if (folded.has(seg)) ids.push(id);
      for (const n of small) this.segments.delete(n);
    }
    if (ids.length === 0) return ids;
    for (const id of ids) this.segmentOf.set(id, name);
    this.segments.set(name, { passages: ids.length, deleted: new Set() });
    return ids;
  }

  /** The manifest's segment list, without `except` (the segment being written now). */
  entries(except?: string): SegmentEntry[] {
    return [...this.segments]
      .filter(([name]) => name !== except)
      .map(([name, s]) => ({ name, passages: s.passages, deleted: [...s.deleted].sort() }));
  }
}
