/**
 * Entry of a run-ingest worker thread (bundled as dist/runsWorker.js): parses and analyses step-file
 * ranges off the caller's main thread, so the extension host never stalls on a large run.
 */
import { parentPort } from 'node:worker_threads';
import { errorMessage } from '../errors';
import { parseRange, type RangeRequest } from './parseRange';
import type { PoolReply } from './pool';
import { batchBuffers } from './rowBatch';

if (!parentPort) throw new Error('runsWorker runs as a worker thread');
const port = parentPort;
port.on('message', (msg: { id: number; req: RangeRequest }) => {
  parseRange(msg.req).then(
    (result): void => port.postMessage({ id: msg.id, ok: true, result } satisfies PoolReply, batchBuffers(result.rows)),
    (e: unknown): void => port.postMessage({ id: msg.id, ok: false, error: errorMessage(e) } satisfies PoolReply),
  );
});
