import { detachedString } from './detachedString';

/**
 * A pure string function remembered for its recent inputs. Analysing a training run's rollouts
 * normalises the same short strings (gold answers, an answer, a query) many times per rollout and
 * again for every rollout of the same prompt; the functions are pure, so the memo changes no result.
 * Bounded: cleared when full, so a run of millions of distinct strings never grows it past `limit`.
 * Inputs are kept as copies of their own (detachedString.ts): a query cut from a rollout's output
 * would otherwise keep the whole output alive for as long as it stays in the memo.
 */
export function boundedMemo<T extends NonNullable<unknown>>(fn: (s: string) => T, limit = 4096): (s: string) => T {
  const seen = new Map<string, T>();
  return (s: string): T => {
    let out = seen.get(s);
    if (out === undefined) {
      if (seen.size >= limit) seen.clear();
      seen.set(detachedString(s), (out = fn(s)));
    }
    return out;
  };
}
