/**
 * Whole-word answer containment (rewards/goldMatch.ts) must say what its definition says, the padded
 * SQuAD normalisation of the answer found in the padded normalisation of the document's title and
 * text, on every input: its shortcut (a document whose lower-cased text cannot hold the answer's
 * longest word is never normalised) must never turn a hit into a miss. Checked on random documents
 * and answers built from the characters where they could part: punctuation inside and around words,
 * articles, case, whitespace of every kind, non-ASCII letters and marks, surrogate pairs.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { squadNormalize } from '../../../../src/core/metrics';
import { docHolds, docsHolding } from '../../../../src/core/rewards/goldMatch';
import { rng } from '../../../support/random';

function definition(doc: { title: string; text: string }, answer: string): boolean {
  const needle = squadNormalize(answer);
  return needle !== '' && ` ${squadNormalize(`${doc.title} ${doc.text}`)} `.includes(` ${needle} `);
}

const WORDS = ['paris', 'Paris', 'PARIS', 'PaRiS', 'ki', 'KI', '\u212ai', 'k\u0130', '\u0130', 'I', 'i', 'ſ', 's', 'K', 'pa.ris', 'p-a-r-i-s', '(paris)', 'paris,', 'par', 'is', 'us', 'U.S.', 'u s', 'the', 'The', 'a', 'an', 'A.', 'x1', '1', '42', '4.2', 'é', 'É', 'e\u0301', 'İ', 'i\u0307', 'ß', 'ς', 'Σ', '–', '\u{1d400}', '\ud835', '\udc00', '_', "'", '"'];
const SPACES = [' ', '  ', '\n', '\t', '\u00a0', '\u2003', '\x85', '\x1c', '', '', ''];

function textOf(random: () => number, words: number): string {
  let s = '';
  for (let i = 0; i < words; i++) s += WORDS[Math.floor(random() * WORDS.length)]! + SPACES[Math.floor(random() * SPACES.length)]!;
  return s;
}

test('an answer is found in a document exactly when its normalisation is a run of whole words of the document’s', () => {
  const random = rng(99);
  let hits = 0;
  for (let i = 0; i < 30000; i++) {
    const doc = { title: textOf(random, Math.floor(random() * 3)), text: textOf(random, Math.floor(random() * 12)) };
    const answers = Array.from({ length: 1 + Math.floor(random() * 3) }, () => textOf(random, 1 + Math.floor(random() * 3)));
    for (const a of answers) {
      const expected = definition(doc, a);
      hits += expected ? 1 : 0;
      assert.equal(docHolds(doc, a), expected, JSON.stringify({ doc, a }));
    }
    // Again on the same document object, now that some of it may be remembered.
    for (const a of answers) assert.equal(docHolds(doc, a), definition(doc, a), JSON.stringify({ doc, a }));
    const fresh = [{ ...doc }, { title: '', text: doc.text }];
    assert.equal(docsHolding(fresh, answers), fresh.filter((d) => answers.some((a) => definition(d, a))).length);
    // Asked again with other answers, a list keeps its documents' normalisations: the same answers.
    for (const a of [...answers, 'x', 'paris', 'u s']) assert.equal(docsHolding(fresh, [a]), fresh.filter((d) => definition(d, a)).length, JSON.stringify({ fresh, a }));
    for (const a of answers) assert.equal(docHolds(fresh[0]!, a), definition(fresh[0]!, a));
  }
  // The texts must produce hits as well as misses for the comparison to mean anything.
  assert.ok(hits > 3000, `${hits} hits`);
});

test('of all characters, only ASCII letters, U+212A and U+0130 lower-case to anything ASCII (the raw-text shortcut relies on it)', () => {
  const toAscii: string[] = [];
  for (let cp = 0x80; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const lower = String.fromCodePoint(cp).toLowerCase();
    if (/[\x00-\x7f]/.test(lower)) toAscii.push(`${cp.toString(16)} ${JSON.stringify(lower)}`);
  }
  assert.deepEqual(toAscii, ['130 "i\u0307"', '212a "k"']);
  for (let c = 0; c < 0x80; c++) {
    const ch = String.fromCharCode(c);
    assert.equal(ch.toLowerCase(), c >= 0x41 && c <= 0x5a ? String.fromCharCode(c + 32) : ch);
  }
});

test('a document holds an answer across punctuation, case and articles, never inside a longer word', () => {
  const doc = { title: 'U.S. Route 66', text: 'It ran from Chicago to Santa-Monica, (the "Mother Road").' };
  assert.equal(docHolds(doc, 'US route'), true);
  assert.equal(docHolds(doc, 'santamonica'), true);
  assert.equal(docHolds(doc, 'Mother Road'), true);
  assert.equal(docHolds(doc, 'the mother road'), true);
  assert.equal(docHolds(doc, 'Santa Monica'), false);
  assert.equal(docHolds(doc, 'Chicag'), false);
  assert.equal(docHolds(doc, 'the'), false);
  // Lower-casing the Kelvin sign and İ gives ASCII letters: k, and i with a combining dot.
  assert.equal(docHolds({ title: '', text: 'Pin\u212a Floyd' }, 'pink floyd'), true);
  assert.equal(docHolds({ title: 'WAİ', text: '' }, 'wai'), false);
  assert.equal(docHolds({ title: 'WAİ', text: '' }, 'wai\u0307'), true);
});
