/** Filters and sorts of the Traces view over trajectory summaries held in memory. Pure, tested on plain Node. */
import type { TrajectorySummary } from '../../core/traces/summary';
import { haystackOf } from '../../core/traces/summary';
import { isFiltered, SORT_LABELS, type TraceFilter, type TraceSort } from '../../core/traces/filter';

export { isFiltered, SORT_LABELS, type TraceFilter, type TraceSort };

/** Trajectories the Traces view lists per page under a file ("Show more…" adds another page). */
export const TREE_PAGE = 200;

export function matches(s: TrajectorySummary, f: TraceFilter): boolean {
  if (f.failedOnly && s.verdict !== false) return false;
  if (f.stopReason && s.stopReason !== f.stopReason) return false;
  if (f.minSearches !== undefined && s.searches < f.minSearches) return false;
  if (f.maxSearches !== undefined && s.searches > f.maxSearches) return false;
  if (f.label && !s.labels.includes(f.label)) return false;
  if (f.text && !haystack(s).includes(f.text.toLowerCase())) return false;
  return true;
}

// Lower-cased question, answer and id per summary, built once: typing a text filter over 20,000
// trajectories should not lower-case them all on every keystroke.
const haystacks = new WeakMap<TrajectorySummary, string>();
function haystack(s: TrajectorySummary): string {
  let h = haystacks.get(s);
  if (h === undefined) {
    h = haystackOf(s);
    haystacks.set(s, h);
  }
  return h;
}

/** Missing values sort last whichever the direction. */
function by(key: (s: TrajectorySummary) => number | undefined, dir: 1 | -1) {
  return (a: TrajectorySummary, b: TrajectorySummary) => {
    const x = key(a);
    const y = key(b);
    if (x === undefined || y === undefined) return x === y ? a.index - b.index : x === undefined ? 1 : -1;
    return x === y ? a.index - b.index : (x - y) * dir;
  };
}

export function sortSummaries(list: TrajectorySummary[], sort: TraceSort): TrajectorySummary[] {
  switch (sort) {
    case 'file':
      return list;
    case 'f1-asc':
      return list.sort(by((s) => s.f1, 1));
    case 'f1-desc':
      return list.sort(by((s) => s.f1, -1));
    case 'searches-desc':
      return list.sort(by((s) => s.searches, -1));
    case 'searches-asc':
      return list.sort(by((s) => s.searches, 1));
    case 'latency-desc':
      return list.sort(by((s) => s.latencyMs, -1));
    case 'latency-asc':
      return list.sort(by((s) => s.latencyMs, 1));
    default: {
      const never: never = sort;
      return never;
    }
  }
}

export function filterAndSort(all: readonly TrajectorySummary[], f: TraceFilter, sort: TraceSort): TrajectorySummary[] {
  return sortSummaries(isFiltered(f) ? all.filter((s) => matches(s, f)) : [...all], sort);
}

export function describeFilter(f: TraceFilter, sort: TraceSort): string {
  const parts: string[] = [];
  if (f.failedOnly) parts.push('failed');
  if (f.stopReason) parts.push(`stop=${f.stopReason}`);
  if (f.minSearches !== undefined || f.maxSearches !== undefined) {
    parts.push(f.minSearches === f.maxSearches ? `searches=${f.minSearches}` : `searches ${f.minSearches ?? 0}–${f.maxSearches ?? '∞'}`);
  }
  if (f.label) parts.push(`label=${f.label}`);
  if (f.text) parts.push(`“${f.text}”`);
  if (sort !== 'file') parts.push(`by ${SORT_LABELS[sort].toLowerCase()}`);
  return parts.join(' · ');
}

/** "3", "2-4", "5+", "<=1" → inclusive bounds; undefined when unreadable. */
export function parseSearches(input: string): { min?: number; max?: number } | undefined {
  const s = input.trim();
  let m: RegExpMatchArray | null;
  if ((m = s.match(/^(\d+)$/))) return { min: Number(m[1]), max: Number(m[1]) };
  if ((m = s.match(/^(\d+)\s*[-–]\s*(\d+)$/))) return { min: Number(m[1]), max: Number(m[2]) };
  if ((m = s.match(/^(\d+)\s*\+$/))) return { min: Number(m[1]) };
  if ((m = s.match(/^<=?\s*(\d+)$/))) return { max: Number(m[1]) };
  return undefined;
}
