import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { wordPattern } from '../../../../src/core/retrieval/tokenizer';
import { scanWords } from '../../../../src/core/retrieval/wordScanner';

function scanned(text: string): string[] {
  const out: string[] = [];
  scanWords(text, { word: (t, s, e) => void out.push(t.slice(s, e)) });
  return out;
}

const matched = (text: string) => text.match(wordPattern()) ?? [];

test('the build-time scanner finds exactly the words the tokenizer regex finds', () => {
  for (const text of ['', 'Hello, world!', 'pi is 3.14, not 3..14; 1,000,000 and 1990s', 'max_turns getHTTP v1.2 _x 1.5km', 'Café 東京タワー ½ 𝟏.5 😀a', 'a\uD800b\uDC00c']) {
    assert.deepEqual(scanned(text), matched(text), text);
  }
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.constantFrom('1', '22', '.', ',', ' ', 'ab', '_', 'é', '٣', '𝟏', '\uD800', '\uDC00', '東', '-', '😀'), fc.string({ unit: 'binary' })), { maxLength: 30 }), (parts) => {
      const text = parts.join('');
      assert.deepEqual(scanned(text), matched(text));
    }),
    { numRuns: 2000 },
  );
});

test('equal words get equal hashes', () => {
  const hashes = new Map<string, Set<number>>();
  scanWords('alpha beta alpha 3.14 beta 3.14 東京', {
    word: (t, s, e, h) => {
      const w = t.slice(s, e);
      if (!hashes.has(w)) hashes.set(w, new Set());
      hashes.get(w)!.add(h);
    },
  });
  for (const [w, hs] of hashes) assert.equal(hs.size, 1, w);
});
