/**
 * The trajectories table's columns and the pure logic behind them: what each cell shows, how a column sorts and
 * how its filter box reads (core/traces/tableFilter.ts, which the trace store reads as SQL too). No DOM and no
 * vscode: the webview (webview/table) and the host (a large file's rows, src/extension/traces) both use it, and it
 * is unit-tested on Node (test/unit/webview/tableColumns.test.ts).
 * Column order puts verdict, question, F1, searches and labels first: the ones that must stay visible in an
 * editor-area panel at 1400×900 with the default sidebar (issue 14).
 */
import { readCellFilter, type SortDir, type TableColumnId } from './core/traces/tableFilter';
import type { TableRow } from './protocol';

export type ColumnId = TableColumnId;
export type { SortDir };

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

/** A column filter box as a predicate (read by readCellFilter); an empty box: undefined. */
export function cellFilter(id: ColumnId, raw: string): ((r: TableRow) => boolean) | undefined {
  const t = readCellFilter(id, raw);
  if (!t) return undefined;
  const col = columnById(id);
  switch (t.kind) {
    case 'verdict':
      return (r) => r.verdict.startsWith(t.word);
    case 'text':
      return (r) => col.text(r).toLowerCase().includes(t.needle);
    case 'missing':
      return (r) => col.value(r) === undefined;
    case 'range':
      return (r) => isNum(col.value(r), (v) => v >= t.lo && v <= t.hi);
    case 'compare': {
      const x = t.x;
      const tests = { '<': (v: number) => v < x, '<=': (v: number) => v <= x, '>': (v: number) => v > x, '>=': (v: number) => v >= x, '=': (v: number) => v === x };
      const test = tests[t.op];
      return (r) => isNum(col.value(r), test);
    }
    case 'nothing':
      return () => false;
  }
}

const isNum = (v: number | string | undefined, test: (v: number) => boolean) => typeof v === 'number' && test(v);

/** Rows passing every column filter and, when `deep` is given, whose key is in it (the host's text search). */
export function filterRows(rows: readonly TableRow[], filters: Partial<Record<ColumnId, string>>, deep?: ReadonlySet<string>): TableRow[] {
  const preds = Object.entries(filters).flatMap(([id, q]) => cellFilter(id as ColumnId, q ?? '') ?? []);
  if (preds.length === 0 && !deep) return rows.slice();
  return rows.filter((r) => (!deep || deep.has(r.key)) && preds.every((p) => p(r)));
}
