/**
 * The trajectories table's search inside queries, documents and reasoning (src/extension/traces/deepSearch.ts):
 * what matches, what does not (the gold answer, the id), and that the summary's new columns (cover-EM, tokens)
 * come from the trajectory.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { searchFile } from '../../../../src/extension/traces/deepSearch';
import { TraceFileIndex } from '../../../../src/extension/traces/traceFileIndex';
import { tableRowOf } from '../../../../src/extension/traces/tableRow';
import { makeTempDir } from '../../../support/tmp';
import { minimalTrajectory } from '../../core/helpers';

test('finds a word in a query, a document or the reasoning, case-insensitive; not in the gold answer or the id', async () => {
  const file = join(makeTempDir(), 'run.jsonl');
  const t = [
    minimalTrajectory(0, { steps: [{ kind: 'search', query: 'Horse Mesa Dam lake', docs: [], rewards: {} }] }),
    minimalTrajectory(1, { steps: [{ kind: 'search', query: 'q', docs: [{ id: 'd', rank: 1, score: 1, title: 'Apache Lake', text: 'A reservoir in the Superstition Mountains' }], rewards: {} }] }),
    minimalTrajectory(2, { steps: [{ kind: 'reason', text: 'The dam is on the Salt River. "quoted"\nnext', rewards: {} }] }),
    minimalTrajectory(3, { gold: ['Superstition'], id: 'superstition-id' }),
  ];
  writeFileSync(file, t.map((x) => JSON.stringify(x)).join('\n') + '\n');
  const idx = new TraceFileIndex(file);
  await idx.update();
  const find = (q: string) => searchFile(idx, q).then((keys) => keys.map((k) => k.slice(file.length + 1)));
  assert.deepEqual(await find('horse mesa'), ['t0']);
  assert.deepEqual(await find('SUPERSTITION'), ['t1'], 'the document text counts; the gold answer and the id do not');
  assert.deepEqual(await find('apache lake'), ['t1'], 'document titles count');
  assert.deepEqual(await find('salt river'), ['t2']);
  assert.deepEqual(await find('"quoted"'), ['t2'], 'text that JSON escapes is still found');
  assert.deepEqual(await find('nowhere at all'), []);
});

test("a table row carries the verdict, cover-EM and the run's completion tokens", async () => {
  const file = join(makeTempDir(), 'run.jsonl');
  const t = minimalTrajectory(0, { usage: { completionTokens: 321 }, outcome: { em: 0, f1: 0.5, coverEm: 1 }, gold: ['a'] });
  const u = minimalTrajectory(1, { usage: {}, steps: [{ kind: 'reason', text: 'x', tokens: 10, rewards: {} }, { kind: 'answer', text: 'a', tokens: 5, rewards: {} }] });
  writeFileSync(file, `${JSON.stringify(t)}\n${JSON.stringify(u)}\n`);
  const idx = new TraceFileIndex(file);
  await idx.update();
  const [a, b] = idx.summaries.map((s) => tableRowOf(file, s));
  assert.equal(a!.coverEm, 1);
  assert.equal(a!.tokens, 321);
  assert.equal(b!.tokens, 15, 'summed over the steps when the run has no total');
  assert.equal(a!.key, `${file}#t0`);
  assert.equal(a!.file, 'run.jsonl');
  assert.ok(['correct', 'wrong', 'unknown'].includes(a!.verdict));
});
