/**
 * The Traces view's filters and sorts as SQL over the trace store's `trajectories` table, meaning
 * exactly what the in-memory ones mean (src/extension/traces/traceFilter.ts `matches` / `sortSummaries`):
 * a missing value sorts last whichever the direction, ties keep file order, the text filter is a
 * case-insensitive substring of question, answer or id (lower-cased by JavaScript on both sides).
 */
import type { TraceFilter, TraceSort } from './filter';
import { LABEL_SEP } from './parseTraceRange';

export interface SqlWhere {
  sql: string;
  params: Array<string | number | boolean>;
}

/** The WHERE clause (without the keyword; `TRUE` for no filter), its parameters numbered from `first`. */
export function whereOf(f: TraceFilter, first = 1): SqlWhere {
  const parts: string[] = [];
  const params: Array<string | number | boolean> = [];
  const p = (v: string | number | boolean) => {
    params.push(v);
    return `$${first + params.length - 1}`;
  };
  if (f.failedOnly) parts.push('verdict = false');
  if (f.stopReason) parts.push(`stop_reason = ${p(f.stopReason)}`);
  if (f.minSearches !== undefined) parts.push(`searches >= ${p(f.minSearches)}`);
  if (f.maxSearches !== undefined) parts.push(`searches <= ${p(f.maxSearches)}`);
  if (f.label) parts.push(`contains(${p(LABEL_SEP)} || labels || ${p(LABEL_SEP)}, ${p(`${LABEL_SEP}${f.label}${LABEL_SEP}`)})`);
  if (f.text) parts.push(`contains(hay, ${p(f.text.toLowerCase())})`);
  return { sql: parts.length ? parts.join(' AND ') : 'TRUE', params };
}

const SORT_SQL: Record<TraceSort, string> = {
  file: 'idx',
  'f1-asc': 'f1 ASC NULLS LAST, idx',
  'f1-desc': 'f1 DESC NULLS LAST, idx',
  'searches-desc': 'searches DESC, idx',
  'searches-asc': 'searches ASC, idx',
  'latency-desc': 'latency_ms DESC NULLS LAST, idx',
  'latency-asc': 'latency_ms ASC NULLS LAST, idx',
};

export function orderOf(sort: TraceSort): string {
  return SORT_SQL[sort];
}
