/**
 * "Hopscope: Test Connection": lists the endpoint's /models, or says what failed and what to check.
 * Called by the walkthrough's first step; returns the result so tests can read it.
 */
import * as vscode from 'vscode';
import { describeIgnored } from '../config';
import { showProblem } from '../notify';
import type { Services } from '../services';
import { ignoredWorkspaceSettings } from '../trustNotice';
import { COMMANDS } from '../commands';
import { clientUrl, joinUrlPath, redactUrl } from '../../core/endpoint/url';

export type ProbeResult =
  | { ok: true; url: string; models: string[]; ms: number }
  | { ok: false; url: string; problem: string };

export function registerTestConnectionCommand(context: vscode.ExtensionContext, services: Services): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.testConnection, async (): Promise<ProbeResult> => {
      const c = services.config().endpoint;
      const ignored = describeIgnored((await ignoredWorkspaceSettings(services)).filter((i) => i.key === 'hopscope.endpoint.baseUrl'));
      if (ignored) services.log.warn(ignored);
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Hopscope: connecting to ${redactUrl(c.baseUrl)}…` },
        async () => probeEndpoint(c.baseUrl, await services.apiKey.get(), Math.min(c.timeoutMs, 10_000)),
      );
      if (result.ok) {
        const configured = c.model;
        const listed = result.models.length ? result.models.join(', ') : 'no models';
        // The walkthrough's "Connect" step completes on this, never on a failed attempt.
        void vscode.commands.executeCommand('setContext', 'hopscope.connected', true);
        services.log.info(`test connection: ${result.url} answered in ${result.ms} ms with ${listed}`);
        const missing = configured && !result.models.includes(configured);
        const note = missing
          ? ` The configured model "${configured}" is not among them: set hopscope.endpoint.model to one of these.`
          : configured
            ? ` Using "${configured}".`
            : result.models.length
              ? ` hopscope.endpoint.model is empty, so "${result.models[0]}" is used.`
              : '';
        const trust = ignored ? ' (Workspace settings for the URL were ignored: the workspace is not trusted.)' : '';
        const show = missing ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
        void show(`Hopscope: connected to ${result.url}. Models: ${listed}.${note}${trust}`);
      } else {
        void showProblem(services.log, `${result.problem}${ignored ? ` ${ignored}` : ''}`, { settingsQuery: 'hopscope.endpoint' });
      }
      return result;
    }),
  );
}

/** GETs `<baseUrl>/models`. Never throws: a failure comes back as one line saying what to check. */
export async function probeEndpoint(baseUrl: string, apiKey: string | undefined, timeoutMs = 10_000): Promise<ProbeResult> {
  // The same URL rules as the endpoint client: the query string kept, user:password sent as Basic
  // auth (fetch refuses URLs that carry them), and only the redacted form in messages.
  let target: URL;
  let basicAuth: string | undefined;
  try {
    const parts = clientUrl(baseUrl);
    target = joinUrlPath(parts.base, 'models');
    for (const [k, v] of Object.entries(parts.query)) target.searchParams.set(k, v);
    basicAuth = parts.basicAuth;
  } catch {
    return { ok: false, url: redactUrl(baseUrl), problem: `"${redactUrl(baseUrl)}" is not an http(s) URL: set hopscope.endpoint.baseUrl to e.g. http://127.0.0.1:8000/v1` };
  }
  const url = redactUrl(target);
  const started = Date.now();
  let response: Response;
  try {
    response = await fetch(target, {
      headers: apiKey ? { Authorization: `Bearer ${apiKey}` } : basicAuth ? { Authorization: basicAuth } : {},
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    return { ok: false, url, problem: explainNetworkError(url, e, timeoutMs) };
  }
  if (response.status === 401 || response.status === 403) {
    return { ok: false, url, problem: `${url} refused the request (HTTP ${response.status}): set the endpoint's key with "Hopscope: Set API Key"` };
  }
  if (response.status === 404) {
    return { ok: false, url, problem: `${url} was not found (HTTP 404): hopscope.endpoint.baseUrl should be the OpenAI-compatible base, usually ending in /v1` };
  }
  if (!response.ok) {
    return { ok: false, url, problem: `${url} answered HTTP ${response.status} ${response.statusText}: check the server's log` };
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return { ok: false, url, problem: `${url} did not answer with JSON: is this an OpenAI-compatible server (vLLM, SGLang, TGI, Ollama)?` };
  }
  const data = (body as { data?: unknown }).data;
  if (!Array.isArray(data)) {
    return { ok: false, url, problem: `${url} answered without a "data" list of models: is this an OpenAI-compatible server?` };
  }
  const models = data
    .map((m) => (m && typeof m === 'object' && typeof (m as { id?: unknown }).id === 'string' ? (m as { id: string }).id : undefined))
    .filter((id): id is string => id !== undefined);
  return { ok: true, url, models, ms: Date.now() - started };
}

function explainNetworkError(url: string, e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err.cause?.code;
  if (err.name === 'TimeoutError' || err.name === 'AbortError') {
    return `${url} did not answer within ${Math.round(timeoutMs / 1000)} s: is the server still loading the model, or is the host/port wrong?`;
  }
  if (/bad port/i.test(err.cause?.message ?? err.message ?? '')) {
    return `${url} uses a port that fetch refuses to contact (reserved for other protocols): serve the endpoint on another port, e.g. 8000`;
  }
  switch (code) {
    case 'ECONNREFUSED':
      return `nothing is listening at ${url}: start the server (e.g. "vllm serve MODEL --port 8000") or fix hopscope.endpoint.baseUrl`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host of ${url} could not be resolved: check the host name in hopscope.endpoint.baseUrl`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return `${url} closed the connection: check that it speaks ${url.startsWith('https') ? 'HTTPS' : 'plain HTTP'} and that the server is healthy`;
    default:
      return `could not reach ${url} (${err.cause?.message ?? err.message ?? String(e)}): check hopscope.endpoint.baseUrl and that the server is running`;
  }
}
