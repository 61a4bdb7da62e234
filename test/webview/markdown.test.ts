/**
 * Reasoning is rendered as Markdown (webview/markdown.ts, markdown-it with raw HTML off): `**Step 1**` reads as
 * bold, lists as lists, while raw HTML stays literal text and links do not become anchors.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { closeBrowser, openViewer } from './harness';
import { makeTrajectory } from './sample';

after(closeBrowser);

test('reasoning shows Markdown emphasis, lists and code, never raw HTML or links', async () => {
  const text = '**Step 1:** find the dam.\n\n1. the lake\n2. the river\n\nUse `search` here <b>raw</b> and [a link](javascript:window.__pwned=5).\n\n## Plan\nthen answer';
  const t = makeTrajectory({ steps: [{ kind: 'reason', text, rewards: {} }, ...makeTrajectory().steps.slice(1)] });
  const v = await openViewer({ view: 'trajectory', trajectory: t });
  const p = v.page;
  const reason = p.locator('.step-reason .reason-text').first();
  await reason.waitFor();
  assert.equal(await reason.locator('strong').first().textContent(), 'Step 1:');
  assert.deepEqual(await reason.locator('ol > li').allTextContents(), ['the lake', 'the river']);
  assert.equal(await reason.locator('code').textContent(), 'search');
  assert.equal(await reason.locator('b, a, script, img').count(), 0, 'no element from raw HTML or a link');
  const shown = await reason.innerText();
  assert.ok(shown.includes('<b>raw</b>'), 'raw HTML is shown as text');
  assert.ok(!shown.includes('**'), 'no literal Markdown markers');
  assert.equal(await reason.locator('.md-heading').textContent(), 'Plan');
  assert.equal(await p.evaluate(() => (window as unknown as { __pwned: number }).__pwned), 0);
  assert.deepEqual(await v.cspViolations(), []);
  await v.close();
});
