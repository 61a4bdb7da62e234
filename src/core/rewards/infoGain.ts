/**
 * Information gain of each search step: after step t the gold answer is forced onto the context and
 * scored by the policy model itself, through the completions endpoint (vLLM's `prompt_logprobs`, else
 * `echo: true, logprobs`, `max_tokens 1`). p_t = exp(mean log-prob of the gold answer's tokens), found
 * from the end of the prompt (infoGainTokens.ts), and IG_t = p_t − p_(t−1). One scoring request per
 * search step plus one for p_0; requests run concurrently (`concurrency`) so a vLLM server batches them.
 *
 * Two definitions (`variant`):
 * - `igpo` (default): IGPO's (GuoqingWang1/IGPO @bff163b, scrl/llm_agent/generation.py `run_llm_loop`):
 *   p_0 on the prompt alone; the forced text `\nNow there's enough information to answer\n</think>\n<answer>\n{gold}\n</answer>`
 *   (IGPO appends `<|im_end|>`, which comes after the scored tokens and so cannot change p).
 * - `hopscope`: p_0 on the context just before the first search (the reasoning that led to it
 *   included); the forced text `</think>\n<answer> {gold} </answer>` (`\n<answer> {gold} </answer>`
 *   after a Search-R1 `</information>`), close to what the model itself writes.
 * IGPO scores each turn inside its chat template; Hopscope scores the transcript as the loop built it.
 * Chat transcripts (`User: …\nAssistant: …`) are scored as plain text, so p_t is an approximation
 * there, consistent across the steps of one trajectory.
 *
 * Recorded: per search step `goldProb` (p_t) and `infoGain` (IG_t); per trajectory `goldProb0` (p_0)
 * and `infoGain` (p_T − p_0, the sum of the steps' gains).
 */
import { CancelledError, EndpointError } from '../errors';
import type { PromptLogprobs } from '../endpoint';
import { BUILTIN_TEMPLATES, renderPrompt, type Template } from '../templates';
import type { Step, Trajectory } from '../trace';
import { logprobsWithin } from './infoGainTokens';
import { tagsOf, type TagSet } from './tags';

export type InfoGainVariant = 'igpo' | 'hopscope';
export const INFO_GAIN_VARIANTS: readonly InfoGainVariant[] = ['igpo', 'hopscope'];

/** The one endpoint call information gain needs; `EndpointClient` provides it. */
export interface PromptScorer {
  readonly baseUrl?: string;
  scorePrompt(prompt: string, options?: { signal?: AbortSignal }): Promise<PromptLogprobs>;
}

export interface InfoGainOptions {
  /** The trajectory's template when it is not a built-in one named in `policy.template`. */
  template?: Template;
  /** Which definition (default `igpo`). */
  variant?: InfoGainVariant;
  /** Scoring requests in flight at once (default 8). */
  concurrency?: number;
  signal?: AbortSignal;
}

/**
 * The forced answer appended to each context. R1-Searcher's output is one open `<think>` block, so it
 * is closed first; a Search-R1 context ends after `</information>`, where an answer may follow directly.
 */
const FORCED_ANSWER = '</think>\n<answer> {gold} </answer>';
const FORCED_ANSWER_SEARCH_R1 = '\n<answer> {gold} </answer>';
const FORCED_ANSWER_IGPO = "\nNow there's enough information to answer\n</think>\n<answer>\n{gold}\n</answer>";

function forcedAnswer(t: Trajectory, template: Template | undefined, variant: InfoGainVariant): string {
  if (variant === 'igpo') return FORCED_ANSWER_IGPO;
  return tagsOf(template ?? BUILTIN_TEMPLATES[t.policy.template] ?? t.policy.template).style === 'search-r1' ? FORCED_ANSWER_SEARCH_R1 : FORCED_ANSWER;
}

/**
 * The contexts to score: index 0 before any search (`igpo`: the prompt alone; `hopscope`: up to the
 * first query tag), then one after each search step's documents.
 */
export function infoGainContexts(t: Trajectory, template?: Template, variant: InfoGainVariant = 'hopscope'): string[] {
  const tpl = template ?? BUILTIN_TEMPLATES[t.policy.template];
  const tags = tagsOf(tpl ?? t.policy.template);
  let full = t.raw;
  let outputStart: number | undefined;
  if (tpl) {
    const prompt = renderPrompt(tpl, t.question);
    const at = full.indexOf(prompt);
    if (at >= 0) outputStart = at + prompt.length;
    else {
      // Imported rollouts hold the model's output only: the prompt it saw goes in front.
      full = prompt + full;
      outputStart = prompt.length;
    }
  }
  const searches = t.steps.filter((s) => s.kind === 'search').length;
  if (!searches) return [];
  const first = full.indexOf(tags.queryBegin, outputStart ?? 0);
  if (first < 0) return [];
  // Without a known prompt, IGPO's p_0 falls back to the context before the first search.
  const cuts = [variant === 'igpo' && outputStart !== undefined ? outputStart : first];
  let pos = first;
  for (let k = 0; k < searches; k++) {
    const end = afterSearch(full, pos, tags);
    if (end < 0) break;
    cuts.push(end);
    pos = end;
  }
  return cuts.map((c) => full.slice(0, c));
}

/** The end of the next query and of the documents block right after it, plus trailing whitespace; -1 if none. */
function afterSearch(text: string, from: number, tags: TagSet): number {
  const qb = text.indexOf(tags.queryBegin, from);
  if (qb < 0) return -1;
  const qe = text.indexOf(tags.queryEnd, qb + tags.queryBegin.length);
  if (qe < 0) return -1;
  let end = skipWs(text, qe + tags.queryEnd.length);
  if (text.startsWith(tags.docsBegin, end)) {
    const de = text.indexOf(tags.docsEnd, end + tags.docsBegin.length);
    if (de >= 0) end = skipWs(text, de + tags.docsEnd.length);
  }
  return end;
}

function skipWs(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
}

/** p(gold | context): exp of the mean log-prob of the gold answer's tokens in the scored prompt. */
function goldProbability(lp: PromptLogprobs, prompt: string, goldStart: number, goldEnd: number, where: string): number {
  const picked = logprobsWithin(lp, prompt, goldStart, goldEnd);
  if (!picked.length) {
    throw new EndpointError(
      `${where} returned no log-probs for the forced answer's tokens`,
      where,
      undefined,
      'information gain needs the prompt echoed with log-probs (completions API with echo, e.g. vLLM)',
    );
  }
  return Math.exp(picked.reduce((a, b) => a + b, 0) / picked.length);
}

/** A copy of `t` with information gain on each search step; unchanged when it has no gold answer or no search. */
export async function withInfoGain(t: Trajectory, scorer: PromptScorer, options: InfoGainOptions = {}): Promise<Trajectory> {
  const [out] = await withInfoGainAll([t], scorer, options);
  return out!;
}

/** Information gain for many trajectories, sharing one pool of in-flight scoring requests. */
export async function withInfoGainAll(ts: Trajectory[], scorer: PromptScorer, options: InfoGainOptions = {}): Promise<Trajectory[]> {
  const jobs: Array<{ t: number; k: number; prompt: string; goldStart: number; goldEnd: number }> = [];
  const variant = options.variant ?? 'igpo';
  const contexts = ts.map((t) => (t.gold && t.gold.length ? infoGainContexts(t, options.template, variant) : []));
  contexts.forEach((ctxs, ti) => {
    const gold = ts[ti]!.gold?.[0] ?? '';
    const [before, after] = forcedAnswer(ts[ti]!, options.template, variant).split('{gold}') as [string, string];
    ctxs.forEach((ctx, k) => {
      const prompt = ctx + before + gold + after;
      jobs.push({ t: ti, k, prompt, goldStart: ctx.length + before.length, goldEnd: ctx.length + before.length + gold.length });
    });
  });
  const probs = contexts.map((c) => new Array<number>(c.length));
  const where = scorer.baseUrl ?? 'the endpoint';
  await pool(jobs, options.concurrency ?? 8, options.signal, async (job) => {
    const lp = await scorer.scorePrompt(job.prompt, { signal: options.signal });
    probs[job.t]![job.k] = goldProbability(lp, job.prompt, job.goldStart, job.goldEnd, where);
  });
  if (options.signal?.aborted) throw new CancelledError();
  return ts.map((t, ti) => (contexts[ti]!.length ? applyGains(t, probs[ti]!) : t));
}

function applyGains(t: Trajectory, p: number[]): Trajectory {
  let k = 0;
  const steps = t.steps.map((s): Step => {
    if (s.kind !== 'search') return s;
    k++;
    if (k >= p.length) return s;
    return { ...s, rewards: { ...s.rewards, goldProb: p[k]!, infoGain: p[k]! - p[k - 1]! } };
  });
  return { ...t, steps, rewards: { ...t.rewards, goldProb0: p[0]!, infoGain: p[p.length - 1]! - p[0]! } };
}

async function pool<T>(items: T[], concurrency: number, signal: AbortSignal | undefined, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      if (signal?.aborted) return;
      const item = items[next++]!;
      await run(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}
