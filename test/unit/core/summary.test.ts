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
