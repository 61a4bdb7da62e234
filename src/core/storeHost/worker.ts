/**
 * Entry of the store worker thread (bundled as dist/storeWorker.js): it owns the DuckDB instances of the trace
 * stores and run stores the extension host opens, so loading DuckDB's native module, opening a store, its queries, reading a
 * file or a run folder into it, the search inside a store-held file and its run report all happen here, off the extension
 * host's main thread. One thread for every store (DuckDB runs its queries on threads of its own); the parse
 * workers of an ingest are started from here.
 */
import { parentPort } from 'node:worker_threads';
import { HopscopeError } from '../errors';
import { runReport } from '../traces/runReport';
import { LocalTraceStore } from '../traces/storeHandle';
import { LocalRunStore } from './runStoreHandle';
import { isStoreMessage, type StoreReply, type StoreRequest, type WireError } from './protocol';

if (!parentPort) throw new Error('storeWorker runs as a worker thread');
const port = parentPort;

const stores = new Map<number, LocalTraceStore>();
const runs = new Map<number, LocalRunStore>();
let nextStore = 1;
/** Long requests in flight: `cancel` sets their flag (a search or report checks it) and aborts an ingest. */
const running = new Map<number, { cancelled: boolean; abort: AbortController }>();

function wire(e: unknown): WireError {
  if (e instanceof HopscopeError) return { name: e.name, message: e.message, hint: e.hint };
  return { name: 'HopscopeError', message: e instanceof Error ? e.message : String(e) };
}

function storeOf(id: number): LocalTraceStore {
  const s = stores.get(id);
  if (!s) throw new HopscopeError('the trace store is closed', 'refresh the Traces view');
  return s;
}

function runOf(id: number): LocalRunStore {
  const s = runs.get(id);
  if (!s) throw new HopscopeError('the run store is closed', 'open the run again');
  return s;
}

async function handle(m: StoreRequest, flag: { cancelled: boolean; abort: AbortController }): Promise<unknown> {
  switch (m.op) {
    case 'open': {
      const store = await LocalTraceStore.open(m.path, m.traceFile);
      const id = nextStore++;
      stores.set(id, store);
      return { store: id, state: store.state };
    }
    case 'query': {
      const store = storeOf(m.store);
      return (store[m.method] as (...args: unknown[]) => Promise<unknown>).apply(store, m.args);
    }
    case 'ingest': {
      const store = storeOf(m.store);
      const report = await store.ingest(m.file, {
        ...m.options,
        signal: flag.abort.signal,
        onProgress: (progress) => port.postMessage({ id: m.id, kind: 'progress', progress } satisfies StoreReply),
      });
      return { report, state: store.state };
    }
    case 'search':
      return storeOf(m.store).search(m.file, m.needle, { roots: m.roots, signal: flag });
    case 'report':
      return runReport(m.file, m.options, flag);
    case 'close': {
      const store = stores.get(m.store);
      stores.delete(m.store);
      await store?.close();
      return undefined;
    }
    case 'runOpen': {
      const run = await LocalRunStore.open(m.path, m.dir);
      const id = nextStore++;
      runs.set(id, run);
      return id;
    }
    case 'runQuery':
      return runOf(m.run).query(m.sql, m.params);
    case 'runIngest':
      return runOf(m.run).ingest(m.dir, {
        workerFile: m.workerFile,
        signal: flag.abort.signal,
        onProgress: (progress) => port.postMessage({ id: m.id, kind: 'progress', progress } satisfies StoreReply),
      });
    case 'runClose': {
      const run = runs.get(m.run);
      runs.delete(m.run);
      await run?.close();
      return undefined;
    }
  }
}

port.on('message', (m: unknown) => {
  if (!isStoreMessage(m)) {
    const id = (m as { id?: unknown } | null)?.id;
    if (typeof id === 'number') port.postMessage({ id, kind: 'failed', error: { name: 'HopscopeError', message: 'the store worker was sent a request it does not know' } } satisfies StoreReply);
    return;
  }
  if (m.op === 'cancel') {
    const r = running.get(m.id);
    if (r) {
      r.cancelled = true;
      r.abort.abort();
    }
    return;
  }
  const flag = { cancelled: false, abort: new AbortController() };
  running.set(m.id, flag);
  handle(m, flag)
    .then(
      (value) => port.postMessage({ id: m.id, kind: 'done', value } satisfies StoreReply),
      (e: unknown) => port.postMessage({ id: m.id, kind: 'failed', error: wire(e) } satisfies StoreReply),
    )
    // An answer that cannot be cloned is a fault of this code: said, not left hanging.
    .catch((e: unknown) => port.postMessage({ id: m.id, kind: 'failed', error: wire(e) } satisfies StoreReply))
    .finally(() => running.delete(m.id));
});
