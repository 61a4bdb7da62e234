/**
 * The trajectories table's HTML: the same strict CSP as the other webviews (nonced scripts, no inline styles),
 * its bundle and stylesheet, and the first rows embedded as escaped JSON. No `vscode` import, so the Chromium
 * tests serve exactly this page.
 */
import { TABLE_STATE_ELEMENT_ID, type TableState } from '../../protocol';
import { bundlePage, type BundlePageOptions } from './panelHtml';

export type TableHtmlOptions = BundlePageOptions<TableState>;

export function tableHtml(o: TableHtmlOptions): string {
  return bundlePage(o, { title: 'Hopscope trajectories', stateElementId: TABLE_STATE_ELEMENT_ID });
}
