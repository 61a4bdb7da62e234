/**
 * The trace panel's HTML: strict CSP with a nonce, the bundle and stylesheet from the extension's
 * own files, and the first state embedded as JSON (escaped so document text cannot close the block).
 * No `vscode` import, so the Chromium tests serve exactly this page.
 */
import { randomBytes } from 'node:crypto';
import { INITIAL_STATE_ELEMENT_ID, jsonForHtml, type RestoreTarget, type ViewState } from '../../protocol';

export interface PanelHtmlOptions {
  /** `webview.cspSource`: the origin the webview loads the extension's files from. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  state: ViewState;
  restore?: RestoreTarget;
  nonce?: string;
  /** Extra script run before the bundle (tests stand in for `acquireVsCodeApi` with it). */
  prelude?: string;
}

export const makeNonce = (): string => randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');

const attr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * The webviews' Content-Security-Policy: the extension's own files, nonced scripts, nothing else. No inline style
 * of any kind (none of the webviews adds a style element since the UI toolkit went); `nonceStyles` is kept for a
 * caller that would need one.
 */
export function webviewCsp(cspSource: string, nonce: string, { nonceStyles = false }: { nonceStyles?: boolean } = {}): string {
  return [
    "default-src 'none'",
    nonceStyles ? `style-src ${cspSource} 'nonce-${nonce}'` : `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
    "connect-src 'none'",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** A webview page: CSP meta, the stylesheet, an empty `#app`, the first state as escaped JSON, then the nonced scripts. */
export interface WebviewPage {
  csp: string;
  nonce: string;
  styleUri: string;
  scriptUri: string;
  title: string;
  stateElementId: string;
  state: unknown;
  prelude?: string;
}

export function webviewPage(p: WebviewPage): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(p.csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(p.styleUri)}">
<title>${attr(p.title)}</title>
</head>
<body>
<main id="app" aria-live="polite"></main>
<script type="application/json" id="${p.stateElementId}" nonce="${p.nonce}">${jsonForHtml(p.state)}</script>
${p.prelude ? `<script nonce="${p.nonce}">${p.prelude}</script>\n` : ''}<script nonce="${p.nonce}" src="${attr(p.scriptUri)}"></script>
</body>
</html>`;
}

/** What a page of one bundle and one stylesheet is given (the run dashboard, the trajectories table). */
export interface BundlePageOptions<S> {
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  state: S;
  nonce?: string;
  /** Extra script run before the bundle (tests stand in for `acquireVsCodeApi` with it). */
  prelude?: string;
}

/** Such a page: no nonce for styles, since it has no inline style at all, only the stylesheet. */
export function bundlePage<S>(o: BundlePageOptions<S>, page: { title: string; stateElementId: string }): string {
  const nonce = o.nonce ?? makeNonce();
  return webviewPage({
    csp: webviewCsp(o.cspSource, nonce, { nonceStyles: false }),
    nonce,
    styleUri: o.styleUri,
    scriptUri: o.scriptUri,
    title: page.title,
    stateElementId: page.stateElementId,
    state: o.state,
    prelude: o.prelude,
  });
}

export function panelHtml(o: PanelHtmlOptions): string {
  const nonce = o.nonce ?? makeNonce();
  return webviewPage({
    csp: webviewCsp(o.cspSource, nonce),
    nonce,
    styleUri: o.styleUri,
    scriptUri: o.scriptUri,
    title: 'Hopscope trace',
    stateElementId: INITIAL_STATE_ELEMENT_ID,
    state: { state: o.state, restore: o.restore },
    prelude: o.prelude,
  });
}
