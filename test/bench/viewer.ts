/**
 * `npm run bench:viewer [-- --huge] [-- --keep]`: how the trace viewer copes with large rollout files and long trajectories.
 *  1. The 1,390 real R1-Searcher rollouts (test/fixtures/importers/r1searcher/full, imported with
 *     src/core/importers) and a generated 20,000-trajectory file, opened the way the Traces view opens
 *     them (traces/traceFileIndex.ts, streamed): time to the first tree items, to the whole index,
 *     memory held, a filter+sort over every trajectory, and reading one trajectory on demand.
 *  2. Large files through the trace store (traces/traceRows.ts → storeRows.ts: DuckDB, parsed on the
 *     bundled worker threads): the real file, a generated 100,000-trajectory file (~1.6 GB) and with
 *     --huge a 500,000-trajectory one (~7.8 GB): time to the first tree rows, to fully indexed, the main
 *     thread's longest stall while loading (perf_hooks.monitorEventLoopDelay), heap held, a sort by F1 with
 *     a filter over all rows, a table window deep in the F1 order, and one trajectory read by offset. The
 *     generated files live under test-output/bench/viewer and are deleted afterwards (--keep keeps them).
 *  3. A 50-search × 10-document trajectory rendered by the built webview bundle in Chromium: time to
 *     the first steps, to all steps, and the longest main-thread task.
 * `--sizes=N,M` replaces the generated sizes. Prints tables; asserts nothing. Needs the bundle (npm run bench:viewer builds it first).
 */
import { createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { execFile } from 'node:child_process';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { availableParallelism, loadavg } from 'node:os';
import { configureTraceStore, forgetAllTraceRows, traceRowsFor } from '../../src/extension/traces/traceRows';
import { importFile } from '../../src/core/importers';
import type { Trajectory } from '../../src/core/trace';
import { TraceFileIndex } from '../../src/extension/traces/traceFileIndex';
import { filterAndSort, TREE_PAGE } from '../../src/extension/traces/traceFilter';
import { ROOT, TEST_OUTPUT } from '../support/paths';
import { closeBrowser, openViewer } from '../webview/harness';
import { bigTrajectory } from '../webview/sample';

const OUT = join(TEST_OUTPUT, 'bench', 'viewer');
const FULL = join(ROOT, 'test', 'fixtures', 'importers', 'r1searcher', 'full');

const ms = (n: number) => `${n.toFixed(1)} ms`;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

async function writeLines(file: string, items: Iterable<Trajectory>): Promise<void> {
  const out = createWriteStream(file);
  for (const t of items) if (!out.write(`${JSON.stringify(t)}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

async function realRollouts(): Promise<Trajectory[]> {
  const all: Trajectory[] = [];
  for (const name of readdirSync(FULL).filter((n) => n.endsWith('.jsonl.gz')).sort()) {
    const r = await importFile(join(FULL, name));
    all.push(...r.trajectories);
  }
  return all;
}

function* generated(base: Trajectory[], n: number): Generator<Trajectory> {
  for (let i = 0; i < n; i++) {
    const t = base[i % base.length];
    yield { ...t, id: `gen-${i}`, question: `${t.question} [#${i}]`, timing: { totalMs: 500 + ((i * 7919) % 20000) } };
  }
}

interface OpenFigures {
  file: string;
  size: number;
  trajectories: number;
  firstItemsMs: number;
  indexMs: number;
  heapMb: number;
  filterSortMs: number;
  readOneMs: number;
}

async function openLikeTheTree(file: string): Promise<OpenFigures> {
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  let firstItemsMs = -1;
  const idx = new TraceFileIndex(file);
  await idx.update({
    onBatch: () => {
      if (firstItemsMs < 0) {
        // What the tree does for its first repaint: filter/sort what is known, take one page.
        filterAndSort(idx.summaries, {}, 'file').slice(0, TREE_PAGE);
        firstItemsMs = performance.now() - t0;
      }
    },
  });
  const indexMs = performance.now() - t0;
  global.gc?.();
  const heapMb = (process.memoryUsage().heapUsed - heap0) / 1024 / 1024;
  // The second of two filter+sort passes: what typing into the text filter costs once it has run once.
  filterAndSort(idx.summaries, { failedOnly: true, text: 'the' }, 'f1-asc');
  const f0 = performance.now();
  filterAndSort(idx.summaries, { failedOnly: true, text: 'who' }, 'f1-asc');
  const filterSortMs = performance.now() - f0;
  const r0 = performance.now();
  await idx.read(idx.summaries[Math.floor(idx.summaries.length / 2)]);
  const readOneMs = performance.now() - r0;
  return { file, size: statSync(file).size, trajectories: idx.summaries.length, firstItemsMs, indexMs, heapMb, filterSortMs, readOneMs };
}

interface StoreFigures {
  file: string;
  size: number;
  trajectories: number;
  /** Where the store lived: the store worker (the extension) or the main thread (before issue 13's store worker). */
  host: 'worker' | 'main';
  /** The first store opened in the process: DuckDB's native module loaded, the store opened, a first count. */
  openMs: number;
  /** The main thread's longest stall during that first open. */
  openStallMs: number;
  /**
   * Time the main thread's event loop was busy (not waiting for events) during that first open: unlike the stall,
   * not inflated by the OS running other processes' threads on a loaded machine.
   */
  openBusyMs: number;
  /** The longest event-loop delay of the same process doing nothing for 3 s just before: what the machine's load alone gives. */
  idleStallMs: number;
  /** The main thread's busy time over the whole read of the file. */
  busyMs: number;
  /**
   * The longest time the main thread's event loop was busy between two 5 ms ticks over the whole read: code that
   * held it, as opposed to a stall where the OS ran other threads (the stall counts both).
   */
  busySpanMs: number;
  firstRowsMs: number;
  indexMs: number;
  stallMs: number;
  p99Ms: number;
  heapMb: number;
  sortFilterMs: number;
  tableWindowMs: number;
  readOneMs: number;
  reopenMs: number;
  /** The text search inside every trajectory's steps (deep search), and the main thread's longest stall meanwhile. */
  searchMs?: number;
  searchStallMs?: number;
  searchBusySpanMs?: number;
}

/** Watches the main thread's busy time between 5 ms ticks; `stop` gives the longest. */
function busySpans(): { stop(): number } {
  let last = performance.eventLoopUtilization();
  let max = 0;
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    max = Math.max(max, performance.eventLoopUtilization(now, last).active);
    last = now;
  }, 5);
  return {
    stop() {
      clearInterval(timer);
      return max;
    },
  };
}

/**
 * Opens `file` as the Traces view does for a large file (the trace store) while a timer measures how long the
 * main thread is ever held: the first page of the tree, then the whole file; then the queries the view makes.
 */
async function openThroughTheStore(file: string, storageDir: string, host: 'worker' | 'main', search: boolean): Promise<StoreFigures> {
  rmSync(storageDir, { recursive: true, force: true });
  const dist = join(ROOT, 'dist');
  configureTraceStore({ storageDir, workerFile: join(dist, 'runsWorker.js'), storeWorkerFile: host === 'worker' ? join(dist, 'storeWorker.js') : undefined, minBytes: 0 });
  const idle = monitorEventLoopDelay({ resolution: 5 });
  idle.enable();
  await new Promise((r) => setTimeout(r, 3000));
  idle.disable();
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const stalls = monitorEventLoopDelay({ resolution: 5 });
  stalls.enable();
  const elu0 = performance.eventLoopUtilization();
  const spans = busySpans();
  const t0 = performance.now();
  const rows = traceRowsFor(file);
  // The first open of the process, DuckDB's first load included (once per window): what the main thread feels of it.
  const opening = monitorEventLoopDelay({ resolution: 5 });
  opening.enable();
  await rows.count({});
  opening.disable();
  const openMs = performance.now() - t0;
  const openBusyMs = performance.eventLoopUtilization(elu0).active;
  let firstRowsMs = -1;
  let first: Promise<void> | undefined;
  const done = rows.update({
    onBatch: () => {
      // What the tree does on its first repaint: one page and the counts, by SQL.
      first ??= Promise.all([rows.page({}, 'file', 0, TREE_PAGE), rows.count({})]).then(([page]) => {
        if (page.length) firstRowsMs = performance.now() - t0;
      });
    },
  });
  await done;
  await first;
  const indexMs = performance.now() - t0;
  const busyMs = performance.eventLoopUtilization(elu0).active;
  const busySpanMs = spans.stop();
  stalls.disable();
  global.gc?.();
  const heapMb = (process.memoryUsage().heapUsed - heap0) / 1024 / 1024;
  const trajectories = rows.total;
  const q0 = performance.now();
  await Promise.all([rows.page({ failedOnly: true, text: 'who' }, 'f1-asc', 0, TREE_PAGE), rows.count({ failedOnly: true, text: 'who' })]);
  const sortFilterMs = performance.now() - q0;
  const w0 = performance.now();
  await rows.tableWindow({ filters: { searches: '>=1' }, sort: { id: 'f1', dir: 'desc' } }, Math.floor(trajectories / 2), 300);
  const tableWindowMs = performance.now() - w0;
  const [mid] = await rows.page({}, 'file', Math.floor(trajectories / 2), 1);
  const r0 = performance.now();
  await rows.read(mid!);
  const readOneMs = performance.now() - r0;
  let searchMs: number | undefined;
  let searchStallMs: number | undefined;
  let searchBusySpanMs: number | undefined;
  if (search) {
    const during = monitorEventLoopDelay({ resolution: 5 });
    during.enable();
    const searchSpans = busySpans();
    const s0 = performance.now();
    await rows.search('director');
    searchMs = performance.now() - s0;
    during.disable();
    searchStallMs = during.max / 1e6;
    searchBusySpanMs = searchSpans.stop();
  }
  await forgetAllTraceRows();
  // A new window (or a reload) on the same file: the store is there, nothing is read again.
  const o0 = performance.now();
  const again = traceRowsFor(file);
  await again.update();
  await again.page({}, 'f1-desc', 0, TREE_PAGE);
  const reopenMs = performance.now() - o0;
  await forgetAllTraceRows();
  configureTraceStore(undefined);
  return { file, size: statSync(file).size, trajectories, host, openMs, openStallMs: opening.max / 1e6, openBusyMs, idleStallMs: idle.max / 1e6, busyMs, busySpanMs, searchMs, searchStallMs, searchBusySpanMs, firstRowsMs, indexMs, stallMs: stalls.max / 1e6, p99Ms: stalls.percentile(99) / 1e6, heapMb, sortFilterMs, tableWindowMs, readOneMs, reopenMs };
}

/** The in-memory index's longest main-thread stall on the same file, for the table beside the store's. */
interface MemoryFigures {
  indexMs: number;
  stallMs: number;
  p99Ms: number;
  heapMb: number;
  sortMs: number;
}

async function memoryStall(file: string): Promise<MemoryFigures> {
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const stalls = monitorEventLoopDelay({ resolution: 5 });
  stalls.enable();
  const t0 = performance.now();
  const idx = new TraceFileIndex(file);
  await idx.update();
  const indexMs = performance.now() - t0;
  stalls.disable();
  global.gc?.();
  const heapMb = (process.memoryUsage().heapUsed - heap0) / 1024 / 1024;
  const s0 = performance.now();
  filterAndSort(idx.summaries, { failedOnly: true, text: 'who' }, 'f1-asc').slice(0, TREE_PAGE);
  const sortMs = performance.now() - s0;
  return { indexMs, stallMs: stalls.max / 1e6, p99Ms: stalls.percentile(99) / 1e6, heapMb, sortMs };
}

async function renderFigures(runs = 3): Promise<{ firstMs: number; allMs: number; longestTask: number }[]> {
  const out: { firstMs: number; allMs: number; longestTask: number }[] = [];
  const v = await openViewer({ view: 'message', title: 'bench', message: '' });
  const p = v.page;
  for (let i = 0; i < runs; i++) {
    await p.evaluate(() => ((window as unknown as { __longTasks: number[] }).__longTasks.length = 0));
    await v.post({ type: 'show', state: { view: 'message', title: 'reset', message: '' } });
    await v.post({ type: 'show', state: { view: 'trajectory', trajectory: bigTrajectory(50, 10) } });
    await p.waitForFunction(() => document.body.dataset.completeMs !== undefined && document.querySelectorAll('.doc').length === 500);
    await p.waitForTimeout(200);
    const [firstMs, allMs, tasks] = await p.evaluate(() => [Number(document.body.dataset.renderMs), Number(document.body.dataset.completeMs), (window as unknown as { __longTasks: number[] }).__longTasks] as const);
    out.push({ firstMs, allMs, longestTask: tasks.length ? Math.max(...tasks) : 0 });
  }
  await v.close();
  await closeBrowser();
  return out;
}

/**
 * One measurement in a fresh Node process, as an extension host opening the file would be: no heap left over from
 * the benchmark's own fixtures (their garbage collections would count as the measured code's stalls). The first
 * DuckDB load of the process is part of what is measured (the first large file of a session pays it).
 */
async function inChild<T>(kind: 'store' | 'store-main' | 'store-search' | 'store-main-search' | 'memory', file: string, storageDir: string): Promise<T> {
  const out = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, `--child=${kind}`, file, storageDir], { cwd: ROOT, maxBuffer: 1 << 20 }, (e, stdout, stderr) =>
      e ? reject(new Error(`${kind} measurement of ${file} failed: ${stderr || e.message}`)) : resolve(stdout),
    );
  });
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}

async function child(kind: string, file: string, storageDir: string): Promise<void> {
  const figures = kind.startsWith('store') ? await openThroughTheStore(file, storageDir, kind.startsWith('store-main') ? 'main' : 'worker', kind.endsWith('-search')) : await memoryStall(file);
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

async function main(): Promise<void> {
  const asChild = process.argv.find((a) => a.startsWith('--child='));
  if (asChild) {
    const [file, storage] = process.argv.slice(process.argv.indexOf(asChild) + 1);
    return child(asChild.slice('--child='.length), file!, storage!);
  }
  mkdirSync(OUT, { recursive: true });
  const real = await realRollouts();
  const realFile = join(OUT, `r1searcher-${real.length}.jsonl`);
  await writeLines(realFile, real);
  const genFile = join(OUT, 'generated-20000.jsonl');
  await writeLines(genFile, generated(real, 20_000));

  const rows = [await openLikeTheTree(realFile), await openLikeTheTree(genFile)];
  console.log('\nTrace files, opened as the Traces view does (streamed, summaries + byte offsets)');
  console.table(
    rows.map((r) => ({
      file: r.file.split('/').pop(),
      size: mb(r.size),
      trajectories: r.trajectories,
      'first tree items': ms(r.firstItemsMs),
      'whole index': ms(r.indexMs),
      'heap held': `${r.heapMb.toFixed(1)} MB`,
      'filter+sort all': ms(r.filterSortMs),
      'read one on demand': ms(r.readOneMs),
    })),
  );

  const huge = process.argv.includes('--huge');
  const keep = process.argv.includes('--keep');
  const storage = join(OUT, 'storage');
  // --sizes=5000,20000 replaces the generated sizes (a quick look at the same figures).
  const given = process.argv.find((a) => a.startsWith('--sizes='));
  const sizes = given ? given.slice('--sizes='.length).split(',').map(Number) : huge ? [100_000, 500_000] : [100_000];
  // Each file with its store on the store worker (the extension); the real file and 100,000 also with the store on
  // the main thread as before the store worker, side by side in the same run. The deep search up to 100,000.
  const storeRows: StoreFigures[] = [await inChild<StoreFigures>('store-search', realFile, storage), await inChild<StoreFigures>('store-main-search', realFile, storage)];
  const memoryBeside: Array<MemoryFigures & { file: string }> = [];
  for (const n of sizes) {
    const file = join(OUT, `generated-${n}.jsonl`);
    if (!existsSync(file)) await writeLines(file, generated(real, n));
    storeRows.push(await inChild<StoreFigures>(n <= 100_000 ? 'store-search' : 'store', file, storage));
    if (n <= 100_000) storeRows.push(await inChild<StoreFigures>('store-main-search', file, storage));
    // The in-memory index on the same file and load, where it finishes in reasonable time (500k: the figures).
    if (n <= 100_000) memoryBeside.push({ file: file.split('/').pop()!, ...(await inChild<MemoryFigures>('memory', file, storage)) });
    if (!keep) rmSync(file, { force: true });
  }
  rmSync(storage, { recursive: true, force: true });
  console.log(`\nTrace files through the trace store (DuckDB, parsed on ${Math.min(4, availableParallelism())} worker threads; store on the store worker, or on the main thread as before); load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.table(
    storeRows.map((r) => ({
      file: r.file.split('/').pop(),
      store: r.host === 'worker' ? 'worker' : 'main thread',
      size: mb(r.size),
      trajectories: r.trajectories,
      'first open (DuckDB load + open + count)': ms(r.openMs),
      'main-thread stall in first open': ms(r.openStallMs),
      'main thread busy in first open': ms(r.openBusyMs),
      'first tree rows': ms(r.firstRowsMs),
      'fully indexed': `${(r.indexMs / 1000).toFixed(1)} s`,
      'longest main-thread stall': ms(r.stallMs),
      'event-loop delay p99': ms(r.p99Ms),
      'idle process, longest delay (load alone)': ms(r.idleStallMs),
      'main thread busy while reading': `${(r.busyMs / 1000).toFixed(2)} s`,
      'longest main-thread busy span': ms(r.busySpanMs),
      'deep search (all steps)': r.searchMs === undefined ? '–' : `${(r.searchMs / 1000).toFixed(1)} s`,
      'main-thread stall in deep search': r.searchStallMs === undefined ? '–' : ms(r.searchStallMs),
      'longest busy span in deep search': r.searchBusySpanMs === undefined ? '–' : ms(r.searchBusySpanMs),
      'heap held': `${r.heapMb.toFixed(1)} MB`,
      'F1 sort + filter, all rows': ms(r.sortFilterMs),
      'table window (F1 desc, middle)': ms(r.tableWindowMs),
      'read one': ms(r.readOneMs),
      'reopen (store kept)': ms(r.reopenMs),
    })),
  );
  console.log('\nThe in-memory index on the same files, same load');
  console.table(
    memoryBeside.map((r) => ({
      file: r.file,
      'whole index': `${(r.indexMs / 1000).toFixed(1)} s`,
      'longest main-thread stall': ms(r.stallMs),
      'event-loop delay p99': ms(r.p99Ms),
      'heap held': `${r.heapMb.toFixed(1)} MB`,
      'F1 sort + filter, all rows': ms(r.sortMs),
    })),
  );

  const render = await renderFigures();
  console.log('\n50 searches × 10 documents in Chromium (webview bundle; frame budget 16.7 ms)');
  console.table(render.map((r, i) => ({ run: i + 1, 'first steps': ms(r.firstMs), 'all 101 steps': ms(r.allMs), 'longest task': `${r.longestTask} ms` })));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
