/**
 * Driving the VS Code workbench (code-server) the way a person does: F1, a command's title, the input box,
 * notifications, and content inside webview iframes.
 */
import type { Frame, Page } from 'playwright-core';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Opens the workbench and waits until it is interactive. */
export async function openWorkbench(page: Page, url: string, timeoutMs = 90_000): Promise<void> {
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: timeoutMs });
  // The status bar appears once the workbench has restored its parts; keys pressed earlier can get lost.
  await page.locator('.statusbar').waitFor({ timeout: timeoutMs });
}

/**
 * Runs a command by its palette title, e.g. "Hopscope: Ask Question…". The palette lists the commands known when it
 * opens, and an extension under development registers its contributions a little after the workbench appears, so
 * this reopens the palette until the command is listed.
 */
export async function runCommand(page: Page, title: string, timeoutMs = 60_000): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  const end = Date.now() + timeoutMs;
  for (;;) {
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: 5_000 });
      await input.fill('>' + title);
      await row.waitFor({ timeout: 3_000 });
      await row.click();
      return;
    } catch (e) {
      if (Date.now() > end) throw new Error(`command "${title}" not in the palette after ${timeoutMs} ms: ${(e as Error).message}`);
      await page.keyboard.press('Escape');
      await sleep(1_000);
    }
  }
}

/** Types into the open input box (showInputBox / quick pick) and presses Enter. */
export async function answerInputBox(page: Page, text: string, { expectPrompt }: { expectPrompt?: string } = {}): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  await widget.waitFor({ state: 'visible', timeout: 15_000 });
  if (expectPrompt) await widget.getByText(expectPrompt).first().waitFor({ timeout: 15_000 });
  const input = widget.locator('input').first();
  await input.fill(text);
  await input.press('Enter');
}

/** Texts of the visible notification toasts. */
/**
 * Opens the simple file dialog (VS Code for the web) by running `command`, and types `folder` into it. The dialog
 * writes its starting folder into the box a moment after it shows, so the path is typed again until the box holds
 * exactly it (otherwise the two run together). Returns the dialog.
 */
export async function typeInFileDialog(page: Page, command: string, folder: string) {
  await runCommand(page, command);
  const dialog = page.locator('.quick-input-widget');
  await dialog.waitFor({ state: 'visible', timeout: 15_000 });
  const input = dialog.locator('input').first();
  const want = `${folder}/`;
  for (let tries = 0; tries < 10; tries++) {
    await input.fill(want);
    await page.waitForTimeout(300);
    if ((await input.inputValue()) === want) break;
  }
  return dialog;
}

export async function notifications(page: Page): Promise<string[]> {
  return page.locator('.notification-toast').allInnerTexts();
}

/** Waits for a notification containing `text`; returns its full text. */
export async function waitForNotification(page: Page, text: string | RegExp, timeoutMs = 30_000): Promise<string> {
  const toast = page.locator('.notification-toast', { hasText: text }).first();
  await toast.waitFor({ timeout: timeoutMs });
  return toast.innerText();
}

/** The frames that hold webview content (the inner `active-frame` of each webview iframe). */
export function webviewFrames(page: Page): Frame[] {
  return page.frames().filter((f) => f !== page.mainFrame() && /\/webview\/|vscode-webview|fake\.html|index\.html/.test(f.url()));
}

/** The text of the first webview frame whose body contains every one of `needles`; throws after timeoutMs. */
export async function waitForWebviewText(page: Page, needles: string[], timeoutMs = 30_000): Promise<{ frame: Frame; text: string }> {
  const end = Date.now() + timeoutMs;
  let seen = '';
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      let text: string;
      try { text = await frame.evaluate(() => document.body?.innerText ?? ''); } catch { continue; }
      if (needles.every((n) => text.includes(n))) return { frame, text };
      if (text.length > seen.length) seen = text;
    }
    if (Date.now() > end) {
      const missing = needles.filter((n) => !seen.includes(n));
      throw new Error(`no webview shows ${JSON.stringify(missing)} after ${timeoutMs} ms; longest webview text seen:\n${seen.slice(0, 2000)}`);
    }
    await sleep(300);
  }
}

/** Finds an element matching `selector` in any frame (webviews included). */
export async function waitForSelectorInFrames(page: Page, selector: string, timeoutMs = 30_000): Promise<Frame> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      try { if (await frame.$(selector)) return frame; } catch { /* frame navigating */ }
    }
    if (Date.now() > end) throw new Error(`no frame has ${selector} after ${timeoutMs} ms`);
    await sleep(300);
  }
}

/**
 * Collapses a sidebar view by its title (e.g. "Index"), so the views above it get the height: tree rows outside
 * the visible part of a list are not rendered at all, so a locator cannot find them.
 */
export async function collapseSidebarView(page: Page, title: string, timeoutMs = 30_000): Promise<void> {
  const header = page.locator('.sidebar .pane-header', { hasText: title }).first();
  await header.waitFor({ timeout: timeoutMs });
  if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
  await page.locator('.sidebar .pane-header[aria-expanded="false"]', { hasText: title }).first().waitFor({ timeout: 5_000 });
}

/**
 * Scrolls the sidebar tree (with the mouse wheel, as a person would) until a row containing `text` is rendered,
 * and returns it. Tree rows outside the visible part of the list are not in the DOM until scrolled to; the wheel
 * goes down until the list stops moving, then up.
 */
export async function revealTreeRow(page: Page, text: string, { view, timeoutMs = 30_000 }: { view?: string; timeoutMs?: number } = {}) {
  const pane = view ? page.locator('.sidebar .pane', { has: page.locator('.pane-header', { hasText: view }) }).first() : page.locator('.sidebar');
  const row = pane.locator('.monaco-list-row', { hasText: text }).first();
  const rendered = () => pane.locator('.monaco-list-row').allInnerTexts().then((t) => t.join('\n'), () => '');
  const end = Date.now() + timeoutMs;
  let delta = 400;
  for (;;) {
    if (await row.count()) {
      await row.scrollIntoViewIfNeeded();
      return row;
    }
    if (Date.now() > end) throw new Error(`no tree row with "${text}" in the sidebar after ${timeoutMs} ms`);
    const box = await pane.locator('.monaco-list').first().boundingBox().catch(() => null);
    if (box) {
      const before = await rendered();
      await page.mouse.move(box.x + box.width / 2, box.y + Math.min(box.height * 0.75, box.height - 5));
      await page.mouse.wheel(0, delta);
      await sleep(250);
      // At the end of the list (or the rows are still loading): turn round.
      if ((await rendered()) === before) delta = -delta;
    } else {
      await sleep(250);
    }
  }
}

/** Reveals a tree row (see revealTreeRow) and clicks it, with the mouse away from hover cards first. */
export async function clickTreeRow(page: Page, text: string, opts: { view?: string; timeoutMs?: number; button?: 'left' | 'right' } = {}): Promise<void> {
  const row = await revealTreeRow(page, text, opts);
  await row.click({ timeout: opts.timeoutMs ?? 30_000, button: opts.button ?? 'left' });
}
