/**
 * The trajectories table's column filter boxes and sorts, read once into data: the table's own rows (a few
 * thousand, held by the webview, src/tableColumns.ts) test them in JavaScript, the trace store as SQL
 * (tableSql.ts), with one reading of what the user typed.
 */

export type TableColumnId = 'verdict' | 'question' | 'f1' | 'searches' | 'labels' | 'em' | 'coverEm' | 'tokens' | 'latency' | 'stopReason' | 'file';

export const TABLE_COLUMN_IDS: readonly TableColumnId[] = ['verdict', 'question', 'f1', 'searches', 'labels', 'em', 'coverEm', 'tokens', 'latency', 'stopReason', 'file'];

const NUMERIC: ReadonlySet<TableColumnId> = new Set(['f1', 'searches', 'em', 'coverEm', 'tokens', 'latency']);

export const isNumericColumn = (id: TableColumnId): boolean => NUMERIC.has(id);

export type SortDir = 'asc' | 'desc';

export type CompareOp = '<' | '<=' | '>' | '>=' | '=';

/** What one filter box asks. */
export type CellTest =
  | { kind: 'verdict'; word: string }
  | { kind: 'text'; needle: string }
  | { kind: 'missing' }
  | { kind: 'range'; lo: number; hi: number }
  | { kind: 'compare'; op: CompareOp; x: number }
  /** Unreadable: matches nothing rather than everything. */
  | { kind: 'nothing' };

/**
 * A column filter box read. Numeric columns read `>0.5`, `<=2`, `=1`, `0.5..1` or a bare number (equality);
 * `-` or `none` matches a value not recorded. Text columns match a case-insensitive substring; the verdict
 * column also reads its marks (✓ ✗ ?). An empty box: undefined (matches everything).
 */
export function readCellFilter(id: TableColumnId, raw: string): CellTest | undefined {
  const q = raw.trim();
  if (!q) return undefined;
  if (id === 'verdict') {
    const word = q === '✓' ? 'correct' : q === '✗' || q.toLowerCase() === 'x' ? 'wrong' : q === '?' ? 'unknown' : q.toLowerCase();
    return { kind: 'verdict', word };
  }
  if (!isNumericColumn(id)) return { kind: 'text', needle: q.toLowerCase() };
  if (q === '-' || q === '–' || q.toLowerCase() === 'none') return { kind: 'missing' };
  // Latency is shown in seconds, so its filter is read in seconds too.
  const scale = id === 'latency' ? 1000 : 1;
  const range = /^(-?[\d.]+)\s*\.\.\s*(-?[\d.]+)$/.exec(q);
  if (range) return { kind: 'range', lo: Number(range[1]) * scale, hi: Number(range[2]) * scale };
  const m = /^(<=|>=|<|>|=)?\s*(-?\d*\.?\d+)$/.exec(q);
  if (!m) return { kind: 'nothing' };
  return { kind: 'compare', op: (m[1] ?? '=') as CompareOp, x: Number(m[2]) * scale };
}

/** The table's question to a file's rows: its filter boxes, its sort, and the text search's matches (ids). */
export interface TableQuery {
  filters: Partial<Record<TableColumnId, string>>;
  sort?: { id: TableColumnId; dir: SortDir };
  /** Only these ids (the text search inside trajectories); undefined: no such search. */
  ids?: readonly string[];
}
