/**
 * The training-run dashboard bundle in Chromium, served with its real HTML (src/extension/runs/dashboardHtml.ts,
 * same CSP): the curves at first paint, hover values, a click on a step and what the host answers, a
 * rollout opened, a prompt followed, curves growing as steps arrive, and hostile text shown as text.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { GroupSummary, RolloutSummary } from '../../src/core/runs/queries';
import type { RunHostMessage, RunStepPoint } from '../../src/protocol';
import { screenshot } from '../support/browser';
import { TEST_OUTPUT } from '../support/paths';
import { closeDashboardBrowser, openDashboard } from './runHarness';

after(closeDashboardBrowser);

function stepPoint(step: number): RunStepPoint {
  const t = step / 40;
  return {
    step,
    n: 920,
    meanScore: 0.3 + 0.4 * t,
    scoreStd: 0.35,
    scoreMin: 0,
    scoreMax: 1,
    meanSearches: 1 + 1.5 * t,
    meanResponseChars: 3000 + 2000 * t,
    groups: 230,
    uniformGroups: Math.round(200 - 80 * t),
    allZeroGroups: Math.round(120 - 90 * t),
    allOneGroups: Math.round(20 + 40 * t),
    formatErrorRate: 0.2 * (1 - t),
    labels: {
      gold_never_retrieved: 0.4 - 0.2 * t,
      gold_retrieved_not_used: 0.2,
      repeated_query: 0.05 + 0.1 * t,
      format_error: 0.2 * (1 - t),
      max_turns: 0.01,
      no_search: 0.3 * (1 - t),
      answer_not_in_docs: 0.1,
    },
  };
}

const HOSTILE = '<img src=x onerror="window.__pwned=1">Who founded <b>it</b>?';

test('the dashboard plots every curve at first paint, shows values on hover and lists a clicked step', async () => {
  const steps = Array.from({ length: 40 }, (_, i) => stepPoint(i + 1));
  const d = await openDashboard({ dir: '/runs/search-r1-grpo', name: 'search-r1-grpo', steps, problems: 2 });
  const p = d.page;
  assert.deepEqual(await p.locator('figure.run-chart').evaluateAll((fs) => fs.map((f) => (f as HTMLElement).dataset.chart)), ['score', 'searches', 'format', 'labels', 'length', 'uniform']);
  assert.equal(await p.locator('[data-fact="steps"]').innerText(), '40 steps');
  assert.equal(await p.locator('[data-fact="rollouts"]').innerText(), '36,800 rollouts');
  assert.match(await p.locator('[data-fact="problems"]').innerText(), /2 unreadable line/);
  assert.equal(await p.locator('#labels polyline').count(), 7, 'one line per diagnosis label');
  assert.equal(await p.locator('#score polygon.band').count(), 1, 'the spread around the mean score');
  // Lines are strokes: a filled polyline would shade the area under a curve that bends.
  assert.deepEqual([...new Set(await p.locator('polyline').evaluateAll((ls) => ls.map((l) => getComputedStyle(l).fill)))], ['none']);

  // Hover near the right end of the score chart: the readout names the last step and its values.
  const box = (await p.locator('#score svg').boundingBox())!;
  await p.mouse.move(box.x + box.width - 4, box.y + box.height / 2);
  assert.match(await p.locator('#score .readout').innerText(), /^step 40: mean 0\.70 · mean ± std 0\.35–1\.00$/);
  // Step 10 sits at x = 40 + 9/39 × 312 = 112 of the chart's 360 units.
  await p.mouse.move(box.x + (box.width * 112) / 360, box.y + box.height / 2);
  assert.match(await p.locator('#score .readout').innerText(), /^step 10: mean 0\.40 · mean ± std 0\.05–0\.75$/);

  await p.mouse.click(box.x + box.width - 4, box.y + box.height / 2);
  const pickedStep = (await d.posted()).find((m) => m.type === 'selectStep');
  assert.deepEqual(pickedStep, { type: 'selectStep', step: 40 });
  assert.match(await p.locator('.loading').innerText(), /Step 40: loading/);

  const groups: GroupSummary[] = [
    { group: 'aaaaaaaaaaaa', question: 'Which river flows through the capital?', n: 4, meanScore: 0.5, minScore: 0, maxScore: 1, kind: 'spread' },
    { group: 'bbbbbbbbbbbb', question: HOSTILE, n: 4, meanScore: 0, minScore: 0, maxScore: 0, kind: 'all-zero' },
    { group: 'cccccccccccc', question: 'Who wrote Falling Stars?', n: 4, meanScore: 1, minScore: 1, maxScore: 1, kind: 'all-one' },
  ];
  await d.post({ type: 'stepGroups', step: 40, groups });
  assert.deepEqual(await p.locator('.step-groups tr.group').evaluateAll((rs) => rs.map((r) => (r as HTMLElement).dataset.group)), groups.map((g) => g.group));
  assert.deepEqual(await p.locator('.step-groups .kind').allInnerTexts(), ['spread', 'all-zero', 'all-one']);
  assert.equal(await p.locator('.step-groups tr.group').nth(1).locator('.question-cell').innerText(), HOSTILE, 'shown as text');
  assert.equal(await p.evaluate(() => (window as unknown as { __pwned: number }).__pwned), 0);

  await p.locator('.step-groups tr.group').first().locator('[data-action="rollouts"]').click();
  assert.deepEqual((await d.posted()).at(-1), { type: 'selectGroup', step: 40, group: 'aaaaaaaaaaaa' });
  const rollouts: RolloutSummary[] = [1, 0].map((score, i) => ({
    fileId: 3,
    file: '/runs/search-r1-grpo/40.jsonl',
    line: 17 + i,
    step: 40,
    group: 'aaaaaaaaaaaa',
    question: 'Which river flows through the capital?',
    answer: score ? 'Thames' : 'Seine',
    score,
    searches: 2 - i,
    responseChars: 4000,
    stopReason: 'finished',
    formatError: false,
    labels: score ? [] : ['gold_retrieved_not_used'],
  }));
  await d.post({ type: 'groupRollouts', step: 40, group: 'aaaaaaaaaaaa', rollouts });
  assert.deepEqual(await p.locator('.group-rollouts tr.rollout .where').allInnerTexts(), ['40.jsonl:17', '40.jsonl:18']);
  await p.locator('.group-rollouts tr.rollout').nth(1).click();
  assert.deepEqual((await d.posted()).at(-1), { type: 'openRollout', fileId: 3, line: 18 });

  await p.locator('.step-groups tr.group').first().locator('[data-action="follow"]').click();
  assert.deepEqual((await d.posted()).at(-1), { type: 'followPrompt', group: 'aaaaaaaaaaaa' });
  await d.post({
    type: 'promptHistory',
    group: 'aaaaaaaaaaaa',
    question: 'Which river flows through the capital?',
    history: [3, 11, 19, 40].map((step, i) => ({ ...groups[0]!, step, meanScore: 0.25 * i, minScore: 0, maxScore: i ? 1 : 0 })),
  });
  assert.match(await p.locator('.prompt-history h2').innerText(), /Prompt across 4 step\(s\)/);
  await screenshot(p, join(TEST_OUTPUT, 'webview', 'run-dashboard.png'));
  await p.locator('.step-groups').scrollIntoViewIfNeeded();
  await screenshot(p, join(TEST_OUTPUT, 'webview', 'run-dashboard-step.png'));
  assert.deepEqual(await d.csp(), []);
  await p.close();
});

test('the curves grow as step files arrive, and an ingest in progress can be cancelled', async () => {
  const d = await openDashboard({ dir: '/runs/r', name: 'r', steps: [], problems: 0, progress: { filesDone: 0, filesTotal: 3 } });
  const p = d.page;
  assert.match(await p.locator('.empty').innerText(), /Reading the step files/);
  await p.locator('[data-fact="progress"] button').click();
  assert.deepEqual((await d.posted()).at(-1), { type: 'cancelIngest' });

  await d.post({ type: 'runSummary', steps: [stepPoint(1), stepPoint(2)], problems: 0 });
  await d.post({ type: 'runProgress', filesDone: 3, filesTotal: 3 });
  // The page renders a message on its next frame: wait for the text rather than read it at once.
  await p.locator('[data-fact="steps"]', { hasText: /^2 steps$/ }).waitFor({ timeout: 10_000 });
  assert.equal(await p.locator('[data-fact="steps"]').innerText(), '2 steps');
  await p.locator('[data-fact="progress"]').waitFor({ state: 'detached', timeout: 10_000 });
  assert.equal(await p.locator('[data-fact="progress"]').count(), 0, 'no progress once every file is read');
  const pointsOf = () => p.locator('#searches polyline').getAttribute('points');
  assert.equal((await pointsOf())!.split(' ').length, 2);
  await d.post({ type: 'runSummary', steps: [1, 2, 3, 4, 5].map(stepPoint), problems: 0 });
  await p.locator('[data-fact="steps"]', { hasText: /^5 steps$/ }).waitFor({ timeout: 10_000 });
  assert.equal(await p.locator('[data-fact="steps"]').innerText(), '5 steps');
  assert.equal((await pointsOf())!.split(' ').length, 5, 'the new steps join the curve without a reload');

  // A malformed message is ignored, not trusted.
  await d.post({ type: 'runSummary', steps: [{ step: 'x' }], problems: 0 } as unknown as RunHostMessage);
  assert.equal(await p.locator('[data-fact="steps"]').innerText(), '5 steps');
  assert.deepEqual(await d.csp(), []);
  await p.close();
});
