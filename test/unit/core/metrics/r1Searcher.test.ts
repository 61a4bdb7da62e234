/** R1-Searcher's normaliser, in one replace, against its definition written as upstream's loop (metric_calc_rule.py). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeR1Searcher } from '../../../../src/core/metrics';
import { PY_PUNCTUATION, pyRemoveArticles, pyWhitespaceFix } from '../../../../src/core/metrics/python';
import { rng } from '../../../support/random';

/** normalize_answer as upstream writes it: `_` to a space, lower, then every punctuation character, one code point at a time, to a space. */
function definition(s: string): string {
  const punct = new Set([...PY_PUNCTUATION, '‘', '’', '´', '`']);
  let out = '';
  for (const ch of s.replaceAll('_', ' ').toLowerCase()) out += punct.has(ch) ? ' ' : ch;
  return pyWhitespaceFix(pyRemoveArticles(out));
}

const PIECES = ['a', 'an', 'the', 'The', 'A', 'New_York', 'rock’n’roll', '´Tis', '`so`', 'İstanbul', 'ΣΟΦΟΣ', '😀', '\ud83d', 'ü', '–', '\u00a0', '\u0085', '\t', ' ', '  ', '.', ',', '-', '\\', ']', '^', '_', 'x', '42', 'acid-house', '\n'];

test('normalizeR1Searcher equals the character loop on random texts (punctuation, articles, surrogates, Unicode case)', () => {
  const random = rng(5);
  for (let n = 0; n < 20_000; n++) {
    let s = '';
    const len = Math.floor(random() * 12);
    for (let i = 0; i < len; i++) s += random() < 0.8 ? PIECES[Math.floor(random() * PIECES.length)]! : String.fromCharCode(Math.floor(random() * 0x3000));
    assert.equal(normalizeR1Searcher(s), definition(s), JSON.stringify(s));
  }
});
