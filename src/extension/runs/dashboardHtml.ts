/**
 * The run dashboard's HTML: strict CSP with a nonce (no inline styles, no inline scripts but the nonced
 * ones), the bundle and stylesheet from the extension's files, the first state embedded as escaped
 * JSON. No `vscode` import, so the Chromium tests serve exactly this page.
 */
import { RUN_STATE_ELEMENT_ID, type RunDashboardState } from '../../protocol';
import { makeNonce, webviewCsp, webviewPage } from '../traces/panelHtml';

export interface DashboardHtmlOptions {
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  state: RunDashboardState;
  nonce?: string;
  /** Extra script run before the bundle (tests stand in for `acquireVsCodeApi` with it). */
  prelude?: string;
}

export function dashboardHtml(o: DashboardHtmlOptions): string {
  const nonce = o.nonce ?? makeNonce();
  return webviewPage({
    // No nonce for styles: the dashboard has no inline style at all, only the stylesheet.
    csp: webviewCsp(o.cspSource, nonce, { nonceStyles: false }),
    nonce,
    styleUri: o.styleUri,
    scriptUri: o.scriptUri,
    title: 'Hopscope training run',
    stateElementId: RUN_STATE_ELEMENT_ID,
    state: o.state,
    prelude: o.prelude,
  });
}
