/**
 * Prompt log-probs as OpenAI-compatible servers return them: the completions API's `echo` with
 * `logprobs`, or vLLM's own `prompt_logprobs` field. Used by information gain.
 */
import type { CompletionChoice } from 'openai/resources/completions';

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

/** One entry of vLLM's `prompt_logprobs`: token id → candidate. */
type VllmPromptLogprobEntry = Record<string, { logprob?: unknown; rank?: unknown; decoded_token?: unknown } | null> | null;

/** A completions choice as vLLM may extend it. */
export type ScoringChoice = Partial<CompletionChoice> & { prompt_logprobs?: unknown };

/**
 * The prompt's own tokens from a completions choice with `echo` and `logprobs`: the first
 * `promptTokens` (the usage count, a BOS included), else all but the one generated token.
 */
export function echoLogprobs(choice: ScoringChoice | undefined, promptTokens: number | undefined): PromptLogprobs | undefined {
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
export function vllmPromptLogprobs(choice: ScoringChoice | undefined): PromptLogprobs | undefined {
  const entries = choice?.prompt_logprobs;
  if (!Array.isArray(entries) || entries.length === 0) return undefined;
  const tokens: string[] = [];
  const tokenLogprobs: (number | null)[] = [];
  const textOffset: number[] = [];
  let offset = 0;
  for (const entry of entries as VllmPromptLogprobEntry[]) {
    const candidates = entry && typeof entry === 'object' ? Object.values(entry) : [];
    const own = candidates.length === 1 ? candidates[0] : candidates.find((c) => c?.rank !== 1);
    const token = typeof own?.decoded_token === 'string' ? own.decoded_token : '';
    tokens.push(token);
    tokenLogprobs.push(typeof own?.logprob === 'number' ? own.logprob : null);
    textOffset.push(offset);
    offset += [...token].length;
  }
  return { tokens, tokenLogprobs, textOffset };
}
