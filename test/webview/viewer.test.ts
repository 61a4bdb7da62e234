/** The trace viewer bundle in Chromium: what a person sees for a trajectory, and what it sends the host. */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { closeBrowser, openViewer } from './harness';
import { makeTrajectory } from './sample';

after(closeBrowser);

test('the header shows question, gold, answer, metric badges, stop reason, searches, tokens and latency', async () => {
  const v = await openViewer({ view: 'trajectory', trajectory: makeTrajectory() });
  const p = v.page;
  assert.equal(await p.locator('h1.question').textContent(), 'Who directed the film Indradhanura Chhai?');
  assert.equal(await p.locator('.facts .gold').textContent(), 'Susant Misra');
  assert.equal(await p.locator('.facts .answer').innerText(), 'Susant Misra');
  assert.equal(await p.locator('.metric[data-metric="EM"] .metric-value').innerText(), '1');
  assert.equal(await p.locator('.metric[data-metric="F1"] .metric-value').innerText(), '1');
  assert.equal(await p.locator('.metric[data-metric="cover-EM"] .metric-value').innerText(), '1');
  assert.equal(await p.locator('.metric[data-metric="format"] .metric-value').innerText(), '1');
  assert.equal(await p.locator('.verdict').innerText(), '✓');
  assert.equal(await p.locator('.stop-reason').textContent(), 'finished');
  assert.match(await p.locator('[data-fact="searches"]').innerText(), /1\s+searches/);
  assert.match(await p.locator('[data-fact="tokens"]').innerText(), /2,280 tokens/);
  assert.equal(await p.locator('[data-fact="latency"]').innerText(), '2.4 s');
  assert.match(await p.locator('.labels').innerText(), /gold-retrieved[\s\S]*rank 1[\s\S]*step 2/i);
  await v.shot('trajectory');
  assert.deepEqual(await v.cspViolations(), []);
  await v.close();
});

test("the badges are the metric definition's own, with a small label naming it and its upstream source", async () => {
  const r1 = await openViewer({ view: 'trajectory', trajectory: makeTrajectory({ metricDefinition: 'r1-searcher' }) });
  const label = r1.page.locator('.badges [data-fact="metric-definition"]');
  assert.equal(await label.innerText(), 'r1-searcher');
  assert.match((await label.getAttribute('title'))!, /RUCAIBox\/R1-Searcher evaluation\/metric_calc_rule\.py @631167c/);
  await r1.close();
  const sr1 = await openViewer({
    view: 'trajectory',
    trajectory: makeTrajectory({ metricDefinition: 'search-r1', outcome: { em: 0, subEm: 1 } }),
  });
  assert.deepEqual(await sr1.page.locator('.badges .metric .metric-name').allInnerTexts(), ['EM', 'sub-EM', 'format']);
  assert.equal(await sr1.page.locator('.metric[data-metric="sub-EM"] .metric-value').innerText(), '1');
  assert.equal(await sr1.page.locator('.badges [data-fact="metric-definition"]').innerText(), 'search-r1');
  await sr1.close();
});

test('the timeline shows every step in order with documents, highlights, rewards and the chart', async () => {
  const v = await openViewer({ view: 'trajectory', trajectory: makeTrajectory() });
  const p = v.page;
  assert.deepEqual(await p.locator('.timeline > .step .step-kind').allInnerTexts(), ['Reasoning', 'Search', 'Reasoning', 'Answer']);
  assert.equal(await p.locator('.step-search .query-text').innerText(), 'Indradhanura Chhai director');
  const docs = p.locator('.step-search .doc');
  assert.equal(await docs.count(), 3);
  assert.deepEqual(await p.locator('.step-search .doc-rank').allInnerTexts(), ['#1', '#2', '#3']);
  assert.deepEqual(await p.locator('.step-search .doc-score').allInnerTexts(), ['13.20', '7.90', '4.10']);
  // Query terms highlighted (case-insensitively, whole words), gold answer marked, only in the doc that has it.
  assert.deepEqual(await docs.nth(0).locator('.doc-text mark.term').allInnerTexts(), ['Indradhanura', 'Chhai']);
  assert.deepEqual(await docs.nth(0).locator('mark.gold').allInnerTexts(), ['Susant Misra']);
  assert.deepEqual(await docs.nth(1).locator('.doc-text mark.term').allInnerTexts(), ['director']);
  assert.equal(await docs.nth(0).locator('.gold-flag').count(), 1);
  assert.equal(await docs.nth(2).locator('.gold-flag').count(), 0);
  assert.match(await p.locator('.step-search .docs-summary').innerText(), /3 documents · 3 ms · 1 with the gold answer/);
  // Per-step rewards beside the step, and the chart with one series per reward name.
  // Readable names, the recorded key and the definition on hover.
  assert.deepEqual(await p.locator('.step-search .reward').allInnerTexts(), ['Answer retrieved 1', 'Info gain 0.31']);
  assert.match((await p.locator('.step-search .reward[data-reward="retrievalHit"]').getAttribute('title'))!, /^Answer retrieved \(retrievalHit\) = 1\n1 when a retrieved document contains a gold answer/);
  assert.equal(await p.locator('.chart .rewards-svg').count(), 1);
  assert.deepEqual(await p.locator('.rewards-svg .series-label').evaluateAll((els) => els.map((e) => e.getAttribute('data-series'))), ['retrievalHit', 'infoGain']);
  assert.equal(await p.locator('.rewards-svg .point-value').count(), 3);
  assert.equal(await p.locator('.rewards-svg .axis-title').textContent(), 'step →');
  assert.equal(await p.locator('.rewards-svg circle').count(), 3);
  // Clicking a point of the chart moves to its step.
  await p.locator('.rewards-svg circle[data-step="2"]').click();
  await p.waitForFunction(() => (document.activeElement as HTMLElement | null)?.dataset.step === '2');
  // The step a label points at carries it.
  assert.match(await p.locator('.step[data-step="1"] .label-note').innerText(), /gold-retrieved/);
  await v.close();
});

test('a workspace document link asks the host to open its file at the line range', async () => {
  const v = await openViewer({ view: 'trajectory', trajectory: makeTrajectory() });
  await v.page.locator('.doc').first().locator('a.doc-link').click();
  const posted = await v.posted();
  assert.deepEqual(posted.filter((m) => m.type === 'openDoc'), [{ type: 'openDoc', path: 'docs/films.md', startLine: 40, endLine: 52 }]);
  // A document without a path (imported from Wikipedia) has no link.
  assert.equal(await v.page.locator('.doc').nth(2).locator('a.doc-link').count(), 0);
  await v.close();
});

test('the Raw tab shows the exact transcript with its tags', async () => {
  const t = makeTrajectory();
  const v = await openViewer({ view: 'trajectory', trajectory: t });
  await v.page.locator('#tab-raw').click();
  await v.page.locator('pre.raw').waitFor({ state: 'visible' });
  assert.equal(await v.page.locator('pre.raw').textContent(), t.raw);
  assert.deepEqual((await v.page.locator('pre.raw .raw-tag').allInnerTexts()).slice(0, 3), ['<think>', '<|begin_of_query|>', '<|end_of_query|>']);
  await v.shot('raw-tab');
  await v.close();
});

test('keyboard: j/k and arrows move between steps, Enter expands documents, r/t switch tabs', async () => {
  const v = await openViewer({ view: 'trajectory', trajectory: makeTrajectory() });
  const p = v.page;
  const focused = () => p.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.step);
  await p.keyboard.press('j');
  assert.equal(await focused(), '0');
  await p.keyboard.press('j');
  assert.equal(await focused(), '1');
  await p.keyboard.press('ArrowDown');
  assert.equal(await focused(), '2');
  await p.keyboard.press('k');
  assert.equal(await focused(), '1');
  await p.keyboard.press('Enter');
  assert.equal(await p.locator('.step[data-step="1"] .doc.expanded').count(), 3);
  await p.keyboard.press('End');
  assert.equal(await focused(), '3');
  await p.keyboard.press('r');
  await p.locator('pre.raw').waitFor({ state: 'visible' });
  await p.keyboard.press('t');
  await p.locator('.timeline').first().waitFor({ state: 'visible' });
  await v.close();
});

test('a failed trajectory shows ✗, partial F1 and its stop reason; the host can focus a step', async () => {
  const t = makeTrajectory({ answer: null, stopReason: 'max_turns', outcome: { em: 0, f1: 0.4, coverEm: 0 }, steps: makeTrajectory().steps.slice(0, 3), error: undefined });
  const v = await openViewer({ view: 'trajectory', trajectory: t });
  assert.equal(await v.page.locator('.verdict').innerText(), '✗');
  assert.equal(await v.page.locator('.facts .answer').innerText(), '(no answer)');
  assert.equal(await v.page.locator('.stop-reason').textContent(), 'max_turns');
  assert.ok(await v.page.locator('.metric[data-metric="F1"]').evaluate((e) => e.classList.contains('partial')));
  // Even from the Raw tab: the timeline comes back with the step focused.
  await v.page.locator('#tab-raw').click();
  await v.page.locator('pre.raw').waitFor({ state: 'visible' });
  await v.post({ type: 'focusStep', step: 2 });
  await v.page.waitForFunction(() => (document.activeElement as HTMLElement | null)?.dataset.step === '2');
  assert.ok(await v.page.locator('.step[data-step="2"]').isVisible());
  await v.close();
});

test('the webview says ready, persists what restores it, and ignores malformed host messages', async () => {
  const t = makeTrajectory();
  const v = await openViewer({ view: 'trajectory', trajectory: t, ref: { file: '/w/.hopscope/traces/a.jsonl', id: 't-1' } }, { restore: { kind: 'ref', ref: { file: '/w/.hopscope/traces/a.jsonl', id: 't-1' } } });
  assert.deepEqual((await v.posted())[0], { type: 'ready' });
  assert.deepEqual(await v.savedState(), { restore: { kind: 'ref', ref: { file: '/w/.hopscope/traces/a.jsonl', id: 't-1' } } });
  await v.post({ type: 'show', state: { view: 'trajectory', trajectory: { ...t, steps: 'nope' } } });
  await v.post({ type: 'bogus' });
  await v.post({ type: 'show', state: { view: 'message', title: 'Later', message: 'state after ready' } });
  await v.page.locator('.message h1').waitFor();
  assert.equal(await v.page.locator('.message h1').innerText(), 'Later');
  assert.equal(await v.page.locator('.trajectory').count(), 0);
  await v.close();
});

test('a question asked without a gold answer says so instead of showing empty metrics', async () => {
  const t = makeTrajectory({ gold: undefined, outcome: {}, rewards: {} });
  const v = await openViewer({ view: 'trajectory', trajectory: t });
  assert.equal(await v.page.locator('[data-fact="no-gold"]').textContent(), 'no gold answer');
  assert.equal(await v.page.locator('.metric').count(), 0);
  assert.equal(await v.page.locator('.verdict').count(), 0);
  assert.equal(await v.page.locator('.facts .gold').textContent(), '(none)');
  await v.close();
});

test('the rewards chart keeps counts off the probabilities\' axis: one lane each, a count lane labelled with its range', async () => {
  const t = makeTrajectory();
  const search = t.steps[1];
  assert.equal(search.kind, 'search');
  const steps = [
    { ...search, rewards: { retrievalHit: 1, hitDocs: 3, repeatedDocs: 0 } },
    { ...search, rewards: { retrievalHit: 0, hitDocs: 0, repeatedDocs: 2 } },
    { ...search, rewards: { retrievalHit: 1, hitDocs: 1, repeatedDocs: 1 } },
  ];
  const v = await openViewer({ view: 'trajectory', trajectory: { ...t, steps, labels: [] } });
  const p = v.page;
  await p.locator('.rewards-svg').waitFor();
  assert.deepEqual(await p.locator('.rewards-svg .series-label').evaluateAll((els) => els.map((e) => e.getAttribute('data-series'))), ['retrievalHit', 'hitDocs', 'repeatedDocs']);
  assert.deepEqual(await p.locator('.rewards-svg .series-label').evaluateAll((els) => els.map((e) => e.firstChild?.textContent)), ['Answer retrieved', 'Docs with answer', 'Repeated docs']);
  // Only the counts say their range; a 0/1 reward needs none.
  assert.deepEqual(await p.locator('.rewards-svg .lane-scale').evaluateAll((els) => els.map((e) => [e.getAttribute('data-series'), e.textContent])), [['hitDocs', '0–3'], ['repeatedDocs', '0–2']]);
  // Each series has its own band: no point of one lies within another's vertical range.
  const bands = await p.locator('.rewards-svg circle').evaluateAll((els) => {
    const by: Record<string, number[]> = {};
    for (const e of els) (by[e.getAttribute('class') ?? ''] ??= []).push(Number(e.getAttribute('cy')));
    return Object.values(by).map((ys) => [Math.min(...ys), Math.max(...ys)]);
  });
  assert.equal(bands.length, 3);
  bands.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < bands.length; i++) assert.ok(bands[i][0] > bands[i - 1][1], `lanes overlap: ${JSON.stringify(bands)}`);
  // The top of each lane is that series' maximum: 3 documents and a hit of 1 both reach it.
  const tops = await p.locator('.rewards-svg circle[data-step="0"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('cy'))));
  const lanes = tops.map((y, i) => y - bands[i][0]);
  assert.ok(Math.abs(lanes[0] - lanes[1]) < 0.5, `hit and hitDocs at their maxima: ${JSON.stringify(tops)}`);
  await v.shot('rewards-lanes');
  await v.close();
});

test("the dataset's gold paragraphs are flagged among the documents, matched by title or id", async () => {
  const v = await openViewer({ view: 'trajectory', trajectory: makeTrajectory({ goldDocs: ['indradhanura chhai', 'w:123', 'Susant Misra (director)'] }) });
  const p = v.page;
  const docs = p.locator('.step-search .doc');
  assert.deepEqual(await Promise.all([0, 1, 2].map((i) => docs.nth(i).locator('.gold-doc-flag').count())), [1, 0, 1]);
  assert.match(await p.locator('.step-search .docs-summary').innerText(), /· 2 gold paragraphs/);
  await v.close();
});

test('the header shows the one verdict: cover-EM 1 is ✓, a run that ended in error is ? with its reason, never ✗', async () => {
  const covered = makeTrajectory({ outcome: { em: 0, f1: 0.8, coverEm: 1 } });
  let v = await openViewer({ view: 'trajectory', trajectory: covered });
  assert.equal(await v.page.locator('.verdict').innerText(), '✓');
  assert.match((await v.page.locator('.verdict').getAttribute('title')) ?? '', /cover-EM 1/);
  await v.close();
  const failed = makeTrajectory({ answer: null, stopReason: 'error', error: 'connection refused at http://127.0.0.1:8000/v1', outcome: { em: 0, f1: 0, coverEm: 0 } });
  v = await openViewer({ view: 'trajectory', trajectory: failed });
  assert.equal(await v.page.locator('.verdict').innerText(), '?');
  assert.equal(await v.page.locator('.verdict').getAttribute('title'), 'unknown: the run ended in error: connection refused at http://127.0.0.1:8000/v1');
  await v.close();
});

test('a diagnosis that names "search 1 (step 2)" links that step in place; one that names no step links after it', async () => {
  const labels = [
    { label: 'gold_retrieved_not_used', explanation: 'search 1 (step 2) returned the gold paragraph "Indradhanura Chhai" (rank 1), but the answer "x" is wrong', step: 1 },
    { label: 'format_error', explanation: 'the answer is not inside <answer> tags', step: 1 },
  ];
  const v = await openViewer({ view: 'trajectory', trajectory: makeTrajectory({ labels }) });
  const p = v.page;
  const items = p.locator('.labels li');
  // The sentence reads once, with its step number as the link, not "… (step 2) … is wrong step 2".
  assert.equal(await items.nth(0).innerText(), 'gold_retrieved_not_used search 1 (step 2) returned the gold paragraph "Indradhanura Chhai" (rank 1), but the answer "x" is wrong');
  assert.equal(await items.nth(0).locator('button').innerText(), 'step 2');
  assert.equal(await items.nth(1).locator('button').innerText(), 'go to step 2');
  await items.nth(0).locator('button').click();
  await p.waitForFunction(() => (document.activeElement as HTMLElement | null)?.classList.contains('step') && (document.activeElement as HTMLElement).dataset.step === '1');
  assert.deepEqual(await v.cspViolations(), []);
  await v.close();
});
