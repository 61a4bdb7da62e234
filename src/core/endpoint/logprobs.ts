/**
 * Prompt log-probs as OpenAI-compatible servers return them: the completions API's `echo` with
 * `logprobs`, or vLLM's own `prompt_logprobs` field. Used by information gain.
 */
import type { CompletionChoice } from 'openai/resources/completions';

export interface PromptLogprobs {
  tokens: string[];
  /** The first is null: nothing precedes it. */
  tokenLogprobs: (number | null)[];
  textOffset: number[];
}

/** One entry of vLLM's `prompt_logprobs`: token id → candidate. */
type VllmPromptLogprobEntry = Record<string, { logprob?: unknown; rank?: unknown; decoded_token?: unknown } | null> | null;

/** A completions choice as vLLM may extend it. */
export type ScoringChoice = Partial<CompletionChoice> & { prompt_logprobs?: unknown };

/** The prompt's own tokens from a completions choice with `echo` and `logprobs` (max_tokens 1 may add one generated token). */
export function echoLogprobs(choice: ScoringChoice | undefined, prompt: string): PromptLogprobs | undefined {
  const lp = choice?.logprobs;
  if (!lp || !Array.isArray(lp.tokens) || !Array.isArray(lp.token_logprobs) || !Array.isArray(lp.text_offset)) return undefined;
  const n = lp.text_offset.findIndex((o) => o >= prompt.length);
  const end = n < 0 ? lp.tokens.length : n;
  return { tokens: lp.tokens.slice(0, end), tokenLogprobs: lp.token_logprobs.slice(0, end), textOffset: lp.text_offset.slice(0, end) };
}

/**
 * vLLM's `prompt_logprobs`: one entry per prompt token, the first null, each a map from token id to
 * `{ logprob, rank, decoded_token }`. With `prompt_logprobs: 1` an entry holds the prompt's token and,
 * when that token was not the most likely, also the rank-1 one: so the prompt's token is the only
 * entry, or the one whose rank is not 1. No text offsets come back: they are counted from the end of
 * the prompt, because the leading token (the null entry, or a BOS) has no decoded text.
 */
export function vllmPromptLogprobs(choice: ScoringChoice | undefined, prompt: string): PromptLogprobs | undefined {
  const entries = choice?.prompt_logprobs;
  if (!Array.isArray(entries) || entries.length === 0) return undefined;
  const tokens: string[] = [];
  const tokenLogprobs: (number | null)[] = [];
  for (const entry of entries as VllmPromptLogprobEntry[]) {
    const candidates = entry && typeof entry === 'object' ? Object.values(entry) : [];
    const own = candidates.length === 1 ? candidates[0] : candidates.find((c) => c?.rank !== 1);
    tokens.push(typeof own?.decoded_token === 'string' ? own.decoded_token : '');
    tokenLogprobs.push(typeof own?.logprob === 'number' ? own.logprob : null);
  }
  const textOffset = new Array<number>(tokens.length);
  let end = prompt.length;
  for (let i = tokens.length - 1; i >= 0; i--) {
    end = Math.max(0, end - tokens[i]!.length);
    textOffset[i] = end;
  }
  return { tokens, tokenLogprobs, textOffset };
}
