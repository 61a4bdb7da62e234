/**
 * `npm run bench:import`: `hopscope import` and `hopscope export --format otel` on about 1 GB of
 * R1-Searcher rollouts (HOPSCOPE_BENCH_MB to change the size), generated in a temporary folder by
 * repeating the test fixtures with distinct questions. Each command runs in its own process; the table
 * gives its wall time and peak RSS (the target: under 500 MB whatever the input size). Never asserted.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
const FIX = join(ROOT, 'test/fixtures/importers/r1searcher');
const MB = 1024 * 1024;

/** Child mode: run the CLI in this process, then report its peak RSS on stderr's last line. */
async function child(args: string[]): Promise<void> {
  const { main } = await import('../../src/cli');
  const code = await main(args);
  process.stderr.write(`\nPEAK_RSS_KB ${process.resourceUsage().maxRSS}\n`);
  process.exit(code);
}

async function generate(file: string, targetBytes: number): Promise<{ bytes: number; records: number }> {
  const lines = readdirSync(FIX)
    .filter((n) => n.endsWith('.sample.jsonl'))
    .flatMap((n) => readFileSync(join(FIX, n), 'utf8').split('\n').filter((l) => l.trim()))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const out = createWriteStream(file);
  let bytes = 0;
  let records = 0;
  while (bytes < targetBytes) {
    const rec = lines[records % lines.length]!;
    const line = `${JSON.stringify({ ...rec, question: `${String(rec.question)} #${records}` })}\n`;
    bytes += Buffer.byteLength(line);
    records++;
    if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(r));
  return { bytes, records };
}

function timed(args: string[]): Promise<{ code: number; ms: number; peakMb: number; err: string }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', __filename, '--child', ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-4000);
    });
    p.on('error', reject);
    p.on('close', (code) => {
      const kb = Number(/PEAK_RSS_KB (\d+)/.exec(err)?.[1] ?? NaN);
      resolve({ code: code ?? -1, ms: performance.now() - t0, peakMb: kb / 1024, err });
    });
  });
}

async function bench(): Promise<void> {
  const targetMb = Number(process.env.HOPSCOPE_BENCH_MB ?? 1024);
  const dir = await mkdtemp(join(tmpdir(), 'hopscope-bench-import-'));
  try {
    const input = join(dir, 'rollouts.jsonl');
    const gen = await generate(input, targetMb * MB);
    console.log(`input: ${(gen.bytes / MB).toFixed(0)} MiB, ${gen.records} R1-Searcher records (${dir})\n`);
    const rows: Array<{ case: string; out: string; code: number; ms: number; peakMb: number }> = [];
    const cases: Array<[string, string[], string]> = [
      ['import → JSONL', ['import', input, '--out', join(dir, 'imported.jsonl')], join(dir, 'imported.jsonl')],
      ['export → OTLP (no content)', ['export', join(dir, 'imported.jsonl'), '--format', 'otel', '--no-content', '--out', join(dir, 'otel.json')], join(dir, 'otel.json')],
    ];
    for (const [name, args, out] of cases) {
      const r = await timed(args);
      if (r.code !== 0) console.error(`${name} failed (exit ${r.code}):\n${r.err}`);
      let size = '–';
      try {
        size = `${(statSync(out).size / MB).toFixed(0)} MiB`;
      } catch {
        /* no output */
      }
      rows.push({ case: name, out: size, code: r.code, ms: r.ms, peakMb: r.peakMb });
    }
    console.log('| case | output | exit | wall time | peak RSS |');
    console.log('| --- | --- | --- | --- | --- |');
    for (const r of rows) console.log(`| ${r.case} | ${r.out} | ${r.code} | ${(r.ms / 1000).toFixed(1)} s | ${r.peakMb.toFixed(0)} MB |`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') void child(process.argv.slice(3));
else void bench();
