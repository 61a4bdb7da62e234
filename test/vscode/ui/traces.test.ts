/**
 * Issue 5 in code-server: a workspace with real R1-Searcher rollouts (imported from the fixture into
 * .hopscope/traces/), the Hopscope activity bar's "Traces" view lists the file and its trajectories with
 * ✓/✗, F1, searches and stop reason; filtering to failed ones and clicking a trajectory shows its steps and
 * documents in the trace panel. Screenshots: test-output/vscode/traces-*.png.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { importFile } from '../../../src/core/importers';
import { searchSteps, type Trajectory } from '../../../src/core/trace';
import { launchBrowser, screenshot, type BrowserSession } from '../../support/browser';
import { startCodeServer, workbenchUrl, type CodeServer } from '../../support/codeServer';
import { ROOT, TEST_OUTPUT } from '../../support/paths';
import { copyFixture } from '../../support/tmp';
import { clickTreeRow, collapseSidebarView, openWorkbench, revealTreeRow, runCommand, waitForSelectorInFrames, waitForWebviewText } from '../../support/workbench';
import { makeTrajectory } from '../../webview/sample';

const SHOTS = join(TEST_OUTPUT, 'vscode');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'importers', 'r1searcher', 'hotpotqa_qwen.sample.jsonl');

/** Waits until an input holds `value` (the file dialog completes what is typed as it goes). */
async function expectValue(input: ReturnType<BrowserSession['page']['locator']>, value: string): Promise<void> {
  const end = Date.now() + 10_000;
  while ((await input.inputValue()) !== value) {
    if (Date.now() > end) throw new Error(`the file dialog shows ${await input.inputValue()}, expected ${value}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Expands a tree row (scrolled into view first) until `child` shows under it. */
async function expand(page: BrowserSession['page'], parent: string, child: string): Promise<void> {
  const rowOf = (text: string) => page.locator('#workbench\\.parts\\.sidebar .monaco-list-row', { hasText: text }).first();
  await calm(page);
  const row = await revealTreeRow(page, parent, { view: 'Traces' });
  if ((await row.getAttribute('aria-expanded')) !== 'true') {
    // The twistie: a trajectory row's own click opens it in the panel instead of expanding it.
    await row.locator('.monaco-tl-twistie').click({ timeout: 30_000 });
  }
  await rowOf(child).waitFor({ timeout: 15_000 });
}

/** Opens the Hopscope sidebar (the activity bar icon toggles it) with the Index view folded, so Traces has the height. */
async function showTraces(page: BrowserSession['page']): Promise<void> {
  const header = page.locator('#workbench\\.parts\\.sidebar .pane-header', { hasText: 'Traces' }).first();
  if (!(await header.isVisible())) await page.locator('.activitybar .action-item a[aria-label^="Hopscope"]').first().click({ timeout: 60_000 });
  await header.waitFor({ timeout: 60_000 });
  await collapseSidebarView(page, 'Index');
}

/** Folds every node of the Traces view (its title's Collapse All), so the next test's rows are in view. */
async function collapseAll(page: BrowserSession['page']): Promise<void> {
  const header = page.locator('#workbench\\.parts\\.sidebar .pane-header', { hasText: 'Traces' }).first();
  await header.hover();
  await header.locator('.action-label[aria-label^="Collapse All"]').click();
}

/** Moves the mouse off the tree so a tree item's hover card cannot cover the row clicked next. */
async function calm(page: BrowserSession['page']): Promise<void> {
  await page.mouse.move(900, 500);
  await page.keyboard.press('Escape');
  await page.waitForTimeout(300);
}

let browser: BrowserSession | undefined;
let cs: CodeServer | undefined;
let trajectories: Trajectory[] = [];
let workspace = '';
const BIG = 20_000;

/** A trajectory over the workspace's own docs, so its document links lead somewhere. */
const LOCAL = makeTrajectory({
  id: 'local-dam',
  question: 'Which lake does Horse Mesa Dam form?',
  gold: ['Apache Lake'],
  answer: 'Apache Lake',
  steps: [
    { kind: 'search', query: 'Horse Mesa Dam lake', docs: [{ id: 'docs/horse-mesa-dam.md#0', rank: 1, score: 9.5, title: 'Horse Mesa Dam', text: 'Horse Mesa Dam is a concrete thin arch dam in the Superstition Mountains.', path: 'docs/horse-mesa-dam.md', startLine: 1, endLine: 3 }], rewards: { retrievalHit: 0 } },
    { kind: 'answer', text: 'Apache Lake', rewards: {} },
  ],
  labels: [],
});

before(async () => {
  trajectories = (await importFile(FIXTURE)).trajectories;
  workspace = copyFixture(join(ROOT, 'test', 'fixtures', 'workspace'));
  mkdirSync(join(workspace, '.hopscope', 'traces'), { recursive: true });
  writeFileSync(join(workspace, '.hopscope', 'traces', 'hotpotqa_qwen.jsonl'), trajectories.map((t) => `${JSON.stringify(t)}\n`).join(''));
  writeFileSync(join(workspace, '.hopscope', 'traces', 'local.jsonl'), `${JSON.stringify(LOCAL)}\n`);
  // A big run: 20,000 trajectories (about 50 MB); the view must list its first ones at once, a page at a time.
  const lines: string[] = [];
  for (let i = 0; i < BIG; i++) lines.push(JSON.stringify({ ...LOCAL, id: `big-${i}`, question: `Big run question number ${i}?`, outcome: { em: i % 3 ? 1 : 0, f1: (i % 10) / 10 } }));
  writeFileSync(join(workspace, '.hopscope', 'traces', 'zz-big-run.jsonl'), `${lines.join('\n')}\n`);
  // The big run goes to the trace store (DuckDB on the bundled worker threads), the small files stay in memory:
  // both ways a file's rows are held are driven through the view.
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'hopscope.traces.storeFromMB': 10 }));
  cs = await startCodeServer({ logFile: join(SHOTS, 'code-server-traces.log') });
  browser = await launchBrowser();
  await openWorkbench(browser.page, workbenchUrl(cs.origin, workspace, { extensionPath: ROOT }));
});

after(async () => {
  await browser?.close().catch(() => undefined);
  await cs?.stop();
});

test('the Traces view lists a rollout file; clicking a failed trajectory shows its steps and documents', async (t) => {
  const page = browser!.page;
  const failed = trajectories.filter((x) => x.outcome.em === 0 && searchSteps(x).length >= 2);
  assert.ok(failed.length > 0, 'the fixture has a failed multi-search rollout');
  const target = failed[0];
  const sidebar = page.locator('#workbench\\.parts\\.sidebar');
  const row = (text: string) => sidebar.locator('.monaco-list-row', { hasText: text }).first();
  await calm(page);
  try {
    await showTraces(page);
    await clickTreeRow(page, 'hotpotqa_qwen.jsonl', { view: 'Traces' });
    // The file's description counts its trajectories once indexed.
    await row(`${trajectories.length} trajectories`).waitFor({ timeout: 30_000 });
    const first = trajectories[0];
    await row(first.question.slice(0, 40)).waitFor({ timeout: 30_000 });
    const targetText = target.question.slice(0, 40);
    const description = await (await revealTreeRow(page, targetText, { view: 'Traces' })).innerText();
    assert.match(description, /✗ F1 0 · \d+ searches · finished/);
    await screenshot(page, join(SHOTS, 'traces-tree.png'));

    // Filter to failed ones: the correct ones disappear.
    await runCommand(page, 'Hopscope: Filter Trajectories…');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Failed only' }).first().click();
    const passed = trajectories.find((x) => x.outcome.em === 1);
    if (passed) await row(passed.question.slice(0, 40)).waitFor({ state: 'detached', timeout: 15_000 });
    await revealTreeRow(page, targetText, { view: 'Traces', timeoutMs: 15_000 });

    await calm(page);
    await clickTreeRow(page, targetText, { view: 'Traces' });
    const search = searchSteps(target)[0];
    await waitForWebviewText(page, [target.question, search.query, search.docs[0].title, target.answer ?? '(no answer)'], 60_000);
    await page.waitForTimeout(500);
    await screenshot(page, join(SHOTS, 'traces-panel.png'));

    // Its steps are under it in the tree; a search step opens the panel at that step.
    const stepIndex = target.steps.findIndex((st) => st.kind === 'search');
    const stepLabel = `${stepIndex + 1}. search: ${search.query.slice(0, 30)}`;
    await expand(page, targetText, stepLabel);
    await calm(page);
    await clickTreeRow(page, stepLabel, { view: 'Traces' });
    const frame = await waitForSelectorInFrames(page, `.step[data-step="${stepIndex}"]`, 30_000);
    await frame.waitForFunction((i) => (document.activeElement as HTMLElement | null)?.dataset.step === String(i), stepIndex, { timeout: 15_000 });
  } catch (e) {
    await screenshot(page, join(SHOTS, 'traces-failure.png')).catch(() => undefined);
    t.diagnostic(`code-server log: ${cs!.logFile}`);
    throw e;
  }
});

test('a document link opens the workspace file; the panel comes back after a window reload', async (t) => {
  const page = browser!.page;
  await calm(page);
  try {
    await runCommand(page, 'Hopscope: Clear Trajectory Filters and Sort');
    await showTraces(page);
    await collapseAll(page);
    await expand(page, 'local.jsonl', LOCAL.question);
    await calm(page);
    await clickTreeRow(page, LOCAL.question, { view: 'Traces' });
    await waitForWebviewText(page, [LOCAL.question, 'Horse Mesa Dam lake'], 60_000);
    const frame = await waitForSelectorInFrames(page, 'a.doc-link', 30_000);
    await frame.locator('a.doc-link').first().click();
    // The editor opens horse-mesa-dam.md beside the panel, with the document's lines selected.
    await page.locator('.tabs-container .tab', { hasText: 'horse-mesa-dam.md' }).first().waitFor({ timeout: 30_000 });
    await page.locator('.monaco-editor .selected-text').first().waitFor({ timeout: 15_000 });
    await screenshot(page, join(SHOTS, 'traces-doc-link.png'));

    // As a user does: Developer: Reload Window (which lets the workbench save the webview's state).
    await runCommand(page, 'Developer: Reload Window');
    await page.waitForTimeout(2_000);
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    // Restored by the serializer from the saved reference (file + id), re-read from the trace file.
    await waitForWebviewText(page, [LOCAL.question, 'Horse Mesa Dam lake', 'Apache Lake'], 90_000);
    await screenshot(page, join(SHOTS, 'traces-after-reload.png'));
  } catch (e) {
    await screenshot(page, join(SHOTS, 'traces-reload-failure.png')).catch(() => undefined);
    t.diagnostic(`code-server log: ${cs!.logFile}`);
    throw e;
  }
});

test('Compare Trajectories… from the palette shows two trajectories side by side', async (t) => {
  const page = browser!.page;
  const [a, b] = trajectories;
  const pick = async (title: string, question: string) => {
    await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).first().waitFor({ timeout: 30_000 });
    const input = page.locator('.quick-input-widget input').first();
    await input.fill(question.slice(0, 40));
    await page.locator('.quick-input-list .monaco-list-row', { hasText: question.slice(0, 30) }).first().waitFor({ timeout: 15_000 });
    await input.press('Enter');
  };
  try {
    await runCommand(page, 'Hopscope: Compare Trajectories…');
    await pick('first trajectory (A)', a.question);
    await pick('second trajectory (B)', b.question);
    const { frame } = await waitForWebviewText(page, [a.question, b.question], 60_000);
    assert.equal(await frame.locator('.compare-heads .compare-side-head').count(), 2);
    await page.waitForTimeout(300);
    await screenshot(page, join(SHOTS, 'traces-compare.png'));
  } catch (e) {
    await screenshot(page, join(SHOTS, 'traces-compare-failure.png')).catch(() => undefined);
    t.diagnostic(`code-server log: ${cs!.logFile}`);
    throw e;
  }
});

test('a 20,000-trajectory file (in the trace store) lists its first trajectories at once, a page at a time', async (t) => {
  const page = browser!.page;
  const sidebar = page.locator('#workbench\\.parts\\.sidebar');
  const row = (text: string) => sidebar.locator('.monaco-list-row', { hasText: text }).first();
  await calm(page);
  try {
    // The icon toggles the sidebar: click it only when the Traces view is not showing.
    await showTraces(page);
    await collapseAll(page);
    const started = Date.now();
    await clickTreeRow(page, 'zz-big-run.jsonl', { view: 'Traces' });
    await row('Big run question number 0?').waitFor({ timeout: 30_000 });
    const firstItemsMs = Date.now() - started;
    t.diagnostic(`first of 20,000 trajectories listed after ${firstItemsMs} ms`);
    assert.ok(firstItemsMs < 10_000, `first items after ${firstItemsMs} ms`);
    await row('20,000 trajectories').waitFor({ timeout: 60_000 });
    // Its rows are in the trace store, in the extension's global storage (not the workspace).
    const stores = readdirSync(join(cs!.userDataDir, 'User', 'globalStorage'), { recursive: true }).map(String).filter((f) => f.endsWith('.duckdb'));
    assert.equal(stores.length, 1, `one trace store in the global storage: ${stores.join(', ')}`);
    assert.ok(!readdirSync(workspace, { recursive: true }).map(String).some((f) => f.endsWith('.duckdb')), 'nothing written into the workspace');
    // Only the first page is in the tree; the rest is behind "Show 200 more…".
    await sidebar.locator('.monaco-list').first().press('End');
    await row('Show 200 more').waitFor({ timeout: 15_000 });
    assert.equal(await row('Big run question number 200?').count(), 0);
    assert.match(await row('Show 200 more').innerText(), /19,800 not shown/);
    await row('Show 200 more').click();
    await row('Big run question number 200?').waitFor({ timeout: 15_000 });
    await sidebar.locator('.monaco-list').first().press('End');
    await row('19,600 not shown').waitFor({ timeout: 15_000 });
    await screenshot(page, join(SHOTS, 'traces-big-file.png'));
  } catch (e) {
    await screenshot(page, join(SHOTS, 'traces-big-failure.png')).catch(() => undefined);
    t.diagnostic(`code-server log: ${cs!.logFile}`);
    throw e;
  }
});

test('the trajectories table over files in memory and in the trace store: the count, a sort by F1, a filter, a row that opens', async (t) => {
  const page = browser!.page;
  await calm(page);
  // The view's files: the rollouts and the local one in memory, the 20,000-trajectory run in the store.
  const total = (trajectories.length + 1 + BIG).toLocaleString('en-US');
  try {
    await runCommand(page, 'Hopscope: Show Trajectories Table');
    const { frame } = await waitForWebviewText(page, [`${total} trajectories`, 'zz-big-run.jsonl:1'], 60_000);
    assert.ok((await frame.locator('.rows .row').count()) < 100, 'only the rows in view are in the page');
    await frame.locator('.header .col-title[data-col="f1"]').click();
    await frame.locator('.header .col-title[data-col="f1"]').click();
    await frame.waitForFunction(() => document.querySelector('.rows .row .cell.f1')?.textContent === '1');
    await frame.locator('.col-filter[data-col="question"]').fill('Big run question number 19999?');
    await waitForWebviewText(page, [`1 of ${total} trajectories`], 30_000);
    await frame.locator('.rows .row .cell.question', { hasText: 'Big run question number 19999?' }).click();
    await waitForWebviewText(page, ['Big run question number 19999?', 'Horse Mesa Dam lake'], 30_000);
    await screenshot(page, join(SHOTS, 'traces-table-store.png'));
  } catch (e) {
    await screenshot(page, join(SHOTS, 'traces-table-failure.png')).catch(() => undefined);
    t.diagnostic(`code-server log: ${cs!.logFile}`);
    throw e;
  }
});

test('Import Trajectories… from the palette: the imported file opens in the Traces view; a click shows a rollout', async (t) => {
  const page = browser!.page;
  const sidebar = page.locator('#workbench\\.parts\\.sidebar');
  const row = (text: string) => sidebar.locator('.monaco-list-row', { hasText: text }).first();
  await calm(page);
  const source = join(workspace, 'bamboogle_llama.sample.jsonl');
  copyFileSync(join(ROOT, 'test', 'fixtures', 'importers', 'r1searcher', 'bamboogle_llama.sample.jsonl'), source);
  const imported = (await importFile(source)).trajectories;
  const target = imported.find((x) => searchSteps(x).length > 0)!;
  try {
    await showTraces(page);
    await collapseAll(page);
    await runCommand(page, 'Hopscope: Import Trajectories…');
    // code-server's file dialog is a quick input over the file system: go to the folder, then type the name.
    const input = page.locator('.quick-input-widget input').first();
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    // It opens on some folder (the last used, or the active editor's); type the whole path, as a person would.
    await page.waitForTimeout(500);
    await input.press('Control+a');
    await input.pressSequentially(source, { delay: 15 });
    await page.waitForTimeout(300);
    await expectValue(input, source);
    await page.locator('.quick-input-widget .monaco-button', { hasText: 'OK' }).first().click();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Detect automatically' }).first().waitFor({ timeout: 15_000 });
    await input.press('Enter');
    await row('imported-bamboogle_llama.sample.jsonl').waitFor({ timeout: 60_000 });
    await row(`${imported.length} trajectories`).waitFor({ timeout: 30_000 });
    await calm(page);
    await clickTreeRow(page, target.question.slice(0, 40), { view: 'Traces' });
    const search = searchSteps(target)[0];
    await waitForWebviewText(page, [target.question, search.query, search.docs[0].title], 60_000);
    await page.waitForTimeout(500);
    await screenshot(page, join(SHOTS, 'traces-imported.png'));
  } catch (e) {
    await screenshot(page, join(SHOTS, 'traces-import-failure.png')).catch(() => undefined);
    t.diagnostic(`code-server log: ${cs!.logFile}`);
    throw e;
  }
});
