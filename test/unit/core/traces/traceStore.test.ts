/**
 * The trace store answers the Traces view's questions exactly as the in-memory index does on the same file:
 * counts, pages under every sort, filters, label and stop-reason counts; it reads only what a batch appended,
 * keeps what a cancelled read committed, and names bad lines by number.
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CancelledError } from '../../../../src/core/errors';
import { SORT_LABELS, type TraceFilter, type TraceSort } from '../../../../src/core/traces/filter';
import { ingestTraceFile } from '../../../../src/core/traces/ingestTrace';
import { inProcessTracePool } from '../../../../src/core/runs/pool';
import { TraceStore } from '../../../../src/core/traces/traceStore';
import type { TrajectorySummary } from '../../../../src/core/traces/summary';
import { TraceFileIndex } from '../../../../src/extension/traces/traceFileIndex';
import { filterAndSort, matches } from '../../../../src/extension/traces/traceFilter';
import { generatedTraceText, generatedTrajectory, rng } from './generatedTraces';

function setup(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'hopscope-tracestore-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, file: join(dir, 'traces.jsonl'), storePath: join(dir, 'store', 'x.duckdb') };
}

/** Everything but the byte length (the in-memory index counts the newline in it). */
const comparable = (s: TrajectorySummary) => ({ ...s, length: 0 });

const FILTERS: TraceFilter[] = [
  {},
  { failedOnly: true },
  { stopReason: 'max_turns' },
  { minSearches: 2 },
  { minSearches: 1, maxSearches: 2 },
  { label: 'ignored_gold' },
  { text: 'zürich' },
  { text: 'ÉCOLE' },
  { text: 't-5' },
  { failedOnly: true, label: 'no_search', maxSearches: 1 },
];

test('counts, every sort, filters and facets equal the in-memory filterAndSort on the same file', async (t) => {
  const { file, storePath } = setup(t);
  writeFileSync(file, generatedTraceText(600));
  const mem = new TraceFileIndex(file);
  await mem.update();
  const store = await TraceStore.open(storePath, file);
  t.after(() => store.close());
  // Small ranges, so the file is cut (and committed) in many pieces.
  await ingestTraceFile(file, store, inProcessTracePool(), { rangeBytes: 20_000, firstRangeBytes: 3_000 });

  assert.equal(store.state.rows, 600);
  assert.equal(store.state.rows, mem.summaries.length);
  assert.deepEqual(await store.problems(100), mem.problems);
  for (const f of FILTERS) {
    const expected = filterAndSort(mem.summaries, f, 'file');
    const { shown, failed } = await store.count(f);
    assert.equal(shown, expected.length, `count of ${JSON.stringify(f)}`);
    assert.equal(failed, expected.filter((s) => s.verdict === false).length, `failed of ${JSON.stringify(f)}`);
    for (const sort of Object.keys(SORT_LABELS) as TraceSort[]) {
      const want = filterAndSort(mem.summaries, f, sort);
      assert.deepEqual((await store.page(f, sort, 0, 1000)).map(comparable), want.map(comparable), `${JSON.stringify(f)} by ${sort}`);
      assert.deepEqual((await store.page(f, sort, 7, 5)).map((s) => s.line), want.slice(7, 12).map((s) => s.line), `page 7..12 of ${JSON.stringify(f)} by ${sort}`);
    }
    const facets = await store.facets(f);
    const labels = new Map<string, number>();
    const stops = new Map<string, number>();
    for (const s of mem.summaries) {
      for (const l of s.labels) labels.set(l, (labels.get(l) ?? 0) + (matches(s, { ...f, label: undefined }) ? 1 : 0));
      if (matches(s, { ...f, stopReason: undefined })) stops.set(s.stopReason, (stops.get(s.stopReason) ?? 0) + 1);
    }
    assert.deepEqual(facets.labels, labels, `label counts within ${JSON.stringify(f)}`);
    assert.deepEqual(facets.stops, stops, `stop counts within ${JSON.stringify(f)}`);
  }
  // A duplicated id finds its first occurrence, as the in-memory index does.
  assert.deepEqual(comparable((await store.byId('t-5'))!), comparable(mem.byId('t-5')!));
});

test('a grown file adds only the new lines; a half-written last line waits; a rewrite is read again', async (t) => {
  const { file, storePath } = setup(t);
  const random = rng(3);
  const line = (i: number) => `${JSON.stringify(generatedTrajectory(i, random))}\n`;
  writeFileSync(file, line(0) + line(1) + 'not json\n');
  const store = await TraceStore.open(storePath, file);
  t.after(() => store.close());
  const pool = inProcessTracePool();
  assert.equal((await ingestTraceFile(file, store, pool)).rowsAdded, 2);
  assert.deepEqual(await store.problems(10), [{ line: 3, reason: 'not valid JSON' }]);

  const half = line(3);
  appendFileSync(file, line(2) + half.slice(0, 40));
  const r = await ingestTraceFile(file, store, pool);
  assert.deepEqual([r.rowsAdded, r.reread], [1, false]);
  assert.deepEqual((await store.page({}, 'file', 0, 10)).map((s) => [s.id, s.line]), [['t-0', 1], ['t-1', 2], ['t-2', 4]]);
  appendFileSync(file, half.slice(40));
  assert.equal((await ingestTraceFile(file, store, pool)).rowsAdded, 1);
  assert.deepEqual((await store.page({}, 'file', 3, 10)).map((s) => [s.id, s.line]), [['t-3', 5]]);
  assert.equal((await ingestTraceFile(file, store, pool)).rowsAdded, 0, 'nothing new: nothing read');

  // Rewritten in place with other content: read again from the start.
  writeFileSync(file, line(7) + line(8) + line(9) + line(10) + line(11));
  const again = await ingestTraceFile(file, store, pool);
  assert.deepEqual([again.reread, store.state.rows, store.state.problems], [true, 5, 0]);
  assert.deepEqual((await store.page({}, 'file', 0, 10)).map((s) => s.id), ['t-7', 't-8', 't-9', 't-10', 't-11']);

  // The store survives a reopen: the next read starts where the last stopped.
  await store.close();
  const reopened = await TraceStore.open(storePath, file);
  t.after(() => reopened.close());
  assert.equal(reopened.state.rows, 5);
  appendFileSync(file, line(12));
  assert.equal((await ingestTraceFile(file, reopened, pool)).rowsAdded, 1);
});

test('a cancelled read keeps the ranges it committed and the next read picks up the rest', async (t) => {
  const { file, storePath } = setup(t);
  writeFileSync(file, generatedTraceText(400, 9));
  const store = await TraceStore.open(storePath, file);
  t.after(() => store.close());
  const stop = new AbortController();
  let commits = 0;
  await assert.rejects(
    ingestTraceFile(file, store, inProcessTracePool(), {
      rangeBytes: 30_000,
      firstRangeBytes: 3_000,
      signal: stop.signal,
      onProgress: () => {
        if (++commits === 3) stop.abort();
      },
    }),
    CancelledError,
  );
  const kept = store.state.rows;
  assert.ok(kept > 0 && kept < 400, `kept ${kept} of 400`);
  assert.equal((await store.count({})).shown, kept);
  const rest = await ingestTraceFile(file, store, inProcessTracePool(), { rangeBytes: 30_000 });
  assert.equal(rest.rowsAdded, 400 - kept);
  const mem = new TraceFileIndex(file);
  await mem.update();
  assert.deepEqual((await store.page({}, 'file', 0, 1000)).map(comparable), mem.summaries.map(comparable));
  assert.deepEqual(await store.problems(100), mem.problems);
});
