/**
 * The trajectories table's HTML: the same strict CSP as the other webviews (nonced scripts, no inline styles),
 * its bundle and stylesheet, and the first rows embedded as escaped JSON. No `vscode` import, so the Chromium
 * tests serve exactly this page.
 */
import { TABLE_STATE_ELEMENT_ID, type TableState } from '../../tableProtocol';
import { makeNonce, webviewCsp, webviewPage } from './panelHtml';

export interface TableHtmlOptions {
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  state: TableState;
  nonce?: string;
  /** Extra script run before the bundle (tests stand in for `acquireVsCodeApi` with it). */
  prelude?: string;
}

export function tableHtml(o: TableHtmlOptions): string {
  const nonce = o.nonce ?? makeNonce();
  return webviewPage({
    csp: webviewCsp(o.cspSource, nonce, { nonceStyles: false }),
    nonce,
    styleUri: o.styleUri,
    scriptUri: o.scriptUri,
    title: 'Hopscope trajectories',
    stateElementId: TABLE_STATE_ELEMENT_ID,
    state: o.state,
    prelude: o.prelude,
  });
}
