/**
 * A guard for run-ingest speed work: ingests a generated run (~10k real R1-Searcher rollouts, plus a
 * file of every other kind of line: Search-R1 and OpenRLHF-style dumps, several gold forms, Hopscope
 * trace lines, malformed lines) into a fresh store and prints a hash of every stored row, problem and
 * file record, with the single-thread parse cost per rollout. An optimisation must leave the hash as it was.
 * `node --import tsx test/bench/runsRowHash.ts [--steps N] [--dir D]` (the run is generated once into D).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { listRunFiles } from '../../src/core/runs/layout';
import { parseRange } from '../../src/core/runs/parseRange';
import { openRun } from '../../src/core/runs/open';
import { minimalTrajectory } from '../unit/core/helpers';
import { rng, stepRollouts } from '../unit/core/runs/generatedRun';
import { generateRun } from './runFixture';

function argOf(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const FIXTURES = join(__dirname, '../fixtures/importers');

/** Lines of every kind the ingest reads, in step file 200 (most lines carry their own step). */
function mixedLines(): string[] {
  const lines = stepRollouts(200, 30, 5, rng(11)).map((r) => r.line);
  const full = join(FIXTURES, 'r1searcher/full');
  for (const f of readdirSync(full).sort()) {
    const text = gunzipSync(readFileSync(join(full, f))).toString('utf8');
    text
      .split('\n')
      .filter((x) => x.trim())
      .slice(0, 60)
      .forEach((l, i) => {
        const o = JSON.parse(l) as Record<string, unknown>;
        const golds = [o.answer, String(o.answer).toUpperCase(), ['yes', 'no'][i % 2]];
        lines.push(JSON.stringify({ prompt: `${String(o.question)}\nAssistant: <think>`, response: o.gen_text_store, label: i % 3 ? golds : golds[0], reward: i % 4 ? [0, i / 60] : i % 2 === 0, step: 201, extra: { i } }));
        lines.push(JSON.stringify({ question: o.question, output: o.gen_text_store, answer: o.answer, rewards: i / 7, global_step: String(202), pred: o.pred_ans }));
      });
  }
  for (const l of readFileSync(join(FIXTURES, 'constructed/search_r1_rollouts.jsonl'), 'utf8').split('\n').filter((x) => x.trim())) {
    const o = JSON.parse(l) as Record<string, unknown>;
    lines.push(JSON.stringify({ ...o, step: 203, output: o.response ?? o.sequences_str, input: o.sequences_str }));
  }
  for (let i = 1; i <= 3; i++) lines.push(JSON.stringify({ ...minimalTrajectory(i), training: { step: 204, ...(i > 1 ? { group: `g${i}` } : {}) } }));
  lines.push('{"input": "x", "output": 3, "step": 205}', 'not json at all', '{"output": "a", "step": "x"}', '{"output": "<answer>a</answer>", "score": "high", "step": 205}', '');
  return lines;
}

async function main(): Promise<void> {
  const steps = Number(argOf('--steps') ?? 11);
  const dir = argOf('--dir') ?? `/tmp/hopscope-rowhash-${steps}`;
  if (!existsSync(join(dir, '1.jsonl'))) {
    await generateRun(dir, { steps, prompts: 230, rollouts: 4 });
    writeFileSync(join(dir, '200.jsonl'), mixedLines().join('\n') + '\n');
  }
  // Single-thread parse cost: every file parsed in this thread five times (the fastest is reported: the machine is shared).
  const files = await listRunFiles(dir);
  let rows = 0;
  let ms = Infinity;
  let cpuMs = Infinity;
  let firstCpuMs = 0;
  for (let round = 0; round < 5; round++) {
    rows = 0;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (const f of files) {
      const r = await parseRange({ file: f.path, fileId: 1, fileStep: f.step, start: 0, length: statSync(f.path).size, firstLine: 1, runId: 'r', createdAt: 'c' });
      rows += r.rows.n;
    }
    ms = Math.min(ms, performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpuMs = Math.min(cpuMs, (c.user + c.system) / 1000);
    // The first pass meets every rollout and documents block once, as an ingest does: the honest figure.
    if (round === 0) firstCpuMs = (c.user + c.system) / 1000;
  }
  // The store's rows as one hash: ingested in this thread, then on the worker threads (each taking the
  // lines of its own prompts, ingest.ts parseRouted), which must store exactly the same.
  const storeHash = async (workerFile?: string): Promise<{ hash: string; n: number; p: number }> => {
    const { store: s } = await openRun({ dir, store: ':memory:', workerFile });
    const hash = createHash('sha256');
    const dump = async (sql: string): Promise<number> => {
      const rs = await s.query(sql);
      for (const r of rs) hash.update(JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) + '\n');
      return rs.length;
    };
    const n = await dump('SELECT * FROM rollouts ORDER BY file_id, line');
    const p = await dump('SELECT * FROM problems ORDER BY file_id, line');
    await dump('SELECT id, path, step, size, bytes, lines, unterminated, head FROM files ORDER BY id');
    s.close();
    return { hash: hash.digest('hex').slice(0, 16), n, p };
  };
  const here = await storeHash();
  console.log(`rows ${here.n}, problems ${here.p}, hash ${here.hash}`);
  const worker = join(__dirname, '../../dist/runsWorker.js');
  if (existsSync(worker)) {
    const routed = await storeHash(worker);
    console.log(`on worker threads (dist/runsWorker.js): hash ${routed.hash} ${routed.hash === here.hash ? '(the same)' : 'DIFFERS'}`);
  }
  console.log(`single-thread parse (best of 5): ${rows} rows in ${ms.toFixed(0)} ms = ${((ms * 1000) / rows).toFixed(1)} µs per rollout; CPU ${((cpuMs * 1000) / rows).toFixed(1)} µs per rollout; first pass (cold caches, JIT) CPU ${((firstCpuMs * 1000) / rows).toFixed(1)} µs per rollout`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
