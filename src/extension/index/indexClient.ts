/**
 * The host side of the indexing worker: typed requests with promised results, status events, and a
 * Retriever that searches through the worker. No vscode here, so it is testable on plain Node.
 */
import { Worker } from 'node:worker_threads';
import { CancelledError, RetrieverError } from '../../core/errors';
import type { Retriever, SearchOptions } from '../../core/ports';
import type { RetrievedDoc } from '../../core/trace';
import type { IndexStatus, OpenRequest, ResultValue, WorkerMessage, WorkerRequest } from './workerProtocol';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };
type Distribute<T> = T extends unknown ? Omit<T, 'id'> : never;
type RequestBody = Distribute<Exclude<WorkerRequest, { type: 'cancel' }>>;

export class IndexClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private statusListeners: Array<(s: IndexStatus) => void> = [];
  private failureListeners: Array<(e: Error) => void> = [];
  private dead: Error | undefined;
  lastStatus: IndexStatus | undefined;

  /** `workerFile`: dist/indexWorker.js (tests start the TypeScript entry through a tsx bootstrap). */
  constructor(workerFile: string) {
    this.worker = new Worker(workerFile);
    this.worker.on('message', (m: WorkerMessage) => this.onMessage(m));
    this.worker.on('error', (e) => this.fail(new RetrieverError(`the indexing worker failed: ${e.message}`)));
    this.worker.on('exit', (code) => this.fail(new RetrieverError(`the indexing worker stopped (exit ${code})`)));
  }

  onStatus(listener: (s: IndexStatus) => void): { dispose(): void } {
    this.statusListeners.push(listener);
    return { dispose: () => (this.statusListeners = this.statusListeners.filter((l) => l !== listener)) };
  }

  /** The worker died (crash, out of memory): every request fails from now on. */
  onFailure(listener: (e: Error) => void): void {
    this.failureListeners.push(listener);
  }

  get failed(): boolean {
    return this.dead !== undefined;
  }

  open(req: Omit<OpenRequest, 'type' | 'id'>): Promise<IndexStatus> {
    return this.request({ type: 'open', ...req }) as Promise<ResultValue['open']>;
  }

  update(files: string[]): Promise<IndexStatus> {
    return this.request({ type: 'update', files }) as Promise<ResultValue['update']>;
  }

  search(query: string, topK: number): Promise<RetrievedDoc[]> {
    return this.request({ type: 'search', query, topK }) as Promise<ResultValue['search']>;
  }

  files(): Promise<ResultValue['files']> {
    return this.request({ type: 'files' }) as Promise<ResultValue['files']>;
  }

  /** Saves a waiting change now. */
  flush(): Promise<null> {
    return this.request({ type: 'flush' }) as Promise<ResultValue['flush']>;
  }

  cancel(): void {
    if (!this.dead) this.worker.postMessage({ type: 'cancel' } satisfies WorkerRequest);
  }

  /** Flushes a pending save, then stops the worker. */
  async dispose(): Promise<void> {
    if (this.dead) return;
    this.failureListeners = [];
    try {
      await Promise.race([this.request({ type: 'dispose' }), new Promise((r) => setTimeout(r, 5000))]);
    } catch {
      // stopping anyway
    }
    await this.worker.terminate();
  }

  /** A Retriever backed by the worker's index; `info.index` is the index fingerprint. */
  retriever(): Retriever {
    const client = this;
    return {
      get info() {
        return { kind: 'bm25-workspace', index: client.lastStatus?.fingerprint || undefined };
      },
      async search(query: string, options: SearchOptions): Promise<RetrievedDoc[]> {
        if (options.signal?.aborted) throw new CancelledError();
        return client.search(query, options.topK);
      },
    };
  }

  private request(body: RequestBody): Promise<unknown> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...body, id } as WorkerRequest);
    });
  }

  private onMessage(m: WorkerMessage): void {
    if (m.type === 'status') {
      this.lastStatus = m.status;
      for (const l of this.statusListeners) l(m.status);
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.ok) p.resolve(m.value);
    else p.reject(m.cancelled ? new CancelledError() : new RetrieverError(m.error));
  }

  private fail(e: Error): void {
    if (this.dead) return;
    this.dead = e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
    for (const l of this.failureListeners) l(e);
  }
}
