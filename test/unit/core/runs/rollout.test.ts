import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { InputError } from '../../../../src/core/errors';
import { analyzeTrajectory } from '../../../../src/core/rewards';
import { parseBuffer } from '../../../../src/core/runs/parseRange';
import { rolloutTrajectory } from '../../../../src/core/runs/rollout';
import { rowOf } from '../../../../src/core/runs/row';
import { rowsOf } from '../../../../src/core/runs/rowBatch';
import { minimalTrajectory } from '../helpers';
import { rng, stepRollouts } from './generatedRun';

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

test('a run row, analysed without per-step rewards, equals the row of the fully analysed rollout', () => {
  // Generated rollouts of every kind, and real R1-Searcher rollouts (their documents, several gold forms).
  const lines = stepRollouts(3, 6, 5, rng(7)).map((r) => r.line);
  const full = join(__dirname, '../../../fixtures/importers/r1searcher/full');
  for (const f of readdirSync(full).sort()) {
    const text = gunzipSync(readFileSync(join(full, f))).toString('utf8');
    for (const l of text.split('\n').filter((x) => x.trim()).slice(0, 40)) {
      const o = JSON.parse(l) as Record<string, unknown>;
      lines.push(JSON.stringify({ input: `${String(o.question)}\nAssistant: <think>`, output: o.gen_text_store, gts: [o.answer, String(o.answer).toUpperCase()], score: 0.5, step: 3 }));
    }
  }
  const buf = Buffer.from(lines.join('\n') + '\n');
  const req = { file: 'step_3.jsonl', fileId: 0, fileStep: 3, start: 0, length: buf.length, firstLine: 1, runId: ctx.runId, createdAt: ctx.createdAt };
  const parsed = parseBuffer(buf, req);
  const { problems } = parsed;
  const rows = rowsOf(parsed.rows);
  assert.deepEqual(problems, []);
  assert.equal(rows.length, lines.length);
  let offset = 0;
  rows.forEach((row, i) => {
    const t = analyzeTrajectory(rolloutTrajectory(JSON.parse(lines[i]!), i + 1, { ...ctx, file: req.file }));
    assert.deepEqual(row, rowOf(t, { fileId: 0, line: i + 1, offset, length: Buffer.byteLength(lines[i]!) }), `line ${i + 1}`);
    offset += Buffer.byteLength(lines[i]!) + 1;
  });
});
