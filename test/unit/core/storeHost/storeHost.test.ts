/**
 * The store worker (src/core/storeHost): a trace store on the worker thread (the TypeScript entry through tsx)
 * answers every question exactly as the same store in this thread; a crashed worker is an error saying what to
 * do, never a hang; a closed store or host refuses requests; an ingest stops when asked; the Run Summary made
 * on the worker is the one made here; a run store on the worker reads a run as one here does; the worker refuses
 * a message that is not one of the protocol's.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test, type TestContext } from 'node:test';
import { CancelledError, HopscopeError } from '../../../../src/core/errors';
import { StoreHost } from '../../../../src/core/storeHost/client';
import { isStoreMessage, isStoreReply } from '../../../../src/core/storeHost/protocol';
import { runReport, type RunReportOptions } from '../../../../src/core/traces/runReport';
import { LocalTraceStore, type TraceStoreHandle } from '../../../../src/core/traces/storeHandle';
import type { TableQuery } from '../../../../src/core/traces/tableFilter';
import { generatedTraceText } from '../traces/generatedTraces';
import { LocalRunStore } from '../../../../src/core/storeHost/runStoreHandle';
import { stepGroups } from '../../../../src/core/runs/queries';
import { runSummary } from '../../../../src/core/runs/summary';
import { rng, stepRollouts, writeStep } from '../runs/generatedRun';

const STORE_WORKER_TS = path.resolve(__dirname, '../../../../src/core/storeHost/worker.ts');
const PARSE_WORKER_TS = path.resolve(__dirname, '../../../../src/core/runs/worker.ts');

/** A temporary folder with a generated trace file and CommonJS bootstraps that start the TypeScript workers. */
function setup(t: TestContext, n = 300): { root: string; file: string; boot: string; parseBoot: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'hopscope-storehost-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const tsx = `require(${JSON.stringify(require.resolve('tsx/cjs'))});\n`;
  const boot = path.join(root, 'storeBoot.cjs');
  // The test's worker dies when asked to open a store named crash.duckdb (a crash on demand), before the real entry sees it.
  writeFileSync(
    boot,
    `${tsx}require('node:worker_threads').parentPort.on('message', (m) => { if (m && m.op === 'open' && m.path.endsWith('crash.duckdb')) process.exit(3); });\nrequire(${JSON.stringify(STORE_WORKER_TS)});\n`,
  );
  const parseBoot = path.join(root, 'parseBoot.cjs');
  writeFileSync(parseBoot, `${tsx}require(${JSON.stringify(PARSE_WORKER_TS)});\n`);
  const file = path.join(root, 'big.jsonl');
  writeFileSync(file, generatedTraceText(n, 31));
  return { root, file, boot, parseBoot };
}

/** Every question the Traces view asks a store, answered by `s`. */
async function answers(s: TraceStoreHandle, file: string) {
  const q: TableQuery = { filters: { f1: '>=0.5' }, sort: { id: 'f1', dir: 'desc' } };
  return {
    state: { ...s.state, ino: 0 },
    count: await s.count({ failedOnly: true, minSearches: 1 }),
    page: await s.page({ text: 'film' }, 'f1-desc', 2, 20),
    table: await s.tableWindow(q, path.basename(file), 3, 15),
    byId: await s.byId('t-17'),
    missing: await s.byId('nope'),
    facets: await s.facets({}),
    problems: await s.problems(5),
    search: await s.search(file, 'Oriya cinema', {}),
    none: await s.search(file, 'no such words anywhere', {}),
  };
}

test('a store on the worker answers every question as the same store in this thread', { timeout: 90_000 }, async (t) => {
  const { root, file, boot, parseBoot } = setup(t);
  const host = new StoreHost(boot);
  t.after(() => host.close());
  const local = await LocalTraceStore.open(path.join(root, 'local.duckdb'), file);
  const remote = await host.openTraceStore(path.join(root, 'remote.duckdb'), file);
  try {
    const progress: number[] = [];
    // Small ranges, parsed on parse workers the store worker starts: several commits, each reported.
    const a = await remote.ingest(file, { workerFile: parseBoot, rangeBytes: 64 * 1024, firstRangeBytes: 16 * 1024, onProgress: (p) => progress.push(p.state.rows) });
    const b = await local.ingest(file, {});
    assert.deepEqual(a, b);
    assert.equal(a.rowsAdded, 300);
    assert.ok(progress.length >= 2, `progress after each range (${progress.length})`);
    assert.equal(remote.state.rows, 300, 'the state this side sees follows the worker');
    const [x, y] = [await answers(remote, file), await answers(local, file)];
    assert.deepEqual(x, y);
    assert.ok(x.search.length > 0 && x.page.length > 0 && x.facets.labels.size > 0 && x.problems.length > 0, 'the answers are not empty');
    // Nothing appended: nothing read again.
    assert.equal((await remote.ingest(file, {})).rowsAdded, 0);
    // A question that cannot cross to the worker fails alone; the store goes on answering.
    await assert.rejects(remote.count({ text: (() => 'x') as unknown as string }), /cannot send the request to the trace store worker/);
    assert.equal((await remote.count({})).shown, (await local.count({})).shown);
  } finally {
    await Promise.all([local.close(), remote.close()]);
  }
});

test('a crashed worker fails its requests with what to do, and the next store opens on a new worker', { timeout: 90_000 }, async (t) => {
  const { root, file, boot } = setup(t, 50);
  const host = new StoreHost(boot);
  t.after(() => host.close());
  const before = await host.openTraceStore(path.join(root, 'a.duckdb'), file);
  await assert.rejects(host.openTraceStore(path.join(root, 'crash.duckdb'), file), (e: unknown) => {
    assert.ok(e instanceof HopscopeError);
    assert.match(e.describe(), /trace store worker stopped \(exit 3\).*refresh the Traces view/);
    return true;
  });
  // A store of the dead worker: refused at once with the same words, not left waiting.
  await assert.rejects(before.count({}), /trace store worker stopped.*/);
  const after = await host.openTraceStore(path.join(root, 'b.duckdb'), file);
  assert.equal((await after.ingest(file, {})).rowsAdded, 50);
  assert.equal((await after.count({})).shown, 50);
  await after.close();
});

test('a closed store and a closed host refuse requests; a stopped ingest is a cancel, and keeps what it committed', { timeout: 90_000 }, async (t) => {
  const { root, file, boot } = setup(t, 400);
  const host = new StoreHost(boot);
  const s = await host.openTraceStore(path.join(root, 'a.duckdb'), file);
  const abort = new AbortController();
  await assert.rejects(
    s.ingest(file, { rangeBytes: 32 * 1024, firstRangeBytes: 8 * 1024, signal: abort.signal, onProgress: () => abort.abort() }),
    (e: unknown) => e instanceof CancelledError,
  );
  const kept = (await s.count({})).shown;
  assert.ok(kept > 0 && kept < 400, `the committed ranges stay (${kept})`);
  assert.equal((await s.ingest(file, {})).rowsAdded, 400 - kept, 'the next read goes on from there');
  await s.close();
  await assert.rejects(s.count({}), /trace store .*a\.duckdb is closed/);
  await host.close();
  await assert.rejects(host.openTraceStore(path.join(root, 'b.duckdb'), file), /trace store host is closed/);
});

test('the Run Summary made on the store worker is the one made on the extension host', { timeout: 90_000 }, async (t) => {
  const { file, boot } = setup(t, 250);
  writeFileSync(file, `${generatedTraceText(250, 9)}`);
  const host = new StoreHost(boot);
  t.after(() => host.close());
  const options: RunReportOptions = { title: 'Run summary: big.jsonl', nonce: 'n0nce', generatedAt: '2026-11-29 01:00 UTC', listAll: 5000, openCommand: 'hopscope.test.open' };
  const here = await runReport(file, options);
  const there = await host.runReport(file, options);
  assert.deepEqual(there, here);
  assert.ok(here.skipped > 0, 'the bad lines are counted');
  assert.match(here.html, /command:hopscope\.test\.open\?/);
  assert.ok((here.html.match(/<tr/g) ?? []).length > 200, 'every trajectory is listed');
});

test('a run store on the worker reads a run and answers its queries as the same store in this thread', { timeout: 90_000 }, async (t) => {
  const { root, boot, parseBoot } = setup(t, 1);
  const dir = path.join(root, 'run');
  const random = rng(5);
  for (const step of [1, 2, 3]) writeStep(dir, step, stepRollouts(step, 4, 3, random));
  const host = new StoreHost(boot);
  t.after(() => host.close());
  const remote = await host.openRunStore(path.join(root, 'remote.duckdb'), dir);
  const local = await LocalRunStore.open(path.join(root, 'local.duckdb'), dir);
  try {
    const progress: number[] = [];
    const a = await remote.ingest(dir, { workerFile: parseBoot, onProgress: (p) => progress.push(p.filesDone) });
    assert.deepEqual(a, await local.ingest(dir, {}));
    assert.equal(a.rowsAdded, 36);
    // Ranges that finish while a commit runs go in with the next one (runs/ingest.ts), so a step may be skipped.
    assert.equal(progress[0], 0);
    assert.equal(progress.at(-1), 3);
    assert.ok(progress.every((n, i) => i === 0 || n > progress[i - 1]!), `files done only grow: ${progress.join(', ')}`);
    assert.deepEqual(await runSummary(remote), await runSummary(local));
    assert.deepEqual(await stepGroups(remote, 2), await stepGroups(local, 2));
    assert.equal((await runSummary(remote)).length, 3);
  } finally {
    await Promise.all([remote.close(), local.close()]);
  }
  await assert.rejects(runSummary(remote), /run store .*remote\.duckdb is closed.*/);
});

test('the protocol accepts only its own messages', () => {
  assert.ok(isStoreMessage({ id: 1, op: 'query', store: 2, method: 'count', args: [{}] }));
  assert.ok(isStoreMessage({ id: 3, op: 'cancel' }));
  assert.ok(!isStoreMessage({ id: 1, op: 'query', store: 2, method: 'close', args: [] }), 'only the read-only questions are queries');
  assert.ok(!isStoreMessage({ id: 1, op: 'query', store: 2, method: 'constructor', args: [] }));
  assert.ok(!isStoreMessage({ id: 0, op: 'open', path: 'a', traceFile: 'b' }), 'ids are positive');
  assert.ok(!isStoreMessage({ id: 1, op: 'ingest', store: 1, file: 'f', options: { rangeBytes: 'big' } }));
  assert.ok(!isStoreMessage({ id: 1, op: 'drop', store: 1 }));
  assert.ok(isStoreMessage({ id: 1, op: 'runQuery', run: 1, sql: 'SELECT 1', params: [1, 'a', null, true] }));
  assert.ok(!isStoreMessage({ id: 1, op: 'runQuery', run: 1, sql: 'SELECT 1', params: [{}] }));
  assert.ok(isStoreReply({ id: 1, kind: 'failed', error: { name: 'InputError', message: 'x' } }));
  assert.ok(!isStoreReply({ id: 1, kind: 'failed', error: 'x' }));
  assert.ok(!isStoreReply({ id: 1, kind: 'done' }));
});
