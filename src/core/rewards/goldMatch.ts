/**
 * "Does this text contain that answer?" after SQuAD normalisation, for Hopscope's own retrieval hit and
 * answer-support checks. Unlike Search-R1's plain substring test (searchR1Sequence.ts), the match must
 * sit on word boundaries: a one-letter gold ("l") or a short number would otherwise match nearly every
 * document.
 */
import { normalizeAnswer } from '../metrics';

/** Normalised, space-padded text, so `containsNormalized` can test whole-word containment. */
function padded(text: string): string {
  return ` ${normalizeAnswer(text)} `;
}

const docCache = new WeakMap<object, string>();

/** `padded(title + text)` of a document, computed once per document object (rewards and diagnosis both ask). */
export function paddedDoc(doc: { title: string; text: string }): string {
  let p = docCache.get(doc);
  if (p === undefined) docCache.set(doc, (p = padded(`${doc.title} ${doc.text}`)));
  return p;
}

/**
 * Answers and gold answers normalised: callers test each against every document in turn (a rollout
 * with several gold answers alternates between them), and normalising them again for each document
 * was a large part of analysing a training run's rollouts. Bounded: cleared when full.
 */
const needles = new Map<string, string>();
const NEEDLE_LIMIT = 1024;

export function containsNormalized(paddedHaystack: string, answer: string): boolean {
  let needle = needles.get(answer);
  if (needle === undefined) {
    if (needles.size >= NEEDLE_LIMIT) needles.clear();
    const n = normalizeAnswer(answer);
    needles.set(answer, (needle = n === '' ? '' : ` ${n} `));
  }
  // Kept padded, so the test allocates nothing.
  return needle !== '' && paddedHaystack.includes(needle);
}

/** Yes/no answers never appear literally in a document; checks for support skip them. */
export function isYesNo(answer: string): boolean {
  const n = normalizeAnswer(answer);
  return n === 'yes' || n === 'no' || n === 'true' || n === 'false';
}
