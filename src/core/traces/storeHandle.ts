/**
 * What the Traces view asks of a trace store, whoever hosts it: the store in this thread (the CLI, unit tests)
 * or the same store on the store worker (src/core/storeHost, the extension: DuckDB's native module loads and
 * its queries run there, never on the extension host's main thread). Both answer through LocalTraceStore, so
 * there is one implementation of reading, querying and searching a store; the worker only carries messages.
 */
import { inProcessTracePool, traceWorkerPool } from '../runs/pool';
import type { TraceFilter, TraceSort } from './filter';
import { ingestTraceFile, type TraceIngestProgress, type TraceIngestReport } from './ingestTrace';
import type { BadLine, TrajectorySummary } from './summary';
import type { TableQuery } from './tableFilter';
import { searchStoredFile } from './textSearch';
import { TraceStore, type TraceFacets, type TraceStoreState } from './traceStore';

export interface StoreIngestOptions {
  /** The bundled parse worker (dist/runsWorker.js); without it ranges parse in this thread. */
  workerFile?: string;
  noFollow?: boolean;
  rangeBytes?: number;
  firstRangeBytes?: number;
}

export interface StoreIngestProgress extends TraceIngestProgress {
  /** The store's state after the range just committed. */
  state: TraceStoreState;
}

/** The store's read-only questions, as the protocol names them (their arguments and answers are structured-cloneable). */
export interface TraceStoreQueries {
  count(f: TraceFilter): Promise<{ shown: number; failed: number }>;
  page(f: TraceFilter, sort: TraceSort, offset: number, limit: number): Promise<TrajectorySummary[]>;
  tableWindow(q: TableQuery, fileName: string, offset: number, limit: number): Promise<{ rows: TrajectorySummary[]; total: number }>;
  byId(id: string): Promise<TrajectorySummary | undefined>;
  facets(f: TraceFilter): Promise<TraceFacets>;
  problems(limit: number): Promise<BadLine[]>;
}

export const QUERY_METHODS = ['count', 'page', 'tableWindow', 'byId', 'facets', 'problems'] as const satisfies ReadonlyArray<keyof TraceStoreQueries>;
export type QueryMethod = (typeof QUERY_METHODS)[number];

export interface TraceStoreHandle extends TraceStoreQueries {
  readonly path: string;
  /** How far the file has been read, as of the last commit this side has heard of. */
  readonly state: TraceStoreState;
  /** Reads what `file` gained since the last read into the store (src/core/traces/ingestTrace.ts). */
  ingest(file: string, opts: StoreIngestOptions & { signal?: AbortSignal; onProgress?: (p: StoreIngestProgress) => void }): Promise<TraceIngestReport>;
  /** Keys (`<file>#<id>`) of the stored trajectories whose queries, documents or reasoning mention `needle`. */
  search(file: string, needle: string, opts: { roots?: readonly string[]; signal?: { cancelled: boolean } }): Promise<string[]>;
  close(): Promise<void>;
}

/** A trace store in this thread. */
export class LocalTraceStore implements TraceStoreHandle {
  private constructor(private readonly store: TraceStore) {}

  static async open(path: string, traceFile: string): Promise<LocalTraceStore> {
    return new LocalTraceStore(await TraceStore.open(path, traceFile));
  }

  get path(): string {
    return this.store.path;
  }

  get state(): TraceStoreState {
    return this.store.state;
  }

  async ingest(file: string, opts: StoreIngestOptions & { signal?: AbortSignal; onProgress?: (p: StoreIngestProgress) => void }): Promise<TraceIngestReport> {
    const pool = opts.workerFile ? traceWorkerPool(opts.workerFile) : inProcessTracePool();
    try {
      return await ingestTraceFile(file, this.store, pool, {
        signal: opts.signal,
        noFollow: opts.noFollow,
        rangeBytes: opts.rangeBytes,
        firstRangeBytes: opts.firstRangeBytes,
        onProgress: (p) => opts.onProgress?.({ ...p, state: this.store.state }),
      });
    } finally {
      await pool.close();
    }
  }

  search(file: string, needle: string, opts: { roots?: readonly string[]; signal?: { cancelled: boolean } }): Promise<string[]> {
    // Stopped: what was found so far (the caller, having cancelled, ignores it), as the in-memory search does.
    return searchStoredFile(this.store, file, needle, opts);
  }

  count(f: TraceFilter) {
    return this.store.count(f);
  }
  page(f: TraceFilter, sort: TraceSort, offset: number, limit: number) {
    return this.store.page(f, sort, offset, limit);
  }
  tableWindow(q: TableQuery, fileName: string, offset: number, limit: number) {
    return this.store.tableWindow(q, fileName, offset, limit);
  }
  byId(id: string) {
    return this.store.byId(id);
  }
  facets(f: TraceFilter) {
    return this.store.facets(f);
  }
  problems(limit: number) {
    return this.store.problems(limit);
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
