/**
 * One question through the agent pipeline (core/agent.ts), the way both the Ask command and inline
 * answers run it: the configured endpoint, template, retriever and extra rewards, the trajectory saved
 * to the trace folder.
 */
import { runAgent } from '../../core/agent';
import { EndpointError, errorMessage, HopscopeError } from '../../core/errors';
import type { LoopListener } from '../../core/events';
import { capTrajectory } from '../../core/contentLimits';
import { failedBeforeModel } from '../../core/reachedModel';
import type { Trajectory } from '../../core/trace';
import type * as vscode from 'vscode';
import { loopOptions } from '../config';
import type { Services } from '../services';
import { configuredTemplate } from './configuredTemplate';

export interface QuestionRun {
  trajectory: Trajectory;
  /** The trace file it was appended to; undefined when writing failed (logged) or the run never reached the model (not saved). */
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
  const { infoGain, infoGainDefinition, judge } = config.rewards;
  // Information gain and the judge are opt-in extras: when they fail (e.g. no prompt log-probs) the
  // rule-based rewards are kept and the failure logged, so the answer itself is not lost over it.
  // Model turns past hopscope.limits.maxTurnChars are cut (documents were, as they were retrieved).
  const trajectory = capTrajectory(
    await runAgent(
      { question },
      { endpoint, retriever, logger: services.logger, signal: options.signal, onEvent: options.onEvent },
      { template, ...loopOptions(config), infoGain: infoGain && infoGainDefinition, judge, onScoringError: 'keep' },
    ),
    config.limits,
  );
  services.log.info(`"${question}": ${trajectory.stopReason}, answer ${JSON.stringify(trajectory.answer)}`);
  let file: vscode.Uri | undefined;
  if (failedBeforeModel(trajectory)) {
    services.log.info(`"${question}": not saved, the question never reached the model (${trajectory.error ?? 'error'})`);
    return { trajectory };
  }
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
