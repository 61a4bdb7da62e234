/**
 * The rows of one trace file as the Traces view, its filter picker, the Compare picker, the trajectories table
 * and the trace panel ask for them: counts, pages under a filter and a sort, label and stop-reason counts, one
 * trajectory read on demand. Two holders answer the same questions: small files an in-memory index
 * (memoryRows.ts), large ones the trace store (storeRows.ts, DuckDB, read on worker threads), so a caller never
 * branches and a 500,000-trajectory file is never an array in the extension host. No `vscode` here.
 */
import { statSync } from 'node:fs';
import { StoreHost } from '../../core/storeHost/client';
import type { TraceFilter, TraceSort } from '../../core/traces/filter';
import type { TableQuery } from '../../core/traces/tableFilter';
import type { TableRow } from '../../protocol';
import { duckdbInstalled, type TraceFacets } from '../../core/traces/traceStore';
import type { Trajectory } from '../../core/trace';
import type { BadLine, TrajectorySummary } from '../../core/traces/summary';
import { MemoryRows } from './memoryRows';
export { onRowsUpdated } from './rowsEvents';
import { StoreRows } from './storeRows';

export interface ReadProgress {
  /** Trajectories listed so far. */
  rows: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface TraceRows {
  readonly file: string;
  /** Where the rows are: in the extension host's memory (a small file) or in the trace store. */
  readonly held: 'memory' | 'store';
  /** Trajectories listed so far (all of them once the file is read). */
  readonly total: number;
  readonly problemCount: number;
  /** Bytes of the file read so far. */
  readonly indexedBytes: number;
  /** How far the current read is, while one runs. */
  readonly progress: ReadProgress | undefined;
  /** Reads what the file gained (all of it the first time); resolves with the trajectories added. Concurrent calls share one read. */
  update(opts?: { onBatch?: (added: number) => void; signal?: AbortSignal }): Promise<number>;
  /** Trajectories passing `f`, and how many of them the verdict calls wrong. */
  count(f: TraceFilter): Promise<{ shown: number; failed: number }>;
  page(f: TraceFilter, sort: TraceSort, offset: number, limit: number): Promise<TrajectorySummary[]>;
  facets(f: TraceFilter): Promise<TraceFacets>;
  /** The trajectories table's rows of this file passing `q`, in its order: rows offset…offset+limit, and how many pass. */
  tableWindow(q: TableQuery, offset: number, limit: number): Promise<{ rows: TableRow[]; total: number }>;
  problems(limit: number): Promise<BadLine[]>;
  byId(id: string): Promise<TrajectorySummary | undefined>;
  /** The whole trajectory behind a summary, read from its byte range. */
  read(s: TrajectorySummary): Promise<Trajectory>;
  /** Finds a trajectory by id, reading more of the file if it is not known yet. */
  find(id: string): Promise<Trajectory | undefined>;
  /** Keys (`<file>#<id>`) of the trajectories whose queries, documents or reasoning mention `needle`. */
  search(needle: string, signal?: { cancelled: boolean }): Promise<string[]>;
  /** Reads of this file must stay inside `roots`, with no symbolic link on the way (a file found in the workspace). */
  confine(roots: readonly string[]): void;
  /** Stops a read in progress and lets go of what it holds. */
  dispose(): Promise<void>;
}

export interface TraceStoreConfig {
  /** Where stores live: the extension's global storage, never the user's folder. */
  storageDir: string;
  /** The bundled worker (dist/runsWorker.js); without it ranges parse in-process (tests). */
  workerFile?: string;
  /**
   * The bundled store worker (dist/storeWorker.js): stores live on it, so DuckDB never loads or queries on this
   * thread; without it (unit tests) they live in this thread.
   */
  storeWorkerFile?: string;
  /** Files at least this large use the store. */
  minBytes?: number;
}

/**
 * Below this a file is held in memory: the 1,390-rollout demo file (~30 MB) lists at once either way, and an
 * in-memory index of a few thousand summaries costs a few MB (npm run bench:viewer measures both).
 */
export const STORE_MIN_BYTES = 64 * 1024 * 1024;

/** What a StoreRows is given: the configuration and the store worker's host made from it. */
export interface StoreRowsConfig extends TraceStoreConfig {
  host?: StoreHost;
}

let storeConfig: StoreRowsConfig | undefined;

/** Turns the trace store on for large files (the extension at activation; tests and the benchmark directly). */
export function configureTraceStore(config: TraceStoreConfig | undefined): void {
  // The same worker goes on serving the stores open on it (a setting changed); another one, or none, replaces it
  // once the caller has let go of the stores (forgetAllTraceRows).
  const old = storeConfig;
  const keep = old?.host && old.storeWorkerFile === config?.storeWorkerFile ? old.host : undefined;
  if (old?.host && old.host !== keep) void old.host.close();
  storeConfig = config && { ...config, host: keep ?? (config.storeWorkerFile ? new StoreHost(config.storeWorkerFile) : undefined) };
}

/** The store worker's host, when stores live on it (the Run Summary of a store-held file is made there too). */
export function traceStoreHost(): StoreHost | undefined {
  return storeConfig?.host;
}

/** Whether `file` is large enough for the trace store (and the store can load here). */
export function usesStore(file: string): boolean {
  if (!storeConfig || !duckdbInstalled()) return false;
  try {
    return statSync(file).size >= (storeConfig.minBytes ?? STORE_MIN_BYTES);
  } catch {
    return false; // not there (yet): the in-memory holder reports the error when it reads
  }
}

/** One holder per file, shared by the tree, the table, the pickers and the panel. */
const holders = new Map<string, TraceRows>();
/** Holders being let go of: a new store on the same file opens once the old one has closed (DuckDB locks its file). */
const closing = new Map<string, Promise<void>>();

function letGo(file: string, r: TraceRows): Promise<void> {
  const done = r.dispose().finally(() => {
    if (closing.get(file) === done) closing.delete(file);
  });
  closing.set(file, done);
  return done;
}

export function traceRowsFor(file: string): TraceRows {
  let r = holders.get(file);
  if (!r) {
    r = storeConfig && usesStore(file) ? new StoreRows(file, storeConfig, closing.get(file)) : new MemoryRows(file);
    holders.set(file, r);
  }
  return r;
}

/** The rows of a trace file found in the workspace: its reads must stay inside `roots` (no symlinks). */
export function workspaceTraceRows(file: string, roots: readonly string[]): TraceRows {
  const r = traceRowsFor(file);
  r.confine(roots);
  return r;
}

/** Lets go of every holder (the extension deactivates: stores close, reads stop). */
export async function forgetAllTraceRows(): Promise<void> {
  const all = [...holders];
  holders.clear();
  await Promise.all(all.map(([file, r]) => letGo(file, r)));
}

/** Forgets a file's holder (closed, deleted, or refreshed: the next ask starts again, choosing the holder anew). */
export function forgetTraceRows(file: string): void {
  const r = holders.get(file);
  holders.delete(file);
  if (r) void letGo(file, r);
}

