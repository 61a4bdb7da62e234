/**
 * The trajectories table's rows when the host holds them (a trace file large enough for the trace store): one
 * window at a time, filtered and sorted where the rows are (SQL in the store, JavaScript for a small file beside
 * it), never every row. Several files are merged as the webview would merge them: file after file, then a stable
 * sort. No `vscode` here.
 */
import type { TableQuery } from '../../core/traces/tableFilter';
import type { TableHostMessage, TableRow, TableWindowQuery } from '../../protocol';
import { sortRows } from '../../tableColumns';
import { traceRowsFor, type TraceRows } from './traceRows';

export type TableWindow = Extract<TableHostMessage, { type: 'window' }>;

/** Whether the table should ask the host for windows: some file's rows are in the trace store. */
export function hostHoldsRows(files: readonly string[]): boolean {
  return files.some((f) => traceRowsFor(f).held === 'store');
}

/**
 * The text search inside trajectories, per file: which ids mention the text. Remembered for the last text, so
 * scrolling and sorting under one search do not search again.
 */
export class DeepMatches {
  private last: { text: string; files: string; ids: Promise<Map<string, string[]>> } | undefined;
  private signal = { cancelled: false };

  ids(files: readonly string[], text: string): Promise<Map<string, string[]>> {
    const key = files.join('\n');
    if (this.last?.text === text && this.last.files === key) return this.last.ids;
    this.signal.cancelled = true;
    const signal = (this.signal = { cancelled: false });
    const ids = (async () => {
      const out = new Map<string, string[]>();
      for (const f of files) out.set(f, (await traceRowsFor(f).search(text, signal)).map((k) => k.slice(f.length + 1)));
      return out;
    })();
    this.last = { text, files: key, ids };
    ids.catch(() => (this.last = undefined));
    return ids;
  }
}

export async function tableWindow(files: readonly string[], q: TableWindowQuery, deep: DeepMatches): Promise<TableWindow> {
  const ids = q.deep ? await deep.ids(files, q.deep) : undefined;
  const query = (f: string): TableQuery => ({ filters: q.filters, sort: q.sort, ids: ids ? (ids.get(f) ?? []) : undefined });
  const holders: TraceRows[] = files.map(traceRowsFor);
  const all = holders.reduce((n, r) => n + r.total, 0);
  if (holders.length === 1) {
    const { rows, total } = await holders[0]!.tableWindow(query(files[0]!), q.start, q.count);
    return { type: 'window', seq: q.seq, total, all, start: q.start, rows };
  }
  // Each file's first start+count rows hold the merged first start+count: merge them and cut the window.
  const parts = await Promise.all(holders.map((r, i) => r.tableWindow(query(files[i]!), 0, q.start + q.count)));
  const joined: TableRow[] = parts.flatMap((p) => p.rows);
  const merged = q.sort ? sortRows(joined, q.sort.id, q.sort.dir) : joined;
  return { type: 'window', seq: q.seq, total: parts.reduce((n, p) => n + p.total, 0), all, start: q.start, rows: merged.slice(q.start, q.start + q.count) };
}
