/**
 * Where each scored token sits in the prompt Hopscope sent, for information gain.
 *
 * vLLM's echo `text_offset` is a running sum of the decoded tokens' lengths
 * (vllm/entrypoints/openai/serving_completion.py `_create_completion_logprobs`): it starts at the
 * first token, so a decoded BOS such as `<|begin_of_text|>` (17 characters) shifts every offset, and
 * Python counts code points, so each character outside the BMP (an emoji) is one where JavaScript
 * counts two UTF-16 units. Offsets read as UTF-16 positions from the start of the prompt then miss
 * the answer's tokens. Here tokens are located from the END of the prompt (what precedes them, BOS
 * included, does not matter) and code points are converted to UTF-16 units.
 */
import type { PromptLogprobs } from '../endpoint';

/** A token's place in the prompt, in UTF-16 units: [start, end). */
export interface TokenSpan {
  start: number;
  end: number;
  logprob: number | null;
}

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** utf16[k] = the UTF-16 index of the k-th code point of `s` (and its length at k = code points). */
function codePointToUtf16(s: string): number[] {
  const out: number[] = [];
  let i = 0;
  for (const ch of s) {
    out.push(i);
    i += ch.length;
  }
  out.push(i);
  return out;
}

/**
 * The prompt's tokens with their spans in `prompt`. `lp.textOffset` are the server's code-point
 * offsets (any origin): the last token is taken to end where the prompt ends.
 */
export function tokenSpans(lp: PromptLogprobs, prompt: string): TokenSpan[] {
  const n = lp.tokens.length;
  if (!n) return [];
  const toUtf16 = codePointToUtf16(prompt);
  const promptCp = toUtf16.length - 1;
  const decodedEnd = lp.textOffset[n - 1]! + codePoints(lp.tokens[n - 1]!);
  const shift = decodedEnd - promptCp;
  const at = (cp: number) => toUtf16[Math.min(promptCp, Math.max(0, cp))]!;
  return lp.tokens.map((tok, i) => {
    const startCp = lp.textOffset[i]! - shift;
    return { start: at(startCp), end: at(startCp + codePoints(tok)), logprob: lp.tokenLogprobs[i] ?? null };
  });
}

/** Log-probs of the tokens overlapping [from, to) of the prompt (UTF-16 positions), the first token's null skipped. */
export function logprobsWithin(lp: PromptLogprobs, prompt: string, from: number, to: number): number[] {
  return tokenSpans(lp, prompt)
    .filter((s) => s.start < to && s.end > from && typeof s.logprob === 'number')
    .map((s) => s.logprob as number);
}
