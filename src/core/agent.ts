/**
 * The agent pipeline, the only way a question (or a fork) becomes a finished trajectory: the loop
 * (loop.ts), then the opt-in scoring that costs endpoint requests (information gain, the LLM judge),
 * then the rule-based rewards and the diagnosis from one analysis pass (rewards/index.ts). The CLI's
 * `ask` and `run` and the extension's Ask, Evaluate, inline answers and Fork all come through here, so
 * a trajectory is scored the same way whichever front end ran it. Nothing outside src/core calls
 * `runLoop` directly.
 */
import type { EndpointClient, SamplingParams } from './endpoint';
import { CancelledError, errorMessage } from './errors';
import type { LoopListener } from './events';
import { forkTrajectory, type ForkEdit } from './fork';
import { runLoop } from './loop';
import { silentLogger, type Clock, type Logger, type Retriever } from './ports';
import { analyzeTrajectory } from './rewards';
import { withInfoGain, type InfoGainVariant } from './rewards/infoGain';
import { withJudge } from './rewards/judge';
import type { Template } from './templates';
import type { Trajectory } from './trace';

/** One question, with what the caller records on its trajectory. */
export interface AgentQuestion {
  question: string;
  gold?: string[];
  /** Gold (supporting) paragraphs by id or title, for goldDocRecall. */
  goldDocs?: string[];
  runId?: string;
  dataset?: string;
  /** The trajectory id; a random UUID when unset. */
  id?: string;
}

/** The collaborators of one run; a batch shares all but `signal` and `onEvent`. */
export interface AgentDeps {
  endpoint: EndpointClient;
  retriever: Retriever;
  clock?: Clock;
  logger?: Logger;
  /** The event sink: the loop's events (tokens, steps, documents, the end) as they happen. */
  onEvent?: LoopListener;
  signal?: AbortSignal;
}

export interface AgentSettings {
  template: Template;
  /** Documents per search; the template's when unset. */
  topK?: number;
  /** Model calls allowed; the template's searches + 1 when unset. */
  maxTurns?: number;
  params?: SamplingParams;
  /** Stream tokens (default) or ask for whole completions. */
  stream?: boolean;
  maxCharsPerTurn?: number;
  /**
   * Score information gain per search step (one more completions request per search, plus one);
   * `true` is the default definition (rewards/infoGain.ts).
   */
  infoGain?: boolean | InfoGainVariant;
  /** Ask the endpoint R1-Searcher's ACC_L judge question (one more chat request). */
  judge?: boolean;
  /**
   * What a failure of the optional scoring (information gain, judge) does: `throw` (default: a batch
   * stops on it, after its preflight said the endpoint could do it), or `keep` the trajectory with its
   * rule-based rewards and log the failure (an interactive question: the answer is not lost over it,
   * not even to a cancel during scoring).
   */
  onScoringError?: 'throw' | 'keep';
}

/** Runs one question through the loop and scores it. Never throws for model or retriever failures (they are the trajectory's `error`). */
export async function runAgent(q: AgentQuestion, deps: AgentDeps, settings: AgentSettings): Promise<Trajectory> {
  const ran = await runLoop({
    question: q.question,
    ...(q.gold ? { gold: q.gold } : {}),
    ...(q.goldDocs ? { goldDocs: q.goldDocs } : {}),
    ...(q.runId !== undefined ? { runId: q.runId } : {}),
    ...(q.dataset !== undefined ? { dataset: q.dataset } : {}),
    ...(q.id !== undefined ? { id: q.id } : {}),
    ...loopSettings(settings),
    ...loopCollaborators(deps),
  });
  return scoreRun(ran, deps, settings);
}

/**
 * Re-runs `original` from its search step `atStep` with a new query or new documents (core/fork.ts)
 * and scores the fork exactly as `runAgent` scores a run, information gain and judge included.
 * Throws an InputError for a step that is not a search, a RetrieverError when the new query's search fails.
 */
export async function forkAgent(original: Trajectory, atStep: number, edit: ForkEdit, deps: AgentDeps & { runId?: string }, settings: AgentSettings): Promise<Trajectory> {
  const ran = await forkTrajectory(original, atStep, edit, {
    ...loopSettings(settings),
    ...loopCollaborators(deps),
    ...(deps.runId !== undefined ? { runId: deps.runId } : {}),
  });
  return scoreRun(ran, deps, settings);
}

/** What the loop is handed of the pipeline's collaborators (the same for a run and a fork). */
function loopCollaborators(deps: AgentDeps) {
  return { endpoint: deps.endpoint, retriever: deps.retriever, clock: deps.clock, logger: deps.logger, onEvent: deps.onEvent, signal: deps.signal };
}

function loopSettings(s: AgentSettings) {
  return {
    template: s.template,
    ...(s.topK !== undefined ? { topK: s.topK } : {}),
    ...(s.maxTurns !== undefined ? { maxTurns: s.maxTurns } : {}),
    ...(s.params ? { params: s.params } : {}),
    ...(s.stream !== undefined ? { stream: s.stream } : {}),
    ...(s.maxCharsPerTurn !== undefined ? { maxCharsPerTurn: s.maxCharsPerTurn } : {}),
  };
}

/**
 * After the loop: the opt-in endpoint scoring, then rewards and diagnosis. A cancelled or failed run
 * is recorded as it is, with no more requests for it.
 */
async function scoreRun(ran: Trajectory, deps: AgentDeps, settings: AgentSettings): Promise<Trajectory> {
  let t = ran;
  if (deps.signal?.aborted && t.stopReason !== 'finished' && t.stopReason !== 'cancelled') {
    // A stream aborted mid-turn can come back as a short completion rather than an error; the user
    // cancelled, so that is what the trace must say.
    t = { ...t, stopReason: 'cancelled' };
  }
  const usable = t.stopReason !== 'cancelled' && t.stopReason !== 'error';
  if (usable && (settings.infoGain || settings.judge)) {
    try {
      if (settings.infoGain) {
        const variant = typeof settings.infoGain === 'string' ? settings.infoGain : undefined;
        t = await withInfoGain(t, deps.endpoint, { template: settings.template, signal: deps.signal, ...(variant ? { variant } : {}) });
      }
      if (settings.judge) t = await withJudge(t, deps.endpoint, { signal: deps.signal });
    } catch (e) {
      if (settings.onScoringError !== 'keep') throw e;
      const what = e instanceof CancelledError || deps.signal?.aborted ? 'cancelled' : errorMessage(e);
      (deps.logger ?? silentLogger).warn(`rewards for "${t.question}": ${what}; the rule-based rewards are kept`);
    }
  }
  return analyzeTrajectory(t, { template: settings.template });
}
