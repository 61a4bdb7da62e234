/**
 * The run dashboard's HTML: strict CSP with a nonce (no inline styles, no inline scripts but the nonced
 * ones), the bundle and stylesheet from the extension's files, the first state embedded as escaped
 * JSON. No `vscode` import, so the Chromium tests serve exactly this page.
 */
import { RUN_STATE_ELEMENT_ID, type RunDashboardState } from '../../protocol';
import { bundlePage, type BundlePageOptions } from '../traces/panelHtml';

export type DashboardHtmlOptions = BundlePageOptions<RunDashboardState>;

export function dashboardHtml(o: DashboardHtmlOptions): string {
  return bundlePage(o, { title: 'Hopscope training run', stateElementId: RUN_STATE_ELEMENT_ID });
}
