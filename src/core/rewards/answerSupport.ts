/**
 * Whether the final answer appears in any retrieved document (after SQuAD normalisation, on word
 * boundaries). An answer no document supports may come from the model's own memory or be invented:
 * the grounding check RAG hallucination studies use in its simplest form.
 */
import { searchSteps, type Trajectory } from '../trace';
import { docsHolding, isYesNo } from './goldMatch';

/** 1/0, or undefined when there is no answer, no document, or a yes/no answer (never quoted literally). */
export function answerInDocs(t: Pick<Trajectory, 'steps' | 'answer'>): number | undefined {
  if (!t.answer || isYesNo(t.answer)) return undefined;
  const searches = searchSteps(t);
  if (!searches.some((s) => s.docs.length)) return undefined;
  const answer = [t.answer];
  return searches.some((s) => docsHolding(s.docs, answer) > 0) ? 1 : 0;
}
