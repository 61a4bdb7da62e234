/**
 * The trajectories table's filters and sorts (tableFilter.ts) as SQL over the trace store, meaning what the
 * table's JavaScript does (src/tableColumns.ts): a missing value sorts last in both directions, equal values keep
 * file order, text filters are case-insensitive substrings of what the cell shows. (Text columns sort by code
 * point here, where the webview's sort of a small table uses the locale's order.)
 */
import { LABEL_SEP } from './parseTraceRange';
import { readCellFilter, type CellTest, type TableColumnId, type TableQuery } from './tableFilter';
import type { SqlWhere } from './filterSql';

/** What each column's cell is, as SQL; `file` is the trace file's base name (constant per store). */
function valueSql(id: TableColumnId, fileParam: string): string {
  switch (id) {
    case 'verdict':
      return `CASE WHEN verdict IS NULL THEN 1 WHEN verdict THEN 2 ELSE 0 END`;
    case 'question':
      return 'question';
    case 'f1':
      return 'f1';
    case 'searches':
      return 'searches';
    case 'labels':
      return `replace(labels, chr(${LABEL_SEP.charCodeAt(0)}), ', ')`;
    case 'em':
      return 'em';
    case 'coverEm':
      return 'cover_em';
    case 'tokens':
      return 'tokens';
    case 'latency':
      return 'latency_ms';
    case 'stopReason':
      return 'stop_reason';
    case 'file':
      return `${fileParam} || ':' || line::VARCHAR`;
  }
}

const VERDICT_WORD = `CASE WHEN verdict IS NULL THEN 'unknown' WHEN verdict THEN 'correct' ELSE 'wrong' END`;

/** WHERE (without the keyword) for `q` over the store of the file named `fileName`; parameters from `first`. */
export function tableWhereOf(q: TableQuery, fileName: string, first = 1): SqlWhere {
  const parts: string[] = [];
  const params: Array<string | number | boolean> = [];
  const p = (v: string | number | boolean) => {
    params.push(v);
    return `$${first + params.length - 1}`;
  };
  let fileParam: string | undefined;
  const file = () => (fileParam ??= p(fileName));
  for (const [id, raw] of Object.entries(q.filters) as Array<[TableColumnId, string | undefined]>) {
    const t = readCellFilter(id, raw ?? '');
    if (t) parts.push(testSql(t, id === 'file' ? valueSql(id, file()) : valueSql(id, ''), p));
  }
  if (q.ids) parts.push(`id IN (SELECT unnest(from_json(${p(JSON.stringify(q.ids))}::JSON, '["VARCHAR"]')))`);
  return { sql: parts.length ? parts.join(' AND ') : 'TRUE', params };
}

function testSql(t: CellTest, value: string, p: (v: string | number) => string): string {
  switch (t.kind) {
    case 'verdict':
      return `starts_with(${VERDICT_WORD}, ${p(t.word)})`;
    case 'text':
      return `contains(lower(${value}), ${p(t.needle)})`;
    case 'missing':
      return `${value} IS NULL`;
    case 'range':
      return `${value} BETWEEN ${p(t.lo)} AND ${p(t.hi)}`;
    case 'compare':
      return `${value} ${t.op} ${p(t.x)}`;
    case 'nothing':
      return 'FALSE';
  }
}

/** ORDER BY (without the keywords) for the table's sort: file order when none. */
export function tableOrderOf(q: TableQuery): string {
  if (!q.sort) return 'idx';
  // Within one file, its name is constant: sorting by "file:line" is sorting by line.
  const value = q.sort.id === 'file' ? 'line' : valueSql(q.sort.id, '');
  return `${value} ${q.sort.dir === 'asc' ? 'ASC' : 'DESC'} NULLS LAST, idx`;
}
