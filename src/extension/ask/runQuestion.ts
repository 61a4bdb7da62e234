/**
 * One question through the loop, the way both the Ask command and inline answers run it: the
 * configured endpoint, template and retriever, the trajectory saved to the trace folder.
 */
import type { EndpointClient } from '../../core/endpoint';
import { EndpointError, errorMessage, HopscopeError } from '../../core/errors';
import type { LoopListener } from '../../core/events';
import { runLoop } from '../../core/loop';
import { analyzeTrajectory } from '../../core/rewards';
import { scoreTrajectory } from '../../core/rewards/afterRun';
import type { Template } from '../../core/templates';
import { configuredTemplate } from './configuredTemplate';
import type { Trajectory } from '../../core/trace';
import type * as vscode from 'vscode';
import { loopOptions } from '../config';
import type { Services } from '../services';

export interface QuestionRun {
  trajectory: Trajectory;
  /** The trace file it was appended to; undefined when writing failed (the failure is logged). */
  file?: vscode.Uri;
}

export interface RunOptions {
  signal?: AbortSignal;
  onEvent?: LoopListener;
}

/**
 * Throws a HopscopeError when the run cannot start (bad template, no index, bad URL). Failures during
 * the run (endpoint down, retriever error) come back in the trajectory as stopReason `error`.
 */
export async function runQuestion(services: Services, question: string, options: RunOptions = {}): Promise<QuestionRun> {
  const config = services.config();
  const template = configuredTemplate(config.loop.template);
  const [endpoint, retriever] = await Promise.all([services.endpoint(), services.retriever()]);
  services.log.info(`asking "${question}" at ${config.endpoint.baseUrl} (template ${config.loop.template}, retriever ${retriever.info.kind})`);
  const ran = await runLoop({
    question,
    template,
    endpoint,
    retriever,
    ...loopOptions(config),
    signal: options.signal,
    onEvent: options.onEvent,
    logger: services.logger,
  });
  if (options.signal?.aborted && ran.stopReason !== 'finished' && ran.stopReason !== 'cancelled') {
    // A stream aborted mid-turn can come back as a short completion rather than an error; the user
    // cancelled, so that is what the trace must say.
    ran.stopReason = 'cancelled';
  }
  const trajectory = await withRewards(services, ran, template, endpoint);
  services.log.info(`"${question}": ${trajectory.stopReason}, answer ${JSON.stringify(trajectory.answer)}`);
  let file: vscode.Uri | undefined;
  try {
    file = await services.saveTrajectory(trajectory);
  } catch (e) {
    services.log.error(`could not save the trajectory: ${errorMessage(e)}`);
  }
  return { trajectory, file };
}

/** One line for a failed run: what failed, at which URL, and what to check. */
export function describeFailure(services: Services, t: Trajectory): string {
  const url = services.config().endpoint.baseUrl;
  const what = t.error ?? 'the run stopped with an error';
  if (what.includes(url) || /retriev|index/i.test(what)) return what;
  return `${what} (endpoint ${url}: check that the server is running and that hopscope.endpoint.baseUrl and hopscope.endpoint.model are right)`;
}

/** Where the "Open Settings" button of a failure should point. */
export function settingsFor(e: unknown): string {
  if (e instanceof EndpointError) return 'hopscope.endpoint';
  if (e instanceof HopscopeError && /retriev|index/i.test(e.message)) return 'hopscope.retriever';
  return 'hopscope';
}

/**
 * Rewards and diagnosis for an asked question, with information gain and the LLM judge when the
 * settings turn them on. A failure there (e.g. no prompt log-probs) is logged and the rule-based
 * rewards are kept: the answer itself is not lost over it.
 */
async function withRewards(services: Services, t: Trajectory, template: Template, endpoint: EndpointClient): Promise<Trajectory> {
  const { infoGain, judge } = services.config().rewards;
  try {
    return await scoreTrajectory(t, { template, infoGain: infoGain ? endpoint : undefined, judge: judge ? endpoint : undefined });
  } catch (e) {
    services.log.warn(`rewards for "${t.question}": ${errorMessage(e)}`);
    return analyzeTrajectory(t, { template });
  }
}
