import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { importFile } from '../../../src/core/importers';
import { validateTrajectory } from '../../../src/core/traceSchema';
import { STOP_REASONS, type Trajectory } from '../../../src/core/trace';

const valid = async (): Promise<Trajectory> => {
  const { trajectories } = await importFile('test/fixtures/importers/r1searcher/bamboogle_qwen.sample.jsonl', { format: 'r1searcher' });
  return JSON.parse(JSON.stringify(trajectories.find((t) => t.steps.some((s) => s.kind === 'search' && s.docs.length))));
};

test('the committed standalone validator is the one trace.schema.json compiles to (else run `node esbuild.mjs`)', async () => {
  const { validatorSource, VALIDATOR_FILE } = await import('../../../src/core/traceSchema.generate.mjs');
  assert.equal(readFileSync(VALIDATOR_FILE, 'utf8'), validatorSource(), 'src/core/traceSchema.validator.ts is stale: `node esbuild.mjs` regenerates it');
});

test('the validator is CSP-safe: no eval, no new Function, no require at run time', () => {
  const code = readFileSync('src/core/traceSchema.validator.ts', 'utf8');
  assert.doesNotMatch(code, /\beval\s*\(|new\s+Function\b|\brequire\s*\(/);
});

test('a valid trajectory passes and comes back typed', async () => {
  const t = await valid();
  const v = validateTrajectory(t);
  assert.equal(v.ok, true);
  if (v.ok) assert.equal(v.trajectory.id, t.id);
});

test('errors are JSON pointers with a message a user can act on; a step is checked against the shape its kind names', async () => {
  const t = await valid();
  const search = t.steps.findIndex((s) => s.kind === 'search');
  const bad = JSON.parse(JSON.stringify(t));
  bad.steps[search].docs[0].rank = 'first';
  bad.steps[0].kind = 'dance';
  bad.outcome.em = 'yes';
  bad.stopReason = 'done';
  delete bad.raw;
  const v = validateTrajectory(bad);
  assert.equal(v.ok, false);
  if (v.ok) return;
  assert.deepEqual(v.errors.sort(), [
    "/: must have required property 'raw'",
    `/outcome/em: must be number`,
    `/steps/${search}/docs/0/rank: must be integer`,
    '/steps/0/kind: step 0 must be a "reason", "search" or "answer" step, got "dance"',
    `/stopReason: must be one of ${STOP_REASONS.map((r) => JSON.stringify(r)).join(', ')}`,
  ].sort());
});

test('an answer step without text names the missing field, not the other step shapes', async () => {
  const t = await valid();
  const i = t.steps.findIndex((s) => s.kind === 'answer');
  const bad = JSON.parse(JSON.stringify(t));
  delete bad.steps[i].text;
  assert.deepEqual(validateTrajectory(bad), { ok: false, errors: [`step ${i} (answer) has no "text" string (/steps/${i})`] });
});

test('createdAt must be a date-time; credentials in the endpoint URL are refused', async () => {
  const t = await valid();
  assert.deepEqual(validateTrajectory({ ...t, createdAt: 'yesterday' }), { ok: false, errors: ['/createdAt: must be an RFC 3339 date-time, got "yesterday"'] });
  assert.equal(validateTrajectory({ ...t, createdAt: '2026-11-28T22:00:00.123+01:00' }).ok, true);
  const leaked = validateTrajectory({ ...t, policy: { ...t.policy, endpoint: 'https://user:secret@example.com/v1' } });
  assert.equal(leaked.ok, false);
  if (!leaked.ok) assert.match(leaked.errors[0]!, /^\/policy\/endpoint: /);
});

test('not an object at all', () => {
  assert.deepEqual(validateTrajectory(null), { ok: false, errors: ['/: must be object'] });
  assert.deepEqual(validateTrajectory([1, 2]), { ok: false, errors: ['/: must be object'] });
});

test('extra fields are allowed: the contract grows by adding fields', async () => {
  assert.equal(validateTrajectory({ ...(await valid()), metricDefinition: 'r1-searcher', somethingNew: { a: 1 } }).ok, true);
});
