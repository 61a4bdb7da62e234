/**
 * A small trace file's rows, held in memory (traceFileIndex.ts) and filtered, sorted and counted in JavaScript
 * (traceFilter.ts): what the trace store answers in SQL for large files, with the same meaning.
 */
import type { TraceFilter, TraceSort } from '../../core/traces/filter';
import type { TableQuery } from '../../core/traces/tableFilter';
import type { TraceFacets } from '../../core/traces/traceStore';
import type { TableRow } from '../../protocol';
import { filterRows, sortRows } from '../../tableColumns';
import { tableRowOf } from './tableRow';
import type { StopReason, Trajectory } from '../../core/trace';
import type { BadLine, TrajectorySummary } from '../../core/traces/summary';
import { searchFile } from './deepSearch';
import { TraceFileIndex } from './traceFileIndex';
import { filterAndSort, isFiltered, matches } from './traceFilter';
import type { ReadProgress, TraceRows } from './traceRows';

export class MemoryRows implements TraceRows {
  readonly held = 'memory';
  private readonly index: TraceFileIndex;
  /** The table's last query answered, so scrolling through it does not filter and sort again. */
  private lastTable: { key: string; rows: TableRow[] } | undefined;

  constructor(readonly file: string) {
    this.index = new TraceFileIndex(file);
  }

  get total(): number {
    return this.index.summaries.length;
  }

  get problemCount(): number {
    return this.index.problems.length;
  }

  get indexedBytes(): number {
    return this.index.indexedBytes;
  }

  get progress(): ReadProgress | undefined {
    return undefined;
  }

  confine(roots: readonly string[]): void {
    this.index.confine(roots);
  }

  update(opts: { onBatch?: (added: number) => void; signal?: AbortSignal } = {}): Promise<number> {
    return this.index.update(opts);
  }

  private visible(f: TraceFilter, sort: TraceSort): readonly TrajectorySummary[] {
    return isFiltered(f) || sort !== 'file' ? filterAndSort(this.index.summaries, f, sort) : this.index.summaries;
  }

  async count(f: TraceFilter): Promise<{ shown: number; failed: number }> {
    const list = this.visible(f, 'file');
    return { shown: list.length, failed: list.reduce((k, s) => k + (s.verdict === false ? 1 : 0), 0) };
  }

  async page(f: TraceFilter, sort: TraceSort, offset: number, limit: number): Promise<TrajectorySummary[]> {
    return this.visible(f, sort).slice(offset, offset + limit);
  }

  async facets(f: TraceFilter): Promise<TraceFacets> {
    // Counts follow the filter: a label's count is over the trajectories the rest of the filter lets through
    // (its own choice aside, so switching label or stop reason still shows what each would list).
    const labels = new Map<string, number>();
    const stops = new Map<StopReason, number>();
    for (const s of this.index.summaries) {
      const pass = matches(s, { ...f, label: undefined });
      for (const l of s.labels) labels.set(l, (labels.get(l) ?? 0) + (pass ? 1 : 0));
      if (matches(s, { ...f, stopReason: undefined })) stops.set(s.stopReason, (stops.get(s.stopReason) ?? 0) + 1);
    }
    return { labels, stops };
  }

  async tableWindow(q: TableQuery, offset: number, limit: number): Promise<{ rows: TableRow[]; total: number }> {
    const key = `${this.index.summaries.length}|${this.index.indexedBytes}|${JSON.stringify(q)}`;
    if (this.lastTable?.key !== key) {
      const all = this.index.summaries.map((s) => tableRowOf(this.file, s));
      const ids = q.ids && new Set(q.ids.map((id) => `${this.file}#${id}`));
      const passed = filterRows(all, q.filters, ids);
      this.lastTable = { key, rows: q.sort ? sortRows(passed, q.sort.id, q.sort.dir) : passed };
    }
    const rows = this.lastTable.rows;
    return { rows: rows.slice(offset, offset + limit), total: rows.length };
  }

  async problems(limit: number): Promise<BadLine[]> {
    return this.index.problems.slice(0, limit);
  }

  async byId(id: string): Promise<TrajectorySummary | undefined> {
    return this.index.byId(id);
  }

  read(s: TrajectorySummary): Promise<Trajectory> {
    return this.index.read(s);
  }

  find(id: string): Promise<Trajectory | undefined> {
    return this.index.find(id);
  }

  search(needle: string, signal?: { cancelled: boolean }): Promise<string[]> {
    return searchFile(this.index, needle, signal);
  }

  async dispose(): Promise<void> {
    // Nothing but the heap: the summaries go with this object.
  }
}
