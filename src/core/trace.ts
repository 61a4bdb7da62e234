/**
 * The trajectory model: the `hopscope.trace/v1` contract, also written as trace.schema.json.
 * Field names here are read by tests, importers and other tools: add fields freely, rename none
 * without bumping TRACE_SCHEMA.
 */
import type { MetricDefinitionName } from './metrics';

export const TRACE_SCHEMA = 'hopscope.trace/v1' as const;

/** Rewards by their definition's name (e.g. `retrievalHit`, `infoGain`, `format`). */
export type Rewards = Record<string, number>;

export interface RetrievedDoc {
  id: string;
  rank: number;
  score: number;
  title: string;
  text: string;
  /** Workspace-relative path, for documents from the workspace index. */
  path?: string;
  startLine?: number;
  endLine?: number;
  /**
   * The document exactly as the retrieval server sent it (an R1-Searcher `/queries` string, a
   * Search-R1 `contents`), kept when it differs from `title` and `text` rendered back, so a template
   * can splice it as upstream does (templates.ts `docSplice`).
   */
  raw?: string;
  /** Set when `text` was cut to the document cap: its length before the cut. */
  truncated?: Truncated;
}

/** A text cut to a content cap (hostile or runaway input), and how long it was. */
export interface Truncated {
  originalChars: number;
}

interface StepBase {
  rewards: Rewards;
  /** Wall time spent producing this step (model time for reason/answer, retrieval time for search). */
  ms?: number;
  /** Completion tokens the model spent on this step. */
  tokens?: number;
  /** Set when this step failed; the loop records the failure instead of throwing. */
  error?: string;
  /** Set when the step's text was cut to the model-turn cap: its length before the cut. */
  truncated?: Truncated;
}

export interface ReasonStep extends StepBase {
  kind: 'reason';
  text: string;
}

export interface SearchStep extends StepBase {
  kind: 'search';
  query: string;
  docs: RetrievedDoc[];
}

export interface AnswerStep extends StepBase {
  kind: 'answer';
  text: string;
}

export type Step = ReasonStep | SearchStep | AnswerStep;
export type StepKind = Step['kind'];

/**
 * `empty_query`: the model's query was empty after cleaning and the template ends the run there
 * unanswered (R1-Searcher's evaluation: `query_inst_error`).
 */
export type StopReason = 'finished' | 'max_turns' | 'length' | 'eos_no_answer' | 'empty_query' | 'error' | 'cancelled';
export const STOP_REASONS: readonly StopReason[] = ['finished', 'max_turns', 'length', 'eos_no_answer', 'empty_query', 'error', 'cancelled'];

export interface Policy {
  /** Endpoint URL, never with credentials. */
  endpoint: string;
  model: string;
  template: string;
  params: Record<string, unknown>;
}

export interface RetrieverInfo {
  kind: string;
  topK: number;
  /** Fingerprint of the index or URL of the remote retriever. */
  index?: string;
}

export interface Outcome {
  em?: number;
  f1?: number;
  coverEm?: number;
  /** Search-R1's sub-EM (`subem_check`): a normalised gold is a substring of the normalised answer. */
  subEm?: number;
  /** An LLM judge's verdict, when one was recorded (e.g. R1-Searcher's gpt4o_output). */
  judge?: number;
  [metric: string]: number | undefined;
}

export interface DiagnosisLabel {
  label: string;
  explanation: string;
  /** Index into `steps` the label points at, when it concerns one step. */
  step?: number;
}

export interface Usage {
  promptTokens?: number;
  completionTokens?: number;
}

export interface Timing {
  totalMs?: number;
  modelMs?: number;
  retrievalMs?: number;
}

export interface Trajectory {
  schema: typeof TRACE_SCHEMA;
  id: string;
  runId: string;
  createdAt: string;
  question: string;
  gold?: string[];
  /** Gold (supporting) paragraphs from the dataset, by doc id or title (HotpotQA supporting facts). */
  goldDocs?: string[];
  policy: Policy;
  retriever: RetrieverInfo;
  steps: Step[];
  answer: string | null;
  stopReason: StopReason;
  outcome: Outcome;
  rewards: Rewards;
  labels: DiagnosisLabel[];
  usage: Usage;
  timing: Timing;
  raw: string;
  /** Why the run stopped with `error`: what failed, in words a user can act on. */
  error?: string;
  /** Where an imported trajectory came from (format name, file, line). */
  source?: { format: string; file?: string; line?: number };
  /** The dataset a question came from, for breakdowns in run summaries. */
  dataset?: string;
  /**
   * Which paper's answer-metric functions computed `outcome` (core/metrics: `r1-searcher` em/f1/coverEm,
   * `search-r1` em/subEm, `flashrag` em/f1). Chosen by the template or the imported format; absent when
   * there is no gold answer, or on traces written before definitions were recorded.
   */
  metricDefinition?: MetricDefinitionName;
  /**
   * Scores an imported file recorded itself, under the file's own field names (e.g. `score`, `reward`,
   * `em`): kept as read beside Hopscope's recomputed `outcome`, never overwritten. (A recorded LLM-judge
   * verdict stays `outcome.judge`.)
   */
  recordedScores?: Record<string, number>;
  /** Set on a fork: the trajectory it was forked from and the search step whose query or documents were edited. */
  forkOf?: ForkOf;
  /** Set on a rollout of an RL training run (a verl/OpenRLHF dump): where in training it was sampled. */
  training?: TrainingInfo;
}

/** Where a fork came from, and what differs from the original beyond its new query (issue 14: the panel says so). */
export interface ForkOf {
  id: string;
  /** Index into the original's `steps` of the search the fork replaced. */
  step: number;
  /** The original's transcript did not match the fork's template, so its context was re-assembled from its steps. */
  contextRebuilt?: boolean;
  /** Set when the fork searched another retriever than the original did: each described in words. */
  retriever?: { original: string; fork: string };
}

/** A training rollout's place in its run; the trainer's own reward is also in `rewards.trainerScore`. */
export interface TrainingInfo {
  /** The trainer's global step (verl `step`, or the step file's name). */
  step: number;
  /** The GRPO group: a hash of the prompt, shared by every rollout of the same prompt. */
  group: string;
  /** The trainer's reward for this rollout (verl `score`), when the dump has one. */
  trainerScore?: number;
  /** The dump's other fields (the reward function's extras), kept as they were. */
  extras?: Record<string, unknown>;
}

export function searchSteps(t: Pick<Trajectory, 'steps'>): SearchStep[] {
  return t.steps.filter((s): s is SearchStep => s.kind === 'search');
}
