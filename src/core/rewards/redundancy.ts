/**
 * Redundancy: a query the agent already issued (compared after lower-casing and dropping punctuation
 * and extra spaces), and documents that already came back in an earlier search (same id, or same
 * title and text when ids are missing). Loops on the same query are a known failure of RL-trained
 * search agents (e.g. the repeated-search penalties in ReSearch / ZeroSearch-style rewards).
 */
import { boundedMemo } from '../boundedMemo';
import { searchSteps, type RetrievedDoc, type Trajectory } from '../trace';

export interface Redundancy {
  /** Per search step: 1 when its query repeats an earlier one. */
  repeatedQuery: number[];
  /** Per search step: documents already retrieved by an earlier search. */
  repeatedDocs: number[];
  totalDocs: number;
}

/** Remembered: redundancy and diagnosis key the same queries, and a group's rollouts issue much the same ones. */
export const queryKey = boundedMemo((q: string): string => q.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim());

function docKey(d: RetrievedDoc): string {
  return d.id || `${d.title}\u0000${d.text}`;
}

export function redundancy(t: Pick<Trajectory, 'steps'>): Redundancy {
  const queries = new Set<string>();
  const docs = new Set<string>();
  const out: Redundancy = { repeatedQuery: [], repeatedDocs: [], totalDocs: 0 };
  for (const s of searchSteps(t)) {
    const q = queryKey(s.query);
    out.repeatedQuery.push(queries.has(q) ? 1 : 0);
    queries.add(q);
    const keys = s.docs.map(docKey);
    out.repeatedDocs.push(keys.filter((k) => docs.has(k)).length);
    keys.forEach((k) => docs.add(k));
    out.totalDocs += keys.length;
  }
  return out;
}
