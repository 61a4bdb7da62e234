/**
 * Issue 7: inline question answering end to end in code-server against the scripted server. A Markdown note
 * with a question line gets an "Ask Hopscope" CodeLens; clicking it streams the answer into a comment thread
 * under the line, with the search it made, the cited workspace source and an "Open trace" link; the source link
 * opens the cited file, and "Open trace" opens the trace panel.
 * Then the endpoint goes away: asking gives one notification naming the URL and what to check, with buttons.
 * Last, the getting-started walkthrough shows its four steps, Open a trace first.
 * Screenshots: test-output/vscode/inline-answer.png, inline-open-trace.png, endpoint-down.png, walkthrough.png.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { screenshot } from '../../support/browser';
import { TEST_OUTPUT } from '../../support/paths';
import { openScenario, type Scenario } from '../../support/scenario';
import { answerInputBox, notifications, runCommand, waitForNotification, waitForWebviewText } from '../../support/workbench';

const QUESTION = 'Which lake does the Horse Mesa Dam form?';
const SHOTS = join(TEST_OUTPUT, 'vscode');

let sc: Scenario;

before(async () => {
  sc = await openScenario({
    name: 'inline',
    script: join(__dirname, 'scripts', 'inline.json'),
    prepare: (workspace) => writeFileSync(join(workspace, 'notes.md'), `# Reading notes\n\nThe dams of the Salt River.\n\n${QUESTION}\n\nMore notes below.\n`),
  });
});

after(async () => {
  await sc?.close();
});

test('the CodeLens answers a question inline, with its search, its source and a link to the trace', async (t) => {
  const { page } = sc;
  try {
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill('notes.md');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'notes.md' }).first().waitFor({ timeout: 15_000 });
    await input.press('Enter');

    const lens = page.locator('.codelens-decoration a', { hasText: 'Ask Hopscope' }).first();
    await lens.waitFor({ timeout: 60_000 });
    await lens.click();

    const thread = page.locator('.review-widget', { hasText: 'Apache Lake' }).first();
    await thread.waitFor({ timeout: 60_000 });
    await thread.getByText('Open trace').waitFor({ timeout: 30_000 });
    const text = await thread.innerText();
    assert.ok(text.includes(QUESTION), 'the thread repeats the question');
    assert.ok(text.includes('Horse Mesa Dam lake'), `the thread shows the search: ${text}`);
    assert.ok(text.includes('docs/horse-mesa-dam.md'), `the thread cites the source file: ${text}`);
    await page.waitForTimeout(300);
    await screenshot(page, join(SHOTS, 'inline-answer.png'));

    // The citation's hover is the passage; clicking it opens the file at the passage.
    const source = thread.locator('a', { hasText: 'docs/horse-mesa-dam.md' }).first();
    assert.match((await source.getAttribute('title')) ?? '', /Superstition Mountains/);
    await source.click();
    await page.locator('.tab', { hasText: 'horse-mesa-dam.md' }).first().waitFor({ timeout: 30_000 });

    await thread.getByText('Open trace').click();
    await waitForWebviewText(page, [QUESTION, 'Horse Mesa Dam lake', 'Apache Lake'], 60_000);
    await page.waitForTimeout(500);
    await screenshot(page, join(SHOTS, 'inline-open-trace.png'));
  } catch (e) {
    await screenshot(page, join(SHOTS, 'inline-failure.png')).catch(() => undefined);
    t.diagnostic(`notifications: ${(await notifications(page).catch(() => [])).join(' | ') || 'none'}`);
    t.diagnostic(`code-server log: ${sc.cs.logFile}`);
    throw e;
  }
});

test('a selection is asked with the keybinding, and both answers stay in the editor', async (t) => {
  const { page } = sc;
  try {
    await page.locator('.tab', { hasText: 'notes.md' }).first().click();
    const line = page.locator('.view-line', { hasText: 'The dams of the Salt River.' }).first();
    await line.waitFor({ timeout: 15_000 });
    await line.click();
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End');
    await page.keyboard.press('Control+Alt+Slash');
    const thread = page.locator('.review-widget', { hasText: 'The dams of the Salt River.' }).first();
    await thread.waitFor({ timeout: 30_000 });
    await thread.getByText('Re-ask').waitFor({ timeout: 30_000 });
    await page.locator('.review-widget', { hasText: 'Apache Lake' }).first().waitFor({ timeout: 5_000 });
  } catch (e) {
    await screenshot(page, join(SHOTS, 'inline-keybinding-failure.png')).catch(() => undefined);
    t.diagnostic(`notifications: ${(await notifications(page).catch(() => [])).join(' | ') || 'none'}`);
    throw e;
  }
});

test('an endpoint that is down gives one notification naming the URL, with Open Settings and Show Log', async (t) => {
  const { page } = sc;
  const down = `http://127.0.0.1:${await closedPort()}/v1`;
  writeFileSync(join(sc.workspace, '.vscode', 'settings.json'), JSON.stringify({ 'hopscope.endpoint.baseUrl': down, 'hopscope.endpoint.maxRetries': 0 }, null, 2));
  try {
    await page.waitForTimeout(1_500); // the settings file watcher
    await runCommand(page, 'Hopscope: Ask Question…');
    await answerInputBox(page, 'Who designed Pavia Cathedral?');
    const toast = page.locator('.notification-toast', { hasText: down }).first();
    const text = await waitForNotification(page, down, 60_000);
    assert.match(text, /check/i, `says what to check: ${text}`);
    assert.ok(!/\n\s+at /.test(text), 'no stack trace');
    await toast.getByRole('button', { name: 'Open Settings' }).waitFor({ timeout: 5_000 });
    await toast.getByRole('button', { name: 'Show Log' }).waitFor({ timeout: 5_000 });
    // The run's progress notification closes once the run has ended.
    await page.locator('.notification-toast', { hasText: 'Who designed Pavia Cathedral?' }).waitFor({ state: 'hidden', timeout: 10_000 });
    await page.waitForTimeout(500);
    await screenshot(page, join(SHOTS, 'endpoint-down.png'));
  } catch (e) {
    await screenshot(page, join(SHOTS, 'endpoint-down-failure.png')).catch(() => undefined);
    t.diagnostic(`notifications: ${(await notifications(page).catch(() => [])).join(' | ') || 'none'}`);
    throw e;
  }
});

test('the getting-started walkthrough shows its four steps, starting with Open a trace, which needs no model server', async (t) => {
  const { page } = sc;
  try {
    // A clean window for the screenshot.
    for (const title of ['View: Close All Editor Groups', 'View: Hide Panel', 'Notifications: Clear All Notifications']) await runCommand(page, title);
    await runCommand(page, 'Welcome: Open Walkthrough...');
    await answerInputBox(page, 'Get started with Hopscope');
    const walkthrough = page.locator('.gettingStartedContainer');
    for (const step of ['Open a trace', 'Index the workspace', 'Connect your model endpoint', 'Ask a question']) {
      await walkthrough.getByText(step).first().waitFor({ timeout: 30_000 });
    }
    // The first step is open, with its buttons: it works in the demo, without a model server.
    await walkthrough.getByRole('button', { name: 'Open Trace File…' }).first().waitFor({ timeout: 10_000 });
    await page.waitForTimeout(500);
    await screenshot(page, join(SHOTS, 'walkthrough.png'));
  } catch (e) {
    await screenshot(page, join(SHOTS, 'walkthrough-failure.png')).catch(() => undefined);
    t.diagnostic(`notifications: ${(await notifications(page).catch(() => [])).join(' | ') || 'none'}`);
    throw e;
  }
});

async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
