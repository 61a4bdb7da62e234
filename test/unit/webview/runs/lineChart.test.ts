import assert from 'node:assert/strict';
import { test } from 'node:test';
import { roundUp, stepTicks } from '../../../../webview/runs/lineChart';

test('chart axes end at a round number at or above the largest value', () => {
  // Before: the top was the largest value × 1.05, so a run scoring up to 0.96 had an axis ending at "1.01".
  assert.equal(roundUp(0.96), 1);
  assert.equal(roundUp(1), 1);
  assert.equal(roundUp(1.6), 2);
  assert.equal(roundUp(2.1), 2.5);
  assert.equal(roundUp(3), 5);
  assert.equal(roundUp(7), 10);
  assert.equal(roundUp(340), 500);
  assert.equal(roundUp(0.3), 0.5);
  assert.equal(roundUp(0.0012), 0.002);
});

test('the step axis names round steps between the first and the last', () => {
  // Before: only the two ends, so a 100-step run's axis read "1 … 100" with nothing between.
  assert.deepEqual(stepTicks(1, 100), [1, 25, 50, 75, 100]);
  assert.deepEqual(stepTicks(1, 40), [1, 10, 20, 30, 40]);
  assert.deepEqual(stepTicks(0, 3), [0, 1, 2, 3]);
  assert.deepEqual(stepTicks(1, 4), [1, 2, 3, 4]);
  assert.deepEqual(stepTicks(5, 5), [5]);
  assert.deepEqual(stepTicks(100, 1000), [100, 250, 500, 750, 1000]);
});
