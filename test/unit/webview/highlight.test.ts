import assert from 'node:assert/strict';
import { test } from 'node:test';
import { containsGold, highlight, queryTerms } from '../../../webview/highlight';

const marked = (text: string, terms: string[], golds: string[]) =>
  highlight(text, terms, golds)
    .filter((s) => s.mark)
    .map((s) => `${s.mark}:${s.text}`);

test('query terms drop stopwords and repeats and are lower-cased', () => {
  assert.deepEqual(queryTerms('Who directed The Film "Indradhanura Chhai" film?'), ['directed', 'film', 'indradhanura', 'chhai']);
});

test('terms match whole words case-insensitively; gold answers win where they overlap', () => {
  assert.deepEqual(marked('Film director Susant Misra directed films.', ['film', 'susant'], ['Susant Misra']), ['term:Film', 'gold:Susant Misra']);
});

test('segments put the text back together exactly', () => {
  const text = 'Ünïcode Straße — Indradhanura Chhai (1993) by Susant Misra.';
  assert.equal(highlight(text, ['chhai', 'straße'], ['susant misra']).map((s) => s.text).join(''), text);
});

test('a short gold answer only matches on word boundaries', () => {
  assert.deepEqual(marked('In 1990 there was 1 film', [], ['1']), ['gold:1']);
  assert.equal(containsGold('the year 1990', ['1']), false);
  assert.equal(containsGold('Directed by SUSANT MISRA.', ['Susant Misra']), true);
  assert.equal(containsGold('anything', []), false);
});

test('markup-looking text is kept as plain text in segments', () => {
  const segs = highlight('<img src=x onerror=alert(1)> Paris', ['img'], ['Paris']);
  assert.equal(segs.map((s) => s.text).join(''), '<img src=x onerror=alert(1)> Paris');
  assert.deepEqual(segs.filter((s) => s.mark).map((s) => s.text), ['img', 'Paris']);
});

test('highlighting is bounded: at most maxMarks runs, only the first maxChars searched, the text kept whole', () => {
  const text = 'gold word gold word '.repeat(100);
  const segs = highlight(text, ['word'], ['gold'], { maxChars: 1000, maxMarks: 10 });
  assert.equal(segs.filter((s) => s.mark).length, 10);
  assert.equal(segs.map((s) => s.text).join(''), text, 'no text is lost');
  const far = highlight(`${'x '.repeat(600)}word`, ['word'], [], { maxChars: 1000, maxMarks: 10 });
  assert.equal(far.filter((s) => s.mark).length, 0, 'a term past maxChars is not searched');
});
