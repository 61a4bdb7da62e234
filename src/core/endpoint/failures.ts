/** What went wrong with a request, as an EndpointError a user can act on, and whether retrying can help. */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { EndpointError } from '../errors';

/** The answer was not what an OpenAI-compatible server sends (no choices, a broken stream…). */
export class MalformedResponse extends Error {}

/** The server reported an error inside a stream, after its 200. */
export class StreamErrorEvent extends Error {
  constructor(message: string, readonly code?: number) {
    super(message);
  }
}

/** The reason our own timer gives when it aborts a request. */
export class TimeoutSignal extends Error {}

export interface FailureContext {
  /** The redacted base URL. */
  url: string;
  timeoutMs: number;
  /** Removes secrets from a text before it goes into a message. */
  scrub: (text: string) => string;
}

export function toEndpointError(e: unknown, timedOut: boolean, ctx: FailureContext): EndpointError {
  const { url, scrub } = ctx;
  if (timedOut || e instanceof APIConnectionTimeoutError) {
    return new EndpointError(`no answer from ${url} within ${Math.round(ctx.timeoutMs / 1000)} s`, url, undefined, 'check the server is not overloaded, or raise the timeout');
  }
  if (e instanceof APIUserAbortError) return new EndpointError(`request to ${url} was aborted`, url);
  if (e instanceof APIConnectionError) {
    const cause = describeCause(e);
    return new EndpointError(`cannot reach ${url}${cause ? ` (${scrub(cause)})` : ''}`, url, undefined, 'check that the server is running and the URL is right, including /v1');
  }
  if (e instanceof StreamErrorEvent || (e instanceof APIError && e.status === undefined)) {
    // `{"error": {…}}` or an error event inside a 200 stream: the SDK gives it no status.
    const body = e instanceof APIError ? (e.error as { message?: unknown; code?: unknown } | undefined) : undefined;
    const message = e instanceof APIError ? (typeof body?.message === 'string' ? body.message : e.message) : e.message;
    const code = e instanceof StreamErrorEvent ? e.code : typeof body?.code === 'number' ? body.code : undefined;
    return new EndpointError(`${url} reported an error in its stream: ${scrub(message).slice(0, 300)}`, url, code, 'check the server\'s log');
  }
  if (e instanceof APIError) {
    const status = e.status as number;
    const body = e.error as { message?: unknown } | undefined;
    const detail = scrub(String(body?.message ?? e.message ?? '')).slice(0, 300);
    const hint =
      status === 401 || status === 403 ? 'check the API key (HOPSCOPE_API_KEY or "Hopscope: Set API Key")'
      : status === 404 ? 'check the model name and that the URL ends in /v1'
      : status === 429 ? 'the server is rate-limiting; lower --concurrency'
      : /continue_final_message|add_generation_prompt/.test(detail) ? 'this server cannot continue an assistant turn: set "chatMode": "turns" in the template'
      : undefined;
    return new EndpointError(`${url} answered ${status}: ${detail}`, url, status, hint);
  }
  if (e instanceof MalformedResponse || isParseError(e)) {
    return new EndpointError(`malformed response from ${url}: ${scrub((e as Error).message).slice(0, 200)}`, url, undefined, 'is this an OpenAI-compatible endpoint?');
  }
  return new EndpointError(`request to ${url} failed: ${scrub(e instanceof Error ? e.message : String(e))}`, url);
}

/** Whether an attempt that failed with `e` may succeed if tried again. */
export function isRetryable(e: unknown, err: EndpointError, timedOut: boolean): boolean {
  if (timedOut) return true;
  if (e instanceof APIConnectionError) return !nobodyListens(e);
  if (err.status !== undefined) return err.status === 408 || err.status === 429 || err.status >= 500;
  // A broken answer (cut stream, HTML page, unparseable event, an error event without a client-side
  // status) may be a proxy's or an overloaded server's hiccup: worth another try while nothing was shown.
  return e instanceof MalformedResponse || e instanceof StreamErrorEvent || isParseError(e) || (e instanceof APIError && e.status === undefined);
}

function isParseError(e: unknown): boolean {
  return e instanceof SyntaxError || (e instanceof Error && /JSON|Unexpected (token|end)|parse/i.test(e.message) && !(e instanceof APIError));
}

/** The error code (ECONNREFUSED, ENOTFOUND…) under the SDK's connection error, or the innermost message. */
function describeCause(e: Error): string {
  let c = (e as { cause?: unknown }).cause as { code?: unknown; message?: unknown; cause?: unknown } | undefined;
  let innermost = '';
  for (let i = 0; c && i < 4; i++) {
    if (c.code) return String(c.code);
    if (typeof c.message === 'string' && c.message !== 'fetch failed') innermost = c.message;
    c = c.cause as typeof c;
  }
  return innermost;
}

/**
 * Nothing listens at that address (refused, unknown host, a port fetch refuses): waiting will not
 * help, so the user hears it at once instead of after every retry. Resets and timeouts are retried.
 */
function nobodyListens(e: Error): boolean {
  return /^(ECONNREFUSED|ENOTFOUND|EAI_NONAME|bad port)$/.test(describeCause(e));
}
