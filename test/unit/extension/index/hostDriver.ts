/**
 * Drives an IndexHost the way IndexClient drives the worker thread, in this process: typed requests with
 * promised results and the status stream. For tests of the worker's code path and for the update bench.
 */
import { IndexHost, type IndexHostOptions } from '../../../../src/extension/index/indexHost';
import type { IndexStatus, OpenRequest, ResultValue, WorkerMessage, WorkerRequest } from '../../../../src/extension/index/workerProtocol';

type Body = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export class HostDriver {
  readonly host: IndexHost;
  readonly statuses: IndexStatus[] = [];
  private readonly waiting = new Map<number, (m: WorkerMessage) => void>();
  private nextId = 1;
  private listeners: Array<(s: IndexStatus) => void> = [];

  constructor(options: IndexHostOptions = {}) {
    this.host = new IndexHost((m) => this.onMessage(m), options);
  }

  request<K extends keyof ResultValue>(body: Body & { type: K }): Promise<ResultValue[K]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (m) => {
        if (m.type === 'result' && m.ok) resolve(m.value as ResultValue[K]);
        else if (m.type === 'result') reject(new Error(m.error));
      });
      this.host.handle({ ...body, id } as WorkerRequest);
    });
  }

  open(req: Omit<OpenRequest, 'type' | 'id'>): Promise<IndexStatus> {
    return this.request({ type: 'open', ...req });
  }

  /** Resolves at the first status that answers searches. */
  onceSearchable(): Promise<void> {
    return new Promise((resolve) => {
      const l = (s: IndexStatus) => {
        if (!s.searchable) return;
        this.listeners = this.listeners.filter((x) => x !== l);
        resolve();
      };
      this.listeners.push(l);
    });
  }

  private onMessage(m: WorkerMessage): void {
    if (m.type === 'status') {
      this.statuses.push(m.status);
      for (const l of [...this.listeners]) l(m.status);
      return;
    }
    const w = this.waiting.get(m.id);
    this.waiting.delete(m.id);
    w?.(m);
  }
}
