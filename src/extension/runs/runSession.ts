/**
 * One open training run in the extension host: its DuckDB store (in the extension's storage, never in
 * the run folder; hosted on the store worker in the extension), ingests on worker threads, one at a time, with progress and cancel, and a watch on
 * the folder so the figures grow while the trainer writes step files. No `vscode` here: the Runs view
 * and the dashboard listen to `onChange`.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { CancelledError } from '../../core/errors';
import type { IngestProgress, IngestReport } from '../../core/runs/ingest';
import { storeFileName } from '../../core/runs/store';
import type { StoreHost } from '../../core/storeHost/client';
import { LocalRunStore, type RunStoreHandle } from '../../core/storeHost/runStoreHandle';
import { traceStoreHost } from '../traces/traceRows';
import { runProblems, runSummary, type StepSummary } from '../../core/runs/summary';

export interface RunSnapshot {
  steps: StepSummary[];
  problems: number;
  progress?: IngestProgress;
}

export type RunEvent = { kind: 'progress'; progress: IngestProgress } | { kind: 'updated'; snapshot: RunSnapshot; report: IngestReport } | { kind: 'failed'; error: unknown };

/** Changes to the folder are gathered this long before an ingest starts (a trainer writes a file in bursts). */
const SETTLE_MS = 400;

export class RunSession {
  readonly dir: string;
  readonly name: string;
  private ingesting: Promise<void> | undefined;
  private again = false;
  private abort: AbortController | undefined;
  private watcher: FSWatcher | undefined;
  private settle: NodeJS.Timeout | undefined;
  private listeners: Array<(e: RunEvent) => void> = [];
  private lastProgress: IngestProgress | undefined;
  private disposed = false;

  private constructor(
    readonly store: RunStoreHandle,
    dir: string,
    private readonly workerFile: string | undefined,
  ) {
    this.dir = resolve(dir);
    this.name = basename(this.dir);
  }

  /**
   * Opens the run's store under `storageDir` (one file per run folder): on the store worker where the extension
   * runs one (the trace stores' host: DuckDB and the ingest stay off the main thread), else in this thread.
   */
  static async open(dir: string, storageDir: string, workerFile?: string, host: StoreHost | undefined = traceStoreHost()): Promise<RunSession> {
    const path = join(storageDir, storeFileName(dir));
    const store = host ? await host.openRunStore(path, dir) : await LocalRunStore.open(path, dir);
    return new RunSession(store, dir, workerFile);
  }

  onChange(listener: (e: RunEvent) => void): { dispose(): void } {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  }

  private emit(e: RunEvent): void {
    for (const l of this.listeners) l(e);
  }

  get progress(): IngestProgress | undefined {
    return this.ingesting ? this.lastProgress : undefined;
  }

  async snapshot(): Promise<RunSnapshot> {
    const [steps, problems] = await Promise.all([runSummary(this.store), runProblems(this.store, 0)]);
    return { steps, problems: problems.total, progress: this.progress };
  }

  /** Reads new and grown step files; a call during an ingest runs one more after it. Resolves when the folder is read. */
  refresh(): Promise<void> {
    if (this.ingesting) {
      this.again = true;
      return this.ingesting;
    }
    const run = async (): Promise<void> => {
      do {
        this.again = false;
        this.abort = new AbortController();
        try {
          const report = await this.store.ingest(this.dir, {
            workerFile: this.workerFile,
            signal: this.abort.signal,
            onProgress: (p) => {
              this.lastProgress = p;
              this.emit({ kind: 'progress', progress: p });
            },
          });
          this.lastProgress = undefined;
          if (!this.disposed) this.emit({ kind: 'updated', snapshot: await this.snapshot(), report });
        } catch (e) {
          this.lastProgress = undefined;
          if (!(e instanceof CancelledError) && !this.disposed) this.emit({ kind: 'failed', error: e });
          if (e instanceof CancelledError && !this.disposed) this.emit({ kind: 'updated', snapshot: await this.snapshot(), report: { filesRead: 0, rowsAdded: 0, problemsAdded: 0, filesRemoved: 0 } });
          this.again = false;
        }
      } while (this.again && !this.disposed);
    };
    this.ingesting = run().finally(() => (this.ingesting = undefined));
    return this.ingesting;
  }

  /** Stops the ingest under way; what it committed stays, the rest is read next time. */
  cancel(): void {
    this.abort?.abort();
  }

  /** Re-reads the folder whenever a file in it changes. */
  watch(): void {
    if (this.watcher || this.disposed) return;
    try {
      this.watcher = watch(this.dir, () => {
        clearTimeout(this.settle);
        this.settle = setTimeout(() => void this.refresh(), SETTLE_MS);
      });
      this.watcher.on('error', () => this.unwatch());
    } catch {
      this.watcher = undefined; // a folder we cannot watch still opens; the Runs view's refresh re-reads it
    }
  }

  private unwatch(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.unwatch();
    clearTimeout(this.settle);
    this.cancel();
    await this.ingesting?.catch(() => undefined);
    await this.store.close();
  }
}
