/** "Fork from here" in Chromium: one button per search step, reachable from the keyboard, posting a typed fork message. */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { closeBrowser, openViewer } from './harness';
import { makeTrajectory } from './sample';

after(closeBrowser);

test('each search step offers "Fork from here"; click and keyboard post { type: fork, trajectoryId, step }', async () => {
  const t = makeTrajectory();
  const searchAt = t.steps.map((s, i) => (s.kind === 'search' ? i : -1)).filter((i) => i >= 0);
  assert.ok(searchAt.length > 0);
  const v = await openViewer({ view: 'trajectory', trajectory: t });
  const p = v.page;
  const buttons = p.locator('button.fork-button');
  await buttons.first().waitFor();
  assert.equal(await buttons.count(), searchAt.length, 'one button per search step, none on reasoning or answers');
  for (const [k, i] of searchAt.entries()) {
    assert.equal(await buttons.nth(k).evaluate((b) => b.closest('.step')?.getAttribute('data-step')), String(i));
    assert.equal(await buttons.nth(k).getAttribute('aria-label'), `Fork from step ${i + 1} with another query`);
  }
  assert.equal(await buttons.first().innerText(), 'Fork from here');

  await buttons.first().click();
  const forks = async () => (await v.posted()).filter((m) => m.type === 'fork');
  assert.deepEqual(await forks(), [{ type: 'fork', trajectoryId: t.id, step: searchAt[0] }]);

  // Keyboard: focus the step, Tab onto its button, Enter.
  const last = searchAt.at(-1)!;
  await p.locator(`.step[data-step="${last}"]`).focus();
  let reached = false;
  for (let n = 0; n < 40 && !reached; n++) {
    await p.keyboard.press('Tab');
    reached = await p.evaluate(() => document.activeElement?.classList.contains('fork-button') ?? false);
  }
  assert.ok(reached, 'the fork button is reachable with Tab');
  assert.equal(await p.evaluate(() => document.activeElement?.closest('.step')?.getAttribute('data-step')), String(last));
  await p.keyboard.press('Enter');
  await p.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'fork').length === 2);
  assert.deepEqual((await forks())[1], { type: 'fork', trajectoryId: t.id, step: last });
  await v.shot('fork-button');

  // Compare and live views are not forked from.
  await v.post({ type: 'show', state: { view: 'compare', left: t, right: { ...t, id: 'other' } } });
  await p.locator('.compare').waitFor();
  assert.equal(await p.locator('button.fork-button').count(), 0);
  assert.deepEqual(await v.cspViolations(), []);
  await v.close();
});

test('a finished live run can be forked too, and a fork shows what it was forked from in compare', async () => {
  const t = makeTrajectory();
  const v = await openViewer({ view: 'live', question: t.question, steps: [], running: true });
  await v.post({ type: 'loopEvent', event: { type: 'finished', stopReason: 'finished', trajectory: t } });
  await v.page.locator('button.fork-button').first().waitFor();
  const at = t.steps.findIndex((s) => s.kind === 'search');
  const fork = { ...t, id: 'fork-1', forkOf: { id: t.id, step: at }, answer: 'a better answer' };
  await v.post({ type: 'show', state: { view: 'compare', left: t, right: fork } });
  await v.page.locator('.compare').waitFor();
  const labels = await v.page.locator('.compare-label').allInnerTexts();
  assert.match(labels[0], /^Original/);
  assert.match(labels[1], new RegExp(`^Fork at step ${at + 1}`));
  assert.match(await v.page.locator('.compare-answer').nth(1).innerText(), /a better answer/);
  await v.close();
});

test('a fork says in its Run section when its context was re-assembled or it searched another retriever', async () => {
  const t = makeTrajectory({ forkOf: { id: 'r1searcher-bamboogle-7', step: 3, contextRebuilt: true, retriever: { original: "the imported run's own retriever (not recorded)", fork: 'workspace retriever ab12' } } });
  const v = await openViewer({ view: 'trajectory', trajectory: t });
  const p = v.page;
  assert.match(await p.locator('.policy-item[data-fact="fork of"]').innerText(), /fork of\s*r1search at step 4/);
  assert.deepEqual(await p.locator('.header-section[data-section="run"] .fork-warning').allInnerTexts(), [
    "⚠ Fork: its context was re-assembled from the original's steps: the original's transcript did not match the template.",
    "⚠ Fork: it searched the workspace retriever ab12; the original searched the imported run's own retriever (not recorded).",
  ]);
  await v.close();
});
