/**
 * `npm run bench:runs`: the run store on a generated verl run of 100 steps × 230 prompts × 4 rollouts
 * (~92k rollouts, ~0.7 GB, from the real R1-Searcher rollouts; see runFixture.ts), measured side by side
 * with DuckDB's own per-step aggregate (n, mean score, mean searches) over read_json of the same files:
 * the first `runs summary` (ingest on worker threads + the summary query), a repeat with nothing
 * changed, the same after one new step file, and the process's peak memory. `--steps N` for a smaller run;
 * `--distinct` makes every rollout's documents its own (runFixture.ts), as in a real run's new samples.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRun } from '../../src/core/runs/open';
import { stepGroups } from '../../src/core/runs/queries';
import { runSummary, type StepSummary } from '../../src/core/runs/summary';
import { closeDashboardBrowser, openDashboard } from '../webview/runHarness';
import { generateRun } from './runFixture';

const ROOT = join(__dirname, '../..');
const WORKER = join(ROOT, 'dist/runsWorker.js');
const CLI = join(ROOT, 'dist/cli.js');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** CPU seconds of this process (all threads: DuckDB's, the ingest workers'), a figure the machine's load does not inflate. */
function cpuSeconds(since?: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
}

async function duckdbAggregate(dir: string): Promise<{ ms: number; cpu: number; rows: Array<{ step: number; n: number; meanScore: number; meanSearches: number }> }> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  // Searches counted as R1-Searcher query tags in the output, the same thing the summary's meanSearches counts.
  const reader = await conn.runAndReadAll(`
    SELECT step::INTEGER AS step, count(*)::INTEGER AS n, avg(score) AS mean_score,
      avg((length(output) - length(replace(output, '<|begin_of_query|>', ''))) / length('<|begin_of_query|>'))::DOUBLE AS mean_searches
    FROM read_json('${dir.replace(/'/g, "''")}/*.jsonl', format = 'newline_delimited', columns = {step: 'BIGINT', score: 'DOUBLE', output: 'VARCHAR'})
    GROUP BY step ORDER BY step`);
  const ms = performance.now() - t0;
  const cpu = cpuSeconds(c0);
  const rows = (reader.getRowObjectsJS() as Array<Record<string, number>>).map((r) => ({ step: r.step!, n: r.n!, meanScore: r.mean_score!, meanSearches: r.mean_searches! }));
  conn.closeSync();
  instance.closeSync();
  return { ms, cpu, rows };
}

async function summaryOnce(dir: string, store: string): Promise<{ ms: number; cpu: number; steps: StepSummary[]; filesRead: number }> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const opened = await openRun({ dir, store, workerFile: WORKER });
  try {
    const steps = await runSummary(opened.store);
    return { ms: performance.now() - t0, cpu: cpuSeconds(c0), steps, filesRead: opened.report.filesRead };
  } finally {
    opened.store.close();
  }
}

function cliRepeatMs(dir: string, store: string): number {
  const t0 = performance.now();
  execFileSync(process.execPath, [CLI, 'runs', 'summary', dir, '--json', '--store', store], { stdio: ['ignore', 'ignore', 'inherit'] });
  return performance.now() - t0;
}

/** The dashboard in Chromium on the run's figures: first paint, then a click on the last step until its groups show. */
async function dashboardTimes(dir: string, store: string, steps: StepSummary[]): Promise<{ firstPaintMs: number; openMs: number; clickMs: number; groups: number }> {
  const opened = await openRun({ dir, store, workerFile: WORKER });
  try {
    const t0 = performance.now();
    const d = await openDashboard({ dir, name: 'bench', steps, problems: 0 });
    const openMs = performance.now() - t0;
    const firstPaintMs = Number(await d.page.evaluate(() => document.body.dataset.firstPaintMs));
    const box = (await d.page.locator('#score svg').boundingBox())!;
    const t1 = performance.now();
    await d.page.mouse.click(box.x + box.width - 3, box.y + box.height / 2);
    const picked = (await d.posted()).find((m) => m.type === 'selectStep');
    if (!picked || picked.type !== 'selectStep') throw new Error('the click picked no step');
    const groups = await stepGroups(opened.store, picked.step);
    await d.post({ type: 'stepGroups', step: picked.step, groups });
    await d.page.locator('.step-groups tr.group').first().waitFor();
    const clickMs = performance.now() - t1;
    await d.page.close();
    return { firstPaintMs, openMs, clickMs, groups: groups.length };
  } finally {
    opened.store.close();
    await closeDashboardBrowser();
  }
}

function agree(ours: readonly StepSummary[], theirs: Array<{ step: number; n: number; meanScore: number; meanSearches: number }>): string {
  if (ours.length !== theirs.length) return `NO: ${ours.length} steps vs ${theirs.length}`;
  for (let i = 0; i < ours.length; i++) {
    const a = ours[i]!;
    const b = theirs[i]!;
    if (a.step !== b.step || a.n !== b.n || Math.abs((a.meanScore ?? NaN) - b.meanScore) > 1e-9 || Math.abs(a.meanSearches - b.meanSearches) > 1e-9) {
      return `NO: step ${a.step} differs (${JSON.stringify([a.n, a.meanScore, a.meanSearches])} vs ${JSON.stringify([b.n, b.meanScore, b.meanSearches])})`;
    }
  }
  return 'yes (step, n, meanScore, meanSearches identical)';
}

async function main(): Promise<void> {
  if (!existsSync(WORKER) || !existsSync(CLI)) throw new Error('build first: node esbuild.mjs (npm run bench:runs does)');
  const steps = arg('--steps', 100);
  const root = mkdtempSync(join(tmpdir(), 'hopscope-bench-runs-'));
  const dir = join(root, 'run');
  const store = join(root, 'store.duckdb');
  try {
    const tGen = performance.now();
    const distinct = process.argv.includes('--distinct');
    const run = await generateRun(dir, { steps, prompts: 230, rollouts: 4, distinct });
    process.stderr.write(`generated ${run.rollouts} rollouts, ${(run.bytes / 1e6).toFixed(0)} MB in ${((performance.now() - tGen) / 1000).toFixed(1)} s\n`);

    const before = await duckdbAggregate(dir);
    const first = await summaryOnce(dir, store);
    const after = await duckdbAggregate(dir);
    const duck = (before.ms + after.ms) / 2;
    const repeat = await summaryOnce(dir, store);
    const cliRepeat = cliRepeatMs(dir, store);
    await run.addStep(steps + 1);
    const grown = await summaryOnce(dir, store);
    const grownDuck = await duckdbAggregate(dir);
    const peakMb = process.resourceUsage().maxRSS / 1024;
    const dash = await dashboardTimes(dir, store, grown.steps);

    const duckCpu = (before.cpu + after.cpu) / 2;
    const rows: Array<[string, string, string]> = [
      [
        'DuckDB own aggregate over read_json (n, mean score, mean searches per step)',
        `${(duck / 1000).toFixed(2)} s`,
        `runs before and after: ${(before.ms / 1000).toFixed(2)} s, ${(after.ms / 1000).toFixed(2)} s; CPU ${duckCpu.toFixed(2)} s`,
      ],
      [
        'first runs summary (ingest on worker threads + summary)',
        `${(first.ms / 1000).toFixed(2)} s`,
        `${(first.ms / duck).toFixed(1)}× DuckDB's aggregate (bar: ≤ 3×); CPU ${first.cpu.toFixed(2)} s = ${(first.cpu / duckCpu).toFixed(1)}× DuckDB's; parallelism ${((first.cpu * 1000) / first.ms).toFixed(2)} (DuckDB ${((duckCpu * 1000) / duck).toFixed(2)}) of ${availableParallelism()} cores; ${first.filesRead} files`,
      ],
      ['repeat, nothing changed (in process)', `${(repeat.ms / 1000).toFixed(2)} s`, `bar: ≤ 1 s; ${repeat.filesRead} files read`],
      ['repeat, nothing changed (CLI process, node dist/cli.js)', `${(cliRepeat / 1000).toFixed(2)} s`, 'includes Node start-up and loading the bundle'],
      ['one new step file', `${(grown.ms / 1000).toFixed(2)} s`, `bar: ≤ 2 s; ${grown.filesRead} file read; ${grown.steps.length} steps`],
      ['peak memory (RSS, whole process incl. workers and DuckDB)', `${peakMb.toFixed(0)} MB`, 'measured before the dashboard rows (Chromium is its own process)'],
      ['dashboard first paint (Chromium, in-page, from navigation)', `${(dash.firstPaintMs / 1000).toFixed(2)} s`, `${grown.steps.length} steps, 6 charts; page open to ready ${(dash.openMs / 1000).toFixed(2)} s`],
      ['dashboard click on a step until its groups show', `${(dash.clickMs / 1000).toFixed(2)} s`, `store query + render of ${dash.groups} groups`],
    ];
    const w0 = Math.max(...rows.map((r) => r[0].length));
    const w1 = Math.max(...rows.map((r) => r[1].length));
    console.log(`\nmachine: ${availableParallelism()} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log(
      `\nRun store bench: ${run.rollouts + 920} rollouts after the new step, ${(run.bytes / 1e6).toFixed(0)} MB, ${steps} + 1 step files${distinct ? ', every rollout\'s documents its own (--distinct)' : ''}\n`,
    );
    console.log(`${'measure'.padEnd(w0)}  ${'time'.padStart(w1)}  note`);
    for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`);
    console.log(`\nsummary figures agree with DuckDB's aggregate: first ${agree(first.steps, before.rows)}; after the new step ${agree(grown.steps, grownDuck.rows)}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
