/** What the endpoint client takes and returns: the contract the loop, rewards and front ends use. */
import type { Logger } from '../ports';
import type { ChatMessage } from '../templates';
import type { PromptLogprobs } from './logprobs';

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
   * token id), not on a stop string. Unset when the server does not say (OpenAI, TGI).
   */
  eos?: boolean;
  model: string;
  usage: { promptTokens?: number; completionTokens?: number };
  ms: number;
  /** Attempts it took (1 without retries). */
  attempts: number;
  /**
   * Set when the text was cut at the request's `maxChars`: the characters read by then (at least; a
   * stream is not read further, so a server sending endless text cannot grow memory or the next prompt).
   */
  cappedFrom?: number;
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
