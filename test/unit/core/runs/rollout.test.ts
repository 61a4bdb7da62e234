import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../../../src/core/errors';
import { rolloutTrajectory } from '../../../../src/core/runs/rollout';
import { minimalTrajectory } from '../helpers';

const ctx = { file: 'step_3.jsonl', fileStep: 3, runId: 'run', createdAt: '2026-11-28T00:00:00Z' };

test('a Hopscope trace line among the rollouts is read as a trajectory when it meets the trace schema', () => {
  const t = rolloutTrajectory(JSON.parse(JSON.stringify(minimalTrajectory(1))), 1, ctx);
  assert.equal(t.question, minimalTrajectory(1).question);
});

test('a Hopscope trace line that breaks the schema is an error naming the field, not a half-read trajectory', () => {
  const bad = JSON.parse(JSON.stringify(minimalTrajectory(1)));
  bad.steps = [{ kind: 'search', query: 'q', rewards: {} }];
  assert.throws(() => rolloutTrajectory(bad, 1, ctx), (e) => e instanceof InputError && /step 0 \(search\) has no "docs" list \(\/steps\/0\)/.test(e.message));
});
