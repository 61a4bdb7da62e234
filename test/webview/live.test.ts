/** The live view in Chromium: steps stream in as the loop reports them; Stop asks the host to cancel. */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { LoopEvent } from '../../src/core/events';
import { closeBrowser, openViewer } from './harness';
import { makeTrajectory } from './sample';

after(closeBrowser);

test('steps stream in, the Stop button posts stop, and the finished run becomes the trajectory view', async () => {
  const t = makeTrajectory();
  const v = await openViewer({ view: 'live', question: t.question, steps: [], running: true });
  const p = v.page;
  const send = (event: LoopEvent) => v.post({ type: 'loopEvent', event });
  assert.match(await p.locator('.live-status').innerText(), /Running/);
  // Nothing to restore while running: a reload must not bring back an earlier trajectory instead.
  assert.deepEqual(await v.savedState(), {});
  await send({ type: 'started', trajectoryId: t.id, question: t.question });
  await send({ type: 'stepStarted', stepIndex: 0, kind: 'reason' });
  await send({ type: 'token', stepIndex: 0, text: 'I need to ' });
  await send({ type: 'token', stepIndex: 0, text: 'find <b>it</b>' });
  await p.waitForFunction(() => document.querySelector('.streaming')?.textContent === 'I need to find <b>it</b>');
  await send({ type: 'stepFinished', stepIndex: 0, step: t.steps[0] });
  await send({ type: 'stepStarted', stepIndex: 1, kind: 'search' });
  const search = t.steps[1];
  assert.equal(search.kind, 'search');
  await send({ type: 'retrieval', stepIndex: 1, query: search.query, docs: search.docs, ms: 3 });
  await p.locator('.step-search .doc').first().waitFor();
  assert.deepEqual(await p.locator('.timeline > .step .step-kind').allInnerTexts(), ['Reasoning', 'Search']);
  assert.equal(await p.locator('.step-search .doc').count(), 3);
  // A malformed event is ignored rather than breaking the view.
  await v.post({ type: 'loopEvent', event: { type: 'stepFinished', stepIndex: -1, step: {} } });
  await v.shot('live-running');

  await p.locator('button.stop').click();
  assert.ok((await v.posted()).some((m) => m.type === 'stop'));
  assert.match(await p.locator('.live-status').innerText(), /Stopping/);

  await send({ type: 'finished', stopReason: 'cancelled', trajectory: { ...t, stopReason: 'cancelled' } });
  await p.locator('.trajectory:not(.live) .stop-reason').waitFor();
  assert.equal(await p.locator('.stop-reason').textContent(), 'cancelled');
  assert.deepEqual(await v.savedState(), { restore: { kind: 'trajectory', trajectory: { ...t, stopReason: 'cancelled' } } });
  assert.deepEqual(await v.cspViolations(), []);
  await v.close();
});

test('a live view restored mid-run shows the steps so far; an error event shows as an alert', async () => {
  const t = makeTrajectory();
  const v = await openViewer({ view: 'live', question: t.question, steps: t.steps.slice(0, 2), running: true });
  assert.equal(await v.page.locator('.timeline > .step').count(), 2);
  await v.post({ type: 'loopEvent', event: { type: 'error', message: 'endpoint http://127.0.0.1:8000/v1 refused the connection' } });
  await v.page.locator('[role=alert]').waitFor();
  assert.match(await v.page.locator('[role=alert]').innerText(), /refused the connection/);
  await v.close();
});
