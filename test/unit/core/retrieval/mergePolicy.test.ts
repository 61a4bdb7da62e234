/**
 * The merge policy: which segments a background merge rewrites. Small segments fold together once they
 * pile up, a segment losing many passages is rewritten without them, too many segments shrink to half,
 * and the big segments of a build are left alone otherwise.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergePlan } from '../../../../src/core/retrieval/mergePolicy';

const seg = (name: string, passages: number, deleted = 0) => ({ name, passages, deleted });

test('small segments are folded once more than six pile up; big ones stay', () => {
  const big = [seg('b1', 50_000), seg('b2', 50_000)];
  const small = Array.from({ length: 6 }, (_, i) => seg(`s${i}`, 3));
  assert.deepEqual(mergePlan([...big, ...small]), [], 'six small segments wait');
  assert.deepEqual(mergePlan([...big, ...small, seg('s6', 2)]), ['s0', 's1', 's2', 's3', 's4', 's5', 's6']);
});

test('a segment with more than a quarter of its passages deleted is rewritten, alone if need be', () => {
  assert.deepEqual(mergePlan([seg('b1', 50_000, 12_500), seg('b2', 50_000, 100)]), []);
  assert.deepEqual(mergePlan([seg('b1', 50_000, 12_501), seg('b2', 50_000, 100)]), ['b1']);
  assert.deepEqual(mergePlan([seg('only', 40)]), [], 'one segment with nothing deleted is already merged');
});

test('at 48 segments the smallest are merged until half are left', () => {
  const many = Array.from({ length: 48 }, (_, i) => seg(`s${i}`, 10_000 + i));
  const plan = mergePlan(many);
  assert.equal(plan.length, 24);
  assert.deepEqual(plan, many.slice(0, 24).map((s) => s.name));
});
