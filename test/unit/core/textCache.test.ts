import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextCache } from '../../../src/core/textCache';

test('a text cache tells apart texts with the same length and ends, and the same text under another tag', () => {
  const cache = new TextCache<string>(100);
  let made = 0;
  const make = (own: string) => `${++made}:${own.length}`;
  const ends = 'x'.repeat(60);
  const a = `${ends}middle one${ends}`;
  const b = `${ends}middle two${ends}`;
  assert.equal(cache.get(a, make), '1:130');
  assert.equal(cache.get(b, make), '2:130', 'same length and ends, another text');
  assert.equal(cache.get(`${ends}middle one${ends}`, make), '1:130', 'an equal text (another string) is a hit');
  assert.equal(cache.get(a, make, 3), '3:130', 'another tag is another entry');
  assert.equal(made, 3);
});

test('a full text cache starts over, and keeps a copy of each text of its own', () => {
  const cache = new TextCache<string>(2);
  const seen: string[] = [];
  const make = (own: string) => (seen.push(own), own.toUpperCase());
  cache.get('first text', make);
  cache.get('second text', make);
  cache.get('third text', make);
  assert.equal(cache.get('first text', make), 'FIRST TEXT');
  assert.deepEqual(seen, ['first text', 'second text', 'third text', 'first text']);
});

test('while few lookups hit, a text cache keeps a text from its second sighting on, and all of them again once texts recur', () => {
  const cache = new TextCache<string>(100_000);
  let made = 0;
  const make = (own: string) => `${++made}`;
  // Two windows of texts seen once each: the cache turns selective.
  for (let i = 0; i < 2048; i++) cache.get(`a text of its own, number ${i}`, make);
  made = 0;
  const once = 'a text seen now for the first time';
  assert.equal(cache.get(once, make), '1', 'made at its first sighting');
  assert.equal(cache.get(once, make), '2', 'made again at the second, and kept');
  assert.equal(cache.get(once, make), '2', 'kept since');
  // A window in which most lookups hit: every text is kept at its first sighting again.
  for (let i = 0; i < 1024; i++) cache.get(once, make);
  const next = 'another text seen for the first time';
  assert.equal(cache.get(next, make), '3');
  assert.equal(cache.get(next, make), '3', 'kept at its first sighting');
});
