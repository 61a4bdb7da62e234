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
import { PY_WHITESPACE } from '../pyText';
import { squadNormalizeLowered } from '../metrics/squad';

interface Needle {
  /** The normalised answer, space-padded so a test of containment is one of whole words; '' when nothing is left. */
  padded: string;
  /** Its longest word (see mayHold). */
  word: string;
  /** The word is ASCII: a document's own text can rule it out before lower-casing (mayHoldRaw). */
  ascii: boolean;
  /** The answer is that one word (see heldAlone). */
  single: boolean;
}

/**
 * Answers and gold answers normalised: callers test each against every document in turn (a rollout
 * with several gold answers alternates between them), and normalising them again for each document was
 * a large part of analysing a training run's rollouts.
 */
const needleOf = boundedMemo((answer: string): Needle => {
  const n = normalizeAnswer(answer);
  if (n === '') return { padded: '', word: '', ascii: false, single: false };
  const words = n.split(' ');
  let word = '';
  for (const w of words) if (w.length > word.length) word = w;
  return { padded: ` ${n} `, word, ascii: /^[\x00-\x7f]+$/.test(word), single: words.length === 1 };
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

/**
 * mayHold on a text before lower-casing, for an ASCII word (no lower-cased copy of the document for the
 * most common outcome, a document without the answer). Lower-casing maps ASCII letters to ASCII letters
 * and, of all other characters, only two to anything ASCII: U+212A (Kelvin sign) to `k`, and U+0130
 * (İ) to `i` followed by U+0307, which no ASCII word goes on with, so İ stands for a word's last `i`
 * only (test/unit/core/rewards/goldMatch.test.ts checks this over every code point). Punctuation is
 * ASCII and lower-cases to itself. A word never spans the space between a document's title and text.
 */
function mayHoldRaw(raw: string, word: string): boolean {
  const c = word.charCodeAt(0);
  const letter = c >= 0x61 && c <= 0x7a;
  if (heldFrom(raw, word, String.fromCharCode(c))) return true;
  if (letter && heldFrom(raw, word, String.fromCharCode(c - 32))) return true;
  if (c === 0x6b && heldFrom(raw, word, '\u212a')) return true;
  return c === 0x69 && word.length === 1 && raw.includes('\u0130');
}

/** Whether `word` (ASCII, lower case) starts at an occurrence of `first` in `raw`, case aside, with punctuation between its characters. */
function heldFrom(raw: string, word: string, first: string): boolean {
  const n = raw.length;
  const last = word.length - 1;
  for (let at = raw.indexOf(first); at >= 0; at = raw.indexOf(first, at + 1)) {
    let i = at + 1;
    let m = 1;
    for (; m <= last; m++) {
      let r = i < n ? raw.charCodeAt(i) : -1;
      while (r >= 0 && r < 0x80 && PUNCT[r] === 1) r = ++i < n ? raw.charCodeAt(i) : -1;
      const w = word.charCodeAt(m);
      const ok = r === w || (w >= 0x61 && w <= 0x7a && (r === w - 32 || (w === 0x6b && r === 0x212a) || (w === 0x69 && m === last && r === 0x130)));
      if (!ok) break;
      i++;
    }
    if (m > last) return true;
  }
  return false;
}

const SPACE_CHAR = new RegExp(`[${PY_WHITESPACE}]`);

function isSpace(c: number): boolean {
  return c < 0x80 ? (c >= 9 && c <= 13) || (c >= 0x1c && c <= 0x20) : SPACE_CHAR.test(String.fromCharCode(c));
}

/**
 * Whether the normalised text holds a one-word answer, normalising only the stretches of text between
 * whitespace where its word occurs (with punctuation between its characters, as mayHold finds them).
 * Normalising works stretch by stretch: punctuation is deleted character by character, an article is a
 * run of word characters (which whitespace ends), and the words are what is between whitespace; so
 * the normalised text's words are those of its stretches in turn, and a word equal to the answer's
 * comes from a stretch where the answer's characters occur that way.
 */
function heldAlone(lower: string, needle: Needle): boolean {
  const word = needle.word;
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
    if (m < word.length) continue;
    let from = at;
    while (from > 0 && !isSpace(lower.charCodeAt(from - 1))) from--;
    let to = i;
    while (to < n && !isSpace(lower.charCodeAt(to))) to++;
    if (squadNormalizeLowered(lower.slice(from, to), true).includes(needle.padded)) return true;
    at = to;
  }
  return false;
}

/** Whether the document holds `answer` as whole words after SQuAD normalisation of both. */
export function docHolds(doc: { title: string; text: string }, answer: string): boolean {
  return holdsNeedle(doc, needleOf(answer));
}

function holdsNeedle(doc: { title: string; text: string }, needle: Needle): boolean {
  if (needle.padded === '') return false;
  const known = normalised.get(doc);
  if (known !== undefined) return known.includes(needle.padded);
  if (needle.ascii && !mayHoldRaw(doc.text, needle.word) && !mayHoldRaw(doc.title, needle.word)) return false;
  const lower = loweredDoc(doc);
  if (needle.single) return heldAlone(lower, needle);
  // Most documents fail the cheapest test.
  if (!mayHold(lower, needle.word)) return false;
  // Within single spaces in the lower-cased text, the answer's words are whole words of the normalised
  // text, next to each other, as they are: nothing to delete, join or replace there.
  return lower.includes(needle.padded) || paddedDoc(doc).includes(needle.padded);
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
  const needles = answers.map(needleOf);
  let n = 0;
  for (const d of docs) if (needles.some((needle) => holdsNeedle(d, needle))) n++;
  if (!byAnswers) holding.set(docs, (byAnswers = new Map()));
  if (byAnswers.size >= 64) byAnswers.clear();
  // The key holds the answer, which may be cut from a rollout's output: kept as a copy of its own.
  byAnswers.set(detachedString(key), n);
  return n;
}

const holding = new WeakMap<object, Map<string, number>>();
