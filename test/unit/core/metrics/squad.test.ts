/**
 * SQuAD normalisation's one-pass form must return what the four-step definition (lower, delete
 * string.punctuation, articles to a space, whitespace fix) returns, on every input: checked here against
 * that definition written out with the Python-semantics helpers, over random texts built from the
 * characters where the two could part (articles, punctuation inside and around words, every ASCII
 * whitespace and control character, upper case, non-ASCII letters, digits, marks, spaces and symbols,
 * characters whose lower case is longer or depends on context, surrogate pairs and lone surrogates),
 * and over texts of random code points.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { squadNormalize } from '../../../../src/core/metrics';
import { PY_PUNCTUATION, pyLower, pyRemoveArticles, pyWhitespaceFix } from '../../../../src/core/metrics/python';
import { rng } from '../../../support/random';

const PUNCT = new RegExp(`[${PY_PUNCTUATION.replace(/[\\\]^-]/g, '\\$&')}]`, 'g');

function definition(s: string): string {
  return pyWhitespaceFix(pyRemoveArticles(pyLower(s).replace(PUNCT, '')));
}

const PIECES = [
  'a', 'an', 'the', 'The', 'THE', 'A', 'An', 'x', 'ab', 'then', 'ana', '1', '42', 'é', 'ü', 'K', 'İ', '\u0301', '’',
  ' ', '  ', '\t', '\n', '\r\n', '\v', '\f', '\x1c', '\x1f', '\x85', '\u00a0', '\u3000',
  '\x00', '\x01', '\x1b', '\x7f', '_', '-', '.', ',', "'", '"', '(', ')', '`', '~', '\\', '[', ']',
];

/** Beyond ASCII: where a word boundary, a space or the lower case could differ from the ASCII rules. */
const UNICODE_PIECES = [
  ...PIECES,
  'Ä', 'ß', 'Σ', 'ΑΣ', 'ς', 'ǅ', 'Ⅻ', '²', '٣', '五', 'ー', '\u0307', 'e\u0301', '\u200d', '\u200b', '\ufeff',
  '\u1680', '\u2000', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '–', '—', '…', '«', '»', '€', '©',
  '\u{1d400}', '\u{1d7ce}', '\u{10400}', '\u{1f600}', '\u{20000}', '\ud800', '\udc00', 'a\ud83d', '\ude00the',
  'ä', 'thé', 'the\u0301', 'Ⓐ', 'ǈ', '_the_', 't-h-e', 'a.n', '.a.', 'ⅰ',
];

test('the one-pass SQuAD normalisation equals the four-step definition on random texts', () => {
  const random = rng(20261129);
  for (let i = 0; i < 20000; i++) {
    // Half the texts ASCII only (the one-pass form decides them), half with anything.
    const pieces = i % 2 ? PIECES : PIECES.filter((p) => /^[\x00-\x7f]*$/.test(p));
    let s = '';
    const n = Math.floor(random() * 12);
    for (let k = 0; k < n; k++) s += pieces[Math.floor(random() * pieces.length)];
    assert.equal(squadNormalize(s), definition(s), JSON.stringify(s));
  }
});

test('the one-pass SQuAD normalisation equals the four-step definition on texts with any Unicode character', () => {
  const random = rng(7);
  for (let i = 0; i < 40000; i++) {
    let s = '';
    const n = Math.floor(random() * 16);
    for (let k = 0; k < n; k++) s += UNICODE_PIECES[Math.floor(random() * UNICODE_PIECES.length)];
    assert.equal(squadNormalize(s), definition(s), JSON.stringify(s));
  }
  // Random code points of every plane (lone surrogates among them), with articles and spaces between.
  for (let i = 0; i < 20000; i++) {
    let s = '';
    const n = Math.floor(random() * 10);
    for (let k = 0; k < n; k++) {
      const r = random();
      if (r < 0.3) s += PIECES[Math.floor(random() * PIECES.length)];
      else if (r < 0.7) s += String.fromCodePoint(Math.floor(random() * 0x3000));
      else s += String.fromCodePoint(Math.floor(random() * 0x110000));
    }
    assert.equal(squadNormalize(s), definition(s), JSON.stringify(s));
  }
  // Every BMP code unit once, alone and between articles.
  for (let c = 0; c < 0x10000; c++) {
    const ch = String.fromCharCode(c);
    for (const s of [ch, `the${ch}a`, `x ${ch} an${ch}the b`]) assert.equal(squadNormalize(s), definition(s), JSON.stringify(s));
  }
});

test('a retrieved document normalises as the definition says: articles gone, punctuation deleted, spaces single', () => {
  const doc = 'Title: The Eiffel Tower  Text: An iron lattice tower in Paris, France; it is named after Gustave Eiffel (a engineer).\n';
  assert.equal(squadNormalize(doc), 'title eiffel tower text iron lattice tower in paris france it is named after gustave eiffel engineer');
  assert.equal(squadNormalize(doc), definition(doc));
  assert.equal(squadNormalize("U.S. a-b the_end don't"), 'us ab theend dont');
  const wiki = 'The Édouard–Manet affair (1863–1865) — a “Salon des Refusés” İstanbul ΟΔΟΣ naïve the\u0301 a\u00a0an\u2003the';
  assert.equal(squadNormalize(wiki), 'édouard–manet affair 1863–1865 — “salon des refusés” i̇stanbul οδος naïve \u0301');
  assert.equal(squadNormalize(wiki), definition(wiki));
});
