/**
 * The facts about a trajectory, computed in one pass: its format check, which searches returned a
 * gold answer or a gold paragraph, repeated queries and documents, what it cost, whether the answer
 * appears in the documents, and its verdict. Rewards (rewards/index.ts) and diagnosis labels
 * (diagnosis.ts) are both read off these facts, so neither recomputes what the other found.
 */
import { answerInDocs } from './rewards/answerSupport';
import { efficiency, type Efficiency } from './rewards/efficiency';
import { formatCheck, type FormatCheck, type RewardOptions } from './rewards/formatCheck';
import { goldDocRecall, type GoldDocRecall } from './rewards/goldDocs';
import { redundancy, type Redundancy } from './rewards/redundancy';
import { retrievalHit, type RetrievalHit } from './rewards/retrievalHit';
import type { Trajectory } from './trace';
import { verdict, type Verdict } from './verdict';

export interface TrajectoryFacts {
  /** Undefined when the trajectory's template is unknown (no tag rules apply). */
  format?: FormatCheck;
  /** Which searches returned a document holding a gold answer; undefined without gold answers. */
  hit?: RetrievalHit;
  /** Which searches returned the dataset's gold paragraphs; undefined when it names none. */
  goldDocs?: GoldDocRecall;
  redundancy: Redundancy;
  efficiency: Efficiency;
  /** 1/0, or undefined without an answer, documents, or for a yes/no answer. */
  answerInDocs?: number;
  verdict: Verdict;
}

export function trajectoryFacts(t: Trajectory, options: RewardOptions = {}): TrajectoryFacts {
  const facts: TrajectoryFacts = { redundancy: redundancy(t), efficiency: efficiency(t), verdict: verdict(t) };
  const format = formatCheck(t, options);
  if (format) facts.format = format;
  const hit = retrievalHit(t);
  if (hit) facts.hit = hit;
  // Without gold paragraphs (every training-run rollout) there is nothing to recall: no copies to make.
  const gold = t.goldDocs?.length ? goldDocRecall(t) : undefined;
  if (gold) facts.goldDocs = gold;
  const support = answerInDocs(t);
  if (support !== undefined) facts.answerInDocs = support;
  return facts;
}
