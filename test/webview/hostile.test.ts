/**
 * Hostile content in the panel: a 2 MB document renders with a bounded number of highlights, a
 * malformed trajectory shows what is wrong instead of a blank panel, bidi controls are shown visibly,
 * and text cut to a content cap carries a visible "truncated" flag.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { SearchStep, Trajectory } from '../../src/core/trace';
import { closeBrowser, openViewer } from './harness';
import { makeTrajectory } from './sample';

after(closeBrowser);

function withDoc(text: string, title = 'Big'): Trajectory {
  const t = makeTrajectory();
  const s = t.steps[1] as SearchStep;
  s.docs = [{ id: 'big', rank: 1, score: 1, title, text }];
  return t;
}

test('a 2 MB document full of query terms renders its head at once, and all of it with at most 500 highlights when expanded', async () => {
  // "Indradhanura" and "director" (the step's query terms) every few words, 2 MB in all.
  const text = 'Indradhanura Chhai had a director; Susant Misra. '.repeat(42_000);
  assert.ok(text.length > 2_000_000);
  const v = await openViewer({ view: 'message', title: 'Loading', message: '…' });
  const p = v.page;
  await v.post({ type: 'show', state: { view: 'trajectory', trajectory: withDoc(text) } });
  await p.waitForFunction(() => document.body.dataset.completeMs !== undefined && document.querySelector('.doc-text') !== null);
  const [renderMs, completeMs, head] = await p.evaluate(() => [Number(document.body.dataset.renderMs), Number(document.body.dataset.completeMs), document.querySelector('.doc-text')!.textContent!.length] as const);
  assert.ok(head < 10_000, `the collapsed document holds ${head} characters`);
  const t0 = Date.now();
  await p.locator('.doc-toggle').first().click();
  const [marks, chars] = await p.evaluate(() => [document.querySelectorAll('.doc-text mark').length, document.querySelector('.doc-text')!.textContent!.length] as const);
  console.log(`# 2 MB document: first paint ${renderMs} ms, complete ${completeMs} ms; expanded in ${Date.now() - t0} ms with ${marks} marks`);
  assert.ok(marks > 0 && marks <= 500, `${marks} <mark> elements`);
  assert.equal(chars, text.length, 'expanded, the whole document is there to read');
  await v.close();
});

test('a malformed trajectory by message shows a message naming what is wrong, not a blank panel', async () => {
  const v = await openViewer({ view: 'message', title: 'Loading', message: '…' });
  const bad = makeTrajectory() as unknown as { steps: unknown[] };
  bad.steps[1] = { kind: 'search', query: 'q', rewards: {} };
  await v.post({ type: 'show', state: { view: 'trajectory', trajectory: bad } });
  await v.page.locator('.message h1', { hasText: 'This trajectory cannot be shown' }).waitFor();
  assert.match(await v.page.locator('.message p').innerText(), /step 1 \(search\) has no "docs" list \(\/steps\/1\)/);
  await v.close();
});

test('a malformed trajectory in the embedded first state shows the same message', async () => {
  const bad = { ...makeTrajectory(), stopReason: 'exploded' } as unknown as Trajectory;
  const v = await openViewer({ view: 'trajectory', trajectory: bad });
  await v.page.locator('.message h1', { hasText: 'This trajectory cannot be shown' }).waitFor();
  assert.match(await v.page.locator('.message p').innerText(), /\/stopReason: must be one of "finished"/);
  await v.close();
});

test('bidi control characters in a title, a document and a question are shown as ⟨U+…⟩', async () => {
  const t = withDoc('price\u202Efdp.exe is safe', 'invoice\u202Egpj.exe');
  t.question = 'Is \u2066this\u2069 real?';
  const v = await openViewer({ view: 'trajectory', trajectory: t });
  await v.page.locator('.doc-title').first().waitFor();
  assert.equal(await v.page.locator('.doc-title').first().textContent(), 'invoice⟨U+202E⟩gpj.exe');
  assert.match(await v.page.locator('.doc-text').first().textContent() ?? '', /price⟨U\+202E⟩fdp\.exe/);
  assert.equal(await v.page.locator('h1.question').textContent(), 'Is ⟨U+2066⟩this⟨U+2069⟩ real?');
  const all = await v.page.locator('#app').innerText();
  assert.ok(!/[\u202A-\u202E\u2066-\u2069\u200E\u200F]/.test(all), 'no raw control character reaches the page');
  await v.close();
});

test('a document and a model turn cut to the caps carry a visible "truncated" flag with the original length', async () => {
  const t = withDoc('x'.repeat(1000));
  (t.steps[1] as SearchStep).docs[0]!.truncated = { originalChars: 10_000_000 };
  t.steps[0]!.truncated = { originalChars: 3_000_000 };
  const v = await openViewer({ view: 'trajectory', trajectory: t });
  await v.page.locator('.doc .truncated-flag').waitFor();
  assert.equal(await v.page.locator('.doc .truncated-flag').textContent(), 'truncated (10,000,000 chars)');
  assert.match((await v.page.locator('.doc .truncated-flag').getAttribute('title')) ?? '', /cut to its first 1,000 of 10,000,000 characters \(hopscope\.limits\.maxDocChars\)/);
  assert.equal(await v.page.locator('.step-reason .truncated-flag').first().textContent(), 'truncated (3,000,000 chars)');
  await v.close();
});
