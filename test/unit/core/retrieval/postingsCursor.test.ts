/**
 * The cursor block-max pruning walks compressed postings with: `next` and `advance` land where a scan
 * of the decoded list lands, and `shallow` names the block that would hold a target without moving,
 * so the bound it gives covers every posting from the target to that block's end.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { BLOCK, BlockPostings, encodePostings } from '../../../../src/core/retrieval/postingsCodec';
import { BlockCursor, NONE } from '../../../../src/core/retrieval/postingsCursor';

const list = fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 4 * BLOCK, size: 'max' }).map((gaps) => {
  const docs: number[] = [];
  let d = -1;
  for (const g of gaps) docs.push((d += g + 1));
  return docs;
});

type Step = { op: 'next' } | { op: 'advance'; by: number } | { op: 'shallow'; by: number };
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.constant<Step>({ op: 'next' }),
  fc.integer({ min: 0, max: 400 }).map<Step>((by) => ({ op: 'advance', by })),
  fc.integer({ min: 0, max: 400 }).map<Step>((by) => ({ op: 'shallow', by })),
);

test('next, advance and shallow agree with a scan of the decoded list', () => {
  fc.assert(
    fc.property(list, fc.array(step, { maxLength: 80 }), (docs, steps) => {
      const tfs = Float32Array.from(docs, (d) => 1 + (d % 7));
      const lengths = Float32Array.from({ length: docs[docs.length - 1] + 1 }, (_, d) => 10 + (d % 13));
      const postings = new BlockPostings(encodePostings(docs, tfs, lengths), docs.length);
      const bounds = Float64Array.from({ length: postings.blocks }, (_, b) => b + 1);
      const c = new BlockCursor(2, postings, bounds);
      assert.equal(c.ub, 2 * postings.blocks);
      let pos = 0;
      let target = 0;
      const at = () => (pos < docs.length ? docs[pos] : NONE);
      for (const s of steps) {
        if (s.op === 'next') {
          if (pos >= docs.length) continue;
          pos++;
          c.next();
        } else if (s.op === 'advance') {
          target += s.by;
          while (pos < docs.length && docs[pos] < target) pos++;
          c.advance(target);
        } else {
          target += s.by;
          const b = c.shallow(target);
          const first = docs.findIndex((d, i) => i >= pos && d >= target);
          if (first < 0) assert.equal(b, -1);
          else {
            // The block of the first posting at or after the target (or the current one, when already past it).
            assert.equal(b, Math.floor(first / BLOCK));
            assert.equal(c.lastOf(b), docs[Math.min(docs.length, (b + 1) * BLOCK) - 1]);
            assert.equal(c.ubOf(b), 2 * (b + 1));
          }
        }
        assert.equal(c.doc, at());
        if (c.doc !== NONE) {
          assert.equal(c.tf, tfs[pos]);
          assert.equal(c.blockLast, docs[Math.min(docs.length, (Math.floor(pos / BLOCK) + 1) * BLOCK) - 1]);
        }
      }
    }),
    { numRuns: Number(process.env.FC_RUNS ?? 200) },
  );
});
