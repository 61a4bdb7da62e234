/**
 * `npm run bench:retrieval`: Hopscope's BM25 against minisearch on the multi-hop benchmark in
 * test/fixtures/bench (HotpotQA paragraphs pooled with the Wikipedia passages R1-Searcher's rollouts
 * retrieved; see SOURCE.md there). Each system runs in a child process of its own so peak memory is its own.
 *
 *   npm run bench:retrieval                 the table
 *   npm run bench:retrieval -- --sweep      recall for a grid of k1, b and title boost (to tune the defaults)
 *   npm run bench:retrieval -- --scale      20k to 1M passages beside Lucene 4.10, and a one-file update (retrievalScale.ts)
 *   npm run bench:retrieval -- --update     the one-file update on a real repository through the index worker's code (retrievalUpdate.ts)
 */
import { spawnSync } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import MiniSearch from 'minisearch';
import { DEFAULT_SETTINGS } from '../../src/core/retrieval/settings';
import { Tokenizer } from '../../src/core/retrieval/tokenizer';
import { WorkspaceIndex } from '../../src/core/retrieval/workspaceIndex';
import { diskBytes as dirSize, scale } from './retrievalScale';
import { updateBench } from './retrievalUpdate';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'bench');
const CORPUS = path.join(FIXTURES, 'corpus.jsonl.gz');
const KS = [2, 5, 10, 20];

interface Question {
  qid: string;
  question: string;
  gold: string[];
}

interface Result {
  system: string;
  passages: number;
  recall: Record<number, number>;
  buildMs: number;
  /** CPU time of the build (user + system, all threads): what the build costs when the machine is busy. */
  buildCpuMs: number;
  saveMs: number;
  diskBytes: number;
  reloadMs: number;
  p50: number;
  p95: number;
  peakRssMb: number;
}

type System = 'hopscope' | 'minisearch' | 'minisearch-tuned';
const SYSTEMS: Record<System, string> = {
  hopscope: 'Hopscope BM25',
  minisearch: 'minisearch defaults',
  'minisearch-tuned': 'minisearch + Hopscope tokenizer, k1/b, boosts',
};

function questions(): Question[] {
  return gunzipSync(readFileSync(path.join(FIXTURES, 'questions.jsonl.gz')))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Question);
}

function corpusRecords(): Array<{ id: string; title: string; text: string }> {
  return gunzipSync(readFileSync(CORPUS))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}


function evaluate(qs: Question[], search: (q: string, k: number) => string[]): Pick<Result, 'recall' | 'p50' | 'p95'> {
  for (const q of qs) search(q.question, 20); // warm-up: JIT and caches, as Lucene's figure is after warm-up
  const times: number[] = [];
  const found: Record<number, number> = Object.fromEntries(KS.map((k) => [k, 0]));
  for (const q of qs) {
    const t = performance.now();
    const ids = search(q.question, 20);
    times.push(performance.now() - t);
    for (const k of KS) found[k] += q.gold.filter((g) => ids.slice(0, k).includes(g)).length / q.gold.length;
  }
  times.sort((a, b) => a - b);
  const recall = Object.fromEntries(KS.map((k) => [k, found[k] / qs.length]));
  return { recall, p50: times[Math.floor(times.length * 0.5)], p95: times[Math.floor(times.length * 0.95)] };
}

async function runChild(system: System): Promise<Result> {
  const qs = questions();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `hopscope-bench-${system}-`));
  try {
    if (system === 'hopscope') {
      let t = performance.now();
      const cpu = process.cpuUsage();
      const built = await WorkspaceIndex.build([CORPUS], { root: FIXTURES });
      const buildMs = performance.now() - t;
      const buildCpuMs = cpuMs(cpu);
      t = performance.now();
      await built.save(dir);
      const saveMs = performance.now() - t;
      t = performance.now();
      const index = await WorkspaceIndex.open(dir);
      const reloadMs = performance.now() - t;
      const ev = evaluate(qs, (q, k) => index.searchSync(q, k).map((d) => d.id));
      return { system: SYSTEMS[system], passages: index.stats().passages, buildMs, buildCpuMs, saveMs, reloadMs, diskBytes: await dirSize(dir), ...ev, peakRssMb: 0 };
    }
    const tokenizer = new Tokenizer(DEFAULT_SETTINGS.tokenizer);
    const options =
      system === 'minisearch'
        ? { fields: ['title', 'text'] }
        : {
            fields: ['title', 'text'],
            tokenize: (s: string) => tokenizer.tokenize(s),
            processTerm: (s: string) => s,
            searchOptions: {
              boost: { title: DEFAULT_SETTINGS.boost.title },
              bm25: { k: DEFAULT_SETTINGS.bm25.k1, b: DEFAULT_SETTINGS.bm25.b, d: 0 },
            },
          };
    let t = performance.now();
    const cpu = process.cpuUsage();
    const ms = new MiniSearch(options);
    const records = corpusRecords();
    ms.addAll(records);
    const buildMs = performance.now() - t;
    const buildCpuMs = cpuMs(cpu);
    t = performance.now();
    const file = path.join(dir, 'index.json');
    await fs.writeFile(file, JSON.stringify(ms));
    const saveMs = performance.now() - t;
    t = performance.now();
    const loaded = MiniSearch.loadJSON(await fs.readFile(file, 'utf8'), options);
    const reloadMs = performance.now() - t;
    const ev = evaluate(qs, (q, k) => loaded.search(q).slice(0, k).map((r) => String(r.id)));
    return { system: SYSTEMS[system], passages: records.length, buildMs, buildCpuMs, saveMs, reloadMs, diskBytes: await dirSize(dir), ...ev, peakRssMb: 0 };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
}

async function sweep(): Promise<void> {
  const qs = questions();
  console.log('boost.title  k1    b     R@2    R@5    R@10   R@20');
  for (const title of [1, 2, 3, 4, 6]) {
    const index = await WorkspaceIndex.build([CORPUS], { root: FIXTURES, settings: { boost: { title } } });
    for (const k1 of [0.9, 1.2, 1.5, 2]) {
      for (const b of [0.4, 0.6, 0.75, 0.9]) {
        // Bench-only: retune the live scorer instead of rebuilding for each k1/b.
        Object.assign(index.settings.bm25, { k1, b });
        (index as unknown as { scorer: { normDirty: boolean } }).scorer.normDirty = true;
        const { recall } = evaluate(qs, (q, k) => index.searchSync(q, k).map((d) => d.id));
        console.log(`${String(title).padEnd(12)} ${k1.toFixed(2)}  ${b.toFixed(2)}  ${KS.map((k) => recall[k].toFixed(3)).join('  ')}`);
      }
    }
  }
}

function table(results: Result[]): string {
  const rows = [
    ['', ...results.map((r) => r.system)],
    ['passages', ...results.map((r) => String(r.passages))],
    ...KS.map((k) => [`recall@${k}`, ...results.map((r) => r.recall[k].toFixed(3))]),
    ['build (s)', ...results.map((r) => (r.buildMs / 1000).toFixed(2))],
    ['build CPU time (s)', ...results.map((r) => (r.buildCpuMs / 1000).toFixed(2))],
    ['save (s)', ...results.map((r) => (r.saveMs / 1000).toFixed(2))],
    ['size on disk (MB)', ...results.map((r) => (r.diskBytes / 1e6).toFixed(1))],
    ['reload (s)', ...results.map((r) => (r.reloadMs / 1000).toFixed(3))],
    ['query p50 (ms)', ...results.map((r) => r.p50.toFixed(2))],
    ['query p95 (ms)', ...results.map((r) => r.p95.toFixed(2))],
    ['peak RSS (MB)', ...results.map((r) => r.peakRssMb.toFixed(0))],
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(' | ')} |`;
  return [line(rows[0]), `|${widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--scale')) return scale(args);
  if (args.includes('--update')) return updateBench(args);
  const child = args.indexOf('--child');
  if (child >= 0) {
    const r = await runChild(args[child + 1] as System);
    r.peakRssMb = process.resourceUsage().maxRSS / 1024;
    process.stdout.write(`${JSON.stringify(r)}\n`);
    return;
  }
  if (args.includes('--sweep')) return sweep();
  const systems = (args.includes('--all') ? Object.keys(SYSTEMS) : ['hopscope', 'minisearch']) as System[];
  const results: Result[] = [];
  for (const s of systems) {
    const p = spawnSync(process.execPath, [...process.execArgv, __filename, '--child', s], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (p.status !== 0) throw new Error(`${s} failed:\n${p.stderr}`);
    results.push(JSON.parse(p.stdout.trim().split('\n').pop()!));
  }
  const qs = questions();
  const load = os.loadavg().map((l) => l.toFixed(1)).join(' ');
  console.log(`Retrieval benchmark: ${results[0].passages} passages, ${qs.length} HotpotQA questions (2 gold paragraphs each), node ${process.version}, ${os.cpus().length} CPUs, load average ${load}\n`);
  console.log(table(results));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
