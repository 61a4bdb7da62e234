import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RetrievedDoc, Step } from '../../../../src/core/trace';
import { pickCitations } from '../../../../src/extension/inline/citations';

const doc = (id: string, rank: number, title: string, text: string, path?: string): RetrievedDoc => ({ id, rank, score: 10 - rank, title, text, path, startLine: 3, endLine: 3 });
const search = (query: string, docs: RetrievedDoc[]): Step => ({ kind: 'search', query, docs, rewards: {} });

test('cites the passages that contain the answer, best overlap first, without duplicates', () => {
  const steps = [
    search('dam lake', [doc('a#0', 1, 'Mormon Flat Dam', 'forms Canyon Lake', 'docs/a.md'), doc('b#0', 2, 'Horse Mesa Dam', 'The dam forms Apache Lake on the Salt River', 'docs/b.md')]),
    search('apache lake', [doc('b#0', 1, 'Horse Mesa Dam', 'The dam forms Apache Lake on the Salt River', 'docs/b.md'), doc('c#0', 2, 'Apache Lake', 'Apache Lake is a reservoir', 'docs/c.md')]),
  ];
  const cited = pickCitations({ steps, answer: 'Apache Lake' });
  assert.deepEqual(cited.map((c) => c.doc.id), ['b#0', 'c#0']);
  assert.equal(cited[0].query, 'dam lake');
});

test('without an overlapping passage, each search\'s top document is cited', () => {
  const steps = [search('q1', [doc('x', 1, 'X', 'nothing here'), doc('y', 2, 'Y', 'nor here')]), search('q2', [doc('z', 1, 'Z', 'still nothing')])];
  assert.deepEqual(pickCitations({ steps, answer: 'Cristoforo Rocchi' }).map((c) => c.doc.id), ['x', 'z']);
  assert.deepEqual(pickCitations({ steps: [], answer: null }), []);
});
