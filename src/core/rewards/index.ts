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
import type { DiagnosisLabel, Rewards, Step, Trajectory } from '../trace';
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
  const rewards: Rewards = { ...t.rewards };
  eachTrajectoryReward(t, options, facts, {
    put(name, value) {
      if (value === undefined) delete rewards[name];
      else rewards[name] = value;
    },
  });
  return rewards;
}

/**
 * `JSON.stringify(trajectoryRewards(t, options, facts))`, written as it is found: a run's row stores
 * the rewards as JSON and nothing else reads them. Each rollout's rewards object had its own mix of
 * names (a new shape per mix), so its property stores and its stringify were a tenth of the ingest.
 * A trajectory with rewards of its own other than the trainer's score takes the object route.
 */
export function trajectoryRewardsJson(t: Trajectory, options: RewardOptions = {}, facts: TrajectoryFacts = trajectoryFacts(t, options)): string {
  const own = t.rewards;
  for (const k in own) if (k !== 'trainerScore') return JSON.stringify(trajectoryRewards(t, options, facts));
  const json = new JsonRewards();
  json.put('trainerScore', own.trainerScore);
  eachTrajectoryReward(t, options, facts, json);
  return `{${json.text}}`;
}

interface RewardSink {
  /** `undefined`: the reward does not apply (an own reward of that name is dropped). */
  put(name: string, value: number | undefined): void;
}

/** Rewards as JSON members, as JSON.stringify writes them (a name given twice is not: callers put each once). */
class JsonRewards implements RewardSink {
  text = '';
  put(name: string, value: number | undefined): void {
    if (value === undefined) return;
    // JSON.stringify writes a finite number as String does, any other as null; reward names need no escape.
    const v = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : 'null') : JSON.stringify(value);
    this.text += this.text ? `,"${name}":${v}` : `"${name}":${v}`;
  }
}

/** Every trajectory-level reward in the order trajectoryRewards records them (after the trajectory's own). */
function eachTrajectoryReward(t: Trajectory, options: RewardOptions, facts: TrajectoryFacts, out: RewardSink): void {
  const { format: fmt, hit, redundancy: red, efficiency: eff, answerInDocs: support, goldDocs } = facts;
  out.put('searches', eff.searches);
  if (fmt) {
    out.put('format', fmt.score);
    out.put(fmt.check === 'R1-Searcher' ? 'formatR1Searcher' : 'formatSearchR1', fmt.score);
  }
  if (hit) {
    out.put('retrievalHit', hit.hit ? 1 : 0);
    out.put('firstHitSearch', hit.firstHitSearch);
  }
  if (goldDocs) {
    out.put('goldDocRecall', goldDocs.recall);
    out.put('firstGoldDocSearch', goldDocs.firstSearch);
  }
  out.put('repeatedQueries', sum(red.repeatedQuery));
  out.put('repeatedDocs', sum(red.repeatedDocs));
  if (eff.tokens !== undefined) out.put('tokens', eff.tokens);
  if (support !== undefined) out.put('answerInDocs', support);
  const upstream = upstreamRewards(t, options.template);
  for (const k in upstream) out.put(k, upstream[k]);
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
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
 * What a run's row keeps of analyzeTrajectory: the diagnosis labels (unexplained: the row keeps their
 * names) and the trajectory-level rewards as JSON (trajectoryRewardsJson), with no copy of the trajectory.
 */
export function rowOutcome(t: Trajectory, options: RewardOptions = {}): { labels: DiagnosisLabel[]; rewards: string } {
  const facts = trajectoryFacts(t, options);
  return { labels: diagnose(t, facts, false), rewards: trajectoryRewardsJson(t, options, facts) };
}
