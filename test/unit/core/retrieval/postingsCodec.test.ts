/**
 * Compressed postings: every list decodes to exactly the documents and tfs written (whole tfs
 * bit-packed, fractional ones raw, gaps of any size, lengths around the block size), and each block's
 * skip entry holds its last document, max tf and min length, what block-max pruning bounds scores by.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { BLOCK, BlockPostings, encodePostings } from '../../../../src/core/retrieval/postingsCodec';

const f32 = (x: number) => Math.fround(x);

/** A doc-sorted postings list: strictly increasing docs from gaps, float32 tfs, and the lengths of every doc. */
const postingsList = fc
  .record({
    gaps: fc.array(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 2 ** 22 })), {
      maxLength: 3 * BLOCK + 5,
      size: 'max',
    }),
    tfs: fc.array(fc.oneof(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 2 ** 24 }), fc.double({ min: 0.01, max: 50, noNaN: true })), {
      maxLength: 3 * BLOCK + 5,
      size: 'max',
    }),
    fractional: fc.boolean(),
  })
  .map(({ gaps, tfs, fractional }) => {
    const docs: number[] = [];
    let d = -1;
    for (const g of gaps) docs.push((d += g + 1));
    const tf = docs.map((_, i) => f32(fractional || i >= tfs.length ? (tfs[i % Math.max(1, tfs.length)] ?? 1) + 0.5 : tfs[i]));
    return { docs, tfs: tf };
  });

test('a postings list decodes to exactly what was encoded, block by block and whole', () => {
  fc.assert(
    fc.property(postingsList, fc.integer({ min: 1, max: 10_000 }), ({ docs, tfs }, seed) => {
      // Sparse lengths: documents run up to 2^37, too far for an array.
      const lengths: { [doc: number]: number; length: number } = { length: 0 };
      docs.forEach((d, i) => (lengths[d] = f32(((seed * (i + 7)) % 997) + 0.25 * (i % 4))));
      const list = new BlockPostings(encodePostings(docs, Float32Array.from(tfs), lengths), docs.length);
      assert.equal(list.blocks, Math.ceil(docs.length / BLOCK));
      const all = list.decodeAll();
      assert.deepEqual(Array.from(all.docs), docs);
      assert.deepEqual(Array.from(all.tfs), tfs);
      for (let b = 0; b < list.blocks; b++) {
        const inBlock = docs.slice(b * BLOCK, (b + 1) * BLOCK);
        assert.equal(list.last(b), inBlock[inBlock.length - 1]);
        assert.equal(list.maxTf(b), Math.max(...tfs.slice(b * BLOCK, (b + 1) * BLOCK)));
        assert.equal(list.minLength(b), Math.min(...inBlock.map((d) => lengths[d])));
      }
    }),
    { numRuns: Number(process.env.FC_RUNS ?? 200) },
  );
});

test('whole tfs take a few bits each: a common term costs about a byte per posting, not eight', () => {
  const n = 50_000;
  const docs = Array.from({ length: n }, (_, i) => 3 * i + (i % 3));
  const tfs = Float32Array.from({ length: n }, (_, i) => 1 + (i % 5 === 0 ? 3 : 0));
  const lengths = new Float32Array(3 * n).fill(100);
  const words = encodePostings(docs, tfs, lengths);
  assert.ok(words.byteLength < 1.2 * n, `${words.byteLength} bytes for ${n} postings`);
  assert.deepEqual(Array.from(new BlockPostings(words, n).decodeAll().docs), docs);
});

test('postings out of document order are refused, not written wrong', () => {
  assert.throws(() => encodePostings([3, 3], [1, 1], [1, 1, 1, 1]), /document order/);
  assert.throws(() => encodePostings([5, 2], [1, 1], new Float32Array(6)), /document order/);
});
