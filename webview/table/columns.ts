/**
 * The trajectories table's columns and the pure logic behind them: what each cell shows, how a column sorts and
 * how its filter box reads. No DOM, so it is unit-tested on Node (test/unit/webview/tableColumns.test.ts).
 * Column order puts verdict, question, F1, searches and labels first: the ones that must stay visible in an
 * editor-area panel at 1400×900 with the default sidebar (issue 14).
 */
import type { TableRow } from '../../src/protocol';

export type ColumnId = 'verdict' | 'question' | 'f1' | 'searches' | 'labels' | 'em' | 'coverEm' | 'tokens' | 'latency' | 'stopReason' | 'file';

export interface Column {
  id: ColumnId;
  title: string;
  /** What the header's tooltip says the column is. */
  describe: string;
  /** Default width in px. */
  width: number;
  numeric: boolean;
  /** The value sorted and filtered on (undefined: not recorded; sorts last either way). */
  value(r: TableRow): number | string | undefined;
  /** The cell's text. */
  text(r: TableRow): string;
}

const num = (v: number | undefined, digits = 2) => (v === undefined ? '–' : Number.isInteger(v) ? String(v) : v.toFixed(digits));
const MARK = { correct: '✓', wrong: '✗', unknown: '?' } as const;
const VERDICT_ORDER = { wrong: 0, unknown: 1, correct: 2 } as const;

export const COLUMNS: readonly Column[] = [
  { id: 'verdict', title: '✓/✗', describe: 'Verdict: ✓ correct, ✗ wrong, ? unknown (no gold answer or score)', width: 52, numeric: false, value: (r) => VERDICT_ORDER[r.verdict], text: (r) => MARK[r.verdict] },
  { id: 'question', title: 'Question', describe: 'The question asked', width: 290, numeric: false, value: (r) => r.question, text: (r) => r.question },
  { id: 'f1', title: 'F1', describe: 'Token F1 of the answer against the best gold answer', width: 52, numeric: true, value: (r) => r.f1, text: (r) => num(r.f1) },
  { id: 'searches', title: 'Searches', describe: 'Number of search steps', width: 88, numeric: true, value: (r) => r.searches, text: (r) => String(r.searches) },
  { id: 'labels', title: 'Labels', describe: 'Diagnosis labels (why a trajectory went wrong)', width: 240, numeric: false, value: (r) => r.labels.join(', '), text: (r) => r.labels.join(', ') },
  { id: 'em', title: 'EM', describe: 'Exact match of the normalised answer with a gold answer', width: 48, numeric: true, value: (r) => r.em, text: (r) => num(r.em) },
  { id: 'coverEm', title: 'Cover-EM', describe: 'Cover exact match: a gold answer appears inside the normalised answer', width: 90, numeric: true, value: (r) => r.coverEm, text: (r) => num(r.coverEm) },
  { id: 'tokens', title: 'Tokens', describe: 'Completion tokens the model spent', width: 70, numeric: true, value: (r) => r.tokens, text: (r) => (r.tokens === undefined ? '–' : r.tokens.toLocaleString('en-US')) },
  { id: 'latency', title: 'Latency', describe: 'Wall time of the whole run, in seconds', width: 72, numeric: true, value: (r) => r.latencyMs, text: (r) => (r.latencyMs === undefined ? '–' : `${(r.latencyMs / 1000).toFixed(1)} s`) },
  { id: 'stopReason', title: 'Stop reason', describe: 'Why the loop stopped', width: 112, numeric: false, value: (r) => r.stopReason, text: (r) => r.stopReason },
  { id: 'file', title: 'File', describe: 'Trace file and line', width: 170, numeric: false, value: (r) => `${r.file}:${String(r.line).padStart(9, '0')}`, text: (r) => `${r.file}:${r.line}` },
];

export const columnById = (id: ColumnId): Column => COLUMNS.find((c) => c.id === id)!;

export type SortDir = 'asc' | 'desc';

/** Rows sorted by a column (a stable sort; missing values last in both directions). Returns a new array. */
export function sortRows(rows: readonly TableRow[], id: ColumnId, dir: SortDir): TableRow[] {
  const col = columnById(id);
  const sign = dir === 'asc' ? 1 : -1;
  const keyed = rows.map((r, i) => ({ r, i, v: col.value(r) }));
  keyed.sort((a, b) => {
    if (a.v === undefined || b.v === undefined) return a.v === b.v ? a.i - b.i : a.v === undefined ? 1 : -1;
    const c = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : String(a.v).localeCompare(String(b.v));
    return c !== 0 ? sign * c : a.i - b.i;
  });
  return keyed.map((k) => k.r);
}

/**
 * A column filter box as a predicate. Numeric columns read `>0.5`, `<=2`, `=1`, `0.5..1` or a bare number
 * (equality); `-` or `none` matches a value not recorded. Text columns match a case-insensitive substring;
 * the verdict column also reads its marks (✓ ✗ ?). An empty box matches everything.
 */
export function cellFilter(id: ColumnId, raw: string): ((r: TableRow) => boolean) | undefined {
  const q = raw.trim();
  if (!q) return undefined;
  const col = columnById(id);
  if (id === 'verdict') {
    const word = q === '✓' ? 'correct' : q === '✗' || q.toLowerCase() === 'x' ? 'wrong' : q === '?' ? 'unknown' : q.toLowerCase();
    return (r) => r.verdict.startsWith(word);
  }
  if (!col.numeric) {
    const needle = q.toLowerCase();
    return (r) => col.text(r).toLowerCase().includes(needle);
  }
  if (q === '-' || q === '–' || q.toLowerCase() === 'none') return (r) => col.value(r) === undefined;
  // Latency is shown in seconds, so its filter is read in seconds too.
  const scale = id === 'latency' ? 1000 : 1;
  const range = /^(-?[\d.]+)\s*\.\.\s*(-?[\d.]+)$/.exec(q);
  if (range) {
    const lo = Number(range[1]) * scale;
    const hi = Number(range[2]) * scale;
    return (r) => isNum(col.value(r), (v) => v >= lo && v <= hi);
  }
  const m = /^(<=|>=|<|>|=)?\s*(-?\d*\.?\d+)$/.exec(q);
  if (!m) return () => false;
  const x = Number(m[2]) * scale;
  const tests = { '<': (v: number) => v < x, '<=': (v: number) => v <= x, '>': (v: number) => v > x, '>=': (v: number) => v >= x, '=': (v: number) => v === x };
  const test = tests[(m[1] ?? '=') as keyof typeof tests];
  return (r) => isNum(col.value(r), test);
}

const isNum = (v: number | string | undefined, test: (v: number) => boolean) => typeof v === 'number' && test(v);

/** Rows passing every column filter and, when `deep` is given, whose key is in it (the host's text search). */
export function filterRows(rows: readonly TableRow[], filters: Partial<Record<ColumnId, string>>, deep?: ReadonlySet<string>): TableRow[] {
  const preds = Object.entries(filters).flatMap(([id, q]) => cellFilter(id as ColumnId, q ?? '') ?? []);
  if (preds.length === 0 && !deep) return rows.slice();
  return rows.filter((r) => (!deep || deep.has(r.key)) && preds.every((p) => p(r)));
}

/** Row window for a virtual list: the first and one-past-last row to render, with an overscan either side. */
export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, total: number, overscan = 8): { start: number; end: number } {
  const start = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const end = Math.min(total, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return { start, end };
}
