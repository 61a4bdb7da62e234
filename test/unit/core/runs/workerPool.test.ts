/** The ingest workers (real worker threads, the TypeScript entry through tsx) give the rows the in-process parser gives. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { openRun } from '../../../../src/core/runs/open';
import { parseRouted, SharedRange } from '../../../../src/core/runs/ingest';
import { PromptRouter } from '../../../../src/core/runs/promptRoute';
import { parseRange, readRange, routeLines, type RangeRequest } from '../../../../src/core/runs/parseRange';
import { workerPool, type ParsePool } from '../../../../src/core/runs/pool';
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

/** `width` workers in this thread (the routing needs two or more). */
function wideInProcessPool(width: number): ParsePool {
  return { width, parse: (req) => parseRange(req), close: async () => undefined };
}

test('a range parsed as routed parts gives the rows, line numbers and problems of one parse', async (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'hopscope-runs-routed-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const file = writeStep(path.join(root, 'run'), 5, stepRollouts(5, 7, 3, rng(8)));
  // A broken line, a blank one, then a last line the trainer is still writing.
  appendFileSync(file, '{"output": \n\n' + stepRollouts(5, 2, 2, rng(9)).map((r) => r.line).join('\n') + '\n{"input": "Question: half');
  const req = { file, fileId: 1, fileStep: 5, start: 0, length: statSync(file).size, firstLine: 1, runId: 'run', createdAt: '' };
  const whole = await parseRange(req);
  for (const ways of [2, 3, 7]) {
    const { head, ...routed } = await parseRouted(wideInProcessPool(ways), req, new PromptRouter(ways), new SharedRange());
    assert.deepEqual(routed, whole, `${ways} workers`);
    // From the file's start, the file's head hash comes with it (as the ingest's own read of the head gives it).
    assert.equal(head, createHash('sha1').update(readFileSync(file).subarray(0, Math.min(4096, whole.consumed))).digest('hex'));
  }
  assert.equal(whole.problems[0]!.line, 22);
  assert.equal(whole.lines, 27, 'the unfinished line is not counted');
  // Where the runtime has no shared memory, each worker reads the range itself: the same parse.
  const unshared = new (class extends SharedRange {
    override take(): undefined {
      return undefined;
    }
  })();
  const { head: _, ...routedUnshared } = await parseRouted(wideInProcessPool(2), req, new PromptRouter(2), unshared);
  assert.deepEqual(routedUnshared, whole, 'without shared memory');
  // A range that starts after a line the previous ingest took whole (its newline comes first).
  const after = { ...req, start: 0, afterUnterminated: true };
  const { head, ...routedAfter } = await parseRouted(wideInProcessPool(2), { ...after, start: 1, length: after.length - 1 }, new PromptRouter(2), new SharedRange());
  assert.deepEqual(routedAfter, await parseRange({ ...after, start: 1, length: after.length - 1 }));
  assert.equal(head, undefined, 'a range from further in has no head');
});

test('every rollout of a prompt goes to one worker across step files, and the workers get equal shares', async (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'hopscope-runs-route-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = path.join(root, 'run');
  const random = rng(21);
  // 40 prompts a step drawn from a pool of 80: most come back in a later step, as in a run's later epochs.
  const files = [1, 2, 3].map((step) => writeStep(dir, step, stepRollouts(step, 40, 4, random)));
  const router = new PromptRouter(2);
  const workerOfGroup = new Map<string, number>();
  const filesOfGroup = new Map<string, Set<number>>();
  const rowsOf = [0, 0];
  for (const [i, file] of files.entries()) {
    const req: RangeRequest = { file, fileId: i, fileStep: i + 1, start: 0, length: statSync(file).size, firstLine: 1, runId: 'run', createdAt: '' };
    const lines = routeLines(await readRange(req), req, router);
    for (const worker of [0, 1]) {
      const part = await parseRange({ ...req, route: { lines, worker } });
      rowsOf[worker]! += part.rows.n;
      for (const g of part.rows.group) {
        assert.equal(workerOfGroup.get(g) ?? worker, worker, `the rollouts of group ${g} meet one worker`);
        workerOfGroup.set(g, worker);
        filesOfGroup.set(g, (filesOfGroup.get(g) ?? new Set()).add(i));
      }
    }
  }
  assert.ok([...filesOfGroup.values()].filter((f) => f.size > 1).length >= 20, 'prompts recur across the files');
  assert.equal(rowsOf[0]! + rowsOf[1]!, 480);
  assert.ok(Math.abs(rowsOf[0]! - rowsOf[1]!) <= 16, `balanced: ${rowsOf.join(' / ')}`);
});

test('lines that do not open with their prompt go to the lightest worker', async (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'hopscope-runs-route-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  // OpenRLHF-style lines with the response first: no prompt to keep together, only the balance.
  const file = path.join(root, '3.jsonl');
  writeFileSync(file, stepRollouts(3, 20, 4, rng(2)).map((r) => { const o = JSON.parse(r.line) as Record<string, unknown>; return JSON.stringify({ output: o.output, input: o.input, score: o.score }); }).join('\n') + '\n');
  const req: RangeRequest = { file, fileId: 1, fileStep: 3, start: 0, length: statSync(file).size, firstLine: 1, runId: 'run', createdAt: '' };
  const lines = routeLines(await readRange(req), req, new PromptRouter(2));
  const bytes = [0, 0];
  const text = readFileSync(file, 'utf8').split('\n');
  lines.forEach((w, k) => (bytes[w]! += Buffer.byteLength(text[k]!)));
  assert.ok(Math.abs(bytes[0]! - bytes[1]!) <= Math.max(...text.map((l) => Buffer.byteLength(l))), `balanced to a line: ${bytes.join(' / ')}`);
});

test('a prompt leaves its worker when that worker gets too far ahead', () => {
  const router = new PromptRouter(2);
  // One prompt with a huge share of the bytes: it cannot keep one worker busy while the other waits.
  const seen = new Set<number>();
  for (let i = 0; i < 400; i++) seen.add(router.route(7, 1 << 20));
  assert.deepEqual([...seen].sort(), [0, 1]);
});
