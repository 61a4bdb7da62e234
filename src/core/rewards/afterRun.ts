/**
 * What a finished loop run gets before it is written: optional information gain and LLM judge (each
 * costs endpoint requests, so each is opt-in), then the rule-based rewards and the diagnosis.
 */
import type { EndpointClient } from '../endpoint';
import type { Template } from '../templates';
import type { Trajectory } from '../trace';
import { analyzeTrajectory } from './index';
import { withInfoGain, type InfoGainVariant, type PromptScorer } from './infoGain';
import { judgePrompt, parseVerdict, withJudge } from './judge';

export interface AfterRunOptions {
  template?: Template;
  /** Score information gain with this endpoint (one request per search step plus one). */
  infoGain?: PromptScorer;
  /** Which definition of information gain (default `igpo`). */
  infoGainVariant?: InfoGainVariant;
  /** Ask this endpoint R1-Searcher's ACC_L judge question (one request). */
  judge?: EndpointClient;
  signal?: AbortSignal;
}

/** @deprecated Run questions and forks through core/agent.ts (`runAgent`, `forkAgent`), which scores them; this stays until the extension's callers move. */
export async function scoreTrajectory(t: Trajectory, options: AfterRunOptions = {}): Promise<Trajectory> {
  let out = t;
  // A cancelled or failed run is recorded as it is: no more requests for it.
  const usable = t.stopReason !== 'cancelled' && t.stopReason !== 'error';
  if (usable && options.infoGain) out = await withInfoGain(out, options.infoGain, { template: options.template, variant: options.infoGainVariant, signal: options.signal });
  if (usable && options.judge) out = await withJudge(out, options.judge, { signal: options.signal });
  return analyzeTrajectory(out, { template: options.template });
}

/**
 * One scoring request up front, so a run with information gain on fails at once with the endpoint's
 * message (e.g. no prompt log-probs) instead of once per question.
 */
export async function probeInfoGain(scorer: PromptScorer, signal?: AbortSignal): Promise<void> {
  await scorer.scorePrompt('Hopscope checks that this endpoint returns prompt log-probs.', { signal });
}

/**
 * One judge request up front (a question with an obvious verdict), so a run with the judge on fails at
 * once when the endpoint has no chat API, and warns when its replies are neither True nor False.
 */
export async function probeJudge(endpoint: EndpointClient, signal?: AbortSignal): Promise<{ understood: boolean; reply: string }> {
  const r = await endpoint.complete({
    messages: [{ role: 'user', content: judgePrompt('What is two plus two?', ['4'], 'four') }],
    params: { temperature: 0, maxTokens: 8 },
    stream: false,
    signal,
  });
  return { understood: parseVerdict(r.text) !== undefined, reply: r.text };
}
