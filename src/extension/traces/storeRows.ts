/**
 * A large trace file's rows in the trace store (src/core/traces: DuckDB in the extension's storage, filled by
 * worker threads): every count, page and facet is a SQL query, a trajectory is read from the file by its
 * stored offset, and a read shows its progress and can be stopped. In the extension the store lives on the
 * store worker (src/core/storeHost: DuckDB, the ingest and the text search never run on the main thread);
 * without one (tests) in this thread. The store persists, so reopening a file
 * (or a new window) reads only what was appended since.
 */
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import { CancelledError } from '../../core/errors';
import type { TraceFilter, TraceSort } from '../../core/traces/filter';
import { LocalTraceStore, type TraceStoreHandle } from '../../core/traces/storeHandle';
import type { BadLine, TrajectorySummary } from '../../core/traces/summary';
import { traceStorePath, type TraceFacets } from '../../core/traces/traceStore';
import type { TableQuery } from '../../core/traces/tableFilter';
import type { Trajectory } from '../../core/trace';
import type { TableRow } from '../../protocol';
import { tableRowOf } from './tableRow';
import { rowsUpdated } from './rowsEvents';
import { TraceFileIndex } from './traceFileIndex';
import type { ReadProgress, StoreRowsConfig, TraceRows } from './traceRows';

export class StoreRows implements TraceRows {
  readonly held = 'store';
  private store: Promise<TraceStoreHandle> | undefined;
  private opened: TraceStoreHandle | undefined;
  /** Reads lines by offset under the same confinement rules as the in-memory index (its summaries stay empty). */
  private readonly lines: TraceFileIndex;
  private roots: readonly string[] | undefined;
  private running: Promise<number> | undefined;
  private abort: AbortController | undefined;
  private current: ReadProgress | undefined;
  private disposed = false;
  /** This window's own store, when the shared one was held by another window (deleted on dispose). */
  private ownStore: string | undefined;

  constructor(
    readonly file: string,
    private readonly config: StoreRowsConfig,
    /** The previous holder of this file closing its store (a refresh): this one opens the store after. */
    private readonly after?: Promise<void>,
  ) {
    this.lines = new TraceFileIndex(file);
  }

  private openAt(storePath: string): Promise<TraceStoreHandle> {
    return this.config.host ? this.config.host.openTraceStore(storePath, this.file) : LocalTraceStore.open(storePath, this.file);
  }

  private open(): Promise<TraceStoreHandle> {
    this.store ??= (async () => {
      await this.after?.catch(() => undefined);
      const shared = traceStorePath(this.config.storageDir, this.file);
      try {
        return (this.opened = await this.openAt(shared));
      } catch (e) {
        // DuckDB locks its file: another window reading the same trace file holds the shared store. This window
        // reads into a store of its own, removed when it lets go of the file.
        this.ownStore = shared.replace(/\.duckdb$/, `-${process.pid}.duckdb`);
        try {
          return (this.opened = await this.openAt(this.ownStore));
        } catch {
          throw e;
        }
      }
    })();
    return this.store;
  }

  get total(): number {
    return this.opened?.state.rows ?? 0;
  }

  get problemCount(): number {
    return this.opened?.state.problems ?? 0;
  }

  get indexedBytes(): number {
    return this.opened?.state.bytes ?? 0;
  }

  get progress(): ReadProgress | undefined {
    return this.current;
  }

  confine(roots: readonly string[]): void {
    this.roots = roots;
    this.lines.confine(roots);
  }

  update(opts: { onBatch?: (added: number) => void; signal?: AbortSignal } = {}): Promise<number> {
    this.running ??= this.ingest(opts).finally(() => {
      this.running = undefined;
      this.current = undefined;
    });
    return this.running;
  }

  private async ingest(opts: { onBatch?: (added: number) => void; signal?: AbortSignal }): Promise<number> {
    const store = await this.open();
    if (this.roots) await this.lines.checkConfined();
    const abort = (this.abort = new AbortController());
    const stop = () => abort.abort();
    opts.signal?.addEventListener('abort', stop);
    let last = store.state.rows;
    try {
      const report = await store.ingest(this.file, {
        workerFile: this.config.workerFile,
        signal: abort.signal,
        noFollow: !!this.roots,
        onProgress: (p) => {
          this.current = p;
          const added = p.rows - last;
          last = p.rows;
          if (added > 0) opts.onBatch?.(added);
          rowsUpdated(this.file);
        },
      });
      if (report.reread || report.rowsAdded) rowsUpdated(this.file);
      return report.rowsAdded;
    } catch (e) {
      // Stopped: what was committed stays listed, and the next update goes on from there.
      if (e instanceof CancelledError && this.disposed) return 0;
      throw e;
    } finally {
      opts.signal?.removeEventListener('abort', stop);
    }
  }

  async count(f: TraceFilter): Promise<{ shown: number; failed: number }> {
    return (await this.open()).count(f);
  }

  async page(f: TraceFilter, sort: TraceSort, offset: number, limit: number): Promise<TrajectorySummary[]> {
    return (await this.open()).page(f, sort, offset, limit);
  }

  async facets(f: TraceFilter): Promise<TraceFacets> {
    return (await this.open()).facets(f);
  }

  async tableWindow(q: TableQuery, offset: number, limit: number): Promise<{ rows: TableRow[]; total: number }> {
    const { rows, total } = await (await this.open()).tableWindow(q, path.basename(this.file), offset, limit);
    return { rows: rows.map((s) => tableRowOf(this.file, s)), total };
  }

  async problems(limit: number): Promise<BadLine[]> {
    return (await this.open()).problems(limit);
  }

  async byId(id: string): Promise<TrajectorySummary | undefined> {
    return (await this.open()).byId(id);
  }

  read(s: TrajectorySummary): Promise<Trajectory> {
    return this.lines.read(s);
  }

  async find(id: string): Promise<Trajectory | undefined> {
    let s = await this.byId(id);
    if (!s) {
      await this.update();
      s = await this.byId(id);
    }
    return s ? this.read(s) : undefined;
  }

  async search(needle: string, signal?: { cancelled: boolean }): Promise<string[]> {
    return (await this.open()).search(this.file, needle, { roots: this.roots, signal });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.abort?.abort();
    await this.running?.catch(() => undefined);
    const store = await this.store?.catch(() => undefined);
    await store?.close();
    if (this.ownStore) for (const f of [this.ownStore, `${this.ownStore}.wal`]) await rm(f, { force: true });
  }
}
