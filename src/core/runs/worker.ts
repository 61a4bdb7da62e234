/**
 * Entry of a run-ingest worker thread (bundled as dist/runsWorker.js): parses and analyses step-file
 * ranges (and trace-file ranges, src/core/traces) off the caller's main thread, so the extension host never stalls on a large run.
 */
import { parentPort } from 'node:worker_threads';
import { errorMessage } from '../errors';
import { parseTraceRange } from '../traces/parseTraceRange';
import { parseRange } from './parseRange';
import type { PoolReply, PoolTask } from './pool';
import { batchBuffers } from './rowBatch';

if (!parentPort) throw new Error('runsWorker runs as a worker thread');
const port = parentPort;
port.on('message', (msg: PoolTask) => {
  // A run range's rows travel as columns whose typed arrays are moved to the caller, not copied.
  const work: Promise<{ result: unknown; transfer: ArrayBuffer[] }> =
    'trace' in msg
      ? parseTraceRange(msg.trace).then((result) => ({ result, transfer: [] }))
      : parseRange(msg.req).then((result) => ({ result, transfer: batchBuffers(result.rows) }));
  work.then(
    ({ result, transfer }): void => port.postMessage({ id: msg.id, ok: true, result } satisfies PoolReply<unknown>, transfer),
    (e: unknown): void => port.postMessage({ id: msg.id, ok: false, error: errorMessage(e) } satisfies PoolReply),
  );
});
