/**
 * A webview bundle in Chromium as VS Code would show it: its real HTML (same CSP) served from a fake origin, a
 * recording stand-in for `acquireVsCodeApi`, requests outside the origin refused and recorded. Shared by the
 * run dashboard's harness (runHarness.ts) and the trajectories table's test.
 */
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { BrowserSession } from '../support/browser';
import { ROOT } from '../support/paths';
import { themePrelude } from './theme';

export const ORIGIN = 'https://hopscope.test';

const PRELUDE = `
window.__posted = []; window.__csp = []; window.__pwned = 0;
document.addEventListener('securitypolicyviolation', function (e) { window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')); });
window.acquireVsCodeApi = function () {
  return { postMessage: function (m) { window.__posted.push(JSON.parse(JSON.stringify(m))); }, getState: function () { return undefined; }, setState: function () {} };
};`;

export interface BundlePageSpec {
  /** The esbuild entry name (dist/<name>.js) and its source file under the root. */
  name: string;
  entry: string;
  /** The stylesheet under media/. */
  css: string;
  /** The page's HTML for these URIs and the test prelude (the extension's own page builder). */
  html(uris: { scriptUri: string; styleUri: string; prelude: string }): string;
}

export interface BundlePage<H, W> {
  page: Page;
  posted(): Promise<W[]>;
  /** Resolves once the page has handled the message and painted. */
  post(m: H): Promise<void>;
  csp(): Promise<string[]>;
}

/**
 * Serves `html` at ORIGIN/index.html and `files` beside it, opens it, and waits until the page said `ready`.
 * Anything else (remote resources, `x` from an injected <img src=x>) is refused; the returned list records it.
 */
export async function servePage(page: Page, html: string, files: Record<string, { contentType: string; file: string }>): Promise<string[]> {
  await page.route(`${ORIGIN}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/index.html') return route.fulfill({ contentType: 'text/html', body: html });
    const served = files[path];
    if (served) return route.fulfill({ contentType: served.contentType, body: readFileSync(served.file) });
    return route.fulfill({ status: 404, body: '' });
  });
  const outside: string[] = [];
  await page.route((url) => !url.href.startsWith(ORIGIN), (route) => {
    outside.push(route.request().url());
    return route.abort();
  });
  await page.goto(`${ORIGIN}/index.html`);
  await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
  return outside;
}

/** A fresh page on the bundle in `session`; resolves once the page said `ready`. */
export async function openBundlePage<H, W>(session: BrowserSession, spec: BundlePageSpec): Promise<BundlePage<H, W>> {
  await build({ entryPoints: { [spec.name]: join(ROOT, spec.entry) }, outdir: join(ROOT, 'dist'), bundle: true, platform: 'browser', format: 'iife', target: 'es2022', logLevel: 'warning' });
  const page = await session.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const html = spec.html({ scriptUri: `${ORIGIN}/dist/${spec.name}.js`, styleUri: `${ORIGIN}/media/${spec.css}`, prelude: PRELUDE + themePrelude() });
  const outside = await servePage(page, html, {
    [`/dist/${spec.name}.js`]: { contentType: 'text/javascript', file: join(ROOT, 'dist', `${spec.name}.js`) },
    [`/media/${spec.css}`]: { contentType: 'text/css', file: join(ROOT, 'media', spec.css) },
  });
  return {
    page,
    posted: () => page.evaluate(() => (window as unknown as { __posted: W[] }).__posted),
    // As a JSON string: playwright's own serialisation of 100,000 objects takes most of a minute. A listener added
    // now runs after the page's own (listeners fire in the order they were added), then one animation frame lets a
    // deferred render land.
    post: (m) =>
      page.evaluate(
        (json) =>
          new Promise<void>((resolve) => {
            window.addEventListener('message', () => requestAnimationFrame(() => resolve()), { once: true });
            window.postMessage(JSON.parse(json), '*');
          }),
        JSON.stringify(m),
      ),
    csp: async () => [...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)), ...errors, ...outside],
  };
}
