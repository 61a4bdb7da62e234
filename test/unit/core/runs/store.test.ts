/**
 * The run store's column-wise commit (what the ingest workers send) stores exactly what the row-wise
 * one stores, nulls and the largest offsets included; an ingest leaves DuckDB's thread setting as it
 * found it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { ingestRun } from '../../../../src/core/runs/ingest';
import { inProcessPool } from '../../../../src/core/runs/pool';
import type { RolloutRow } from '../../../../src/core/runs/row';
import { batchOf, mergeByLine, rowsOf } from '../../../../src/core/runs/rowBatch';
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

/** Everything a store holds, in a stable order (offsets as text: BIGINT comes back as a bigint). */
async function dump(s: RunStore): Promise<unknown[]> {
  return [
    await s.query('SELECT * EXCLUDE ("offset"), "offset"::VARCHAR AS "offset" FROM rollouts ORDER BY file_id, line'),
    await s.query('SELECT * FROM problems ORDER BY file_id, line'),
    await s.files(),
  ];
}

test('rows committed as columns are stored exactly as rows committed one by one', async () => {
  // More rows than one DuckDB data chunk holds (2048), in parts holding alternate lines, merged as a range's routed parts are.
  const rows = Array.from({ length: 2500 }, (_, i) => row(i, i % 7 === 3));
  assert.deepEqual(rowsOf(batchOf(rows)), rows);
  const joined = mergeByLine([batchOf(rows.filter((_, i) => i % 3 === 1)), batchOf(rows.filter((_, i) => i % 3 !== 1)), batchOf([])]);
  assert.deepEqual(rowsOf(joined), rows);
  const byRows = await RunStore.open(':memory:', '/run');
  const byColumns = await RunStore.open(':memory:', '/run');
  try {
    await byRows.commitRange(file(1), rows, [{ file: '/run/1.jsonl', line: 4, reason: 'not valid JSON' }]);
    await byColumns.commitBatch(file(1), joined, [{ file: '/run/1.jsonl', line: 4, reason: 'not valid JSON' }]);
    const expected = await dump(byRows);
    assert.equal((expected[0] as unknown[]).length, 2500);
    assert.deepEqual(await dump(byColumns), expected);
  } finally {
    byRows.close();
    byColumns.close();
  }
});

test('ranges committed together are stored as committed one at a time, each file recorded at its last range', async () => {
  const rows = Array.from({ length: 30 }, (_, i) => ({ ...row(i, i % 4 === 1), fileId: i < 20 ? 1 : 2 }));
  const at = (id: number, bytes: number, lines: number): IngestedFile => ({ ...file(id), size: 200, bytes, lines });
  const one = await RunStore.open(':memory:', '/run');
  const grouped = await RunStore.open(':memory:', '/run');
  try {
    // File 1 in two ranges (a grown file), file 2 in one, a problem in each of the three.
    const parts = [
      { file: at(1, 100, 10), batch: batchOf(rows.slice(0, 10)), problems: [{ file: '/run/1.jsonl', line: 3, reason: 'a' }] },
      { file: at(2, 50, 10), batch: batchOf(rows.slice(20)), problems: [{ file: '/run/2.jsonl', line: 5, reason: 'b' }] },
      { file: at(1, 180, 20), batch: batchOf(rows.slice(10, 20)), problems: [{ file: '/run/1.jsonl', line: 12, reason: 'c' }] },
    ];
    for (const p of parts) await one.commitBatch(p.file, p.batch, p.problems);
    await grouped.commitBatches(parts);
    const expected = await dump(one);
    assert.equal((expected[0] as unknown[]).length, 30);
    assert.deepEqual(
      (expected[2] as IngestedFile[]).map((f) => [f.id, f.bytes, f.lines]),
      [
        [1, 180, 20],
        [2, 50, 10],
      ],
    );
    assert.deepEqual(await dump(grouped), expected);
  } finally {
    one.close();
    grouped.close();
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

test('an ingest runs DuckDB on one thread, lets the WAL grow before a checkpoint, and gives both settings back', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'hopscope-runs-store-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'run');
  writeStep(dir, 1, stepRollouts(1, 3, 2, rng(5)));
  const store = await RunStore.open(':memory:', dir);
  try {
    const settings = async () =>
      (await store.query(`SELECT current_setting('threads')::INTEGER AS threads, current_setting('checkpoint_threshold') AS checkpoint`))[0]!;
    // Settings of the caller's own, which the ingest must give back as they were.
    await store.query(`SET threads = 3; SET checkpoint_threshold = '20MB'`);
    const before = await settings();
    assert.equal(before.threads, 3);
    let during: unknown;
    const pool = inProcessPool();
    const report = await ingestRun(dir, store, { ...pool, parse: async (req) => ((during ??= await settings()), pool.parse(req)) });
    assert.equal(report.rowsAdded, 6);
    assert.deepEqual(during, { threads: 1, checkpoint: '256.0 MiB' });
    assert.deepEqual(await settings(), before);
  } finally {
    store.close();
  }
});

/** A run of six small step files (3 prompts × 2 rollouts each) and an empty store for it, removed after the test. */
async function sixStepRun(t: TestContext): Promise<{ dir: string; store: RunStore }> {
  const root = mkdtempSync(join(tmpdir(), 'hopscope-runs-store-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'run');
  for (let step = 1; step <= 6; step++) writeStep(dir, step, stepRollouts(step, 3, 2, rng(step)));
  return { dir, store: await RunStore.open(':memory:', dir) };
}

test('parsed ranges wait until they hold commitRows rows, then go in together in one commit', async (t) => {
  const { dir, store } = await sixStepRun(t);
  try {
    const real = store.commitBatches.bind(store);
    const groups: number[][] = [];
    store.commitBatches = (items) => {
      groups.push(items.map((i) => i.batch.n));
      return real(items);
    };
    const progress: number[] = [];
    const report = await ingestRun(dir, store, inProcessPool(), { commitRows: 12, onProgress: (p) => progress.push(p.filesDone) });
    assert.equal(report.rowsAdded, 36);
    assert.ok(groups.length < 6, `fewer commits than files: ${JSON.stringify(groups)}`);
    // The first group formed while ranges were still to be handed out; once all are, each commits as it comes.
    assert.ok(groups[0]!.reduce((a, b) => a + b, 0) >= 12, `the first group holds 12 rows or more: ${JSON.stringify(groups)}`);
    assert.equal(groups.flat().length, 6, 'every file committed once');
    assert.deepEqual([progress[0], progress[progress.length - 1]], [0, 6]);
    assert.equal((await store.files()).length, 6);
  } finally {
    store.close();
  }
});

test('a commit that fails ends the ingest with its error and keeps the files committed before it', async (t) => {
  const { dir, store } = await sixStepRun(t);
  try {
    const real = store.commitBatches.bind(store);
    let calls = 0;
    store.commitBatches = (items) => (++calls === 2 ? Promise.reject(new Error('disk full')) : real(items));
    const pool = inProcessPool();
    // Each range committed on its own (commitRows 1), so the failed commit is the second file's.
    await assert.rejects(ingestRun(dir, store, pool, { commitRows: 1 }), /disk full/);
    const kept = await store.files();
    assert.ok(kept.length >= 1 && kept.length < 6, `some files kept, not all: ${kept.length}`);
    const [{ n }] = (await store.query('SELECT count(*)::INTEGER AS n FROM rollouts')) as [{ n: number }];
    assert.equal(n, kept.length * 6, 'the rows of exactly the files recorded');
    // The next ingest reads the rest.
    store.commitBatches = real;
    const again = await ingestRun(dir, store, pool);
    assert.equal(again.filesRead, 6 - kept.length);
    assert.equal((await store.files()).length, 6);
  } finally {
    store.close();
  }
});
