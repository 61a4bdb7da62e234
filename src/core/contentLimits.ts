/**
 * Caps on what one document or one model turn may hold. A retriever returning 10 MB documents would
 * otherwise put 200 MB in one trace line and 100 MB in the next prompt, and freeze the panel. A cut
 * text keeps its head and says so: `truncated: {originalChars}` on the document or step (trace
 * contract), which the panel shows.
 */
import type { Retriever } from './ports';
import type { RetrievedDoc, Step, Trajectory } from './trace';

export interface ContentLimits {
  /** Longest document text kept, in characters. */
  maxDocChars: number;
  /** Longest model turn (reason or answer step text) kept, in characters. */
  maxTurnChars: number;
}

/** Far above real passages (R1-Searcher's are ~600 characters) and answers, far below what hurts. */
export const DEFAULT_CONTENT_LIMITS: ContentLimits = { maxDocChars: 100_000, maxTurnChars: 200_000 };

/** `doc` with its text cut to `max` characters and marked, or `doc` itself when it fits. */
export function capDoc(doc: RetrievedDoc, max: number): RetrievedDoc {
  if (doc.text.length <= max) return doc;
  return { ...doc, text: cut(doc.text, max), truncated: { originalChars: doc.truncated?.originalChars ?? doc.text.length } };
}

function capStep(step: Step, limits: ContentLimits): Step {
  if (step.kind === 'search') {
    const docs = step.docs.map((d) => capDoc(d, limits.maxDocChars));
    return docs.some((d, i) => d !== step.docs[i]) ? { ...step, docs } : step;
  }
  if (step.text.length <= limits.maxTurnChars) return step;
  return { ...step, text: cut(step.text, limits.maxTurnChars), truncated: { originalChars: step.truncated?.originalChars ?? step.text.length } };
}

/** A trajectory with every document and model turn within the caps (the same object when all fit). */
export function capTrajectory(t: Trajectory, limits: ContentLimits = DEFAULT_CONTENT_LIMITS): Trajectory {
  const steps = t.steps.map((s) => capStep(s, limits));
  const rawCap = limits.maxTurnChars * 4 + limits.maxDocChars * 8;
  const raw = t.raw.length > rawCap ? cut(t.raw, rawCap) : t.raw;
  if (raw === t.raw && steps.every((s, i) => s === t.steps[i])) return t;
  return { ...t, steps, raw };
}

/** A retriever whose documents are capped before they reach the prompt or the trace. */
export function cappedRetriever(inner: Retriever, limits: Pick<ContentLimits, 'maxDocChars'> = DEFAULT_CONTENT_LIMITS): Retriever {
  return {
    info: inner.info,
    search: async (query, options) => (await inner.search(query, options)).map((d) => capDoc(d, limits.maxDocChars)),
  };
}

/** Cuts on a code-point boundary so a surrogate pair is never split. */
function cut(text: string, max: number): string {
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}
