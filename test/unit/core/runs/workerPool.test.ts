/** The ingest workers (real worker threads, the TypeScript entry through tsx) give the rows the in-process parser gives. */
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { openRun } from '../../../../src/core/runs/open';
import { parseSplit } from '../../../../src/core/runs/ingest';
import { parseRange } from '../../../../src/core/runs/parseRange';
import { inProcessPool, workerPool } from '../../../../src/core/runs/pool';
import { runSummary } from '../../../../src/core/runs/summary';
import { rng, stepRollouts, writeStep } from './generatedRun';

const WORKER_TS = path.resolve(__dirname, '../../../../src/core/runs/worker.ts');

test('worker threads parse step files exactly as the in-process parser does', { timeout: 60_000 }, async (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'hopscope-runs-pool-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  // A worker can't start from a .ts file: a tiny CommonJS bootstrap registers tsx first.
  const boot = path.join(root, 'boot.cjs');
  writeFileSync(boot, `require(${JSON.stringify(require.resolve('tsx/cjs'))});\nrequire(${JSON.stringify(WORKER_TS)});\n`);
  const dir = path.join(root, 'run');
  const random = rng(11);
  for (const step of [1, 2, 3]) writeStep(dir, step, stepRollouts(step, 4, 3, random));

  const file = path.join(dir, '2.jsonl');
  const req = { file, fileId: 9, fileStep: 2, start: 0, length: statSync(file).size, firstLine: 1, runId: 'run', createdAt: '' };
  const pool = workerPool(boot, 2);
  try {
    assert.deepEqual(await pool.parse(req), await parseRange(req));
  } finally {
    await pool.close();
  }

  const viaWorkers = await openRun({ dir, store: path.join(root, 'a.duckdb'), workerFile: boot });
  const inProcess = await openRun({ dir, store: path.join(root, 'b.duckdb') });
  try {
    assert.equal(viaWorkers.report.rowsAdded, 36);
    assert.deepEqual(await runSummary(viaWorkers.store), await runSummary(inProcess.store));
  } finally {
    viaWorkers.store.close();
    inProcess.store.close();
  }
});

test('a file split across workers gives the rows, line numbers and problems of one parse', async (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'hopscope-runs-split-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const file = writeStep(path.join(root, 'run'), 5, stepRollouts(5, 7, 3, rng(8)));
  // A broken line, a blank one, then a last line the trainer is still writing.
  appendFileSync(file, '{"output": \n\n' + stepRollouts(5, 2, 2, rng(9)).map((r) => r.line).join('\n') + '\n{"input": "Question: half');
  const req = { file, fileId: 1, fileStep: 5, start: 0, length: statSync(file).size, firstLine: 1, runId: 'run', createdAt: '' };
  const whole = await parseRange(req);
  for (const ways of [2, 3, 7]) assert.deepEqual(await parseSplit(inProcessPool(), req, ways, 0), whole, `${ways} parts`);
  assert.equal(whole.problems[0]!.line, 22);
  assert.equal(whole.lines, 27, 'the unfinished line is not counted');
});
