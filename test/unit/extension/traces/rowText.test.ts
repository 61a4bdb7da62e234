import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Step } from '../../../../src/core/trace';
import { fileRowDescription, stepDescription, stepLabel, trajectoryAccessibleLabel, trajectoryDescription, trajectoryTooltip } from '../../../../src/extension/traces/rowText';
import type { TrajectorySummary } from '../../../../src/extension/traces/traceFileIndex';

const summary = (over: Partial<TrajectorySummary>): TrajectorySummary => ({
  index: 0,
  id: 't',
  question: 'Who directed Indradhanura Chhai?',
  answer: 'Susant Misra',
  line: 3,
  offset: 0,
  length: 10,
  verdict: true,
  verdictWhy: 'the answer matches a gold answer exactly (EM 1)',
  em: 1,
  f1: 1,
  searches: 2,
  steps: 5,
  stopReason: 'finished',
  labels: [],
  ...over,
});

test('a file row counts trajectories, failed ones and bad lines once read, and says when it is reading', () => {
  const base = { problems: 0, read: true, reading: false };
  assert.equal(fileRowDescription({ ...base, total: 40, failed: 16 }), '40 trajectories · 16 failed');
  assert.equal(fileRowDescription({ ...base, total: 1, failed: 0 }), '1 trajectory');
  assert.equal(fileRowDescription({ ...base, total: 20000, failed: 0, problems: 1 }), '20,000 trajectories · 1 bad line');
  assert.equal(fileRowDescription({ ...base, total: 0, failed: 0, read: false, reading: true }), 'reading…');
  assert.equal(fileRowDescription({ ...base, total: 12, failed: 3, reading: true }), 'reading… 12 trajectories · 3 failed');
  assert.equal(fileRowDescription({ ...base, total: 0, failed: 0, read: false }), undefined);
  // With a filter on, the row counts what it shows (issue 14: not "40 · 20 failed" when 3 are listed).
  assert.equal(fileRowDescription({ ...base, total: 40, shown: 3, failed: 2 }), '3 of 40 trajectories · 2 failed');
  // A large file read into the trace store: how far, against the total estimated from the bytes read.
  assert.equal(fileRowDescription({ ...base, total: 120000, failed: 300, reading: true, expected: 500000 }), 'indexing 120,000 of ~500,000… · 300 failed');
  assert.equal(fileRowDescription({ ...base, total: 120000, shown: 20, failed: 3, reading: true, expected: 500000 }), 'indexing 120,000 of ~500,000… · 20 shown · 3 failed');
});

test('a trajectory row shows ✓, ✗ or · from the verdict, F1, searches, stop reason and labels', () => {
  assert.equal(trajectoryDescription(summary({})), '✓ F1 1 · 2 searches · finished');
  assert.equal(trajectoryDescription(summary({ verdict: false, f1: 0.4, searches: 1, labels: ['ignored_gold'] })), '✗ F1 0.40 · 1 search · finished · ignored_gold');
  assert.equal(trajectoryDescription(summary({ verdict: undefined, f1: undefined, stopReason: 'error' })), '· F1 – · 2 searches · error');
});

test("a trajectory's tooltip and screen-reader label say the verdict and why", () => {
  const wrong = summary({ verdict: false, verdictWhy: 'neither EM nor cover-EM is 1', em: 0, f1: 0.5, judge: 1, latencyMs: 1234.6, model: 'Qwen-7B' });
  assert.equal(
    trajectoryTooltip(wrong, '/w/.hopscope/traces/run.jsonl'),
    'Who directed Indradhanura Chhai?\n\nanswer: Susant Misra\nwrong: neither EM nor cover-EM is 1\nEM 0 · F1 0.50 · judge 1\n2 searches · 5 steps · finished · 1235 ms\nmodel Qwen-7B\nrun.jsonl:3',
  );
  // The metric definition that scored the numbers is named, and Search-R1's sub-EM shown where it was scored.
  const searchR1 = summary({ em: 0, f1: undefined, subEm: 1, metricDefinition: 'search-r1' });
  assert.match(trajectoryTooltip(searchR1, 'run.jsonl'), /^EM 0 · F1 – · sub-EM 1 \(search-r1 metrics\)$/m);
  assert.match(trajectoryTooltip(summary({ metricDefinition: 'r1-searcher' }), 'run.jsonl'), /^EM 1 · F1 1 \(r1-searcher metrics\)$/m);
  assert.equal(trajectoryAccessibleLabel(summary({ verdict: undefined })), 'unknown Who directed Indradhanura Chhai?, F1 1, 2 searches, finished');
});

test('step rows are numbered from 1 and name their kind; a search row counts its documents', () => {
  const search: Step = { kind: 'search', query: 'Indradhanura   Chhai\ndirector', docs: [], rewards: { retrievalHit: 1, infoGain: 0.314 } };
  const answer: Step = { kind: 'answer', text: 'Susant Misra', rewards: {} };
  assert.equal(stepLabel(search, 1), '2. search: Indradhanura Chhai director');
  assert.equal(stepDescription(search), '0 docs · retrievalHit 1 · infoGain 0.31');
  assert.equal(stepLabel(answer, 2), '3. answer: Susant Misra');
  assert.equal(stepDescription(answer), '');
});
