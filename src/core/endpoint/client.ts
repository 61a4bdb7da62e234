/**
 * The model endpoint: any OpenAI-compatible server (vLLM, SGLang, TGI, Ollama, OpenAI), through the
 * `openai` package. Completions and chat, streamed or not, with stop strings matched as plain text
 * (stops.ts). Retries and timeouts are ours (retries.ts). The API key stays inside the SDK client: it
 * is never part of a result, an error or a log line.
 */
import OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions';
import type { Completion, CompletionCreateParamsBase, CompletionUsage } from 'openai/resources/completions';
import { RUN_DEFAULTS } from '../defaults';
import { EndpointError, UrlError } from '../errors';
import { silentLogger, type Logger } from '../ports';
import { MalformedResponse, StreamErrorEvent, toEndpointError } from './failures';
import { echoLogprobs, vllmPromptLogprobs, type PromptLogprobs, type ScoringChoice } from './logprobs';
import { withRetries, type RetryPolicy } from './retries';
import { cutAtStop, endedOnEos } from './stops';
import type { CompletionRequest, CompletionResult, EndpointClient, EndpointOptions } from './types';
import { clientUrl, redactText, redactUrl } from './url';

/** Request fields vLLM and SGLang understand beyond OpenAI's. */
interface VllmRequestExtras {
  continue_final_message?: boolean;
  add_generation_prompt?: boolean;
  prompt_logprobs?: number;
}

/**
 * What ended a choice, beyond OpenAI's `finish_reason`: vLLM's `stop_reason` (the stop string, a stop
 * token's id, or null for EOS) and SGLang's `matched_stop` (the stop string, or the token id, EOS's too).
 */
interface VllmChoiceExtras {
  stop_reason?: string | number | null;
  matched_stop?: string | number | null;
}

/** The server's own word on what stopped a choice; undefined when it has no such field. */
function stopReasonOf(choice: VllmChoiceExtras | undefined): unknown {
  if (!choice) return undefined;
  return 'stop_reason' in choice ? choice.stop_reason : choice.matched_stop;
}

type Attempt = Omit<CompletionResult, 'ms' | 'attempts'>;

/** One streamed chunk of either API, reduced to what the loop needs. */
interface Delta {
  model?: string;
  usage?: CompletionUsage | null;
  hasChoice: boolean;
  text: string;
  finish?: string | null;
  stopReason?: unknown;
}

export function createEndpointClient(options: EndpointOptions): EndpointClient {
  return new OpenAIEndpoint(options);
}

class OpenAIEndpoint implements EndpointClient {
  readonly baseUrl: string;
  private readonly sdk?: OpenAI;
  /** Why this URL cannot be used (not http/https): thrown by every request, never retried. */
  private readonly invalid?: EndpointError;
  private readonly log: Logger;
  private readonly policy: RetryPolicy;
  private model?: string;
  /** How this server returns prompt log-probs, learned on the first scoring request that gets them. */
  private scoring?: Promise<'echo' | 'prompt_logprobs'>;

  constructor(options: EndpointOptions) {
    this.baseUrl = redactUrl(options.baseUrl);
    this.model = options.model || undefined;
    const log = options.logger ?? silentLogger;
    const secrets: string[] = options.apiKey ? [options.apiKey] : [];
    let url: ReturnType<typeof clientUrl> | undefined;
    try {
      url = clientUrl(options.baseUrl);
      secrets.push(...url.secrets);
    } catch (e) {
      if (!(e instanceof UrlError)) throw e;
      this.invalid = new EndpointError(e.message, this.baseUrl, undefined, e.hint);
    }
    const scrub = (m: string) => redactText(m, secrets);
    this.log = { debug: (m) => log.debug(scrub(m)), info: (m) => log.info(scrub(m)), warn: (m) => log.warn(scrub(m)), error: (m) => log.error(scrub(m)) };
    // Node's timers overflow past 2^31-1 ms (and then fire at once): a longer timeout is "no limit" in practice.
    const timeoutMs = Math.min(options.timeoutMs ?? RUN_DEFAULTS.timeoutMs, MAX_TIMEOUT_MS);
    this.policy = {
      timeoutMs,
      maxRetries: options.maxRetries ?? RUN_DEFAULTS.maxRetries,
      retryBaseMs: options.retryBaseMs ?? 500,
      log: this.log,
      toError: (e, timedOut) => toEndpointError(e, timedOut, { url: this.baseUrl, timeoutMs, scrub }),
    };
    if (url) {
      this.sdk = new OpenAI({
        baseURL: url.base,
        // `/v1?api_key=…`: the query goes with every request rather than being glued to the path.
        ...(Object.keys(url.query).length ? { defaultQuery: url.query } : {}),
        // fetch refuses URLs with credentials: they travel as Basic auth instead (unless a key is set).
        ...(url.basicAuth && !options.apiKey ? { defaultHeaders: { authorization: url.basicAuth } } : {}),
        // vLLM and most local servers accept any key; the SDK insists on one.
        apiKey: options.apiKey || 'EMPTY',
        maxRetries: 0,
        timeout: timeoutMs,
        logLevel: 'off',
      });
    }
  }

  /** The SDK client, or the reason the URL is refused (thrown before any retry). */
  private client(): OpenAI {
    if (!this.sdk) throw this.invalid!;
    return this.sdk;
  }

  async listModels(signal?: AbortSignal): Promise<string[]> {
    const sdk = this.client();
    return withRetries(this.policy, signal, false, async (s) => {
      const { data: page, response } = await sdk.models.list({ signal: s }).withResponse();
      // The SDK reads a non-JSON body as an empty page: an HTML page on 200 would list no models.
      const type = response.headers.get('content-type');
      if (type && !/json/i.test(type)) throw new MalformedResponse(`the model list is ${type.split(';')[0]}, not JSON`);
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
    const sdk = this.client();
    const model = await this.resolveModel(req.signal);
    const started = Date.now();
    let emitted = false;
    const onToken = req.onToken
      ? (t: string) => {
          emitted = true;
          req.onToken!(t);
        }
      : undefined;
    const { value, attempts } = await withRetries(this.policy, req.signal, () => emitted, (signal, touch) =>
      req.stream === false ? this.completeOnce(sdk, model, req, signal) : this.streamOnce(sdk, model, req, signal, touch, onToken),
    );
    return { ...value, ms: Date.now() - started, attempts };
  }

  async scorePrompt(prompt: string, options: { signal?: AbortSignal } = {}): Promise<PromptLogprobs> {
    const sdk = this.client();
    const model = await this.resolveModel(options.signal);
    const request = (extra: Pick<CompletionCreateParamsBase, 'echo' | 'logprobs'> & VllmRequestExtras) =>
      withRetries(this.policy, options.signal, false, (signal) => {
        const body: CompletionCreateParamsBase & VllmRequestExtras & { stream: false } = { model, prompt, max_tokens: 1, temperature: 0, stream: false, ...extra };
        return sdk.completions.create(body, { signal });
      }).then((r) => ({ choice: r.value.choices?.[0] as ScoringChoice | undefined, promptTokens: r.value.usage?.prompt_tokens }));
    const viaEcho = async () => {
      const { choice, promptTokens } = await request({ echo: true, logprobs: 1 });
      return echoLogprobs(choice, promptTokens);
    };
    const viaVllm = async () => {
      try {
        return vllmPromptLogprobs((await request({ prompt_logprobs: 1 })).choice);
      } catch (e) {
        // A server that rejects the unknown field simply has no prompt log-probs.
        if (e instanceof EndpointError && (e.status === 400 || e.status === 422)) return undefined;
        throw e;
      }
    };
    if (!this.scoring) {
      // The first request finds out which shape this server answers; requests made meanwhile wait for
      // it, so a batch does not ask every question twice. vLLM's own `prompt_logprobs` comes first: it
      // holds exactly the prompt's tokens, with no generated token to tell apart.
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

  /** The sampling fields both APIs share. */
  private sampling(model: string, req: CompletionRequest, stream: boolean) {
    const p = req.params ?? {};
    return {
      model,
      ...(req.stop?.length ? { stop: req.stop } : {}),
      ...(p.maxTokens !== undefined ? { max_tokens: p.maxTokens } : {}),
      ...(p.temperature !== undefined ? { temperature: p.temperature } : {}),
      ...(p.topP !== undefined ? { top_p: p.topP } : {}),
      ...(p.seed !== undefined ? { seed: p.seed } : {}),
      ...(stream ? { stream_options: { include_usage: true } } : {}),
    };
  }

  private chatBody(model: string, req: CompletionRequest, stream: boolean): ChatCompletionCreateParamsBase & VllmRequestExtras {
    const messages = req.messages ?? [];
    // vLLM / SGLang: continue the assistant's partial turn instead of starting a new one.
    const continues = messages[messages.length - 1]?.role === 'assistant';
    return { ...this.sampling(model, req, stream), messages, ...(continues ? { continue_final_message: true, add_generation_prompt: false } : {}) };
  }

  private completionBody(model: string, req: CompletionRequest, stream: boolean): CompletionCreateParamsBase {
    return { ...this.sampling(model, req, stream), prompt: req.prompt ?? '' };
  }

  private async completeOnce(sdk: OpenAI, model: string, req: CompletionRequest, signal: AbortSignal): Promise<Attempt> {
    let raw: string;
    let finish: string | null | undefined;
    let reported: unknown;
    let res: ChatCompletion | Completion;
    if (req.messages) {
      const chat = expectJson(await sdk.chat.completions.create({ ...this.chatBody(model, req, false), stream: false }, { signal }));
      const choice = chat.choices?.[0] as (ChatCompletion.Choice & VllmChoiceExtras) | undefined;
      if (!choice) throw new MalformedResponse('no choices in the response');
      [res, raw, finish, reported] = [chat, String(choice.message?.content ?? ''), choice.finish_reason, stopReasonOf(choice)];
    } else {
      const completion = expectJson(await sdk.completions.create({ ...this.completionBody(model, req, false), stream: false }, { signal }));
      const choice = completion.choices?.[0] as (Completion['choices'][number] & VllmChoiceExtras) | undefined;
      if (!choice) throw new MalformedResponse('no choices in the response');
      [res, raw, finish, reported] = [completion, String(choice.text ?? ''), choice.finish_reason, stopReasonOf(choice)];
    }
    const cut = cutAtStop(raw, req.stop ?? [], req.maxChars);
    return {
      text: cut.text,
      ...(cut.capped ? { cappedFrom: raw.length } : {}),
      finishReason: cut.capped || finish === 'length' ? 'length' : 'stop',
      stopString: cut.stop ?? (typeof reported === 'string' ? reported : undefined),
      ...(endedOnEos(finish, reported, cut) ? { eos: true } : {}),
      model: res.model ?? model,
      usage: { promptTokens: res.usage?.prompt_tokens, completionTokens: res.usage?.completion_tokens },
    };
  }

  private async openStream(sdk: OpenAI, model: string, req: CompletionRequest, signal: AbortSignal): Promise<AsyncIterable<Delta>> {
    if (req.messages) {
      const { data, response } = await sdk.chat.completions.create({ ...this.chatBody(model, req, true), stream: true }, { signal }).withResponse();
      expectEventStream(response);
      return mapStream(data, chatDelta);
    }
    const { data, response } = await sdk.completions.create({ ...this.completionBody(model, req, true), stream: true }, { signal }).withResponse();
    expectEventStream(response);
    return mapStream(data, completionDelta);
  }

  private async streamOnce(
    sdk: OpenAI,
    model: string,
    req: CompletionRequest,
    signal: AbortSignal,
    touch: () => void,
    onToken?: (t: string) => void,
  ): Promise<Attempt> {
    const stream = await this.openStream(sdk, model, req, signal);
    const stops = req.stop ?? [];
    const longestStop = Math.max(0, ...stops.map((s) => s.length));
    let text = '';
    let finish: string | null | undefined = null;
    let reported: string | undefined;
    /** `stop_reason` as the chunk that finished sent it (undefined: the server has no such field). */
    let finishStopReason: unknown;
    let stopString: string | undefined;
    let capped = false;
    let read = 0;
    let usage: CompletionResult['usage'] = {};
    let resModel = model;
    let chunks = 0;
    for await (const d of stream) {
      touch();
      if (d.model) resModel = d.model;
      if (d.usage) usage = { promptTokens: d.usage.prompt_tokens, completionTokens: d.usage.completion_tokens };
      if (!d.hasChoice) continue;
      if (d.finish) {
        finish = d.finish;
        finishStopReason = d.stopReason;
      }
      if (typeof d.stopReason === 'string') reported = d.stopReason;
      if (!d.text) continue;
      chunks++;
      // Search only the new text plus a stop's length of overlap: a stop string may span chunks.
      const from = Math.max(0, text.length - longestStop);
      read = text.length + d.text.length;
      const cut = cutAtStop(text + d.text, stops, req.maxChars, from);
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
    // Our timer aborting the request ends the SDK's iterator quietly, as does a server that closes the
    // stream early: neither is a completion the loop may judge.
    if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new MalformedResponse('the stream was aborted');
    if (!finish && !stopString && !capped) throw new MalformedResponse('the stream ended before the model finished (no finish reason)');
    if (usage.completionTokens === undefined && chunks) usage = { ...usage, completionTokens: chunks };
    return {
      text,
      ...(capped ? { cappedFrom: read } : {}),
      finishReason: capped || finish === 'length' ? 'length' : 'stop',
      stopString: stopString ?? reported,
      ...(endedOnEos(finish, finishStopReason, { stop: stopString, capped }) ? { eos: true } : {}),
      model: resModel,
      usage,
    };
  }
}

const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** A JSON answer's body; the SDK hands back text when the server answered something else (an HTML page). */
function expectJson<T>(body: T | string): T {
  if (typeof body === 'string' || !body || typeof body !== 'object') throw new MalformedResponse(`the answer is not JSON: ${describeBody(body)}`);
  return body;
}

/** A streamed answer must be an event stream; an HTML page or JSON on 200 holds no events. */
function expectEventStream(response: Response): void {
  const type = response.headers.get('content-type');
  if (type && !/^\s*text\/event-stream/i.test(type)) throw new MalformedResponse(`the answer is ${type.split(';')[0]}, not an event stream`);
}

/** The start of an unexpected body, on one line, for an error message. */
function describeBody(body: unknown): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body) ?? String(body);
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat ? `"${flat.slice(0, 80)}${flat.length > 80 ? '…' : ''}"` : 'an empty body';
}

async function* mapStream<C>(stream: AsyncIterable<C>, toDelta: (chunk: C) => Delta): AsyncIterable<Delta> {
  for await (const chunk of stream) yield toDelta(chunk);
}

/**
 * An error sent as an event instead of a chunk: vLLM's `{"object": "error", "message", "code"}`, or an
 * `event: error` whose data has a `message`. (`{"error": {…}}` the SDK throws itself, without a status.)
 */
function throwIfErrorEvent(c: unknown): void {
  const e = c as { object?: unknown; message?: unknown; code?: unknown; choices?: unknown } | null;
  if (!e || typeof e !== 'object' || Array.isArray(e.choices)) return;
  if (e.object === 'error' || typeof e.message === 'string') {
    throw new StreamErrorEvent(typeof e.message === 'string' ? e.message : JSON.stringify(e), typeof e.code === 'number' ? e.code : undefined);
  }
}

function chatDelta(c: ChatCompletionChunk): Delta {
  throwIfErrorEvent(c);
  const choice = c.choices?.[0] as (ChatCompletionChunk.Choice & VllmChoiceExtras) | undefined;
  return { model: c.model, usage: c.usage, hasChoice: !!choice, text: choice?.delta?.content ?? '', finish: choice?.finish_reason, stopReason: stopReasonOf(choice) };
}

function completionDelta(c: Completion): Delta {
  throwIfErrorEvent(c);
  const choice = c.choices?.[0] as (Completion['choices'][number] & VllmChoiceExtras) | undefined;
  return { model: c.model, usage: c.usage, hasChoice: !!choice, text: choice?.text ?? '', finish: choice?.finish_reason, stopReason: stopReasonOf(choice) };
}
