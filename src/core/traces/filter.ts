/**
 * The Traces view's filters and sorts, as data: the in-memory index applies them in JavaScript
 * (src/extension/traces/traceFilter.ts), the trace store as SQL (filterSql.ts), with the same meaning.
 */
import type { StopReason } from '../trace';

export interface TraceFilter {
  failedOnly?: boolean;
  stopReason?: StopReason;
  /** Inclusive bounds on the number of searches. */
  minSearches?: number;
  maxSearches?: number;
  /** Case-insensitive substring of the question, the answer or the id. */
  text?: string;
  /** A diagnosis label the trajectory must carry. */
  label?: string;
}

export type TraceSort = 'file' | 'f1-asc' | 'f1-desc' | 'searches-desc' | 'searches-asc' | 'latency-desc' | 'latency-asc';

export const SORT_LABELS: Record<TraceSort, string> = {
  file: 'File order',
  'f1-asc': 'F1, lowest first',
  'f1-desc': 'F1, highest first',
  'searches-desc': 'Searches, most first',
  'searches-asc': 'Searches, fewest first',
  'latency-desc': 'Latency, slowest first',
  'latency-asc': 'Latency, fastest first',
};

export function isFiltered(f: TraceFilter): boolean {
  return !!(f.failedOnly || f.stopReason || f.minSearches !== undefined || f.maxSearches !== undefined || f.text || f.label);
}
