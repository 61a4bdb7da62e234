/**
 * What a training run's session asks of its run store, whoever hosts it: the store in this thread (the CLI's
 * `hopscope runs`, unit tests) or the same store on the store worker (the extension: DuckDB loads and queries
 * there, and the run's ingest runs there with its parse workers). LocalRunStore is the one implementation; the
 * worker hosts it. Queries go through `query` (src/core/runs/queries.ts, summary.ts take any RunQueries).
 */
import { ingestRun, type IngestProgress, type IngestReport } from '../runs/ingest';
import { inProcessPool, workerPool, type ParsePool } from '../runs/pool';
import { RunStore, type RunQueries, type SqlRow, type SqlValue } from '../runs/store';

export interface RunIngestOptions {
  /** The bundled parse worker (dist/runsWorker.js); without it rollouts parse in this thread. */
  workerFile?: string;
  signal?: AbortSignal;
  onProgress?: (p: IngestProgress) => void;
}

export interface RunStoreHandle extends RunQueries {
  readonly path: string;
  /** Reads the run folder's new and grown step files into the store (src/core/runs/ingest.ts). */
  ingest(dir: string, opts: RunIngestOptions): Promise<IngestReport>;
  close(): Promise<void>;
}

export class LocalRunStore implements RunStoreHandle {
  /** Kept between ingests: warm workers read the trainer's next step file faster than new ones. */
  private pool: ParsePool | undefined;

  private constructor(private readonly store: RunStore) {}

  static async open(path: string, runDir: string): Promise<LocalRunStore> {
    return new LocalRunStore(await RunStore.open(path, runDir));
  }

  get path(): string {
    return this.store.path;
  }

  query(sql: string, params: SqlValue[] = []): Promise<SqlRow[]> {
    return this.store.query(sql, params);
  }

  async ingest(dir: string, opts: RunIngestOptions): Promise<IngestReport> {
    const pool = (this.pool ??= opts.workerFile ? workerPool(opts.workerFile) : inProcessPool());
    try {
      return await ingestRun(dir, this.store, pool, { signal: opts.signal, onProgress: opts.onProgress });
    } catch (e) {
      // A worker that failed (or an ingest stopped mid-range) is not reused.
      this.pool = undefined;
      void pool.close();
      throw e;
    }
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.store.close();
  }
}
