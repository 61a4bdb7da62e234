import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { escapeHtml, htmlReport } from '../../../../src/core/export/html';
import { importFile } from '../../../../src/core/importers';
import { analyzeTrajectory } from '../../../../src/core/rewards';
import { summarize } from '../../../../src/core/summary';
import { answer, doc, search, trajectory } from '../build';

const FIX = join(__dirname, '../../../fixtures/importers/r1searcher');

test('run summary: metrics, histograms, labels and datasets', async () => {
  const a = await importFile(join(FIX, 'bamboogle_qwen.sample.jsonl'));
  const b = await importFile(join(FIX, 'hotpotqa_qwen.sample.jsonl'));
  const all = [...a.trajectories, ...b.trajectories];
  const s = summarize(all);
  assert.equal(s.count, 16);
  assert.deepEqual(s.byDataset.map((d) => [d.dataset, d.count]), [['bamboogle', 8], ['hotpotqa', 8]]);
  const em = all.reduce((n, t) => n + t.outcome.em!, 0) / 16;
  assert.equal(s.metrics.find((m) => m.name === 'EM')!.mean, em);
  assert.equal(s.searchesHistogram.reduce((n, bin) => n + bin.count, 0), 16);
  assert.equal(s.searchesHistogram[0]!.count, all.filter((t) => !t.steps.some((x) => x.kind === 'search')).length);
  assert.equal(s.f1Histogram.reduce((n, bin) => n + bin.count, 0), 16);
  assert.equal(s.labels.no_search, all.filter((t) => t.labels.some((l) => l.label === 'no_search')).length);
  assert.equal(s.failed.length, s.failedCount);
});

test('the HTML report is self-contained and escapes model and document text', () => {
  const evil = '<img src=x onerror=alert(1)></script><script>alert(2)</script>';
  const t = analyzeTrajectory(
    trajectory({
      question: `Q ${evil}`,
      gold: ['Paris'],
      answer: evil,
      outcome: { em: 0, f1: 0, coverEm: 0 },
      steps: [search(evil, [doc(1, evil, evil)]), answer(evil)],
    }),
  );
  const html = htmlReport([t, analyzeTrajectory(trajectory({ id: 'ok', gold: ['x'], answer: 'x', outcome: { em: 1, f1: 1, coverEm: 1 }, steps: [answer('x')] }))]);
  assert.ok(!html.includes('<img'), 'no live tag from the data');
  assert.ok(!html.includes('<script'), 'no script at all');
  assert.ok(html.includes(escapeHtml('<img src=x onerror=alert(1)>')));
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  assert.ok(!/\b(src|href)=["']?https?:/.test(html), 'no remote resource');
  assert.match(html, /<svg[^>]*aria-label="searches per question"/);
  assert.match(html, /gold_never_retrieved/);
  assert.match(html, /1 wrong/);
});
