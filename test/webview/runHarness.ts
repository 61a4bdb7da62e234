/**
 * The run dashboard in Chromium: serves its real HTML (src/extension/runs/dashboardHtml.ts, same CSP)
 * from a fake origin with a recording stand-in for `acquireVsCodeApi`. Used by the dashboard's webview
 * test and by `npm run bench:runs` (first paint, a step click).
 */
import { dashboardHtml } from '../../src/extension/runs/dashboardHtml';
import type { RunDashboardState, RunHostMessage, RunWebviewMessage } from '../../src/protocol';
import { launchBrowser, type BrowserSession } from '../support/browser';
import { ORIGIN, openBundlePage, type BundlePage } from './bundlePage';

let session: Promise<BrowserSession> | undefined;

export async function closeDashboardBrowser(): Promise<void> {
  await (await session)?.close();
  session = undefined;
}

export type Dashboard = BundlePage<RunHostMessage, RunWebviewMessage>;

/** A fresh page on the dashboard with `state` embedded; resolves once it said `ready`. */
export async function openDashboard(state: RunDashboardState): Promise<Dashboard> {
  session ??= launchBrowser({ viewport: { width: 1300, height: 1000 } });
  return openBundlePage<RunHostMessage, RunWebviewMessage>(await session, {
    name: 'runDashboard',
    entry: 'webview/runs/main.ts',
    css: 'runs.css',
    html: ({ scriptUri, styleUri, prelude }) => dashboardHtml({ cspSource: ORIGIN, scriptUri, styleUri, state, prelude }),
  });
}
