/** Real R1-Searcher rollouts (test/fixtures/importers/r1searcher), imported, as a person sees them. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { importFile } from '../../src/core/importers';
import { searchSteps } from '../../src/core/trace';
import { ROOT } from '../support/paths';
import { closeBrowser, openViewer } from './harness';

after(closeBrowser);

const FIXTURE = join(ROOT, 'test', 'fixtures', 'importers', 'r1searcher', 'hotpotqa_qwen.sample.jsonl');

test('an imported multi-search rollout shows every query, its documents, the judge and the diagnosis', async () => {
  const { trajectories } = await importFile(FIXTURE);
  const t = [...trajectories].sort((a, b) => searchSteps(b).length - searchSteps(a).length)[0];
  const searches = searchSteps(t);
  assert.ok(searches.length >= 2, 'the fixture has a multi-search rollout');
  const v = await openViewer({ view: 'trajectory', trajectory: t });
  const p = v.page;
  await p.waitForFunction(() => document.body.dataset.completeMs !== undefined);
  assert.equal(await p.locator('h1.question').textContent(), t.question);
  assert.deepEqual(await p.locator('.step-search .query-text').allTextContents(), searches.map((s) => s.query));
  assert.equal(await p.locator('.step-search .doc').count(), searches.reduce((n, s) => n + s.docs.length, 0));
  assert.equal(await p.locator('.facts .answer').textContent(), t.answer ?? '(no answer)');
  if (t.outcome.judge !== undefined) assert.equal(await p.locator('.metric[data-metric="judge"] .metric-value').textContent(), String(t.outcome.judge));
  assert.equal(await p.locator('.labels li').count(), t.labels.length);
  // The trajectory's own rewards sit under the badges (format has its own badge).
  const chips = await p.locator('.traj-rewards .reward').evaluateAll((els) => els.map((e) => e.getAttribute('data-reward')));
  assert.deepEqual(chips, Object.keys(t.rewards).filter((k) => k !== 'format'));
  // No chip speaks in code names: each recorded reward has a readable name and a definition.
  for (const c of await p.locator('.traj-rewards .reward').all()) assert.doesNotMatch((await c.getAttribute('title'))!, /= -?[\d.]+$/, 'a definition follows the value');
  // Headed sections, and the run's facts named (issue 14: the panel explains itself).
  assert.deepEqual(await p.locator('.header-section > h2').allTextContents(), ['Outcome', 'Rewards', ...(t.labels.length ? ['Diagnosis'] : []), 'Run']);
  assert.match(await p.locator('.policy-item[data-fact="model"]').textContent() ?? '', new RegExp(`^model${t.policy.model.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  // The imported rollout has no retrieval scores: the panel says so instead of showing zeros or nothing.
  if (searches.length && searches.every((s) => s.docs.every((d) => d.score === 0))) {
    assert.match(await p.locator('.step-search .docs-summary').first().innerText(), /score not recorded/);
  }
  await v.shot('real-r1searcher');
  await p.locator('#tab-raw').click();
  assert.equal(await p.locator('pre.raw').textContent(), t.raw);
  assert.ok((await p.locator('pre.raw .raw-tag').allTextContents()).includes('<|begin_of_query|>'));
  await v.shot('real-r1searcher-raw');
  await v.close();
});

test('an imported rollout whose documents hold the gold answer marks it', async () => {
  const { trajectories } = await importFile(FIXTURE);
  const t = trajectories.find((x) => x.rewards.retrievalHit === 1 && searchSteps(x).length > 0);
  assert.ok(t, 'the fixture has a rollout that retrieved the gold answer');
  const v = await openViewer({ view: 'trajectory', trajectory: t });
  await v.page.waitForFunction(() => document.body.dataset.completeMs !== undefined);
  assert.ok((await v.page.locator('.doc.has-gold').count()) >= 1);
  assert.ok((await v.page.locator('.doc mark.gold').count()) >= 1);
  await v.shot('real-r1searcher-gold');
  await v.close();
});
