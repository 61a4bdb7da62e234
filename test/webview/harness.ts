/**
 * The viewer in Chromium: serves the panel's real HTML (src/extension/traces/panelHtml.ts, same CSP)
 * from a fake origin, with a stand-in for `acquireVsCodeApi` that records what the webview posts and
 * keeps its setState. Tests post host messages in and assert what a person sees.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { panelHtml } from '../../src/extension/traces/panelHtml';
import type { HostMessage, RestoreTarget, ViewState, WebviewMessage } from '../../src/protocol';
import { launchBrowser, screenshot, type BrowserSession } from '../support/browser';
import { ROOT, TEST_OUTPUT } from '../support/paths';
import { buildWebviewBundle, WEBVIEW_BUNDLE } from './bundle';
import { ORIGIN, servePage } from './bundlePage';
import { themePrelude } from './theme';


/** Runs in the page before the bundle: the VS Code webview API as the bundle expects it, recorded. */
const PRELUDE = `
window.__posted = []; window.__state = undefined; window.__csp = []; window.__pwned = 0; window.__longTasks = [];
try { new PerformanceObserver(function (l) { l.getEntries().forEach(function (e) { window.__longTasks.push(Math.round(e.duration)); }); }).observe({ type: 'longtask', buffered: false }); } catch (e) {}
document.addEventListener('securitypolicyviolation', function (e) { window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.target && e.target.nodeName) + ' ' + (e.sample || '') + ' ' + e.lineNumber + ' ' + e.sourceFile); });
window.acquireVsCodeApi = function () {
  return {
    postMessage: function (m) { window.__posted.push(JSON.parse(JSON.stringify(m))); },
    getState: function () { return window.__state; },
    setState: function (s) { window.__state = JSON.parse(JSON.stringify(s)); },
  };
};`;

export interface Viewer {
  page: Page;
  session: BrowserSession;
  posted(): Promise<WebviewMessage[]>;
  savedState(): Promise<unknown>;
  cspViolations(): Promise<string[]>;
  post(msg: HostMessage | Record<string, unknown>): Promise<void>;
  shot(name: string): Promise<string>;
  close(): Promise<void>;
}

let sharedSession: Promise<BrowserSession> | undefined;

/** One browser per test file; each `openViewer` gets a fresh page. */
export async function openViewer(state: ViewState, opts: { restore?: RestoreTarget; width?: number; height?: number; html?: string } = {}): Promise<Viewer> {
  await buildWebviewBundle();
  sharedSession ??= launchBrowser({ viewport: { width: opts.width ?? 1200, height: opts.height ?? 900 } });
  const session = await sharedSession;
  const page = await session.context.newPage();
  if (opts.width || opts.height) await page.setViewportSize({ width: opts.width ?? 1200, height: opts.height ?? 900 });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const html = opts.html ?? panelHtml({ cspSource: ORIGIN, scriptUri: `${ORIGIN}/dist/webview.js`, styleUri: `${ORIGIN}/media/trace.css`, state, restore: opts.restore, prelude: PRELUDE + themePrelude() });
  const outside = await servePage(page, html, {
    '/dist/webview.js': { contentType: 'text/javascript', file: WEBVIEW_BUNDLE },
    '/media/trace.css': { contentType: 'text/css', file: join(ROOT, 'media', 'trace.css') },
  });
  return {
    page,
    session,
    posted: () => page.evaluate(() => (window as unknown as { __posted: WebviewMessage[] }).__posted),
    savedState: () => page.evaluate(() => (window as unknown as { __state: unknown }).__state),
    cspViolations: async () => [...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)), ...errors.map((e) => `pageerror ${e}`), ...outside.map((u) => `request ${u}`)],
    post: (msg) => page.evaluate((m) => window.postMessage(m, '*'), msg as unknown as Record<string, unknown>),
    shot: (name) => screenshot(page, join(TEST_OUTPUT, 'webview', `${name}.png`)),
    close: () => page.close(),
  };
}

export async function closeBrowser(): Promise<void> {
  if (!sharedSession) return;
  const s = await sharedSession;
  sharedSession = undefined;
  await s.close();
}
