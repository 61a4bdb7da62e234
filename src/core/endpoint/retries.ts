/**
 * Our own retries and timeouts around one request (the SDK's are off), so they are logged,
 * cancellable, and never repeat a request whose tokens were already shown.
 */
import { APIError } from 'openai';
import { CancelledError, type EndpointError } from '../errors';
import type { Logger } from '../ports';
import { isRetryable, TimeoutSignal } from './failures';

export interface RetryPolicy {
  /** Per attempt: until the first byte, and then between chunks (`touch` re-arms it). */
  timeoutMs: number;
  maxRetries: number;
  /** First backoff delay; doubles per attempt, with jitter, capped at 8 s. */
  retryBaseMs: number;
  log: Logger;
  toError: (e: unknown, timedOut: boolean) => EndpointError;
}

/**
 * Runs `attempt` with a timeout (reset by `touch` while data flows), retrying on 429, 5xx, 408,
 * timeouts and connection resets with exponential backoff, unless `noRetry()` says the attempt already
 * showed tokens.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  outer: AbortSignal | undefined,
  noRetry: boolean | (() => boolean),
  attempt: (signal: AbortSignal, touch: () => void) => Promise<T>,
): Promise<{ value: T; attempts: number }> {
  for (let n = 1; ; n++) {
    if (outer?.aborted) throw new CancelledError();
    const controller = new AbortController();
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort(new TimeoutSignal());
      }, policy.timeoutMs);
    };
    const onAbort = () => controller.abort();
    outer?.addEventListener('abort', onAbort, { once: true });
    arm();
    try {
      const value = await attempt(controller.signal, arm);
      // An abort mid-stream can end the SDK's iterator quietly with the text so far: that is a
      // cancellation or a timeout, not a completion the loop should judge.
      if (outer?.aborted) throw new CancelledError();
      if (timedOut) throw new TimeoutSignal();
      return { value, attempts: n };
    } catch (e) {
      if (outer?.aborted) throw new CancelledError();
      const err = policy.toError(e, timedOut);
      const shown = typeof noRetry === 'function' ? noRetry() : noRetry;
      if (!isRetryable(e, err, timedOut) || shown || n > policy.maxRetries) throw err;
      const delay = retryDelay(e, n, policy.retryBaseMs);
      policy.log.warn(`${err.message}; retry ${n}/${policy.maxRetries} in ${delay} ms`);
      await sleep(delay, outer);
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    }
  }
}

/** Retry-After(-ms) when the server sends it, else exponential backoff with ±25 % jitter. */
function retryDelay(e: unknown, attempt: number, baseMs: number): number {
  const headers = e instanceof APIError ? (e.headers as Headers | undefined) : undefined;
  const ms = Number(headers?.get?.('retry-after-ms'));
  if (Number.isFinite(ms) && ms >= 0 && headers?.get?.('retry-after-ms') !== null) return Math.min(ms, 60_000);
  const s = Number(headers?.get?.('retry-after'));
  if (Number.isFinite(s) && s > 0) return Math.min(s * 1000, 60_000);
  const exp = Math.min(baseMs * 2 ** (attempt - 1), 8000);
  return Math.round(exp * (0.75 + Math.random() * 0.5));
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new CancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
