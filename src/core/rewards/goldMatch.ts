/**
 * "Does this text contain that answer?" after SQuAD normalisation, for Hopscope's own retrieval hit and
 * answer-support checks. Unlike Search-R1's plain substring test (searchR1Sequence.ts), the match must
 * sit on word boundaries: a one-letter gold ("l") or a short number would otherwise match nearly every
 * document.
 */
import { boundedMemo } from '../boundedMemo';
import { detachedString } from '../detachedString';
import { normalizeAnswer } from '../metrics';
import { PY_PUNCTUATION, pyLower } from '../metrics/python';
import { squadNormalizeLowered } from '../metrics/squad';

interface Needle {
  /** The normalised answer, space-padded so a test of containment is one of whole words; '' when nothing is left. */
  padded: string;
  /** Its longest word (see mayHold). */
  word: string;
}

/**
 * Answers and gold answers normalised: callers test each against every document in turn (a rollout
 * with several gold answers alternates between them), and normalising them again for each document was
 * a large part of analysing a training run's rollouts.
 */
const needleOf = boundedMemo((answer: string): Needle => {
  const n = normalizeAnswer(answer);
  if (n === '') return { padded: '', word: '' };
  let word = '';
  for (const w of n.split(' ')) if (w.length > word.length) word = w;
  return { padded: ` ${n} `, word };
}, 1024);

/**
 * Per document object, its padded normalisation (`padded(title + " " + text)`), or until that is needed
 * its lower-cased text: rewards and diagnosis ask about the same documents, and a run's ingest hands
 * every rollout that retrieved the same block the same objects (runs/rollout.ts).
 */
const normalised = new WeakMap<object, string>();
/**
 * The lower-cased texts of the last documents asked about: a rollout's gold answers and then its answer
 * are tested against the same documents in a row. Not kept per document: most are never normalised, and
 * keeping every one's lower-cased copy for as long as the document lives cost more in garbage
 * collection than lower-casing a document again when a later rollout asks about it.
 */
const LOWERED = 64;
const loweredOf: Array<object | undefined> = new Array<object | undefined>(LOWERED).fill(undefined);
const loweredText: string[] = new Array<string>(LOWERED).fill('');
let loweredNext = 0;

function loweredDoc(doc: { title: string; text: string }): string {
  for (let i = 0; i < LOWERED; i++) if (loweredOf[i] === doc) return loweredText[i]!;
  const l = pyLower(`${doc.title} ${doc.text}`);
  loweredOf[loweredNext] = doc;
  loweredText[loweredNext] = l;
  loweredNext = (loweredNext + 1) % LOWERED;
  return l;
}

function paddedDoc(doc: { title: string; text: string }): string {
  let p = normalised.get(doc);
  if (p === undefined) {
    normalised.set(doc, (p = squadNormalizeLowered(loweredDoc(doc), true)));
  }
  return p;
}

const PUNCT = Uint8Array.from({ length: 128 }, (_, c) => (PY_PUNCTUATION.includes(String.fromCharCode(c)) ? 1 : 0));

/**
 * False when the lower-cased text cannot hold `word` once normalised, with no need to normalise it
 * (most documents hold no given answer, and normalising each was most of a new rollout's analysis).
 * Normalising deletes punctuation, replaces articles and whitespace by single spaces, and changes
 * nothing else, so every word of the normalised text is a run of the lower-cased text's characters
 * with only punctuation between them: without such a run of `word`, the answer's padded form is not there.
 * Compared by UTF-16 code units, as the deletion and the final containment test both go.
 */
function mayHold(lower: string, word: string): boolean {
  if (lower.includes(word)) return true;
  const first = word[0]!;
  const n = lower.length;
  for (let at = lower.indexOf(first); at >= 0; at = lower.indexOf(first, at + 1)) {
    let i = at + 1;
    let m = 1;
    for (; m < word.length; m++) {
      let c = i < n ? lower.charCodeAt(i) : -1;
      while (c >= 0 && c < 0x80 && PUNCT[c] === 1) c = ++i < n ? lower.charCodeAt(i) : -1;
      if (c !== word.charCodeAt(m)) break;
      i++;
    }
    if (m === word.length) return true;
  }
  return false;
}

/** Whether the document holds `answer` as whole words after SQuAD normalisation of both. */
export function docHolds(doc: { title: string; text: string }, answer: string): boolean {
  const needle = needleOf(answer);
  if (needle.padded === '') return false;
  const known = normalised.get(doc);
  if (known !== undefined) return known.includes(needle.padded);
  const lower = loweredDoc(doc);
  // Within single spaces in the lower-cased text, the answer's words are whole words of the normalised
  // text, next to each other, as they are: nothing to delete, join or replace there.
  if (lower.includes(needle.padded)) return true;
  return mayHold(lower, needle.word) && paddedDoc(doc).includes(needle.padded);
}

const YES_NO_NEEDLES = new Set([' yes ', ' no ', ' true ', ' false ']);

/** Yes/no answers never appear literally in a document; checks for support skip them. */
export function isYesNo(answer: string): boolean {
  return YES_NO_NEEDLES.has(needleOf(answer).padded);
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
  for (const d of docs) if (answers.some((a) => docHolds(d, a))) n++;
  if (!byAnswers) holding.set(docs, (byAnswers = new Map()));
  if (byAnswers.size >= 64) byAnswers.clear();
  // The key holds the answer, which may be cut from a rollout's output: kept as a copy of its own.
  byAnswers.set(detachedString(key), n);
  return n;
}

const holding = new WeakMap<object, Map<string, number>>();
