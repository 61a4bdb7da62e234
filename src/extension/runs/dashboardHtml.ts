/**
 * The run dashboard's HTML: strict CSP with a nonce (no inline styles, no inline scripts but the nonced
 * ones), the bundle and stylesheet from the extension's files, the first state embedded as escaped
 * JSON. No `vscode` import, so the Chromium tests serve exactly this page.
 */
import { jsonForHtml, RUN_STATE_ELEMENT_ID, type RunDashboardState } from '../../protocol';
import { makeNonce } from '../traces/panelHtml';

export interface DashboardHtmlOptions {
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  state: RunDashboardState;
  nonce?: string;
  /** Extra script run before the bundle (tests stand in for `acquireVsCodeApi` with it). */
  prelude?: string;
}

const attr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function dashboardHtml(o: DashboardHtmlOptions): string {
  const nonce = o.nonce ?? makeNonce();
  const csp = [
    "default-src 'none'",
    `style-src ${o.cspSource}`,
    `font-src ${o.cspSource}`,
    `img-src ${o.cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
    "connect-src 'none'",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(o.styleUri)}">
<title>Hopscope training run</title>
</head>
<body>
<main id="app" aria-live="polite"></main>
<script type="application/json" id="${RUN_STATE_ELEMENT_ID}" nonce="${nonce}">${jsonForHtml(o.state)}</script>
${o.prelude ? `<script nonce="${nonce}">${o.prelude}</script>\n` : ''}<script nonce="${nonce}" src="${attr(o.scriptUri)}"></script>
</body>
</html>`;
}
