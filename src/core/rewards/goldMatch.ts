/**
 * "Does this text contain that answer?" after SQuAD normalisation, for Hopscope's own retrieval hit and
 * answer-support checks. Unlike Search-R1's plain substring test (searchR1Sequence.ts), the match must
 * sit on word boundaries: a one-letter gold ("l") or a short number would otherwise match nearly every
 * document.
 */
import { boundedMemo } from '../boundedMemo';
import { detachedString } from '../detachedString';
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
 * Answers and gold answers normalised and padded: callers test each against every document in turn (a
 * rollout with several gold answers alternates between them), and normalising them again for each
 * document was a large part of analysing a training run's rollouts. Empty when nothing is left.
 */
const needleOf = boundedMemo((answer: string): string => {
  const n = normalizeAnswer(answer);
  return n === '' ? '' : ` ${n} `;
}, 1024);

export function containsNormalized(paddedHaystack: string, answer: string): boolean {
  const needle = needleOf(answer);
  // Kept padded, so the test allocates nothing.
  return needle !== '' && paddedHaystack.includes(needle);
}

const YES_NO_NEEDLES = new Set([' yes ', ' no ', ' true ', ' false ']);

/** Yes/no answers never appear literally in a document; checks for support skip them. */
export function isYesNo(answer: string): boolean {
  return YES_NO_NEEDLES.has(needleOf(answer));
}

/**
 * How many of `docs` contain one of `answers` (whole words, normalised), remembered per documents list
 * and answers. A run's ingest hands out one list per distinct documents block (runs/rollout.ts), and the
 * rollouts of a GRPO group share their gold answers and mostly their searches, so the same list is
 * tested for the same answers again and again. Lists are never mutated once parsed.
 */
export function docsHolding(docs: readonly { title: string; text: string }[], answers: readonly string[]): number {
  // Unambiguous for any strings: one answer as itself, several as their JSON list.
  const key = answers.length === 1 ? `1${answers[0]!}` : `*${JSON.stringify(answers)}`;
  let byAnswers = holding.get(docs);
  const known = byAnswers?.get(key);
  if (known !== undefined) return known;
  let n = 0;
  for (const d of docs) {
    const hay = paddedDoc(d);
    if (answers.some((a) => containsNormalized(hay, a))) n++;
  }
  if (!byAnswers) holding.set(docs, (byAnswers = new Map()));
  if (byAnswers.size >= 64) byAnswers.clear();
  // The key holds the answer, which may be cut from a rollout's output: kept as a copy of its own.
  byAnswers.set(detachedString(key), n);
  return n;
}

const holding = new WeakMap<object, Map<string, number>>();
