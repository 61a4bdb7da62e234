/**
 * The rule-based rewards of a trajectory, each recorded under its definition's name (see each
 * module for its source): per search step `retrievalHit`, `hitDocs`, `repeatedQuery`, `repeatedDocs`;
 * on the answer step `answerInDocs`; per trajectory `format` (with `formatR1Searcher` or
 * `formatSearchR1`), `retrievalHit`, `firstHitSearch`, `repeatedQueries`, `repeatedDocs`, `searches`,
 * `tokens`, `answerInDocs`, and the papers' own `r1SearcherReward` or `retrievalCorrectSearchR1`
 * (upstream.ts; `retrievalHit` is Hopscope's own whole-word measure); with the dataset's gold paragraphs, `goldDocHit` per search step and
 * `goldDocRecall`, `firstGoldDocSearch` per trajectory (goldDocs.ts). Information gain (infoGain.ts)
 * and the LLM judge (judge.ts) need the endpoint and are added separately.
 */
import type { Rewards, Step, Trajectory } from '../trace';
import { diagnose } from '../diagnosis';
import { trajectoryFacts, type TrajectoryFacts } from '../facts';
import type { RewardOptions } from './formatCheck';
import { upstreamRewards } from './upstream';

export { formatCheck, type FormatCheck, type RewardOptions } from './formatCheck';

/**
 * A copy of `t` with the rule-based rewards filled in (other rewards, e.g. info gain, are kept), read
 * off the trajectory's facts (computed here unless given).
 */
export function computeRewards(t: Trajectory, options: RewardOptions = {}, facts: TrajectoryFacts = trajectoryFacts(t, options)): Trajectory {
  const { hit, redundancy: red, answerInDocs: support, goldDocs } = facts;

  let search = 0;
  const steps: Step[] = t.steps.map((s) => {
    const rewards: Rewards = { ...s.rewards };
    switch (s.kind) {
      case 'search': {
        if (hit) {
          rewards.retrievalHit = hit.hitDocs[search]! > 0 ? 1 : 0;
          rewards.hitDocs = hit.hitDocs[search]!;
        }
        if (goldDocs) rewards.goldDocHit = goldDocs.hits[search]!;
        rewards.repeatedQuery = red.repeatedQuery[search]!;
        rewards.repeatedDocs = red.repeatedDocs[search]!;
        search++;
        break;
      }
      case 'answer':
        if (support !== undefined) rewards.answerInDocs = support;
        break;
      case 'reason':
        break;
      default: {
        const never: never = s;
        throw new Error(`unknown step ${(never as Step).kind}`);
      }
    }
    return { ...s, rewards } as Step;
  });

  return { ...t, steps, rewards: trajectoryRewards(t, options, facts) };
}

/**
 * The trajectory-level rewards alone (what computeRewards puts in `t.rewards`), for callers that keep
 * no steps: a training run's ingest reduces each rollout to a row and would copy every step for nothing.
 */
export function trajectoryRewards(t: Trajectory, options: RewardOptions = {}, facts: TrajectoryFacts = trajectoryFacts(t, options)): Rewards {
  const { format: fmt, hit, redundancy: red, efficiency: eff, answerInDocs: support, goldDocs } = facts;
  const rewards: Rewards = { ...t.rewards, searches: eff.searches };
  if (fmt) {
    rewards.format = fmt.score;
    rewards[fmt.check === 'R1-Searcher' ? 'formatR1Searcher' : 'formatSearchR1'] = fmt.score;
  }
  if (hit) {
    rewards.retrievalHit = hit.hit ? 1 : 0;
    if (hit.firstHitSearch !== undefined) rewards.firstHitSearch = hit.firstHitSearch;
    else delete rewards.firstHitSearch;
  }
  if (goldDocs) {
    rewards.goldDocRecall = goldDocs.recall;
    if (goldDocs.firstSearch !== undefined) rewards.firstGoldDocSearch = goldDocs.firstSearch;
    else delete rewards.firstGoldDocSearch;
  }
  rewards.repeatedQueries = red.repeatedQuery.reduce((a, b) => a + b, 0);
  rewards.repeatedDocs = red.repeatedDocs.reduce((a, b) => a + b, 0);
  if (eff.tokens !== undefined) rewards.tokens = eff.tokens;
  if (support !== undefined) rewards.answerInDocs = support;
  Object.assign(rewards, upstreamRewards(t, options.template));
  return rewards;
}

/**
 * Rewards and diagnosis labels together, from one pass over the trajectory (facts.ts): what importers
 * and the agent pipeline record for every trajectory.
 */
export function analyzeTrajectory(t: Trajectory, options: RewardOptions = {}): Trajectory {
  const facts = trajectoryFacts(t, options);
  return { ...computeRewards(t, options, facts), labels: diagnose(t, facts) };
}

/**
 * analyzeTrajectory without the per-step rewards: the steps are the trajectory's own, its rewards and
 * labels those analyzeTrajectory gives. For a run's ingest, whose rows read no step's rewards.
 */
export function analyzeOutcome(t: Trajectory, options: RewardOptions = {}): Trajectory {
  const facts = trajectoryFacts(t, options);
  return { ...t, rewards: trajectoryRewards(t, options, facts), labels: diagnose(t, facts) };
}
