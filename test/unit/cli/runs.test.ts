/** `hopscope runs summary|show` as a user runs them: a child process, a table or JSONL on stdout, problems on stderr. */
import { validateTrajectory } from '../../../src/core/traceSchema';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Trajectory } from '../../../src/core/trace';
import { expectedSummary, rng, stepRollouts, writeStep } from '../core/runs/generatedRun';
import { cli } from './spawnCli';


test('runs summary prints one line per step (JSONL or a table); runs show prints a step\'s rollouts', { timeout: 120_000 }, async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'hopscope-runs-cli-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'run');
  const store = join(root, 'store.duckdb');
  const random = rng(21);
  const rollouts = [1, 2].flatMap((step) => {
    const rs = stepRollouts(step, 4, 3, random);
    writeStep(dir, step, rs);
    return rs;
  });
  appendFileSync(join(dir, '2.jsonl'), '{"input": "Question: broken", "output": \n');

  const json = await cli(['runs', 'summary', dir, '--json', '--store', store]);
  assert.equal(json.code, 0, json.err);
  const lines = json.out.trim().split('\n').map((l) => JSON.parse(l) as { step: number; n: number; meanScore: number; uniformGroups: number });
  const expected = expectedSummary(rollouts);
  assert.deepEqual(lines.map((l) => [l.step, l.n, l.uniformGroups]), expected.map((e) => [e.step, e.n, e.uniformGroups]));
  assert.ok(Math.abs(lines[1]!.meanScore - expected[1]!.meanScore) < 1e-9);
  assert.match(json.err, new RegExp(`${join(dir, '2.jsonl').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:13: not valid JSON`), 'the broken line by file and line');

  const table = await cli(['runs', 'summary', dir, '--store', store]);
  assert.equal(table.code, 0, table.err);
  const [head, ...rows] = table.out.trim().split('\n');
  assert.match(head!, /^step\s+n\s+meanScore\s+meanSearches\s+groups\s+uniformGroups\s+formatErrorRate\s+gold_never_retrieved/);
  assert.deepEqual(rows.map((r) => r.split(/\s+/).slice(0, 2)), [['1', '12'], ['2', '12']]);

  const show = await cli(['runs', 'show', dir, '--step', '2', '--store', store]);
  assert.equal(show.code, 0, show.err);
  assert.equal((show.out.match(/^group /gm) ?? []).length, 4, 'four groups');
  assert.equal((show.out.match(/2\.jsonl:\d+ {2}score/g) ?? []).length, 12, 'twelve rollouts');

  const one = await cli(['runs', 'show', dir, '--step', '1', '--json', '--store', store]);
  const trajectories = one.out.trim().split('\n').map((l) => JSON.parse(l) as Trajectory);
  assert.equal(trajectories.length, 12);
  assert.ok(trajectories.every((tr) => tr.training?.step === 1));
  for (const tr of trajectories) {
    const v = validateTrajectory(tr);
    assert.ok(v.ok, `${tr.id}: ${v.ok ? '' : v.errors.join('; ')}`);
  }

  const missing = await cli(['runs', 'summary', join(root, 'nope')]);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /nope: cannot read: no such file/);
});
