/**
 * `npm run bench:retrieval -- --update [--reps N]`: the one-file update on a real repository exactly as the
 * extension does it, through the index worker's code (IndexHost, in this process): the build streamed
 * into segments, a cold open (time to the first answer), then N saves of one file, each an `update`
 * request and the `flush` that persists it (segment + deletion marks + manifest), and the background
 * merge after them. The repository is a hard-linked copy of this checkout's node_modules (the edited
 * files are written anew, temp + rename, so the originals are never touched).
 */
import { spawnSync } from 'node:child_process';
import { promises as fs, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HostDriver } from '../unit/extension/index/hostDriver';

/**
 * A new process (as a new extension host's worker starts) opens the saved index and answers one query:
 * the time from the process start and from the open request to the answer. The page cache is warm.
 */
function coldFirstQuery(work: string, open: object): { sinceStartMs: number; sinceOpenMs: number; hits: number } {
  const child = path.join(work, 'cold.ts');
  writeFileSync(
    child,
    [
      `import { HostDriver } from ${JSON.stringify(path.resolve(__dirname, '..', 'unit', 'extension', 'index', 'hostDriver'))};`,
      'void (async () => {',
      '  const d = new HostDriver();',
      '  const t = performance.now();',
      '  const searchable = d.onceSearchable();',
      `  void d.open(${JSON.stringify(open)}).catch(() => undefined);`,
      '  await searchable;',
      "  const hits = await d.request({ type: 'search', query: 'parse the configuration file', topK: 10 });",
      '  const now = performance.now();',
      '  process.stdout.write(JSON.stringify({ sinceStartMs: now, sinceOpenMs: now - t, hits: hits.length }) + "\\n");',
      '  process.exit(0);',
      '})();',
    ].join('\n'),
  );
  const boot = path.join(work, 'cold.cjs');
  writeFileSync(boot, `require(${JSON.stringify(require.resolve('tsx/cjs'))});\nrequire(${JSON.stringify(child)});\n`);
  const run = spawnSync(process.execPath, [boot], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the cold process failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as { sinceStartMs: number; sinceOpenMs: number; hits: number };
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

/** Real text files of the repository to edit in turn (Markdown files of a few KB). */
function pickFiles(repo: string, n: number): string[] {
  const out: string[] = [];
  for (const pkg of readdirSync(repo).sort()) {
    const readme = path.join(repo, pkg, 'README.md');
    try {
      const size = readFileSync(readme).length;
      if (size > 2_000 && size < 30_000) out.push(readme);
    } catch {
      // no README here
    }
    if (out.length === n) break;
  }
  return out;
}

export async function repositoryUpdate(work: string, reps = 25): Promise<string[]> {
  const repo = path.join(work, 'repo');
  const src = path.resolve(__dirname, '..', '..', 'node_modules');
  if (spawnSync('cp', ['-al', src, repo]).status !== 0) return ['(no hard-linked copy of node_modules: skipped)'];
  const dir = path.join(work, 'repo-index');
  const files = pickFiles(repo, 8);
  const originals = files.map((f) => readFileSync(f, 'utf8'));
  const edit = (i: number) => {
    const k = i % files.length;
    writeFileSync(`${files[k]}.tmp`, `${originals[k]}\n\nBenchmark edit ${i}: hopscopebenchrev${i} of the retrieval notes.\n`);
    renameSync(`${files[k]}.tmp`, files[k]);
    return files[k];
  };
  const open = { dir, root: repo, paths: [repo], exclude: [], settings: {} };

  // Merges are timed apart, after the saves (in the extension they run seconds after a save).
  const noMerge = { mergeDelayMs: 24 * 3600_000 };
  const builder = new HostDriver(noMerge);
  let t = performance.now();
  const built = await builder.request({ type: 'open', ...open, rebuild: true });
  const buildS = (performance.now() - t) / 1000;
  await builder.request({ type: 'dispose' });
  const cold = coldFirstQuery(work, { ...open, rebuild: false });

  // Cold: a new host opens the saved index (manifest and dictionaries) and answers its first query.
  const driver = new HostDriver(noMerge);
  t = performance.now();
  const searchable = driver.onceSearchable();
  const pass = driver.request({ type: 'open', ...open, rebuild: false });
  await searchable;
  const firstHits = await driver.request({ type: 'search', query: 'parse the configuration file', topK: 10 });
  const firstQueryMs = performance.now() - t;
  // An editor save while the refresh pass still runs (it is answered between two files of the pass).
  let passDone = false;
  void pass.then(() => (passDone = true));
  const during = edit(reps);
  const tDuring = performance.now();
  await driver.request({ type: 'update', files: [during] });
  await driver.request({ type: 'flush' });
  const duringMs = performance.now() - tDuring;
  const duringPass = !passDone;
  await pass;
  const refreshMs = performance.now() - t;

  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const file = edit(i);
    t = performance.now();
    await driver.request({ type: 'update', files: [file] });
    await driver.request({ type: 'flush' });
    times.push(performance.now() - t);
    const [hit] = await driver.request({ type: 'search', query: `hopscopebenchrev${i}`, topK: 1 });
    if (!hit || !files.some((f) => hit.path === path.relative(repo, f))) throw new Error(`edit ${i} is not found after its update`);
  }
  const segments = (await fs.readdir(dir)).filter((f) => f.endsWith('.postings')).length;
  t = performance.now();
  const merged = await driver.host['index']?.mergeSegments();
  const mergeMs = performance.now() - t;
  await driver.request({ type: 'dispose' });
  const sorted = [...times].sort((a, b) => a - b);
  const load = os.loadavg()[0].toFixed(1);
  return [
    `Real repository (node_modules, hard-linked): ${built.files.toLocaleString()} files, ${built.passages.toLocaleString()} passages; ` +
      `built through the worker's code (streamed into segments) in ${buildS.toFixed(1)} s.`,
    `Cold process: the first query answered ${cold.sinceOpenMs.toFixed(0)} ms after the open request, ${cold.sinceStartMs.toFixed(0)} ms after the process started (${cold.hits} hits; page cache warm).`,
    `Reopened in this process: first query ${firstQueryMs.toFixed(0)} ms after the open request (${firstHits.length} hits); the refresh pass (stat of every file, while searches are answered) took ${refreshMs.toFixed(0)} ms.`,
    `A save during the refresh pass (update + flush, answered between two of its files): ${duringMs.toFixed(0)} ms${duringPass ? '' : ' (the pass had ended first)'}.`,
    '',
    `| one-file update + persist (IndexHost: update, then flush), ${reps} saves over ${files.length} files | ms |`,
    '|---|---:|',
    `| p50 | ${quantile(sorted, 0.5).toFixed(1)} |`,
    `| p95 | ${quantile(sorted, 0.95).toFixed(1)} |`,
    `| max | ${sorted[sorted.length - 1].toFixed(1)} |`,
    `| first (right after opening) | ${times[0].toFixed(1)} |`,
    `| second (where the build's and the refresh's garbage used to be collected) | ${(times[1] ?? NaN).toFixed(1)} |`,
    '',
    `Each save in order (ms): ${times.map((x) => x.toFixed(0)).join(' ')}.`,
    `Segments after the saves: ${segments}; the background merge then took ${mergeMs.toFixed(0)} ms (${merged ? 'merged' : 'nothing to merge'}). Load average ${load}.`,
  ];
}

/** `--update`: the section alone. */
export async function updateBench(args: string[]): Promise<void> {
  const at = args.indexOf('--reps');
  const reps = at >= 0 ? Number(args[at + 1]) : 25;
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'hopscope-update-'));
  try {
    process.stdout.write(`${(await repositoryUpdate(work, reps)).join('\n')}\n`);
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}
