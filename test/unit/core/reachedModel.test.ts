/** Issue 14: a question that never reached the model is not saved; one that did (even if it failed later) is. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { failedBeforeModel } from '../../../src/core/reachedModel';
import { minimalTrajectory } from './helpers';

test('a refused connection on the first model call is a run that never reached the model', () => {
  assert.equal(failedBeforeModel(minimalTrajectory(0, { stopReason: 'error', steps: [], error: 'connect ECONNREFUSED 127.0.0.1:8000' })), true);
});

test('a run with steps, or that finished, reached the model', () => {
  assert.equal(failedBeforeModel(minimalTrajectory(0)), false);
  assert.equal(failedBeforeModel(minimalTrajectory(0, { stopReason: 'error' })), false, 'it failed after some steps: kept');
  assert.equal(failedBeforeModel(minimalTrajectory(0, { stopReason: 'cancelled', steps: [] })), false, "a cancel is the user's choice");
});
