/**
 * The messages between the extension host and the store worker (worker.ts), for trace stores and run stores
 * (`run…`): requests carry an id, the worker
 * answers each with `done` or `failed` (an ingest also sends `progress` before), and `cancel` stops a long one
 * (an ingest, a search, a report). Each side checks what it receives against these shapes before acting on it.
 * Values travel by structured clone (Maps and plain objects), so the stores' own types cross unchanged.
 */
import { QUERY_METHODS, type QueryMethod, type StoreIngestOptions, type StoreIngestProgress } from '../traces/storeHandle';
import type { RunReportOptions } from '../traces/runReport';
import type { IngestProgress } from '../runs/ingest';
import type { SqlValue } from '../runs/store';

export type StoreRequest =
  | { id: number; op: 'open'; path: string; traceFile: string }
  | { id: number; op: 'query'; store: number; method: QueryMethod; args: unknown[] }
  | { id: number; op: 'ingest'; store: number; file: string; options: StoreIngestOptions }
  | { id: number; op: 'search'; store: number; file: string; needle: string; roots?: string[] }
  | { id: number; op: 'report'; file: string; options: RunReportOptions }
  | { id: number; op: 'close'; store: number }
  | { id: number; op: 'runOpen'; path: string; dir: string }
  | { id: number; op: 'runQuery'; run: number; sql: string; params: SqlValue[] }
  | { id: number; op: 'runIngest'; run: number; dir: string; workerFile?: string }
  | { id: number; op: 'runClose'; run: number };

export type StoreMessage = StoreRequest | { op: 'cancel'; id: number };

/** An error as it crosses: its class name (HopscopeError, InputError, CancelledError…), message and hint. */
export interface WireError {
  name: string;
  message: string;
  hint?: string;
}

export type StoreReply =
  | { id: number; kind: 'done'; value: unknown }
  | { id: number; kind: 'failed'; error: WireError }
  | { id: number; kind: 'progress'; progress: StoreIngestProgress | IngestProgress };

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const isId = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) > 0;
const isStr = (x: unknown): x is string => typeof x === 'string';
const optNum = (x: unknown) => x === undefined || (typeof x === 'number' && Number.isFinite(x));

function isIngestOptions(x: unknown): x is StoreIngestOptions {
  return (
    isObj(x) &&
    (x.workerFile === undefined || isStr(x.workerFile)) &&
    (x.noFollow === undefined || typeof x.noFollow === 'boolean') &&
    optNum(x.rangeBytes) &&
    optNum(x.firstRangeBytes)
  );
}

function isReportOptions(x: unknown): x is RunReportOptions {
  return isObj(x) && isStr(x.title) && isStr(x.nonce) && isStr(x.generatedAt) && typeof x.listAll === 'number' && (x.openCommand === undefined || isStr(x.openCommand));
}

/** What the worker accepts; anything else is answered `failed` (when it has an id) and otherwise ignored. */
export function isStoreMessage(m: unknown): m is StoreMessage {
  if (!isObj(m) || !isId(m.id)) return false;
  switch (m.op) {
    case 'cancel':
      return true;
    case 'open':
      return isStr(m.path) && isStr(m.traceFile);
    case 'query':
      return isId(m.store) && (QUERY_METHODS as readonly unknown[]).includes(m.method) && Array.isArray(m.args);
    case 'ingest':
      return isId(m.store) && isStr(m.file) && isIngestOptions(m.options);
    case 'search':
      return isId(m.store) && isStr(m.file) && isStr(m.needle) && (m.roots === undefined || (Array.isArray(m.roots) && m.roots.every(isStr)));
    case 'report':
      return isStr(m.file) && isReportOptions(m.options);
    case 'close':
      return isId(m.store);
    case 'runOpen':
      return isStr(m.path) && isStr(m.dir);
    case 'runQuery':
      return isId(m.run) && isStr(m.sql) && Array.isArray(m.params) && m.params.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v));
    case 'runIngest':
      return isId(m.run) && isStr(m.dir) && (m.workerFile === undefined || isStr(m.workerFile));
    case 'runClose':
      return isId(m.run);
    default:
      return false;
  }
}

/** What the extension host accepts from the worker. */
export function isStoreReply(m: unknown): m is StoreReply {
  if (!isObj(m) || !isId(m.id)) return false;
  if (m.kind === 'done') return 'value' in m;
  if (m.kind === 'failed') return isObj(m.error) && isStr(m.error.name) && isStr(m.error.message) && (m.error.hint === undefined || isStr(m.error.hint));
  // A trace store's progress (rows, bytes, state) or a run's (files, bytes).
  if (m.kind === 'progress') return isObj(m.progress) && typeof m.progress.bytesDone === 'number' && typeof m.progress.bytesTotal === 'number';
  return false;
}
