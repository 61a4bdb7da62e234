import assert from 'node:assert/strict';
import { test } from 'node:test';
import { roundUp } from '../../../../webview/runs/lineChart';

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
