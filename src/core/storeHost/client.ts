/**
 * The extension host's side of the store worker (worker.ts): one thread, started on the first store opened,
 * hosting every trace store and run store; `RemoteTraceStore` and `RemoteRunStore` have the interfaces of a
 * store in this thread (TraceStoreHandle, RunStoreHandle), so the Traces view and a run session do not know
 * where their store lives. A crashed worker fails every request in flight and
 * every later one on its stores with an error saying what to do (refresh: the next store opens a new worker);
 * a closed store or host refuses requests. Idle, the worker does not keep the process alive.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { CancelledError, errorMessage, HopscopeError, InputError } from '../errors';
import type { TraceFilter, TraceSort } from '../traces/filter';
import type { TraceIngestReport } from '../traces/ingestTrace';
import type { RunReport, RunReportOptions } from '../traces/runReport';
import type { QueryMethod, StoreIngestOptions, StoreIngestProgress, TraceStoreHandle } from '../traces/storeHandle';
import type { BadLine, TrajectorySummary } from '../traces/summary';
import type { TableQuery } from '../traces/tableFilter';
import type { TraceFacets, TraceStoreState } from '../traces/traceStore';
import { isStoreReply, type StoreRequest, type WireError } from './protocol';
import type { RunIngestOptions, RunStoreHandle } from './runStoreHandle';
import type { IngestProgress, IngestReport } from '../runs/ingest';
import type { SqlRow, SqlValue } from '../runs/store';

type Body = StoreRequest extends infer R ? (R extends StoreRequest ? Omit<R, 'id'> : never) : never;

/** How often a search or report looks at its caller's `cancelled` flag (a plain object the caller sets). */
const CANCEL_POLL_MS = 50;

const ERRORS: Record<string, new (...a: never[]) => HopscopeError> = { CancelledError, InputError };

/** The error a reply carries, as its own class where the caller tells them apart (a cancel is not a fault). */
function errorOf(w: WireError): HopscopeError {
  if (w.name === 'CancelledError') return new CancelledError();
  const e = new HopscopeError(w.message, w.hint);
  const cls = ERRORS[w.name];
  if (cls) Object.setPrototypeOf(e, cls.prototype);
  e.name = w.name;
  return e;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  onProgress?: (p: unknown) => void;
}

/** One worker thread's life: its requests, and why it is gone once it is. */
class Connection {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  dead: HopscopeError | undefined;

  constructor(private readonly worker: Worker) {
    worker.unref();
    worker.on('message', (m: unknown) => this.receive(m));
    worker.on('error', (e) => this.fail(new HopscopeError(`the trace store worker failed: ${e.message}`, 'refresh the Traces view to start it again')));
    worker.on('exit', (code) => this.fail(new HopscopeError(`the trace store worker stopped (exit ${code})`, 'refresh the Traces view to start it again')));
  }

  private receive(m: unknown): void {
    if (!isStoreReply(m)) return this.fail(new HopscopeError('the trace store worker sent a reply this version does not know', 'reload the window'));
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.kind === 'progress') return p.onProgress?.(m.progress);
    this.pending.delete(m.id);
    if (!this.pending.size) this.worker.unref();
    if (m.kind === 'done') p.resolve(m.value);
    else p.reject(errorOf(m.error));
  }

  private fail(e: HopscopeError): void {
    this.dead ??= e;
    for (const p of this.pending.values()) p.reject(this.dead);
    this.pending.clear();
    void this.worker.terminate();
  }

  /** `onProgress` gets what the worker reports for this request (an ingest's progress, of type P). */
  request<T, P = never>(body: Body, opts: { onProgress?: (p: P) => void; cancelled?: () => boolean; signal?: AbortSignal } = {}): Promise<T> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const cancel = () => this.worker.postMessage({ op: 'cancel', id });
      const poll = opts.cancelled ? setInterval(() => opts.cancelled!() && cancel(), CANCEL_POLL_MS) : undefined;
      poll?.unref();
      opts.signal?.addEventListener('abort', cancel);
      const done = () => {
        clearInterval(poll);
        opts.signal?.removeEventListener('abort', cancel);
      };
      this.pending.set(id, {
        resolve: (v) => (done(), resolve(v as T)),
        reject: (e) => (done(), reject(e)),
        onProgress: opts.onProgress as ((p: unknown) => void) | undefined,
      });
      // A request in flight keeps the process alive until answered (a CLI or test awaits it).
      this.worker.ref();
      try {
        this.worker.postMessage({ ...body, id } as StoreRequest);
      } catch (e) {
        // An argument that cannot be cloned: this request fails, the worker and the others go on.
        this.pending.delete(id);
        if (!this.pending.size) this.worker.unref();
        reject(new HopscopeError(`cannot send the request to the trace store worker: ${errorMessage(e)}`));
        return done();
      }
      if (opts.signal?.aborted) cancel();
    });
  }

  async close(): Promise<void> {
    this.dead ??= new HopscopeError('the trace store worker is closed');
    await this.worker.terminate();
  }
}

/** The bundled store worker next to a bundle (dist/storeWorker.js), when there is one. */
export function bundledStoreWorker(bundleDir: string): string | undefined {
  const file = join(bundleDir, 'storeWorker.js');
  return existsSync(file) ? file : undefined;
}

export class StoreHost {
  private conn: Connection | undefined;
  private closed = false;

  /** `workerFile`: dist/storeWorker.js (tests start the TypeScript entry through a tsx bootstrap). */
  constructor(private readonly workerFile: string) {}

  /** The live worker, started anew after a crash. */
  private connection(): Connection {
    if (this.closed) throw new HopscopeError('the trace store host is closed');
    if (!this.conn || this.conn.dead) this.conn = new Connection(new Worker(this.workerFile));
    return this.conn;
  }

  async openTraceStore(path: string, traceFile: string): Promise<TraceStoreHandle> {
    const conn = this.connection();
    const { store, state } = await conn.request<{ store: number; state: TraceStoreState }>({ op: 'open', path, traceFile });
    return new RemoteTraceStore(conn, store, path, state);
  }

  async openRunStore(path: string, runDir: string): Promise<RunStoreHandle> {
    const conn = this.connection();
    return new RemoteRunStore(conn, await conn.request<number>({ op: 'runOpen', path, dir: runDir }), path);
  }

  /** The Run Summary report of `file`, made on the worker; `signal.cancelled` stops it. */
  runReport(file: string, options: RunReportOptions, signal?: { cancelled: boolean }): Promise<RunReport> {
    return this.connection().request<RunReport>({ op: 'report', file, options }, { cancelled: () => !!signal?.cancelled });
  }

  /** Stops the worker: its stores close with it (DuckDB keeps what was committed). */
  async close(): Promise<void> {
    this.closed = true;
    await this.conn?.close();
  }
}

type RequestOptions<P> = { onProgress?: (p: P) => void; cancelled?: () => boolean; signal?: AbortSignal };

/** A store on the store worker: its requests, refused once it is closed. */
abstract class RemoteStore {
  private closed = false;

  constructor(
    protected readonly conn: Connection,
    protected readonly id: number,
    readonly path: string,
    /** Names it in the refusal ("trace store", "run store") and says what to do. */
    private readonly what: string,
    private readonly hint: string,
  ) {}

  protected request<T, P = never>(body: Body, opts?: RequestOptions<P>): Promise<T> {
    if (this.closed) return Promise.reject(new HopscopeError(`the ${this.what} ${this.path} is closed`, this.hint));
    return this.conn.request<T, P>(body, opts);
  }

  protected async closeWith(body: Body): Promise<void> {
    if (this.closed) return;
    const closing = this.request<void>(body);
    this.closed = true;
    // A worker already gone has closed the store with it.
    await closing.catch((e: unknown) => {
      if (!this.conn.dead) throw e;
    });
  }
}

/** A trace store on the store worker. */
class RemoteTraceStore extends RemoteStore implements TraceStoreHandle {
  constructor(
    conn: Connection,
    id: number,
    path: string,
    private current: TraceStoreState,
  ) {
    super(conn, id, path, 'trace store', 'refresh the Traces view');
  }

  get state(): TraceStoreState {
    return { ...this.current };
  }

  private query<T>(method: QueryMethod, ...args: unknown[]): Promise<T> {
    return this.request<T>({ op: 'query', store: this.id, method, args });
  }

  async ingest(file: string, opts: StoreIngestOptions & { signal?: AbortSignal; onProgress?: (p: StoreIngestProgress) => void }): Promise<TraceIngestReport> {
    const { signal, onProgress, ...options } = opts;
    const { report, state } = await this.request<{ report: TraceIngestReport; state: TraceStoreState }, StoreIngestProgress>(
      { op: 'ingest', store: this.id, file, options },
      {
        signal,
        onProgress: (p) => {
          if (p.state) this.current = p.state;
          onProgress?.(p);
        },
      },
    );
    this.current = state;
    return report;
  }

  search(file: string, needle: string, opts: { roots?: readonly string[]; signal?: { cancelled: boolean } }): Promise<string[]> {
    return this.request<string[]>({ op: 'search', store: this.id, file, needle, roots: opts.roots ? [...opts.roots] : undefined }, { cancelled: () => !!opts.signal?.cancelled });
  }

  count(f: TraceFilter) {
    return this.query<{ shown: number; failed: number }>('count', f);
  }
  page(f: TraceFilter, sort: TraceSort, offset: number, limit: number) {
    return this.query<TrajectorySummary[]>('page', f, sort, offset, limit);
  }
  tableWindow(q: TableQuery, fileName: string, offset: number, limit: number) {
    return this.query<{ rows: TrajectorySummary[]; total: number }>('tableWindow', q, fileName, offset, limit);
  }
  byId(id: string) {
    return this.query<TrajectorySummary | undefined>('byId', id);
  }
  facets(f: TraceFilter) {
    return this.query<TraceFacets>('facets', f);
  }
  problems(limit: number) {
    return this.query<BadLine[]>('problems', limit);
  }

  close(): Promise<void> {
    return this.closeWith({ op: 'close', store: this.id });
  }
}

/** A run store on the store worker. */
class RemoteRunStore extends RemoteStore implements RunStoreHandle {
  constructor(conn: Connection, id: number, path: string) {
    super(conn, id, path, 'run store', 'open the run again');
  }

  query(sql: string, params: SqlValue[] = []): Promise<SqlRow[]> {
    return this.request<SqlRow[]>({ op: 'runQuery', run: this.id, sql, params });
  }

  ingest(dir: string, opts: RunIngestOptions): Promise<IngestReport> {
    return this.request<IngestReport, IngestProgress>({ op: 'runIngest', run: this.id, dir, workerFile: opts.workerFile }, { signal: opts.signal, onProgress: opts.onProgress });
  }

  close(): Promise<void> {
    return this.closeWith({ op: 'runClose', run: this.id });
  }
}
