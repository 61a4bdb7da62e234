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
