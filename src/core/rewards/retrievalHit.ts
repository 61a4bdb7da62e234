/**
 * Retrieval hit, Hopscope's own "silver document" measure: a returned document contains a normalised
 * gold answer as whole words (goldMatch.ts), counted per document and per search step. It is NOT
 * Search-R1's `is_retrieval_correct` (a plain substring of a whole `<information>` block, and only when
 * the sequence is valid), which is recorded separately as `retrievalCorrectSearchR1` (upstream.ts).
 * Per search step: `retrievalHit` (0/1) and `hitDocs` (how many of its documents hold a gold answer);
 * per trajectory: `retrievalHit` and `firstHitSearch` (1-based number of the first search with a hit).
 */
import { searchSteps, type SearchStep, type Trajectory } from '../trace';
import { docHolds, docsHolding } from './goldMatch';

export interface RetrievalHit {
  /** Per search step, in order: documents holding a gold answer. */
  hitDocs: number[];
  hit: boolean;
  /** 1-based search number of the first hit, or undefined. */
  firstHitSearch?: number;
  /** Index into `steps` of the first search with a hit. */
  firstHitStep?: number;
}

export function docHasGold(doc: { title: string; text: string }, gold: readonly string[]): boolean {
  return gold.some((g) => docHolds(doc, g));
}

/** Undefined when the trajectory has no gold answer to look for. */
export function retrievalHit(t: Pick<Trajectory, 'steps' | 'gold'>): RetrievalHit | undefined {
  const gold = t.gold ?? [];
  if (!gold.length) return undefined;
  const hitDocs = searchSteps(t).map((s: SearchStep) => docsHolding(s.docs, gold));
  const first = hitDocs.findIndex((n) => n > 0);
  const result: RetrievalHit = { hitDocs, hit: first >= 0 };
  if (first >= 0) {
    result.firstHitSearch = first + 1;
    let seen = -1;
    result.firstHitStep = t.steps.findIndex((s) => s.kind === 'search' && ++seen === first);
  }
  return result;
}
