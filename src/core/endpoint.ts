/**
 * The model endpoint: any OpenAI-compatible server (vLLM, SGLang, TGI, Ollama, OpenAI), through the
 * `openai` package. Completions and chat, streamed or not, with stop strings matched as plain text.
 * Retries (429, 5xx, connection resets) and timeouts are ours, not the SDK's, so they are logged,
 * cancellable and never retry a request whose tokens were already shown.
 * The API key stays inside the SDK client: it is never part of a result, an error or a log line.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { CancelledError, EndpointError } from './errors';
import { silentLogger, type Logger } from './ports';
import type { ChatMessage } from './templates';

export interface SamplingParams {
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  seed?: number;
}

export interface CompletionRequest {
  /** Completions API: the whole context. */
  prompt?: string;
  /** Chat API: the messages; a trailing assistant message is continued (vLLM `continue_final_message`). */
  messages?: ChatMessage[];
  stop?: string[];
  params?: SamplingParams;
  stream?: boolean;
  signal?: AbortSignal;
  /** Streamed text as it arrives (never text past a stop string). */
  onToken?: (text: string) => void;
  /** Cap on this completion's characters, against runaway output when max_tokens is unset or ignored. */
  maxChars?: number;
}

export type FinishReason = 'stop' | 'length';

export interface CompletionResult {
  text: string;
  /** `stop`: a stop string or EOS; `length`: max_tokens or the character cap. */
  finishReason: FinishReason;
  /** The stop string that ended the text: vLLM's `stop_reason`, or found in the text by us. */
  stopString?: string;
  /**
   * The server said the text ended on EOS (vLLM: `finish_reason` stop with `stop_reason` null or a
   * token id) and not on a stop string. Unset when the server does not say (OpenAI, TGI).
   */
  eos?: boolean;
  model: string;
  usage: { promptTokens?: number; completionTokens?: number };
  ms: number;
  /** Attempts it took (1 without retries). */
  attempts: number;
}

export interface PromptLogprobs {
  tokens: string[];
  /** The first is null: nothing precedes it. */
  tokenLogprobs: (number | null)[];
  /**
   * The server's offsets: vLLM's are code points summed from the first token, a decoded BOS included,
   * so they are not positions in the prompt; rewards/infoGainTokens.ts locates the tokens.
   */
  textOffset: number[];
}

export interface EndpointClient {
  /** The base URL without credentials: safe for traces and logs. */
  readonly baseUrl: string;
  /** The model given in the options, or the first one the server lists. */
  resolveModel(signal?: AbortSignal): Promise<string>;
  listModels(signal?: AbortSignal): Promise<string[]>;
  complete(req: CompletionRequest): Promise<CompletionResult>;
  /** Log-probs of the prompt's own tokens (completions with `echo`), for information gain. */
  scorePrompt(prompt: string, options?: { signal?: AbortSignal }): Promise<PromptLogprobs>;
}

export interface EndpointOptions {
  baseUrl: string;
  apiKey?: string;
  model?: string;
  /** Per request: until the first byte, and then between streamed chunks. */
  timeoutMs?: number;
  maxRetries?: number;
  /** First backoff delay; doubles per attempt, with jitter, capped at 8 s. */
  retryBaseMs?: number;
  logger?: Logger;
}

/** The URL without user:password and without key-like query parameters. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    for (const k of [...u.searchParams.keys()]) if (/key|token|secret|auth/i.test(k)) u.searchParams.set(k, '***');
    return u.toString().replace(/\/$/, '');
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//');
  }
}

class TimeoutSignal extends Error {}

function stripCredentials(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url;
  }
}

function basicAuth(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return undefined;
    return `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
  } catch {
    return undefined;
  }
}

export function createEndpointClient(options: EndpointOptions): EndpointClient {
  return new OpenAIEndpoint(options);
}

class OpenAIEndpoint implements EndpointClient {
  readonly baseUrl: string;
  private readonly sdk: OpenAI;
  private readonly log: Logger;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly retryBaseMs: number;
  private model?: string;
  /** How this server returns prompt log-probs, learned on the first scoring request that gets them. */
  private scoring?: Promise<'echo' | 'prompt_logprobs'>;

  constructor(private readonly options: EndpointOptions) {
    this.baseUrl = redactUrl(options.baseUrl);
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.maxRetries = options.maxRetries ?? 3;
    this.retryBaseMs = options.retryBaseMs ?? 500;
    this.model = options.model || undefined;
    const log = options.logger ?? silentLogger;
    const key = options.apiKey;
    const scrub = (m: string) => (key ? m.split(key).join('***') : m);
    this.log = { debug: (m) => log.debug(scrub(m)), info: (m) => log.info(scrub(m)), warn: (m) => log.warn(scrub(m)), error: (m) => log.error(scrub(m)) };
    // fetch refuses URLs with credentials: they travel as Basic auth instead (unless a key is set).
    const basic = basicAuth(options.baseUrl);
    this.sdk = new OpenAI({
      baseURL: stripCredentials(options.baseUrl).replace(/\/$/, ''),
      ...(basic && !options.apiKey ? { defaultHeaders: { authorization: basic } } : {}),
      // vLLM and most local servers accept any key; the SDK insists on one.
      apiKey: options.apiKey || 'EMPTY',
      maxRetries: 0,
      timeout: this.timeoutMs,
      logLevel: 'off',
    });
  }

  async listModels(signal?: AbortSignal): Promise<string[]> {
    return this.withRetries(signal, false, async (s) => {
      const page = await this.sdk.models.list({ signal: s });
      return page.data.map((m) => m.id);
    }).then((r) => r.value);
  }

  async resolveModel(signal?: AbortSignal): Promise<string> {
    if (this.model) return this.model;
    const models = await this.listModels(signal);
    if (!models.length) throw new EndpointError(`${this.baseUrl} lists no models`, this.baseUrl, undefined, 'pass --model or set hopscope.endpoint.model');
    this.model = models[0];
    return this.model;
  }

  async complete(req: CompletionRequest): Promise<CompletionResult> {
    const model = await this.resolveModel(req.signal);
    const started = Date.now();
    let emitted = false;
    const onToken = req.onToken
      ? (t: string) => {
          emitted = true;
          req.onToken!(t);
        }
      : undefined;
    const { value, attempts } = await this.withRetries(req.signal, () => emitted, (signal, touch) =>
      req.stream === false ? this.completeOnce(model, req, signal) : this.streamOnce(model, req, signal, touch, onToken),
    );
    return { ...value, ms: Date.now() - started, attempts };
  }

  async scorePrompt(prompt: string, options: { signal?: AbortSignal } = {}): Promise<PromptLogprobs> {
    const model = await this.resolveModel(options.signal);
    const request = (extra: Record<string, unknown>) =>
      this.withRetries(options.signal, false, (signal) =>
        this.sdk.completions.create({ model, prompt, max_tokens: 1, temperature: 0, ...extra } as any, { signal }),
      ).then((r) => r.value as unknown as { choices?: unknown[]; usage?: { prompt_tokens?: number } });
    const viaEcho = async () => {
      const res = await request({ echo: true, logprobs: 1 });
      return echoLogprobs(res.choices?.[0], res.usage?.prompt_tokens);
    };
    const viaVllm = async () => {
      try {
        return vllmPromptLogprobs((await request({ prompt_logprobs: 1 })).choices?.[0]);
      } catch (e) {
        // A server that rejects the unknown field simply has no prompt log-probs.
        if (e instanceof EndpointError && (e.status === 400 || e.status === 422)) return undefined;
        throw e;
      }
    };
    if (!this.scoring) {
      // The first request finds out which shape this server answers; requests made meanwhile wait for
      // it, so a batch does not ask every question twice. vLLM's own `prompt_logprobs` comes first:
      // it holds exactly the prompt's tokens, with no generated token to tell apart.
      const found = (async () => {
        const fromVllm = await viaVllm();
        if (fromVllm) return { mode: 'prompt_logprobs' as const, lp: fromVllm };
        const echoed = await viaEcho();
        if (echoed) return { mode: 'echo' as const, lp: echoed };
        throw this.noPromptLogprobs();
      })();
      this.scoring = found.then((f) => f.mode);
      this.scoring.catch(() => (this.scoring = undefined));
      return (await found).lp;
    }
    const lp = (await this.scoring) === 'echo' ? await viaEcho() : await viaVllm();
    if (!lp) throw this.noPromptLogprobs();
    return lp;
  }

  private noPromptLogprobs(): EndpointError {
    return new EndpointError(
      `${this.baseUrl} did not return prompt log-probs`,
      this.baseUrl,
      undefined,
      "information gain needs a completions endpoint that returns the prompt's log-probs (echo with logprobs, or vLLM's prompt_logprobs); turn it off otherwise",
    );
  }

  private body(model: string, req: CompletionRequest, stream: boolean): Record<string, unknown> {
    const p = req.params ?? {};
    const body: Record<string, unknown> = { model, stream };
    if (req.messages) {
      body.messages = req.messages;
      if (req.messages[req.messages.length - 1]?.role === 'assistant') {
        // vLLM / SGLang: continue the assistant's partial turn instead of starting a new one.
        body.continue_final_message = true;
        body.add_generation_prompt = false;
      }
    } else body.prompt = req.prompt ?? '';
    if (req.stop?.length) body.stop = req.stop;
    if (p.maxTokens !== undefined) body.max_tokens = p.maxTokens;
    if (p.temperature !== undefined) body.temperature = p.temperature;
    if (p.topP !== undefined) body.top_p = p.topP;
    if (p.seed !== undefined) body.seed = p.seed;
    if (stream) body.stream_options = { include_usage: true };
    return body;
  }

  private async completeOnce(model: string, req: CompletionRequest, signal: AbortSignal): Promise<Omit<CompletionResult, 'ms' | 'attempts'>> {
    const body = this.body(model, req, false);
    const res: any = req.messages
      ? await this.sdk.chat.completions.create(body as any, { signal })
      : await this.sdk.completions.create(body as any, { signal });
    const choice = res.choices?.[0];
    if (!choice) throw new MalformedResponse('no choices in the response');
    const raw = String((req.messages ? choice.message?.content : choice.text) ?? '');
    const cut = cutAtStop(raw, req.stop ?? [], req.maxChars);
    const reported = typeof choice.stop_reason === 'string' ? choice.stop_reason : undefined;
    const eos = endedOnEos(choice, cut);
    return {
      text: cut.text,
      finishReason: cut.capped || choice.finish_reason === 'length' ? 'length' : 'stop',
      stopString: cut.stop ?? reported,
      ...(eos ? { eos } : {}),
      model: res.model ?? model,
      usage: { promptTokens: res.usage?.prompt_tokens, completionTokens: res.usage?.completion_tokens },
    };
  }

  private async streamOnce(
    model: string,
    req: CompletionRequest,
    signal: AbortSignal,
    touch: () => void,
    onToken?: (t: string) => void,
  ): Promise<Omit<CompletionResult, 'ms' | 'attempts'>> {
    const body = this.body(model, req, true);
    const stream: any = req.messages
      ? await this.sdk.chat.completions.create(body as any, { signal })
      : await this.sdk.completions.create(body as any, { signal });
    const stops = req.stop ?? [];
    const longestStop = Math.max(0, ...stops.map((s) => s.length));
    let text = '';
    let finish: string | null = null;
    let finishChoice: unknown;
    let reported: string | undefined;
    let stopString: string | undefined;
    let capped = false;
    let usage: CompletionResult['usage'] = {};
    let resModel = model;
    let chunks = 0;
    for await (const chunk of stream) {
      touch();
      if (chunk.model) resModel = chunk.model;
      if (chunk.usage) usage = { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens };
      const choice = chunk.choices?.[0];
      if (!choice) continue;
      const piece: string = (req.messages ? choice.delta?.content : choice.text) ?? '';
      if (choice.finish_reason) {
        finish = choice.finish_reason;
        finishChoice = choice;
      }
      if (typeof choice.stop_reason === 'string') reported = choice.stop_reason;
      if (!piece) continue;
      chunks++;
      // Search only the new text plus a stop's length of overlap: a stop string may span chunks.
      const from = Math.max(0, text.length - longestStop);
      const cut = cutAtStop(text + piece, stops, req.maxChars, from);
      const fresh = cut.text.slice(text.length);
      text = cut.text;
      if (fresh) onToken?.(fresh);
      if (cut.stop || cut.capped) {
        stopString = cut.stop;
        capped = cut.capped;
        // Leaving the loop aborts the HTTP stream: the server stops generating for us.
        break;
      }
    }
    if (usage.completionTokens === undefined && chunks) usage = { ...usage, completionTokens: chunks };
    const eos = endedOnEos(finishChoice, { stop: stopString, capped });
    return {
      text,
      finishReason: capped || finish === 'length' ? 'length' : 'stop',
      stopString: stopString ?? reported,
      ...(eos ? { eos } : {}),
      model: resModel,
      usage,
    };
  }

  /**
   * Runs `attempt` with a timeout (reset by `touch` while data flows), retrying on 429, 5xx, 408,
   * timeouts and connection resets with exponential backoff, unless `noRetry()` says the attempt already
   * showed tokens.
   */
  private async withRetries<T>(
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
        }, this.timeoutMs);
      };
      const onAbort = () => controller.abort();
      outer?.addEventListener('abort', onAbort, { once: true });
      arm();
      try {
        const value = await attempt(controller.signal, arm);
        // An abort mid-stream can end the SDK's iterator quietly with the text so far: that is a
        // cancellation, not a completion the loop should judge.
        if (outer?.aborted) throw new CancelledError();
        return { value, attempts: n };
      } catch (e) {
        if (outer?.aborted) throw new CancelledError();
        const err = this.toError(e, timedOut);
        const retryable =
          timedOut ||
          (e instanceof APIConnectionError && !nobodyListens(e)) ||
          (err.status !== undefined && (err.status === 408 || err.status === 429 || err.status >= 500));
        const shown = typeof noRetry === 'function' ? noRetry() : noRetry;
        if (!retryable || shown || n > this.maxRetries) throw err;
        const delay = retryDelay(e, n, this.retryBaseMs);
        this.log.warn(`${err.message}; retry ${n}/${this.maxRetries} in ${delay} ms`);
        await sleep(delay, outer);
      } finally {
        clearTimeout(timer);
        outer?.removeEventListener('abort', onAbort);
      }
    }
  }

  private toError(e: unknown, timedOut: boolean): EndpointError {
    const url = this.baseUrl;
    const key = this.options.apiKey;
    const scrub = (m: string) => (key ? m.split(key).join('***') : m);
    if (timedOut || e instanceof APIConnectionTimeoutError) {
      return new EndpointError(`no answer from ${url} within ${Math.round(this.timeoutMs / 1000)} s`, url, undefined, 'check the server is not overloaded, or raise the timeout');
    }
    if (e instanceof APIUserAbortError) return new EndpointError(`request to ${url} was aborted`, url);
    if (e instanceof APIConnectionError) {
      const cause = describeCause(e);
      return new EndpointError(`cannot reach ${url}${cause ? ` (${cause})` : ''}`, url, undefined, 'check that the server is running and the URL is right, including /v1');
    }
    if (e instanceof APIError) {
      const status = e.status as number;
      const detail = scrub(String((e.error as any)?.message ?? e.message ?? '')).slice(0, 300);
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
}

class MalformedResponse extends Error {}

/**
 * vLLM always sends `stop_reason` with a finished choice: the matched stop string, or null (or a
 * stop token's id) when the model ended on EOS. Servers without the field leave it unknown.
 */
function endedOnEos(choice: unknown, cut: { stop?: string; capped: boolean }): boolean {
  if (cut.stop || cut.capped || !choice || typeof choice !== 'object' || !('stop_reason' in choice)) return false;
  const c = choice as { finish_reason?: unknown; stop_reason?: unknown };
  return c.finish_reason === 'stop' && typeof c.stop_reason !== 'string';
}

/**
 * The prompt's own tokens from a completions choice with `echo` and `logprobs`: the first
 * `promptTokens` (the usage count, a BOS included) or all but the one generated token. The offsets
 * are the server's (vLLM: code points, from the first token); rewards/infoGainTokens.ts places them.
 */
function echoLogprobs(choice: any, promptTokens: number | undefined): PromptLogprobs | undefined {
  const lp = choice?.logprobs;
  if (!lp || !Array.isArray(lp.tokens) || !Array.isArray(lp.token_logprobs) || !Array.isArray(lp.text_offset)) return undefined;
  const end = typeof promptTokens === 'number' && promptTokens > 0 && promptTokens <= lp.tokens.length ? promptTokens : Math.max(1, lp.tokens.length - 1);
  return { tokens: lp.tokens.slice(0, end), tokenLogprobs: lp.token_logprobs.slice(0, end), textOffset: lp.text_offset.slice(0, end) };
}

/**
 * vLLM's `prompt_logprobs`: one entry per prompt token, the first null, each a map from token id to
 * `{ logprob, rank, decoded_token }`. With `prompt_logprobs: 1` an entry holds the prompt's token and,
 * when that token was not the most likely, also the rank-1 one: so the prompt's token is the only
 * entry, or the one whose rank is not 1. The first token's text is unknown (its entry is null); the
 * offsets are code points summed as vLLM's echo sums them.
 */
function vllmPromptLogprobs(choice: any): PromptLogprobs | undefined {
  const entries = choice?.prompt_logprobs;
  if (!Array.isArray(entries) || entries.length === 0) return undefined;
  const tokens: string[] = [];
  const tokenLogprobs: (number | null)[] = [];
  const textOffset: number[] = [];
  let offset = 0;
  for (const entry of entries) {
    const candidates = entry && typeof entry === 'object' ? (Object.values(entry) as any[]) : [];
    const own = candidates.length === 1 ? candidates[0] : candidates.find((c) => c?.rank !== 1);
    const token = typeof own?.decoded_token === 'string' ? own.decoded_token : '';
    tokens.push(token);
    tokenLogprobs.push(typeof own?.logprob === 'number' ? own.logprob : null);
    textOffset.push(offset);
    offset += [...token].length;
  }
  return { tokens, tokenLogprobs, textOffset };
}

function isParseError(e: unknown): boolean {
  return e instanceof SyntaxError || (e instanceof Error && /JSON|Unexpected (token|end)|parse/i.test(e.message) && !(e instanceof APIError));
}

/** The error code (ECONNREFUSED, ENOTFOUND…) under the SDK's connection error, or the innermost message. */
function describeCause(e: Error): string {
  let c: any = (e as any).cause;
  let innermost = '';
  for (let i = 0; c && i < 4; i++) {
    if (c.code) return String(c.code);
    if (typeof c.message === 'string' && c.message !== 'fetch failed') innermost = c.message;
    c = c.cause;
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

/**
 * The text up to the first stop string (excluded), for servers that don't honour `stop`, and the
 * character cap. `from` skips text already searched.
 */
export function cutAtStop(text: string, stops: string[], maxChars?: number, from = 0): { text: string; stop?: string; capped: boolean } {
  let first = -1;
  let which: string | undefined;
  for (const s of stops) {
    if (!s) continue;
    const i = text.indexOf(s, from);
    if (i >= 0 && (first < 0 || i < first)) {
      first = i;
      which = s;
    }
  }
  let out = which !== undefined ? text.slice(0, first) : text;
  let capped = false;
  if (maxChars !== undefined && out.length > maxChars) {
    out = out.slice(0, maxChars);
    which = undefined;
    capped = true;
  }
  return { text: out, stop: which, capped };
}
