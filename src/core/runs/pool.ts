/**
 * Parsing step-file ranges on worker threads (one per core, at most four), or in-process when no worker
 * file is given (tests, tiny runs). Analysis is CPU-bound JavaScript, so threads are what makes a first
 * ingest of ~10^5 rollouts take seconds rather than a minute, and keep the extension host responsive.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { HopscopeError } from '../errors';
import { parseTraceRange, type TraceRangeRequest, type TraceRangeResult } from '../traces/parseTraceRange';
import { parseRange, type RangeRequest, type RangeResult } from './parseRange';

export type PoolReply<R = RangeResult> = { id: number; ok: true; result: R } | { id: number; ok: false; error: string };

/** What a worker is asked: a run's step-file range (`req`) or a trace file's range (`trace`, src/core/traces). */
export type PoolTask = { id: number; req: RangeRequest } | { id: number; trace: TraceRangeRequest };

export interface ParsePool {
  /** `worker`: the worker (0 ≤ worker < width) that must take it (a range's routed lines: parseRange.ts `route`); any, by default. */
  parse(req: RangeRequest, worker?: number): Promise<RangeResult>;
  /** Workers: parallel tasks worth keeping in flight (each worker takes more when they are given: see PER_WORKER). */
  readonly width: number;
  close(): Promise<void>;
}

export function inProcessPool(): ParsePool {
  return { parse: parseRange, width: 1, close: async () => undefined };
}

interface Slot {
  worker: Worker;
  /** Tasks sent and not answered. */
  inFlight: number;
  /** Tasks for this worker only, waiting (taken before the shared queue's). */
  own: PoolTask[];
}

/**
 * Tasks a worker holds at once: while it analyses one range, the next one's file read is under way and
 * its reply is not waited for before the next task leaves, so a worker never sits idle between ranges.
 */
const PER_WORKER = 2;

/**
 * Each worker's young generation, three times V8's default (semi-spaces of 48 MB, not 16). Parsing a
 * rollout allocates ~45 KB, nearly all dead by the next line (the line's text, its JSON, the analysis),
 * so with the default a worker collected its young generation every ~350 rollouts, copying the live
 * batch and caches each time, and V8's helper threads did the same work beside it on cores the other
 * worker needed: a single-thread parse of the bench's run took 8-13 % less CPU with 64 MB semi-spaces,
 * the first summary ~5 % less. Costs up to ~100 MB per worker while an ingest runs.
 */
const YOUNG_GENERATION_MB = 144;

const defaultSize = () => Math.min(4, Math.max(1, availableParallelism()));

/** `workerFile`: dist/runsWorker.js (tests start the TypeScript entry through a tsx bootstrap). */
export function workerPool(workerFile: string, size = defaultSize()): ParsePool {
  const pool = threadPool<RangeResult>(workerFile, size);
  return { width: size, parse: (req, worker) => pool.run((id) => ({ id, req }), worker), close: pool.close };
}

/** Trace-file ranges parsed on the same worker threads (one bundle serves runs and trace files). */
export interface TraceParsePool {
  parse(req: TraceRangeRequest): Promise<TraceRangeResult>;
  readonly width: number;
  close(): Promise<void>;
}

export function traceWorkerPool(workerFile: string, size = defaultSize()): TraceParsePool {
  const pool = threadPool<TraceRangeResult>(workerFile, size);
  return { width: size, parse: (trace) => pool.run((id) => ({ id, trace })), close: pool.close };
}

export function inProcessTracePool(): TraceParsePool {
  return { parse: parseTraceRange, width: 1, close: async () => undefined };
}

function threadPool<R>(workerFile: string, size: number): { run(task: (id: number) => PoolTask, worker?: number): Promise<R>; close(): Promise<void> } {
  const slots: Slot[] = [];
  const pending = new Map<number, { resolve: (r: R) => void; reject: (e: Error) => void; slot: Slot }>();
  const queue: PoolTask[] = [];
  let nextId = 1;
  let dead: Error | undefined;

  const pump = (): void => {
    // Each pass hands at most one task per worker, so two queued tasks go to two workers.
    for (let more = true; more; ) {
      more = false;
      for (const slot of slots) {
        const next = slot.own.length ? slot.own : queue;
        if (slot.inFlight >= PER_WORKER || !next.length) continue;
        slot.inFlight++;
        slot.worker.postMessage(next.shift()!);
        more = true;
      }
    }
  };
  const failAll = (e: Error): void => {
    dead = e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  for (let i = 0; i < size; i++) {
    const slot: Slot = { worker: new Worker(workerFile, { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } }), inFlight: 0, own: [] };
    slot.worker.on('message', (m: PoolReply<R>) => {
      const p = pending.get(m.id);
      pending.delete(m.id);
      slot.inFlight--;
      if (p) {
        if (m.ok) p.resolve(m.result);
        else p.reject(new HopscopeError(m.error));
      }
      pump();
    });
    slot.worker.on('error', (e) => failAll(new HopscopeError(`the run-ingest worker failed: ${e.message}`)));
    slot.worker.on('exit', (code) => {
      if (code !== 0 && !dead) failAll(new HopscopeError(`the run-ingest worker stopped (exit ${code})`));
    });
    slots.push(slot);
  }
  return {
    run(task, worker) {
      if (dead) return Promise.reject(dead);
      const id = nextId++;
      return new Promise<R>((resolve, reject) => {
        pending.set(id, { resolve, reject, slot: slots[0]! });
        (worker === undefined ? queue : slots[worker % slots.length]!.own).push(task(id));
        pump();
      });
    },
    async close() {
      dead ??= new HopscopeError('the run-ingest pool is closed');
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
