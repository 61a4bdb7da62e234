/**
 * Probes run once before a batch with information gain or the judge on, so a missing capability fails
 * at once instead of once per question. The scoring itself is the agent pipeline's (core/agent.ts).
 */
import type { EndpointClient } from '../endpoint';
import type { PromptScorer } from './infoGain';
import { judgePrompt, parseVerdict } from './judge';

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
