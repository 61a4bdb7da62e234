/**
 * Issue 4 in code-server: the workspace index as a user sees it. The status bar item shows the passage
 * count; the Hopscope activity bar's "Index" view shows the state, documents, passages, last update and
 * the files; saving a new file updates the counts without a re-index. Screenshots: test-output/vscode/index-*.png.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, screenshot, type BrowserSession } from '../../support/browser';
import { startCodeServer, workbenchUrl, type CodeServer } from '../../support/codeServer';
import { ROOT, TEST_OUTPUT } from '../../support/paths';
import { copyFixture } from '../../support/tmp';
import { openWorkbench, runCommand } from '../../support/workbench';

const SHOTS = join(TEST_OUTPUT, 'vscode');

let browser: BrowserSession | undefined;
let cs: CodeServer | undefined;
let workspace = '';

before(async () => {
  workspace = copyFixture(join(ROOT, 'test', 'fixtures', 'workspace'));
  cs = await startCodeServer({ logFile: join(SHOTS, 'code-server-index.log') });
  browser = await launchBrowser();
  await openWorkbench(browser.page, workbenchUrl(cs.origin, workspace, { extensionPath: ROOT }));
});

after(async () => {
  await browser?.close().catch(() => undefined);
  await cs?.stop();
});

test('the status bar and the Index view show the workspace index, and a new file is indexed on save', async (t) => {
  const page = browser!.page;
  const sidebar = page.locator('#workbench\\.parts\\.sidebar');
  const row = (text: string | RegExp) => sidebar.locator('.monaco-list-row', { hasText: text }).first();
  const statusItem = page.locator('.statusbar-item', { has: page.locator('.codicon-database') }).first();
  try {
    await statusItem.waitFor({ timeout: 90_000 });
    const passages = async () => Number((await statusItem.innerText()).replace(/[^0-9]/g, ''));
    const before = await passages();
    assert.ok(before > 0, `the status bar shows the passage count (${await statusItem.innerText()})`);

    // A click on the status bar item reveals the Index view.
    await statusItem.click();
    await row('Ready').waitFor({ timeout: 30_000 });
    await row('Documents').waitFor();
    await row('Passages').waitFor();
    await row('Last update').waitFor();
    await row(/Skipped/).waitFor();
    // /^Files/, not 'Files': hasText is a case-insensitive substring, and the Skipped row reads "0 files".
    await row(/^Files/).click();
    await row('docs/horse-mesa-dam.md').waitFor({ timeout: 15_000 });
    await screenshot(page, join(SHOTS, 'index-view.png'));

    writeFileSync(join(workspace, 'docs', 'new-notes.md'), '# New notes\n\nThe index picks this up on save.\n\n## More\n\nA second section.\n');
    const end = Date.now() + 30_000;
    while ((await passages()) <= before) {
      if (Date.now() > end) throw new Error(`the passage count stayed at ${before}`);
      await page.waitForTimeout(250);
    }
    await row('docs/new-notes.md').waitFor({ timeout: 15_000 });

    await runCommand(page, 'Hopscope: Re-index Workspace');
    await row('Ready').waitFor({ timeout: 60_000 });
    assert.equal(await passages(), before + 2);
    await screenshot(page, join(SHOTS, 'index-after-update.png'));
  } catch (e) {
    await screenshot(page, join(SHOTS, 'index-failure.png')).catch(() => undefined);
    t.diagnostic(`code-server log: ${cs!.logFile}`);
    throw e;
  }
});
