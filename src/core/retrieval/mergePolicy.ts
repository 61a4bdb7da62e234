/**
 * Which segments of an index folder to merge, and when. Every editor save adds a small segment and
 * marks the old passages of its file deleted, so small segments and deletions pile up; a merge rewrites
 * a few segments (their live passages) as one. It runs in the background (the extension's index worker,
 * after a save; the CLI after its pass), never on the save path, and it never rewrites the whole index
 * for a few edits: the big segments of a build are rewritten only once many of their passages are gone.
 */

/** A segment as the policy sees it. */
export interface SegmentSize {
  name: string;
  passages: number;
  deleted: number;
}

/** A segment with fewer live passages than this is small. */
const SMALL_SEGMENT = 10_000;
/** More small segments than this are folded into one. */
const MAX_SMALL_SEGMENTS = 6;
/** At this many segments, the smallest are merged until half as many are left. */
const MAX_SEGMENTS = 48;
/** A segment with more deleted passages than this share of its own is rewritten without them. */
const MAX_DELETED_RATIO = 0.25;

/** The segments to merge into one now (in their order in the index), or an empty list. */
export function mergePlan(segments: readonly SegmentSize[]): string[] {
  const live = (s: SegmentSize) => s.passages - s.deleted;
  const pick = new Set<string>();
  const small = segments.filter((s) => live(s) < SMALL_SEGMENT);
  if (small.length > MAX_SMALL_SEGMENTS) for (const s of small) pick.add(s.name);
  for (const s of segments) if (s.deleted > s.passages * MAX_DELETED_RATIO) pick.add(s.name);
  if (segments.length >= MAX_SEGMENTS) {
    const bySize = [...segments].sort((a, b) => live(a) - live(b));
    for (const s of bySize.slice(0, segments.length - MAX_SEGMENTS / 2)) pick.add(s.name);
  }
  // One segment with nothing deleted is already what a merge would write.
  if (pick.size === 1) {
    const only = segments.find((s) => pick.has(s.name))!;
    if (only.deleted === 0) return [];
  }
  return segments.filter((s) => pick.has(s.name)).map((s) => s.name);
}
