/**
 * `npm run demo` as a user meets it: the script prints a URL; opening it shows VS Code with Hopscope installed from
 * its .vsix and the sample workspace, whose real R1-Searcher rollouts are listed in the Traces view and open in the
 * trace panel. No model server is involved. Screenshots: test-output/vscode/demo-first-screen.png (what the user sees
 * before any click: the Hopscope view and its walkthrough, no Git toast) and demo-trace-panel.png (the README's).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, screenshot, type BrowserSession } from '../../support/browser';
import { ROOT, TEST_OUTPUT } from '../../support/paths';
import { freePort } from '../../support/ports';
import { spawnTracked, type Tracked } from '../../support/processes';
import { makeTempDir } from '../../support/tmp';
import { collapseSidebarView, notifications, openWorkbench, revealTreeRow, runCommand, waitForWebviewText } from '../../support/workbench';

const QUESTION = "When did Nirvana's second most selling studio album come out?";
let demo: Tracked;
let demoDir: string;
let url: string;
let browser: BrowserSession | undefined;

before(async () => {
  demoDir = makeTempDir('hopscope-demo-');
  const env: NodeJS.ProcessEnv = { ...process.env, HOPSCOPE_DEMO_DIR: demoDir, PORT: String(await freePort()) };
  delete env.HOPSCOPE_ENDPOINT;
  demo = spawnTracked('bash', [join(ROOT, 'test', 'demo', 'demo.sh')], { cwd: ROOT, env, logFile: join(TEST_OUTPUT, 'vscode', 'demo.log') });
  let out = '';
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo printed no URL within 180 s:\n${out}`)), 180_000);
    demo.child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = out.match(/^\s+(http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)$/m);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    void demo.exited.then((code) => { clearTimeout(timer); reject(new Error(`the demo exited (${code}) before printing a URL:\n${out}`)); });
  });
});

after(async () => {
  await browser?.close().catch(() => undefined);
  await demo?.stop();
});

test('the demo serves VS Code on loopback with the sample workspace', () => {
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/\?folder=/);
  assert.ok(decodeURIComponent(url).includes(demoDir), 'the workspace is the demo copy');
});

test('on first start Hopscope shows itself without a click: its view, its walkthrough, no unrelated toast', async (t) => {
  browser = await launchBrowser();
  const { page } = browser;
  try {
    await openWorkbench(page, url);
    // The Hopscope container is open in the sidebar (its Traces view lists the imported files) ...
    await page.locator('.sidebar .pane-header', { hasText: 'Traces' }).first().waitFor({ timeout: 60_000 });
    await revealTreeRow(page, 'bamboogle_qwen.jsonl', { view: 'Traces', timeoutMs: 60_000 });
    // ... and the walkthrough, whose first step works without a model server, is the editor.
    await page.locator('.gettingStartedContainer', { hasText: 'Get started with Hopscope' }).first().waitFor({ timeout: 60_000 });
    await page.locator('.gettingStartedContainer', { hasText: 'Open a trace' }).first().waitFor({ timeout: 10_000 });
    await page.mouse.move(700, 880);
    await page.waitForTimeout(1_000);
    const toasts = await notifications(page);
    assert.equal(toasts.filter((x) => /git repository/i.test(x)).length, 0, `no Git toast: ${toasts.join(' | ')}`);
    await screenshot(page, join(TEST_OUTPUT, 'vscode', 'demo-first-screen.png'));
  } catch (e) {
    await screenshot(page, join(TEST_OUTPUT, 'vscode', 'demo-failure.png')).catch(() => undefined);
    t.diagnostic(`demo log: ${join(TEST_OUTPUT, 'vscode', 'demo.log')}`);
    throw e;
  }
});

test('an imported R1-Searcher rollout opens from the Traces view in the trace panel', async (t) => {
  const traces = readFileSync(join(demoDir, 'sample-workspace', '.hopscope', 'traces', 'bamboogle_qwen.jsonl'), 'utf8')
    .split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const traj = traces.find((x) => x.question === QUESTION);
  assert.ok(traj, 'the rollout was imported');
  const search = traj.steps.find((s: { kind: string }) => s.kind === 'search');
  const { page } = browser!;
  try {
    // Open since the first start; clicking the icon of an open container would close it.
    if (!(await page.locator('.sidebar .pane-header', { hasText: 'Traces' }).count())) await page.locator('.activitybar [aria-label^="Hopscope"]').first().click();
    // Traces shares the sidebar with Index: fold Index so the trajectory rows are in view.
    await collapseSidebarView(page, 'Index', 60_000);
    // Rows fill in once the extension has read the files; clicking a file row expands it.
    await (await revealTreeRow(page, 'bamboogle_qwen.jsonl', { view: 'Traces', timeoutMs: 60_000 })).click({ timeout: 60_000 });
    await (await revealTreeRow(page, QUESTION, { view: 'Traces' })).click({ timeout: 30_000 });
    await waitForWebviewText(page, [QUESTION, search.query, search.docs[0].title, traj.answer], 60_000);
    await page.mouse.move(700, 880); // no hover tooltip in the picture
    await page.waitForTimeout(500);
    await screenshot(page, join(TEST_OUTPUT, 'vscode', 'demo-trace-panel.png'));
  } catch (e) {
    await screenshot(page, join(TEST_OUTPUT, 'vscode', 'demo-failure.png')).catch(() => undefined);
    t.diagnostic(`demo log: ${join(TEST_OUTPUT, 'vscode', 'demo.log')}`);
    throw e;
  }
});

test('the trajectories table lists every imported rollout with its verdict, F1, searches and labels; a row opens its trace', async (t) => {
  const { page } = browser!;
  try {
    await runCommand(page, 'Hopscope: Show Trajectories Table');
    const { frame } = await waitForWebviewText(page, ['60 trajectories', 'bamboogle_qwen.jsonl'], 60_000);
    for (const col of ['verdict', 'f1', 'searches', 'labels']) {
      const box = await frame.locator(`.header .head-cell[data-col="${col}"]`).boundingBox();
      assert.ok(box && box.x + box.width <= 1400, `the ${col} column is in view`);
    }
    const verdicts = await frame.locator('.rows .row .cell.verdict').allInnerTexts();
    assert.ok(verdicts.length >= 25 && verdicts.every((v) => ['✓', '✗', '?'].includes(v)), `verdict marks: ${verdicts.join('')}`);
    await page.mouse.move(700, 880);
    await page.waitForTimeout(500);
    await screenshot(page, join(TEST_OUTPUT, 'vscode', 'demo-trajectory-table.png'));
    await frame.locator('.rows .row .cell.question', { hasText: QUESTION }).first().click();
    await waitForWebviewText(page, [QUESTION, 'Reasoning', 'Search'], 60_000);
    await page.waitForTimeout(500);
    await screenshot(page, join(TEST_OUTPUT, 'vscode', 'demo-table-and-trace.png'));
  } catch (e) {
    await screenshot(page, join(TEST_OUTPUT, 'vscode', 'demo-failure.png')).catch(() => undefined);
    t.diagnostic(`demo log: ${join(TEST_OUTPUT, 'vscode', 'demo.log')}`);
    throw e;
  }
});
