import assert from 'node:assert/strict';
import { test } from 'node:test';
import { capTrajectory, cappedRetriever } from '../../../src/core/contentLimits';
import type { RetrievedDoc, SearchStep } from '../../../src/core/trace';
import { validateTrajectory } from '../../../src/core/traceSchema';
import { serializeTrajectory } from '../../../src/core/traceStore';
import { minimalTrajectory } from './helpers';

const doc = (text: string): RetrievedDoc => ({ id: 'd', rank: 1, score: 1, title: 'T', text });

test('a 10 MB document is cut to the cap before it reaches the prompt, marked with its original length', async () => {
  const huge = 'x'.repeat(10_000_000);
  const r = cappedRetriever({ info: { kind: 'fake' }, search: async () => [doc(huge), doc('short')] }, { maxDocChars: 1000 });
  const [cut, kept] = await r.search('q', { topK: 2 });
  assert.equal(cut!.text.length, 1000);
  assert.deepEqual(cut!.truncated, { originalChars: 10_000_000 });
  assert.equal(kept!.truncated, undefined);
  assert.equal(kept!.text, 'short');
});

test('a trajectory with a huge document and a huge model turn becomes a small, schema-valid trace line', () => {
  const t = minimalTrajectory(0);
  t.steps = [
    { kind: 'reason', text: 'y'.repeat(3_000_000), rewards: {} },
    { kind: 'search', query: 'q', docs: [doc('z'.repeat(5_000_000))], rewards: {} },
    { kind: 'answer', text: 'a', rewards: {} },
  ];
  const line = serializeTrajectory(t, { maxDocChars: 2000, maxTurnChars: 4000 });
  assert.ok(line.length < 20_000, `the line holds ${line.length} characters`);
  const back = JSON.parse(line);
  const v = validateTrajectory(back);
  assert.equal(v.ok, true, v.ok ? '' : v.errors.join('; '));
  assert.deepEqual(back.steps[0].truncated, { originalChars: 3_000_000 });
  assert.equal(back.steps[0].text.length, 4000);
  assert.deepEqual((back.steps[1] as SearchStep).docs[0]!.truncated, { originalChars: 5_000_000 });
  assert.equal(back.steps[2]!.truncated, undefined);
});

test('a trajectory within the caps is returned as it is; a cut never splits a surrogate pair', () => {
  const t = minimalTrajectory(0);
  assert.equal(capTrajectory(t), t);
  const emoji = minimalTrajectory(1);
  emoji.steps = [{ kind: 'answer', text: `ab${'😀'.repeat(10)}`, rewards: {} }];
  const cut = capTrajectory(emoji, { maxDocChars: 10, maxTurnChars: 5 });
  const text = (cut.steps[0] as { text: string }).text;
  assert.equal(text, 'ab😀');
  assert.ok(!/[\uD800-\uDBFF]$/.test(text));
});
