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

/**
 * Kept per document object: a run's ingest hands every rollout that retrieved the same block the same
 * documents (runs/rollout.ts), and one key string per document hashes its text once, where a key
 * built per rollout was joined, flattened and hashed whole (hundreds of characters) every time.
 */
const docKeys = new WeakMap<RetrievedDoc, string>();

function docKey(d: RetrievedDoc): string {
  if (d.id) return d.id;
  let k = docKeys.get(d);
  if (k === undefined) docKeys.set(d, (k = `${d.title}\u0000${d.text}`));
  return k;
}

export function redundancy(t: Pick<Trajectory, 'steps'>): Redundancy {
  const queries = new Set<string>();
  const docs = new Set<string>();
  const out: Redundancy = { repeatedQuery: [], repeatedDocs: [], totalDocs: 0 };
  for (const s of searchSteps(t)) {
    const q = queryKey(s.query);
    out.repeatedQuery.push(queries.has(q) ? 1 : 0);
    queries.add(q);
    // All of a search's documents are looked up before any is added: a document twice in one search is not a repeat.
    let repeated = 0;
    for (const d of s.docs) if (docs.has(docKey(d))) repeated++;
    for (const d of s.docs) docs.add(docKey(d));
    out.repeatedDocs.push(repeated);
    out.totalDocs += s.docs.length;
  }
  return out;
}
