/** The run summary names the metric definition its EM/F1 means use, and refuses to average across two. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { htmlReport } from '../../../src/core/export/html';
import { metricMean, summarize } from '../../../src/core/summary';
import { answer, trajectory } from './build';

const scored = (metricDefinition: 'r1-searcher' | 'search-r1', outcome: Record<string, number>) =>
  trajectory({ gold: ['Paris'], answer: 'Paris', metricDefinition, outcome, steps: [answer('Paris')] });

test('one definition: the summary and the HTML report name it and its upstream source', () => {
  const s = summarize([scored('r1-searcher', { em: 1, f1: 1, coverEm: 1 }), scored('r1-searcher', { em: 0, f1: 0.5, coverEm: 1 })]);
  assert.equal(s.metricDefinition, 'r1-searcher');
  assert.deepEqual(s.metricDefinitions, { 'r1-searcher': 2 });
  assert.equal(s.mixedDefinitions, undefined);
  assert.equal(metricMean(s, 'F1'), 0.75);
  const html = htmlReport([scored('search-r1', { em: 0, subEm: 1 })]);
  assert.match(html, /metric definition: <b>search-r1<\/b> \(PeterGriffinJin\/Search-R1 verl\/utils\/reward_score\/qa_em\.py @a14dc3a\)/);
  assert.match(html, /<td>sub-EM<\/td>/);
});

test('two definitions in one run: EM/F1 are not averaged across them, and the summary says why', () => {
  const s = summarize([scored('r1-searcher', { em: 1, f1: 1, coverEm: 1 }), scored('search-r1', { em: 0, subEm: 1 })]);
  assert.equal(s.metricDefinition, undefined);
  assert.deepEqual(s.metricDefinitions, { 'r1-searcher': 1, 'search-r1': 1 });
  assert.match(s.mixedDefinitions!, /different metric definitions \(r1-searcher 1, search-r1 1\)/);
  assert.equal(metricMean(s, 'EM'), undefined);
  assert.equal(metricMean(s, 'sub-EM'), undefined);
  assert.ok(metricMean(s, 'searches') !== undefined, 'other rows stay');
  assert.match(htmlReport([scored('r1-searcher', { em: 1 }), scored('search-r1', { em: 1 })]), /class="warn">scored with different metric definitions/);
});

test('every mean carries its 95 % confidence interval, and the report shows the run\'s own time span', () => {
  const f1s = [1, 0, 0.5, 1];
  const times = ['2026-11-25T10:42:00Z', '2026-11-25T10:00:00Z', '2026-11-25T10:30:00Z', '2026-11-25T10:05:00Z'];
  const ts = f1s.map((f1, i) => trajectory({ gold: ['Paris'], answer: 'Paris', createdAt: times[i]!, outcome: { em: f1 === 1 ? 1 : 0, f1, coverEm: 1 }, steps: [answer('Paris')] }));
  const s = summarize(ts);
  const row = s.metrics.find((m) => m.name === 'F1')!;
  // mean 0.625, sample sd = sqrt(((0.375² · 2) + 0.625² + 0.125²) / 3) = 0.4787; 1.96 · 0.4787 / 2 = 0.4691
  assert.equal(row.mean, 0.625);
  assert.ok(Math.abs(row.ci95! - 0.46913) < 1e-4, String(row.ci95));
  assert.ok(s.metrics.every((m) => m.ci95 !== undefined), 'every mean of n ≥ 2 has one');
  assert.equal(summarize([ts[0]!]).metrics.find((m) => m.name === 'F1')!.ci95, undefined, 'no interval from one value');
  assert.deepEqual(s.span, { first: '2026-11-25T10:00:00Z', last: '2026-11-25T10:42:00Z' });
  const html = htmlReport(ts, { generatedAt: 'today' });
  assert.match(html, /ran 2026-11-25 10:00 – 10:42 UTC/);
  assert.match(html, /<td>F1<\/td><td>0\.625<\/td><td>±0\.469<\/td><td>4<\/td>/);
  assert.match(html, /summary made today/);
});

test('the by-dataset table gives each mean its 95 % confidence interval, as the metrics table does', () => {
  const row = (dataset: string, f1: number) =>
    trajectory({ dataset, gold: ['Paris'], answer: 'Paris', outcome: { em: f1 === 1 ? 1 : 0, f1, coverEm: 1 }, steps: [answer('Paris')] });
  const ts = [...[1, 0, 0.5, 1].map((f1) => row('hotpotqa', f1)), row('bamboogle', 0.5)];
  const s = summarize(ts);
  const hotpot = s.byDataset.find((d) => d.dataset === 'hotpotqa')!;
  // The same four F1 values as above: mean 0.625 ± 0.4691, the same figure the metrics table gives them.
  assert.equal(hotpot.f1, 0.625);
  assert.ok(Math.abs(hotpot.ci95.f1! - 0.46913) < 1e-4, String(hotpot.ci95.f1));
  assert.equal(hotpot.ci95.coverEm, 0, 'all equal: no spread');
  assert.equal(hotpot.ci95.searches, 0);
  assert.deepEqual(s.byDataset.find((d) => d.dataset === 'bamboogle')!.ci95, {}, 'one trajectory: no interval');
  const html = htmlReport(ts);
  assert.match(html, /<td>hotpotqa<\/td><td>4<\/td><td>0\.500 ±0\.566<\/td><td>0\.625 ±0\.469<\/td><td>1 ±0<\/td>/);
  assert.match(html, /<td>bamboogle<\/td><td>1<\/td><td>0<\/td><td>0\.500<\/td><td>1<\/td>/);
});
