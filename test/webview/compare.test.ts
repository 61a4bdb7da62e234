/** The compare view in Chromium: two trajectories side by side, steps aligned, differences marked. */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { closeBrowser, openViewer } from './harness';
import { comparePair } from './sample';

after(closeBrowser);

test('compare aligns the same query side by side and marks the differing ones and their documents', async () => {
  const [a, b] = comparePair();
  const v = await openViewer({ view: 'compare', left: a, right: b }, { restore: { kind: 'compare', left: a, right: b } });
  const p = v.page;
  // Heads: each side's answer and badges.
  assert.deepEqual(await p.locator('.compare-heads .compare-answer').allInnerTexts(), ['Answer: Susant Misra', 'Answer: Susant Mishra']);
  assert.deepEqual(await p.locator('.compare-heads .verdict').allInnerTexts(), ['✓', '✗']);
  const rows = p.locator('.compare-row');
  // B searched twice; its second query matches A's only query (case aside), so that pair shares a row,
  // B's extra first search faces an empty cell, and the answers face each other.
  assert.equal(await rows.count(), 3);
  assert.equal(await rows.nth(0).locator('.compare-cell').nth(0).innerText(), '—');
  assert.equal(await rows.nth(0).locator('.compare-cell').nth(1).locator('.query-text').innerText(), 'Indradhanura Chhai film 1993');
  assert.ok(await rows.nth(0).evaluate((e) => e.classList.contains('differs')));
  assert.deepEqual(await rows.nth(1).locator('.query-text').allInnerTexts(), ['Indradhanura Chhai director', 'indradhanura chhai director']);
  assert.equal(await rows.nth(1).locator('.query.differs').count(), 0);
  // Documents retrieved on one side only are marked; shared ones are not.
  assert.deepEqual(await rows.nth(1).locator('.compare-cell').nth(0).locator('.doc.differs .doc-title').allInnerTexts(), ['Oriya cinema', 'Rainbow']);
  assert.deepEqual(await rows.nth(1).locator('.compare-cell').nth(1).locator('.doc.differs .doc-title').allInnerTexts(), ['Cuttack']);
  // Different answers face each other, both marked.
  const answers = await rows.nth(2).locator('.answer-text').allInnerTexts();
  assert.deepEqual(answers.map((a) => a.replace(/\s+/g, ' ').trim()), ['Susant Misra differs', 'Susant Mishra differs']);
  assert.deepEqual(await v.savedState(), { restore: { kind: 'compare', left: a, right: b } });
  await v.shot('compare');
  assert.deepEqual(await v.cspViolations(), []);
  await v.close();
});

test('two different queries at the same turn face each other, both marked as differing', async () => {
  const [a] = comparePair();
  const b = { ...a, id: 'c', steps: a.steps.map((s) => (s.kind === 'search' ? { ...s, query: 'who made Indradhanura Chhai' } : s)) };
  const v = await openViewer({ view: 'compare', left: a, right: b });
  const rows = v.page.locator('.compare-row');
  assert.equal(await rows.count(), 2);
  assert.equal(await rows.nth(0).locator('.query.differs').count(), 2);
  assert.equal(await rows.nth(0).locator('.doc.differs').count(), 0, 'same documents on both sides');
  await v.close();
});

test('two different questions: each side shows its own question and its own gold, never one merged gold row', async () => {
  const [a, b0] = comparePair();
  const b = { ...b0, question: 'Which lake does the Horse Mesa Dam form?', gold: ['Apache Lake'] };
  const v = await openViewer({ view: 'compare', left: a, right: b });
  const p = v.page;
  assert.deepEqual(await p.locator('.traj-header h1.question').allInnerTexts(), [`A: ${a.question}`, `B: ${b.question}`]);
  assert.deepEqual(await p.locator('.compare-heads .compare-gold').allInnerTexts(), [`Gold: ${a.gold!.join('')}`, 'Gold: Apache Lake']);
  assert.equal(await p.locator('.traj-header .gold').count(), 0, 'no merged gold row');
  // B's documents are marked against B's gold only: "Susant Misra" (A's gold) is not marked on B's side.
  assert.equal(await p.locator('.compare-row .compare-cell:nth-child(2) mark.gold').count(), 0);
  assert.ok((await p.locator('.compare-row .compare-cell:nth-child(1) mark.gold').count()) > 0);
  await v.close();
});

test('each side of a comparison from trace files opens on its own', async () => {
  const [a, b] = comparePair();
  const leftRef = { file: '/w/.hopscope/traces/qwen.jsonl', id: 'a' };
  const v = await openViewer({ view: 'compare', left: a, right: b, leftRef, rightRef: { file: '/w/.hopscope/traces/llama.jsonl', id: 'b' } });
  await v.page.locator('button.open-side').first().click();
  assert.deepEqual((await v.posted()).filter((m) => m.type === 'openRef'), [{ type: 'openRef', ref: leftRef }]);
  await v.close();
  // Trajectories not from a file (e.g. a live run) have no such button.
  const w = await openViewer({ view: 'compare', left: a, right: b });
  assert.equal(await w.page.locator('button.open-side').count(), 0);
  await w.close();
});
