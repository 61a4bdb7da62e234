/**
 * `npm run bench:metrics`: the 1,390 real R1-Searcher rollouts (test/fixtures/importers/r1searcher/full)
 * as `hopscope import` scores them, per file: mean EM / F1 / cover-EM under R1-Searcher's own definition
 * (what its evaluation/metric_calc_rule.py reports for the same files: 54.5 / 63.7 / 63.25 on 2wiki_qwen,
 * etc.), the recorded LLM judge, the R1-Searcher reward and the qwen-zero format pass rate, and for
 * comparison Search-R1's and FlashRAG's EM on the answer Hopscope reads from the text (the last
 * `<answer>`, else `pred_ans`). Printed, never asserted.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { importFile } from '../../src/core/importers';
import { analyzeTrajectory } from '../../src/core/rewards';
import { metricDefinitions } from '../../src/core/metrics';

const DIR = join(__dirname, '../fixtures/importers/r1searcher/full');

async function main(): Promise<void> {
  const head = ['file', 'n', 'EM', 'F1', 'cover-EM', 'judge', 'R1 reward', 'format', 'SR1 EM', 'SR1 subEM', 'FlashRAG EM'];
  const rows: string[][] = [];
  const total = new Array<number>(head.length - 2).fill(0);
  let all = 0;
  for (const name of readdirSync(DIR).filter((f) => f.endsWith('.jsonl.gz')).sort()) {
    const { trajectories } = await importFile(join(DIR, name), { format: 'r1searcher' });
    const sums = new Array<number>(head.length - 2).fill(0);
    for (const raw of trajectories) {
      const t = analyzeTrajectory(raw);
      // EM/F1/cover-EM come from the importer, which scores the recorded pred_ans as R1-Searcher's script does.
      const pred = t.answer ?? '';
      const sr1 = metricDefinitions['search-r1'].score(pred, t.gold!);
      const fr = metricDefinitions.flashrag.score(pred, t.gold!);
      const values = [t.outcome.em, t.outcome.f1, t.outcome.coverEm, t.outcome.judge, t.rewards.r1SearcherReward, t.rewards.format, sr1.em, sr1.subEm, fr.em];
      values.forEach((v, i) => (sums[i]! += v ?? 0));
    }
    const n = trajectories.length;
    all += n;
    sums.forEach((s, i) => (total[i]! += s));
    rows.push([name.replace('.jsonl.gz', ''), String(n), ...sums.map((s, i) => (i === 4 ? (s / n).toFixed(3) : ((100 * s) / n).toFixed(2)))]);
  }
  rows.push(['all', String(all), ...total.map((s, i) => (i === 4 ? (s / all).toFixed(3) : ((100 * s) / all).toFixed(2)))]);
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
  process.stdout.write(`${[line(head), ...rows.map(line)].join('\n')}\n(percent, except the R1-Searcher reward: its mean value)\n`);
}

void main();
