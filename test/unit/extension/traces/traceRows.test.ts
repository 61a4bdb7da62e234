/**
 * The Traces view's one interface over a file's rows (traceRows.ts): a large file held by the trace store
 * (parsed on real worker threads) answers every question exactly as a small file held in memory does: counts,
 * pages, facets, bad lines by number, the text search inside steps, a trajectory found by id and read by offset.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { configureTraceStore, forgetAllTraceRows, forgetTraceRows, traceRowsFor } from '../../../../src/extension/traces/traceRows';
import { MemoryRows } from '../../../../src/extension/traces/memoryRows';
import { StoreRows } from '../../../../src/extension/traces/storeRows';
import { traceStorePath } from '../../../../src/core/traces/traceStore';
import type { TableQuery } from '../../../../src/core/traces/tableFilter';
import type { TableRow, TableWindowQuery } from '../../../../src/protocol';
import { filterRows, sortRows } from '../../../../src/tableColumns';
import { DeepMatches, hostHoldsRows, tableWindow } from '../../../../src/extension/traces/tableWindow';
import { generatedTraceText } from '../../core/traces/generatedTraces';

const WORKER_TS = path.resolve(__dirname, '../../../../src/core/runs/worker.ts');
const STORE_WORKER_TS = path.resolve(__dirname, '../../../../src/core/storeHost/worker.ts');

test('a store-held file lists, counts, filters, searches and reads exactly as a memory-held one', { timeout: 60_000 }, async (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'hopscope-tracerows-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const boot = path.join(root, 'boot.cjs');
  writeFileSync(boot, `require(${JSON.stringify(require.resolve('tsx/cjs'))});\nrequire(${JSON.stringify(WORKER_TS)});\n`);
  // As in the extension: the store lives on the store worker, which starts the parse workers.
  const storeBoot = path.join(root, 'storeBoot.cjs');
  writeFileSync(storeBoot, `require(${JSON.stringify(require.resolve('tsx/cjs'))});\nrequire(${JSON.stringify(STORE_WORKER_TS)});\n`);
  const big = path.join(root, 'big.jsonl');
  const small = path.join(root, 'small.jsonl');
  const text = generatedTraceText(300, 21);
  writeFileSync(big, text);
  writeFileSync(small, text);
  configureTraceStore({ storageDir: path.join(root, 'storage'), workerFile: boot, storeWorkerFile: storeBoot, minBytes: Buffer.byteLength(text) });
  t.after(async () => {
    await forgetAllTraceRows();
    configureTraceStore(undefined);
  });
  writeFileSync(small, text.slice(0, -1)); // one byte under the threshold: held in memory
  const store = traceRowsFor(big);
  const mem = traceRowsFor(small);
  assert.ok(store instanceof StoreRows && mem instanceof MemoryRows, 'the size picks the holder');

  const batches: number[] = [];
  assert.equal(await store.update({ onBatch: (n) => batches.push(n) }), 300);
  assert.equal(await mem.update(), 300);
  assert.ok(batches.length >= 1);
  assert.deepEqual([store.total, store.problemCount, store.indexedBytes], [mem.total, mem.problemCount, Buffer.byteLength(text)]);
  assert.deepEqual(await store.problems(3), await mem.problems(3));
  assert.match((await store.problems(1))[0]!.reason, /not valid JSON/);

  const f = { failedOnly: true, minSearches: 1 };
  assert.deepEqual(await store.count(f), await mem.count(f));
  const strip = <T extends { length: number }>(xs: T[]) => xs.map((x) => ({ ...x, length: 0 }));
  assert.deepEqual(strip(await store.page(f, 'f1-desc', 3, 10)), strip(await mem.page(f, 'f1-desc', 3, 10)));
  assert.deepEqual(await store.facets({ text: 'film' }), await mem.facets({ text: 'film' }));

  const keys = (xs: string[]) => xs.map((k) => k.slice(k.indexOf('#') + 1));
  assert.deepEqual(keys(await store.search('Oriya cinema')), keys(await mem.search('Oriya cinema')));
  assert.ok((await store.search('Oriya cinema')).length > 0);
  assert.deepEqual(await store.find('t-17'), await mem.find('t-17'));
  const [first] = await store.page({}, 'latency-desc', 0, 1);
  assert.equal((await store.read(first!)).id, first!.id);

  // Refresh: the holder is let go of and a new one opens the same store at once; nothing is read again.
  forgetTraceRows(big);
  const again = traceRowsFor(big);
  assert.notEqual(again, store);
  assert.equal(await again.update(), 0);
  assert.equal((await again.count({})).shown, 300);
});

test('the table window of a store-held file equals the webview logic over every row (filters, numeric sorts, search ids)', { timeout: 60_000 }, async (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'hopscope-tablewindow-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const big = path.join(root, 'big.jsonl');
  const small = path.join(root, 'small.jsonl');
  const text = generatedTraceText(400, 5);
  writeFileSync(big, text);
  writeFileSync(small, text.slice(0, -1));
  configureTraceStore({ storageDir: path.join(root, 'storage'), minBytes: Buffer.byteLength(text) });
  t.after(async () => {
    await forgetAllTraceRows();
    configureTraceStore(undefined);
  });
  const store = traceRowsFor(big);
  const mem = traceRowsFor(small);
  await Promise.all([store.update(), mem.update()]);
  // The same rows but for the file name: compare everything else.
  const strip = (rows: TableRow[]) => rows.map((r) => ({ ...r, key: r.key.slice(r.key.indexOf('#')), path: '', file: '' }));
  const queries: TableQuery[] = [
    { filters: {} },
    { filters: { f1: '>=0.5' }, sort: { id: 'f1', dir: 'desc' } },
    { filters: { f1: '-' } },
    { filters: { searches: '1..2', verdict: '✗' }, sort: { id: 'latency', dir: 'asc' } },
    { filters: { latency: '<2' }, sort: { id: 'searches', dir: 'desc' } },
    { filters: { labels: 'gold', stopReason: 'max' }, sort: { id: 'verdict', dir: 'asc' } },
    { filters: { question: 'zÜrich', em: '=1' }, sort: { id: 'em', dir: 'desc' } },
    { filters: { verdict: '?' }, sort: { id: 'tokens', dir: 'asc' } },
    { filters: { file: ':1' }, sort: { id: 'file', dir: 'desc' } },
    { filters: { coverEm: 'abc' } },
    { filters: {}, sort: { id: 'f1', dir: 'asc' }, ids: ['t-3', 't-40', 't-5', 'nope'] },
  ];
  for (const q of queries) {
    const a = await store.tableWindow(q, 0, 1000);
    const b = await mem.tableWindow(q, 0, 1000);
    assert.equal(a.total, b.total, `count of ${JSON.stringify(q)}`);
    assert.deepEqual(strip(a.rows), strip(b.rows), JSON.stringify(q));
    assert.deepEqual(strip((await store.tableWindow(q, 9, 4)).rows), strip(b.rows.slice(9, 13)), `window 9..13 of ${JSON.stringify(q)}`);
  }
  assert.ok((await store.tableWindow({ filters: { f1: '>=0.5' } }, 0, 1)).total > 0);
});

test('the table over two files (one in the store, one in memory) shows the window the webview would cut from all their rows', { timeout: 60_000 }, async (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'hopscope-tablemerge-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const big = path.join(root, 'a-big.jsonl');
  const small = path.join(root, 'b-small.jsonl');
  writeFileSync(big, generatedTraceText(300, 11));
  writeFileSync(small, generatedTraceText(120, 12));
  configureTraceStore({ storageDir: path.join(root, 'storage'), minBytes: statSync(big).size });
  t.after(async () => {
    await forgetAllTraceRows();
    configureTraceStore(undefined);
  });
  const files = [big, small];
  await Promise.all(files.map((f) => traceRowsFor(f).update()));
  assert.ok(hostHoldsRows(files));
  const everything = (await Promise.all(files.map(async (f) => (await traceRowsFor(f).tableWindow({ filters: {} }, 0, 10_000)).rows))).flat();
  const deep = new DeepMatches();
  const queries: Array<Omit<TableWindowQuery, 'seq' | 'start' | 'count'>> = [
    { filters: {}, deep: '' },
    { filters: { f1: '>0' }, sort: { id: 'f1', dir: 'desc' }, deep: '' },
    { filters: { verdict: '✓' }, sort: { id: 'searches', dir: 'asc' }, deep: 'Oriya' },
  ];
  for (const q of queries) {
    let want = filterRows(everything, q.filters);
    if (q.deep) {
      const keys = new Set((await Promise.all(files.map((f) => traceRowsFor(f).search(q.deep)))).flat());
      want = want.filter((r) => keys.has(r.key));
    }
    if (q.sort) want = sortRows(want, q.sort.id, q.sort.dir);
    for (const [start, count] of [[0, 50], [280, 60], [400, 100]] as const) {
      const w = await tableWindow(files, { ...q, seq: 1, start, count }, deep);
      assert.equal(w.total, want.length, `total of ${JSON.stringify(q)}`);
      assert.equal(w.all, 300 + 120);
      assert.deepEqual(w.rows.map((r) => r.key), want.slice(start, start + count).map((r) => r.key), `${JSON.stringify(q)} rows ${start}+${count}`);
    }
  }
});

test('a store another process holds (a second window on the same file): this one reads into its own store and removes it after', { timeout: 60_000 }, async (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'hopscope-storelock-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const file = path.join(root, 'run.jsonl');
  writeFileSync(file, generatedTraceText(40, 2));
  const config = { storageDir: path.join(root, 'storage') };
  const first = new StoreRows(file, config);
  await first.update();
  await first.dispose();
  const shared = traceStorePath(config.storageDir, file);
  const holder = spawn(process.execPath, ['-e', `import('@duckdb/node-api').then(async (d) => { await (await d.DuckDBInstance.create(${JSON.stringify(shared)})).connect(); console.log('held'); setInterval(() => {}, 1000); })`], {
    cwd: path.resolve(__dirname, '../../../..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(() => holder.kill());
  await new Promise((resolve) => holder.stdout!.once('data', resolve));
  const second = new StoreRows(file, config);
  assert.equal(await second.update(), 40, 'read whole into a store of its own');
  assert.equal((await second.count({})).shown, 40);
  assert.equal(readdirSync(path.dirname(shared)).filter((f) => f.endsWith('.duckdb')).length, 2);
  await second.dispose();
  assert.deepEqual(readdirSync(path.dirname(shared)), [path.basename(shared)], 'its own store is gone, the shared one stays');
});
