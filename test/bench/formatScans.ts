/**
 * The format check and the papers' own reward over a training run's rollouts, alone: what the scans of
 * each rollout's whole output (rewards/output.ts, r1SearcherQwenZero.ts, format.ts, searchR1Sequence.ts)
 * cost per rollout. The R1-Searcher rows read the generated run of runsRowHash.ts (~10k real rollouts);
 * the Search-R1 rows read the same outputs with their tags rewritten as Search-R1's, since the fixtures
 * hold no Search-R1 run. CPU µs per rollout: the first pass (cold caches, JIT) and the best of six.
 * `node --import tsx test/bench/formatScans.ts [--dir D]` (the run is generated once into D).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rowOutcome } from '../../src/core/rewards';
import { formatCheck } from '../../src/core/rewards/formatCheck';
import { upstreamRewards } from '../../src/core/rewards/upstream';
import { rolloutTrajectory } from '../../src/core/runs/rollout';
import type { Trajectory } from '../../src/core/trace';
import { generateRun } from './runFixture';

const SEARCH_R1_TAGS: Array<[string, string]> = [
  ['<|begin_of_query|>', '</think><search>'],
  ['<|end_of_query|>', '</search>'],
  ['<|begin_of_documents|>', '<information>'],
  ['<|end_of_documents|>', '</information><think>'],
];

function load(dir: string, searchR1: boolean): Trajectory[] {
  const out: Trajectory[] = [];
  for (const f of readdirSync(dir).filter((x) => /^\d+\.jsonl$/.test(x))) {
    readFileSync(join(dir, f), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        // The generated steps' rollouts alone (runsRowHash.ts adds a file of lines of every kind).
        if (!line.startsWith('{"input"')) return;
        const o = JSON.parse(line) as Record<string, unknown>;
        if (typeof o.output !== 'string' || typeof o.input !== 'string') return;
        if (searchR1) {
          o.output = `<think> ${SEARCH_R1_TAGS.reduce((s, [a, b]) => s.replaceAll(a, b), o.output)}`;
          o.input = o.input.replaceAll('<|begin_of_query|>', '<search>');
        }
        out.push(rolloutTrajectory(o, i + 1, { file: f, fileStep: undefined, runId: 'r', createdAt: 'c' }));
      });
  }
  return out;
}

function cost(ts: readonly Trajectory[], work: (t: Trajectory) => unknown): { first: number; best: number } {
  const rounds: number[] = [];
  for (let r = 0; r < 6; r++) {
    const c0 = process.cpuUsage();
    for (const t of ts) work(t);
    const c = process.cpuUsage(c0);
    rounds.push((c.user + c.system) / ts.length);
  }
  return { first: rounds[0]!, best: Math.min(...rounds) };
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--dir');
  const dir = i >= 0 ? process.argv[i + 1]! : '/tmp/hopscope-rowhash-11';
  if (!existsSync(join(dir, '1.jsonl'))) await generateRun(dir, { steps: 11, prompts: 230, rollouts: 4 });
  const rows: string[] = ['| template | work | rollouts | first pass µs | best µs |', '|---|---|---|---|---|'];
  for (const searchR1 of [false, true]) {
    // Fresh trajectories per measure: the rewards keep the last rollout's answers, not a run's.
    const works: Array<[string, (t: Trajectory) => unknown]> = [
      ['format check', (t) => formatCheck(t)],
      ['format check + upstream reward', (t) => [formatCheck(t), upstreamRewards(t)]],
      ['row outcome (all rewards, labels)', (t) => rowOutcome(t)],
    ];
    for (const [name, work] of works) {
      const ts = load(dir, searchR1);
      const c = cost(ts, work);
      rows.push(`| ${searchR1 ? 'Search-R1 (re-tagged)' : 'R1-Searcher'} | ${name} | ${ts.length} | ${c.first.toFixed(1)} | ${c.best.toFixed(1)} |`);
    }
  }
  console.log(rows.join('\n'));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
