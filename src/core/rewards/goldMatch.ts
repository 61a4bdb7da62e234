/**
 * "Does this text contain that answer?" after SQuAD normalisation, for Hopscope's own retrieval hit and
 * answer-support checks. Unlike Search-R1's plain substring test (searchR1Sequence.ts), the match must
 * sit on word boundaries: a one-letter gold ("l") or a short number would otherwise match nearly every
 * document.
 */
import { boundedMemo } from '../boundedMemo';
import { detachedString } from '../detachedString';
import { normalizeAnswer } from '../metrics';
import { pyLower } from '../metrics/python';
import { isPyPunctuationUnit, isPySpaceUnit, squadNormalizeLowered } from '../metrics/squad';

interface Needle {
  /** The normalised answer, space-padded so a test of containment is one of whole words; '' when nothing is left. */
  padded: string;
  /** Its longest word (see heldAround). */
  word: string;
  /** The word is ASCII: a document's own text can rule it out before lower-casing (mayHoldRaw). */
  ascii: boolean;
  /** How many words the answer has (see heldAround). */
  words: number;
}

/**
 * Answers and gold answers normalised: callers test each against every document in turn (a rollout
 * with several gold answers alternates between them), and normalising them again for each document was
 * a large part of analysing a training run's rollouts.
 */
const needleOf = boundedMemo((answer: string): Needle => {
  const n = normalizeAnswer(answer);
  if (n === '') return { padded: '', word: '', ascii: false, words: 0 };
  const words = n.split(' ');
  let word = '';
  for (const w of words) if (w.length > word.length) word = w;
  return { padded: ` ${n} `, word, ascii: /^[\x00-\x7f]+$/.test(word), words: words.length };
}, 1024);

/**
 * The lower-cased texts of the last documents asked about: a rollout's gold answers and then its answer
 * are tested against the same documents in a row. Not kept per document: most documents are never lower-cased, and
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

/**
 * False when a document's text cannot hold an ASCII `word` once lower-cased and normalised, with no
 * lower-cased copy of it (most documents hold no given answer). Normalising deletes punctuation,
 * replaces articles and whitespace by single spaces and changes nothing else, so every word of the
 * normalised text is a run of the lower-cased text's characters with only punctuation between them.
 * Lower-casing maps ASCII letters to ASCII letters and, of all other characters, only two to anything
 * ASCII: U+212A (Kelvin sign) to `k`, and U+0130 (İ) to `i` followed by U+0307, which no ASCII word
 * goes on with, so İ stands for a word's last `i` only (test/unit/core/rewards/goldMatch.test.ts checks
 * this over every code point). Punctuation is ASCII and lower-cases to itself. A word never spans the
 * space between a document's title and text.
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
      while (isPyPunctuationUnit(r)) r = ++i < n ? raw.charCodeAt(i) : -1;
      const w = word.charCodeAt(m);
      const ok = r === w || (w >= 0x61 && w <= 0x7a && (r === w - 32 || (w === 0x6b && r === 0x212a) || (w === 0x69 && m === last && r === 0x130)));
      if (!ok) break;
      i++;
    }
    if (m > last) return true;
  }
  return false;
}

/**
 * Whether the normalised text holds the answer, normalising only stretches of text between whitespace
 * around the places where its longest word occurs in the lower-cased text (with only punctuation
 * between its characters: what normalising can make a word of; compared by UTF-16 code units, as the
 * deletion goes). Normalising works stretch by stretch: punctuation is deleted character by
 * character, an article is a run of word characters (which whitespace ends), and the words are what is
 * between whitespace; so the normalised text's words are those of its stretches in turn, and each occurrence
 * of the answer has its longest word from a stretch where that word's characters occur that way. With
 * the stretches around it that hold the answer's other words (as many words on each side as the answer
 * has, or up to the text's ends), the place is decided.
 */
function heldAround(lower: string, needle: Needle): boolean {
  const word = needle.word;
  const first = word[0]!;
  const n = lower.length;
  const others = needle.words - 1;
  for (let at = lower.indexOf(first); at >= 0; at = lower.indexOf(first, at + 1)) {
    let i = at + 1;
    let m = 1;
    for (; m < word.length; m++) {
      let c = i < n ? lower.charCodeAt(i) : -1;
      while (isPyPunctuationUnit(c)) c = ++i < n ? lower.charCodeAt(i) : -1;
      if (c !== word.charCodeAt(m)) break;
      i++;
    }
    if (m < word.length) continue;
    let from = stretchStart(lower, at);
    let to = stretchEnd(lower, i);
    for (let words = 0; words < others && from > 0; ) {
      let end = from;
      while (end > 0 && isPySpaceUnit(lower.charCodeAt(end - 1))) end--;
      if (end === 0) break;
      from = stretchStart(lower, end - 1);
      words += wordCount(squadNormalizeLowered(lower.slice(from, end)));
    }
    for (let words = 0; words < others && to < n; ) {
      let start = to;
      while (start < n && isPySpaceUnit(lower.charCodeAt(start))) start++;
      if (start === n) break;
      to = stretchEnd(lower, start);
      words += wordCount(squadNormalizeLowered(lower.slice(start, to)));
    }
    if (squadNormalizeLowered(lower.slice(from, to), true).includes(needle.padded)) return true;
  }
  return false;
}

function stretchStart(lower: string, at: number): number {
  while (at > 0 && !isPySpaceUnit(lower.charCodeAt(at - 1))) at--;
  return at;
}

function stretchEnd(lower: string, at: number): number {
  while (at < lower.length && !isPySpaceUnit(lower.charCodeAt(at))) at++;
  return at;
}

function wordCount(normalised: string): number {
  if (normalised === '') return 0;
  let k = 1;
  for (let i = normalised.indexOf(' '); i >= 0; i = normalised.indexOf(' ', i + 1)) k++;
  return k;
}

/** Whether the document holds `answer` as whole words after SQuAD normalisation of both. */
export function docHolds(doc: { title: string; text: string }, answer: string): boolean {
  return holdsNeedle(doc, needleOf(answer));
}

/**
 * Per document object, its padded normalisation, once it is asked about again and again (a documents
 * list that recurs: a GRPO group's rollouts mostly issue the same searches, and a prompt comes back
 * every epoch), when one containment test is cheaper than looking around each occurrence again.
 */
const normalised = new WeakMap<object, string>();

function holdsNeedle(doc: { title: string; text: string }, needle: Needle, recurring = false): boolean {
  if (needle.padded === '') return false;
  let known = normalised.get(doc);
  if (known === undefined && recurring) normalised.set(doc, (known = squadNormalizeLowered(loweredDoc(doc), true)));
  if (known !== undefined) return known.includes(needle.padded);
  if (needle.ascii && !mayHoldRaw(doc.text, needle.word) && !mayHoldRaw(doc.title, needle.word)) return false;
  return heldAround(loweredDoc(doc), needle);
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
  // A list asked about with a third set of answers keeps its documents' normalisations.
  const recurring = byAnswers !== undefined && byAnswers.size >= 2;
  let n = 0;
  for (const d of docs) if (needles.some((needle) => holdsNeedle(d, needle, recurring))) n++;
  if (!byAnswers) holding.set(docs, (byAnswers = new Map()));
  if (byAnswers.size >= 64) byAnswers.clear();
  // The key holds the answer, which may be cut from a rollout's output: kept as a copy of its own.
  byAnswers.set(detachedString(key), n);
  return n;
}

const holding = new WeakMap<object, Map<string, number>>();
