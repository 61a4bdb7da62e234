/**
 * SQuAD normalisation's one-pass ASCII form must return what the four-step definition (lower, delete
 * string.punctuation, articles to a space, whitespace fix) returns, on every input: checked here against
 * that definition written out with the Python-semantics helpers, over random texts built from the
 * characters where the two could part (articles, punctuation inside and around words, every ASCII
 * whitespace and control character, upper case, non-ASCII letters and marks).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { squadNormalize } from '../../../../src/core/metrics';
import { PY_PUNCTUATION, pyLower, pyRemoveArticles, pyWhitespaceFix } from '../../../../src/core/metrics/python';

const PUNCT = new RegExp(`[${PY_PUNCTUATION.replace(/[\\\]^-]/g, '\\$&')}]`, 'g');

function definition(s: string): string {
  return pyWhitespaceFix(pyRemoveArticles(pyLower(s).replace(PUNCT, '')));
}

const PIECES = [
  'a', 'an', 'the', 'The', 'THE', 'A', 'An', 'x', 'ab', 'then', 'ana', '1', '42', 'é', 'ü', 'K', 'İ', '\u0301', '’',
  ' ', '  ', '\t', '\n', '\r\n', '\v', '\f', '\x1c', '\x1f', '\x85', '\u00a0', '\u3000',
  '\x00', '\x01', '\x1b', '\x7f', '_', '-', '.', ',', "'", '"', '(', ')', '`', '~', '\\', '[', ']',
];

test('the one-pass SQuAD normalisation equals the four-step definition on random texts', () => {
  let seed = 20261129;
  const random = (): number => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 4294967296;
  };
  for (let i = 0; i < 20000; i++) {
    // Half the texts ASCII only (the one-pass form decides them), half with anything.
    const pieces = i % 2 ? PIECES : PIECES.filter((p) => /^[\x00-\x7f]*$/.test(p));
    let s = '';
    const n = Math.floor(random() * 12);
    for (let k = 0; k < n; k++) s += pieces[Math.floor(random() * pieces.length)];
    assert.equal(squadNormalize(s), definition(s), JSON.stringify(s));
  }
});

test('a retrieved document normalises as the definition says: articles gone, punctuation deleted, spaces single', () => {
  const doc = 'Title: The Eiffel Tower  Text: An iron lattice tower in Paris, France; it is named after Gustave Eiffel (a engineer).\n';
  assert.equal(squadNormalize(doc), 'title eiffel tower text iron lattice tower in paris france it is named after gustave eiffel engineer');
  assert.equal(squadNormalize(doc), definition(doc));
  assert.equal(squadNormalize("U.S. a-b the_end don't"), 'us ab theend dont');
});
