/**
 * Opening a run: its store (given, or the default cache file), brought up to date with the folder.
 * The caller closes the store. `workerFile` runs the parsing on worker threads; without it, in-process.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ingestRun, type IngestOptions, type IngestReport } from './ingest';
import { inProcessPool, workerPool } from './pool';
import { defaultStorePath, RunStore } from './store';

export interface OpenRunOptions extends IngestOptions {
  dir: string;
  /** The store file; default: defaultStorePath(dir). */
  store?: string;
  workerFile?: string;
}

export async function openRun(options: OpenRunOptions): Promise<{ store: RunStore; report: IngestReport }> {
  // The workers start (load their bundle, compile) while DuckDB loads and opens the store: the two
  // were ~0.15 s each one after the other before any parsing began.
  const pool = options.workerFile ? workerPool(options.workerFile) : inProcessPool();
  let store: RunStore;
  try {
    store = await RunStore.open(options.store ?? defaultStorePath(options.dir), options.dir);
  } catch (e) {
    await pool.close();
    throw e;
  }
  let report: IngestReport;
  try {
    report = await ingestRun(options.dir, store, pool, options);
  } catch (e) {
    store.close();
    await pool.close();
    throw e;
  }
  // Not waited for: tearing the workers' heaps down took ~45 ms that the caller's first query need not
  // wait behind (terminating a worker does not fail; the process stays up until they are gone).
  void pool.close();
  return { store, report };
}

/** The bundled worker next to a bundle (dist/runsWorker.js), when there is one. */
export function bundledWorker(bundleDir: string): string | undefined {
  const file = join(bundleDir, 'runsWorker.js');
  return existsSync(file) ? file : undefined;
}
