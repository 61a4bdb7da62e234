/**
 * One OTLP/HTTP export request, retried the way the OTLP specification asks (protocol/exporter.md and
 * otlp.md "Failures"): 429 and 5xx, and connection failures, are retried with exponential backoff, and
 * a `Retry-After` (seconds or an HTTP date) is waited out instead when the collector sends one; any other
 * status is final. The official exporter's retrying transport is not used because it gives up on 500,
 * drops the status of the last failure and cannot be told how long to wait in tests.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { CancelledError, EndpointError } from '../errors';
import { redactUrl, type PushConfig } from './config';

/** A collector refused or never took a request: names the endpoint (without credentials) and the status. */
export class CollectorError extends EndpointError {}

export interface RetryPolicy {
  /** Attempts in all, the first included (default 6). */
  maxAttempts: number;
  /** Wait before the first retry; doubles each time (default 1 s). */
  initialDelayMs: number;
  /** Longest backoff wait (default 30 s). */
  maxDelayMs: number;
  /** Longest Retry-After honoured (default 5 min); a longer one is a failure, not a hang. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, initialDelayMs: 1000, maxDelayMs: 30_000, maxRetryAfterMs: 300_000 };

export interface TransportHooks {
  fetch?: typeof fetch;
  /** How to wait between attempts; tests pass one that records the wait and returns at once. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  retry?: Partial<RetryPolicy>;
  signal?: AbortSignal;
  /** Told before each retry: the status (or connection error) and how long until the next attempt. */
  onRetry?: (info: { attempt: number; status?: number; error?: string; delayMs: number }) => void;
}

export interface SendResult {
  attempts: number;
  status: number;
  /** The response body (an ExportTraceServiceResponse, possibly empty). */
  body: Uint8Array;
}

/** Attempts at most when no connection can be made (refused, reset, timed out). */
const UNREACHABLE_ATTEMPTS = 3;

const RETRYABLE = (status: number) => status === 429 || (status >= 500 && status <= 599);

async function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch {
    throw new CancelledError(); // delay rejects only when the signal aborts
  }
}

/** Milliseconds a `Retry-After` header asks for, or undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const s = header.trim();
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const at = Date.parse(s);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

function hintFor(status: number): string | undefined {
  if (status === 401 || status === 403) return 'check the credentials: --otlp-header "Authorization=…" or OTEL_EXPORTER_OTLP_HEADERS';
  if (status === 404) return 'check the endpoint path: collectors take traces at …/v1/traces';
  if (status === 413) return 'the request is larger than the collector takes: lower --otlp-batch-bytes';
  if (status === 415) return 'the collector does not take this encoding: try the other --otlp-protocol (http/protobuf or http/json)';
  return undefined;
}

async function bodyText(res: Response): Promise<string> {
  try {
    const text = (await res.text()).replace(/\s+/g, ' ').trim();
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    return '';
  }
}

const CONTENT_TYPE = { 'http/protobuf': 'application/x-protobuf', 'http/json': 'application/json' } as const;

export async function sendOtlp(body: Uint8Array, config: PushConfig, hooks: TransportHooks = {}): Promise<SendResult> {
  const policy = { ...DEFAULT_RETRY, ...(hooks.retry ?? {}) };
  const doFetch = hooks.fetch ?? fetch;
  const sleep = hooks.sleep ?? defaultSleep;
  const where = redactUrl(config.url);
  // A copy in its own ArrayBuffer: fetch takes only non-shared buffers.
  const payload = new Uint8Array(config.compression === 'gzip' ? gzipSync(body) : body);
  const headers: Record<string, string> = { ...config.headers, 'Content-Type': CONTENT_TYPE[config.protocol] };
  if (config.compression === 'gzip') headers['Content-Encoding'] = 'gzip';
  let delay = policy.initialDelayMs;
  for (let attempt = 1; ; attempt++) {
    if (hooks.signal?.aborted) throw new CancelledError();
    const signals = [AbortSignal.timeout(config.timeoutMs), ...(hooks.signal ? [hooks.signal] : [])];
    let res: Response | undefined;
    let failure: string | undefined;
    try {
      res = await doFetch(config.url, { method: 'POST', headers, body: payload, signal: AbortSignal.any(signals) });
    } catch (e) {
      if (hooks.signal?.aborted) throw new CancelledError();
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      failure = (e as Error).name === 'TimeoutError' ? `no answer within ${config.timeoutMs} ms` : cause?.code ?? cause?.message ?? (e as Error).message;
    }
    if (res && res.ok) {
      // A web page is what a UI or proxy answers at a wrong path, with 200: the spans went nowhere.
      if ((res.headers.get('content-type') ?? '').includes('text/html')) {
        throw new CollectorError(`${where} answered with a web page, not an OTLP response: the traces were not taken`, where, res.status, "check the endpoint: the collector's OTLP/HTTP traces URL, usually …/v1/traces");
      }
      return { attempts: attempt, status: res.status, body: new Uint8Array(await res.arrayBuffer()) };
    }
    const status = res?.status;
    const retryable = status === undefined || RETRYABLE(status);
    // A collector that cannot be reached at all is most often not running: give up sooner than on a 503.
    const attempts = status === undefined ? Math.min(policy.maxAttempts, UNREACHABLE_ATTEMPTS) : policy.maxAttempts;
    if (!retryable || attempt >= attempts) {
      const detail = res ? `HTTP ${status}${res.statusText ? ` ${res.statusText}` : ''}${await bodyText(res).then((t) => (t ? `: ${t}` : ''))}` : failure!;
      const tries = attempt > 1 ? ` after ${attempt} attempts` : '';
      const message = res ? `the collector at ${where} refused the traces${tries}: ${detail}` : `cannot reach the collector at ${where}${tries}: ${detail}`;
      throw new CollectorError(message, where, status, status !== undefined ? hintFor(status) : 'check that the collector runs and the endpoint is right');
    }
    const asked = res ? retryAfterMs(res.headers.get('retry-after')) : undefined;
    if (asked !== undefined && asked > policy.maxRetryAfterMs) {
      throw new CollectorError(`the collector at ${where} asked to wait ${Math.round(asked / 1000)} s before retrying (HTTP ${status})`, where, status, 'send again later');
    }
    const wait = asked ?? Math.min(delay, policy.maxDelayMs);
    delay *= 2;
    await res?.body?.cancel().catch(() => undefined);
    hooks.onRetry?.({ attempt, status, error: failure, delayMs: wait });
    await sleep(wait, hooks.signal);
  }
}
