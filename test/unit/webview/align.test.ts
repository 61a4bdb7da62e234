import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RetrievedDoc, Step } from '../../../src/core/trace';
import { alignSteps, toTurns } from '../../../webview/align';

const doc = (title: string): RetrievedDoc => ({ id: title, rank: 1, score: 1, title, text: '' });
const search = (query: string, ...titles: string[]): Step => ({ kind: 'search', query, docs: titles.map(doc), rewards: {} });
const reason = (text: string): Step => ({ kind: 'reason', text, rewards: {} });
const answer = (text: string): Step => ({ kind: 'answer', text, rewards: {} });
const key = (d: RetrievedDoc) => d.title;

test('turns group reasoning with the search it leads to; the tail holds the answer', () => {
  const t = toTurns([reason('a'), search('q1'), search('q2'), reason('b'), answer('x')]);
  assert.equal(t.searches.length, 2);
  assert.deepEqual(t.searches[0].steps.map((s) => s.index), [0, 1]);
  assert.deepEqual(t.tail?.steps.map((s) => s.index), [3, 4]);
});

test('equal queries are anchors; extra searches face an empty cell; answers face each other', () => {
  const rows = alignSteps([search('A b', 'x', 'y'), answer('1')], [search('extra'), search('a  B!', 'y', 'z'), answer('2')], key);
  assert.equal(rows.length, 3);
  assert.equal(rows[0].left, undefined);
  assert.equal(rows[0].queryDiffers, true);
  assert.equal(rows[1].queryDiffers, false);
  assert.deepEqual([...rows[1].leftOnly], ['x']);
  assert.deepEqual([...rows[1].rightOnly], ['z']);
  assert.equal(rows[2].left?.steps[0].step.kind, 'answer');
  assert.equal(rows[2].answerDiffers, true);
  assert.equal(rows[1].answerDiffers, false);
  assert.equal(rows[2].right?.steps[0].step.kind, 'answer');
});

test('different queries between anchors are paired in order and marked', () => {
  const rows = alignSteps([search('p'), search('same'), search('q')], [search('r'), search('same')], key);
  assert.deepEqual(rows.map((r) => [r.left?.search?.query, r.right?.search?.query, r.queryDiffers]), [
    ['p', 'r', true],
    ['same', 'same', false],
    ['q', undefined, true],
  ]);
});

test('a trajectory compared with itself has no differences', () => {
  const steps = [reason('a'), search('q', 'x'), answer('z')];
  assert.ok(alignSteps(steps, steps, key).every((r) => !r.queryDiffers && !r.answerDiffers && r.leftOnly.size === 0 && r.rightOnly.size === 0));
});
