/**
 * The run store's column-wise commit (what the ingest workers send) stores exactly what the row-wise
 * one stores, nulls and the largest offsets included; an ingest leaves DuckDB's thread setting as it
 * found it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ingestRun } from '../../../../src/core/runs/ingest';
import { inProcessPool } from '../../../../src/core/runs/pool';
import type { RolloutRow } from '../../../../src/core/runs/row';
import { batchOf, concatBatches, rowsOf } from '../../../../src/core/runs/rowBatch';
import { RunStore, type IngestedFile } from '../../../../src/core/runs/store';
import { rng, stepRollouts, writeStep } from './generatedRun';

function row(i: number, nulls: boolean): RolloutRow {
  return {
    fileId: 1,
    line: i + 1,
    offset: nulls ? 2 ** 40 + i : i * 100,
    length: 99,
    step: 7,
    group: `g${i % 3}`,
    question: `What is ${'long '.repeat(i)}question ${i}?`,
    answer: nulls ? null : `answer ${i} ✓`,
    gold: nulls ? null : JSON.stringify([`gold ${i}`]),
    score: nulls ? null : i / 3,
    em: nulls ? null : 1,
    f1: nulls ? null : 0.25,
    searches: i,
    responseChars: 1000 + i,
    stopReason: nulls ? 'eos_no_answer' : 'finished',
    formatError: i % 2 === 0,
    labels: i % 5,
    rewards: JSON.stringify({ trainerScore: i / 3, searches: i }),
  };
}

function file(id: number): IngestedFile {
  return { id, path: `/run/${id}.jsonl`, step: 7, size: 10, mtimeMs: 1, bytes: 10, lines: 3, unterminated: false, head: '' };
}

test('rows committed as columns are stored exactly as rows committed one by one', async () => {
  // More rows than one DuckDB data chunk holds (2048), in two parts joined as a split file's are.
  const rows = Array.from({ length: 2500 }, (_, i) => row(i, i % 7 === 3));
  assert.deepEqual(rowsOf(batchOf(rows)), rows);
  const joined = concatBatches([batchOf(rows.slice(0, 1000)), batchOf(rows.slice(1000))]);
  assert.deepEqual(rowsOf(joined), rows);
  const byRows = await RunStore.open(':memory:', '/run');
  const byColumns = await RunStore.open(':memory:', '/run');
  try {
    await byRows.commitRange(file(1), rows, [{ file: '/run/1.jsonl', line: 4, reason: 'not valid JSON' }]);
    await byColumns.commitBatch(file(1), joined, [{ file: '/run/1.jsonl', line: 4, reason: 'not valid JSON' }]);
    const dump = async (s: RunStore) => [
      await s.query('SELECT * EXCLUDE ("offset"), "offset"::VARCHAR AS "offset" FROM rollouts ORDER BY line'),
      await s.query('SELECT * FROM problems'),
      await s.files(),
    ];
    const expected = await dump(byRows);
    assert.equal((expected[0] as unknown[]).length, 2500);
    assert.deepEqual(await dump(byColumns), expected);
  } finally {
    byRows.close();
    byColumns.close();
  }
});

test('a whole number out of the INTEGER range is refused, not wrapped', async () => {
  const store = await RunStore.open(':memory:', '/run');
  try {
    await assert.rejects(store.commitBatch(file(1), batchOf([{ ...row(1, false), step: 2 ** 31 }]), []));
    assert.deepEqual(await store.query('SELECT count(*)::INTEGER AS n FROM rollouts'), [{ n: 0 }], 'nothing of the refused range is kept');
  } finally {
    store.close();
  }
});

test('an ingest runs DuckDB on one thread and gives the setting back', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'hopscope-runs-store-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'run');
  writeStep(dir, 1, stepRollouts(1, 3, 2, rng(5)));
  const store = await RunStore.open(':memory:', dir);
  try {
    const threads = async () => (await store.query(`SELECT current_setting('threads')::INTEGER AS n`))[0]!.n;
    // A setting of the caller's own, which the ingest must give back as it was.
    await store.query('SET threads = 3');
    const before = await threads();
    assert.equal(before, 3);
    let during: unknown;
    const pool = inProcessPool();
    const report = await ingestRun(dir, store, { ...pool, parse: async (req) => ((during ??= await threads()), pool.parse(req)) });
    assert.equal(report.rowsAdded, 6);
    assert.equal(during, 1);
    assert.equal(await threads(), before);
  } finally {
    store.close();
  }
});
