/**
 * The one set of run defaults, for the CLI, the extension's settings (src/extension/config.ts, which
 * must equal package.json's contributed defaults) and core's own fallbacks (endpoint client, loop).
 * A template's own sampling (`Template.sampling`, e.g. R1-Searcher's temperature 0, top_p 0.95, 512
 * tokens as its evaluation runs) comes before these; these apply where neither the caller nor the
 * template says. The search budget (top-k, turns) equals the default template's, R1-Searcher's.
 */
export const RUN_DEFAULTS = Object.freeze({
  /** A local vLLM or SGLang server's OpenAI-compatible API. */
  endpoint: 'http://127.0.0.1:8000/v1',
  timeoutMs: 120_000,
  /** Retries on 429, 5xx and connection resets, after the first attempt. */
  maxRetries: 2,
  template: 'r1-searcher',
  /** Completion tokens per model call: R1-Searcher's evaluation cap, and a guard against runaway output. */
  maxTokens: 512,
  temperature: 0,
  /** Documents per search. */
  topK: 5,
  /** Model calls per question: R1-Searcher's 8 searches and the call that answers. */
  maxTurns: 9,
});
