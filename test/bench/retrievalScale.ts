/**
 * `npm run bench:retrieval -- --scale [--sizes 20000,100000] [--no-update]`: the index at 20k, 100k, 300k and 1M
 * passages, side by side with a Lucene 4.10 anchor (Debian's liblucene4.10-java, compiled at bench time
 * when `javac` exists; skipped, with a note, where it does not), then the one-file update on a real
 * repository (a hard-linked copy of node_modules) through the index worker's code (retrievalUpdate.ts).
 *
 * Corpora: the fixture's 15,197 passages (HotpotQA paragraphs and Wikipedia passages, the gold ones
 * among them) plus distractors made by recombining the fixture's sentences into ~100-word passages,
 * from a fixed seed. Each system's build and query run in processes of their own, so peak RSS is theirs.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, promises as fs, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { openSegments, readManifest } from '../../src/core/retrieval/indexStore';
import { layoutOf, postingsFile, SEGMENT_HEADER_BYTES } from '../../src/core/retrieval/segmentFiles';
import { SegmentSearch } from '../../src/core/retrieval/segmentSearch';
import { Tokenizer } from '../../src/core/retrieval/tokenizer';
import { WorkspaceIndex } from '../../src/core/retrieval/workspaceIndex';
import { repositoryUpdate } from './retrievalUpdate';
import { rng as random } from '../support/random';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'bench');
const LUCENE_JARS = ['lucene-core-4.10.4.jar', 'lucene-analyzers-common-4.10.4.jar', 'lucene-queryparser-4.10.4.jar'].map((j) => path.join('/usr/share/java', j));
const DEFAULT_SIZES = [20_000, 100_000, 300_000, 1_000_000];

interface Question {
  qid: string;
  question: string;
  gold: string[];
}

interface Row {
  diskMb: number;
  buildS: number;
  peakRssMb: number;
  queryRssMb: number;
  p50: number;
  mean: number;
  recall10: number;
  reloadS: number;
  coldS: number;
}

function fixture<T>(file: string): T[] {
  return gunzipSync(readFileSync(path.join(FIXTURES, file)))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);
}

/** Writes the corpus of `n` passages as JSONL (Hopscope) and TSV (Lucene), streaming. */
export async function writeCorpus(n: number, jsonl: string, tsv: string): Promise<void> {
  const base = fixture<{ id: string; title: string; text: string }>('corpus.jsonl.gz');
  const sentences = base.flatMap((p) => p.text.split(/(?<=[.!?])\s+/).filter((s) => s.split(' ').length >= 4));
  const rand = random(16);
  const j = createWriteStream(jsonl);
  const t = createWriteStream(tsv);
  const clean = (s: string) => s.replace(/[\t\n\r]+/g, ' ');
  const put = async (id: string, title: string, text: string) => {
    j.write(`${JSON.stringify({ id, title, text })}\n`);
    t.write(`${id}\t${clean(title)}\t${clean(text)}\n`);
    // Checked at the time of waiting: a stream may drain while the other one is awaited.
    if (j.writableNeedDrain) await new Promise<void>((r) => j.once('drain', () => r()));
    if (t.writableNeedDrain) await new Promise<void>((r) => t.once('drain', () => r()));
  };
  for (let i = 0; i < Math.min(n, base.length); i++) await put(base[i].id, base[i].title, base[i].text);
  for (let i = base.length; i < n; i++) {
    const parts: string[] = [];
    let words = 0;
    while (words < 100) {
      const s = sentences[Math.floor(rand() * sentences.length)];
      parts.push(s);
      words += s.split(' ').length;
    }
    await put(`syn-${i}`, base[Math.floor(rand() * base.length)].title, parts.join(' '));
  }
  await Promise.all([new Promise<void>((r) => j.end(() => r())), new Promise<void>((r) => t.end(() => r()))]);
}

function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Child: build and save, as `hopscope index` builds a new index (segment by segment). */
async function hopscopeBuild(corpus: string, dir: string): Promise<object> {
  const t = performance.now();
  const { index } = await WorkspaceIndex.buildInto(dir, [corpus], { root: path.dirname(corpus) });
  await index.save(dir);
  return { buildMs: performance.now() - t, peakRssMb: peakRssMb() };
}

/** Child: a cold open, its first query, then every question. */
async function hopscopeQuery(dir: string): Promise<object> {
  const qs = fixture<Question>('questions.jsonl.gz');
  const t = performance.now();
  const index = await WorkspaceIndex.open(dir);
  const reloadMs = performance.now() - t;
  index.searchSync(qs[0].question, 20);
  const coldMs = performance.now() - t;
  for (const q of qs) index.searchSync(q.question, 20);
  const times: number[] = [];
  let found = 0;
  for (const q of qs) {
    const q0 = performance.now();
    const ids = index.searchSync(q.question, 20).map((d) => d.id);
    times.push(performance.now() - q0);
    found += q.gold.filter((g) => ids.slice(0, 10).includes(g)).length / q.gold.length;
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  const peak = peakRssMb();
  return { reloadMs, coldMs, p50: times[Math.floor(times.length / 2)], mean, recall10: found / qs.length, peakRssMb: peak, ...(await cacheFootprint(dir, qs)) };
}

/** The postings cache after every question, compressed as it is and as the same lists took decoded. */
async function cacheFootprint(dir: string, qs: Question[]): Promise<{ cacheMb: number; cacheDecodedMb: number }> {
  const manifest = await readManifest(dir);
  const search = new SegmentSearch(manifest.settings, new Tokenizer(manifest.settings.tokenizer), openSegments(dir, manifest.segments ?? []));
  try {
    for (const q of qs) search.search(q.question, 20);
    const f = search.cacheFootprint();
    return { cacheMb: f.bytes / 2 ** 20, cacheDecodedMb: f.decodedBytes / 2 ** 20 };
  } finally {
    search.close();
  }
}

/** Bytes of the files under `dir`. */
export async function diskBytes(dir: string): Promise<number> {
  let total = 0;
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? await diskBytes(p) : (await fs.stat(p)).size;
  }
  return total;
}

/** The saved index's postings: how many, their compressed bytes, and the bytes format 1 took (a u32 doc and an f32 tf each). */
async function postingsOnDisk(dir: string): Promise<{ postings: number; bytes: number; uncompressed: number }> {
  const manifest = await readManifest(dir);
  let postings = 0;
  let bytes = 0;
  for (const seg of manifest.segments ?? []) {
    const fh = await fs.open(postingsFile(dir, seg.name), 'r');
    try {
      const header = Buffer.alloc(SEGMENT_HEADER_BYTES);
      await fh.read(header, 0, header.length, 0);
      const l = layoutOf(header, seg.name);
      postings += l.nPostings;
      bytes += l.head - l.postings;
    } finally {
      await fh.close();
    }
  }
  return { postings, bytes, uncompressed: 8 * postings };
}

function run(cmd: string, args: string[]): Record<string, number> {
  const p = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (p.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${p.stderr}`);
  return JSON.parse(p.stdout.trim().split('\n').pop()!) as Record<string, number>;
}

function node(...args: string[]): Record<string, number> {
  return run(process.execPath, [...process.execArgv, path.join(__dirname, 'retrieval.ts'), ...args]);
}

function row(build: Record<string, number>, query: Record<string, number>, diskBytes: number): Row {
  return {
    diskMb: diskBytes / 2 ** 20,
    buildS: build.buildMs / 1000,
    peakRssMb: build.peakRssMb,
    queryRssMb: query.peakRssMb,
    p50: query.p50,
    mean: query.mean,
    recall10: query.recall10,
    reloadS: query.reloadMs / 1000,
    coldS: query.coldMs / 1000,
  };
}

function javaReady(work: string): string | undefined {
  if (!LUCENE_JARS.every(existsSync)) return undefined;
  const javac = spawnSync('javac', ['-cp', LUCENE_JARS.join(':'), '-d', work, path.join(__dirname, 'lucene', 'Anchor.java')], { encoding: 'utf8' });
  return javac.status === 0 ? [work, ...LUCENE_JARS].join(':') : undefined;
}

function fmt(x: number | undefined, digits: number): string {
  return x === undefined ? '—' : x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export async function scale(args: string[]): Promise<void> {
  const child = args.indexOf('--scale-child');
  if (child >= 0) {
    const [mode, a, b] = args.slice(child + 1);
    const r = mode === 'build' ? await hopscopeBuild(a, b) : await hopscopeQuery(a);
    process.stdout.write(`${JSON.stringify(r)}\n`);
    return;
  }
  const sizesArg = args.indexOf('--sizes');
  const sizes = sizesArg >= 0 ? args[sizesArg + 1].split(',').map(Number) : DEFAULT_SIZES;
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'hopscope-scale-'));
  try {
    const classpath = javaReady(work);
    const qs = fixture<Question>('questions.jsonl.gz');
    const qfile = path.join(work, 'questions.tsv');
    writeFileSync(qfile, qs.map((q) => `${q.qid}\t${q.question.replace(/[\t\n]+/g, ' ')}\t${q.gold.join(',')}`).join('\n') + '\n');
    const lines = [
      '| passages | build s (Hopscope / Lucene) | peak RSS MB build (H / L) | peak RSS MB query (H / L) | query p50 ms | query mean ms | recall@10 | reload s | cold first query s | index on disk MB |',
      '|---|---|---|---|---|---|---|---|---|---|',
    ];
    const compression = [
      '| passages | postings | postings on disk MB (compressed / as format 1) | postings cache after the questions MB (compressed / decoded) |',
      '|---|---|---|---|',
    ];
    for (const n of sizes) {
      const jsonl = path.join(work, `corpus-${n}.jsonl`);
      const tsv = path.join(work, `corpus-${n}.tsv`);
      await writeCorpus(n, jsonl, tsv);
      const dir = path.join(work, `hopscope-${n}`);
      const hBuild = node('--scale', '--scale-child', 'build', jsonl, dir);
      const hQuery = node('--scale', '--scale-child', 'query', dir);
      const h = row(hBuild, hQuery, await diskBytes(dir));
      const p = await postingsOnDisk(dir);
      const mb = (x: number) => fmt(x / 2 ** 20, 1);
      compression.push(
        `| ${n.toLocaleString()} | ${p.postings.toLocaleString()} | ${mb(p.bytes)} / ${mb(p.uncompressed)} (${fmt(p.uncompressed / p.bytes, 1)}×) | ${fmt(hQuery.cacheMb, 1)} / ${fmt(hQuery.cacheDecodedMb, 1)} |`,
      );
      let l: Row | undefined;
      if (classpath) {
        const ldir = path.join(work, `lucene-${n}`);
        const heap = `-Xmx${n >= 300_000 ? 2048 : 1024}m`;
        const lBuild = run('java', [heap, '-cp', classpath, 'Anchor', 'build', tsv, ldir]);
        l = row(lBuild, run('java', [heap, '-cp', classpath, 'Anchor', 'query', ldir, qfile]), await diskBytes(ldir));
        await fs.rm(ldir, { recursive: true, force: true });
      }
      const pair = (k: keyof Row, d: number) => `${fmt(h[k], d)} / ${fmt(l?.[k], d)}`;
      lines.push(
        `| ${n.toLocaleString()} | ${pair('buildS', 1)} | ${pair('peakRssMb', 0)} | ${pair('queryRssMb', 0)} | ${pair('p50', 2)} | ${pair('mean', 2)} | ${pair('recall10', 3)} | ${pair('reloadS', 2)} | ${pair('coldS', 2)} | ${pair('diskMb', 0)} |`,
      );
      console.error(lines[lines.length - 1]);
      await Promise.all([jsonl, tsv].map((f) => fs.rm(f, { force: true })));
      await fs.rm(dir, { recursive: true, force: true });
    }
    const load = os.loadavg().map((x) => x.toFixed(1)).join(' ');
    console.log(`Retrieval at scale: ${qs.length} HotpotQA questions, node ${process.version}, ${os.cpus().length} CPUs, load average ${load}`);
    console.log(classpath ? 'Lucene 4.10.4 anchor: EnglishAnalyzer, BM25Similarity(0.9, 0.4), FSDirectory (Hopscope: k1 1.2, b 0.75, title boost 3).\n' : 'Lucene anchor skipped: no javac or no liblucene4.10-java (apt-get install default-jdk-headless liblucene4.10-java).\n');
    console.log(lines.join('\n'));
    console.log('');
    console.log('Compressed postings (Hopscope): doc gaps and tfs bit-packed in blocks of 128, beside what format 1 stored (8 bytes a posting).');
    console.log('Index on disk includes the passages (Hopscope: JSON lines; Lucene: its compressed stored fields).\n');
    console.log(compression.join('\n'));
    console.log('');
    // --no-update: the curve only (while developing the index at scale). The one-file update runs through the
    // index worker's code (retrievalUpdate.ts; also `--update` alone).
    if (!args.includes('--no-update')) for (const l of await repositoryUpdate(work)) console.log(l);
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}
