/**
 * The run dashboard in Chromium: serves its real HTML (src/extension/runs/dashboardHtml.ts, same CSP)
 * from a fake origin with a recording stand-in for `acquireVsCodeApi`. Used by the dashboard's webview
 * test and by `npm run bench:runs` (first paint, a step click).
 */
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { dashboardHtml } from '../../src/extension/runs/dashboardHtml';
import type { RunDashboardState, RunHostMessage, RunWebviewMessage } from '../../src/protocol';
import { launchBrowser, type BrowserSession } from '../support/browser';
import { ROOT } from '../support/paths';
import { themePrelude } from './theme';

const ORIGIN = 'https://hopscope.test';
const BUNDLE = join(ROOT, 'dist', 'runDashboard.js');
const PRELUDE = `
window.__posted = []; window.__csp = []; window.__pwned = 0;
document.addEventListener('securitypolicyviolation', function (e) { window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')); });
window.acquireVsCodeApi = function () {
  return { postMessage: function (m) { window.__posted.push(JSON.parse(JSON.stringify(m))); }, getState: function () { return undefined; }, setState: function () {} };
};`;

let session: Promise<BrowserSession> | undefined;

export async function closeDashboardBrowser(): Promise<void> {
  await (await session)?.close();
  session = undefined;
}

export interface Dashboard {
  page: Page;
  posted(): Promise<RunWebviewMessage[]>;
  post(m: RunHostMessage): Promise<void>;
  csp(): Promise<string[]>;
}

/** A fresh page on the dashboard with `state` embedded; resolves once it said `ready`. */
export async function openDashboard(state: RunDashboardState): Promise<Dashboard> {
  await build({ entryPoints: { runDashboard: join(ROOT, 'webview/runs/main.ts') }, outdir: join(ROOT, 'dist'), bundle: true, platform: 'browser', format: 'iife', target: 'es2022', logLevel: 'warning' });
  session ??= launchBrowser({ viewport: { width: 1300, height: 1000 } });
  const page = await (await session).context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const html = dashboardHtml({ cspSource: ORIGIN, scriptUri: `${ORIGIN}/dist/runDashboard.js`, styleUri: `${ORIGIN}/media/runs.css`, state, prelude: PRELUDE + themePrelude() });
  await page.route(`${ORIGIN}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/index.html') return route.fulfill({ contentType: 'text/html', body: html });
    if (path === '/dist/runDashboard.js') return route.fulfill({ contentType: 'text/javascript', body: readFileSync(BUNDLE) });
    if (path === '/media/runs.css') return route.fulfill({ contentType: 'text/css', body: readFileSync(join(ROOT, 'media', 'runs.css')) });
    return route.fulfill({ status: 404, body: '' });
  });
  const outside: string[] = [];
  await page.route((url) => !url.href.startsWith(ORIGIN), (route) => {
    outside.push(route.request().url());
    return route.abort();
  });
  await page.goto(`${ORIGIN}/index.html`);
  await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
  return {
    page,
    posted: () => page.evaluate(() => (window as unknown as { __posted: RunWebviewMessage[] }).__posted),
    // Resolves once the page has handled the message and painted: a listener added now runs after the page's own
    // (listeners fire in the order they were added), then one animation frame lets a deferred render land.
    post: (m) =>
      page.evaluate(
        (x) =>
          new Promise<void>((resolve) => {
            window.addEventListener('message', () => requestAnimationFrame(() => resolve()), { once: true });
            window.postMessage(x, '*');
          }),
        m as unknown as Record<string, unknown>,
      ),
    csp: async () => [...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)), ...errors, ...outside],
  };
}

