/**
 * "Send Traces to OpenTelemetry Collector…": a trace file's trajectories pushed to Phoenix, Langfuse or
 * any OTLP/HTTP collector, as `hopscope export --otlp` does. The endpoint is asked for (the last one, else
 * the OTEL_EXPORTER_OTLP_* variables, as the default); request headers such as Authorization are asked
 * for once and kept in SecretStorage, never in settings. Progress and cancel in a notification.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errors';
import { trajectoriesOf } from '../../core/export/source';
import { parseHeaderList, redactUrl, resolvePushConfig } from '../../core/otel/config';
import { pushTrajectories } from '../../core/otel/push';
import { COMMANDS } from '../commands';
import { showProblem } from '../notify';
import type { Services } from '../services';
import { fileArg } from '../traces/fileArg';

const LAST_ENDPOINT = 'hopscope.otel.lastEndpoint';
const HEADERS_SECRET = 'hopscope.otel.headers';

/** Optional arguments when run from code (tests, other commands): skip the prompts they answer. */
export interface SendTracesArgs {
  endpoint?: string;
  /** `K=V` pairs, comma-separated, as in OTEL_EXPORTER_OTLP_HEADERS but taken literally. */
  headers?: string;
  protocol?: 'http/protobuf' | 'http/json';
}

export function registerSendTracesCommand(context: vscode.ExtensionContext, services: Services): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.sendTraces, async (source?: unknown, args?: SendTracesArgs) => {
      try {
        return await sendTraces(context, services, fileArg(source), args ?? {});
      } catch (e) {
        void showProblem(services.log, e);
        return undefined;
      }
    }),
  );
}

/** Returns the summary line shown to the user, or undefined when they backed out. */
async function sendTraces(context: vscode.ExtensionContext, services: Services, given: vscode.Uri | undefined, args: SendTracesArgs): Promise<string | undefined> {
  const source =
    given ??
    (await vscode.window.showOpenDialog({ title: 'Send Traces to OpenTelemetry Collector', defaultUri: services.traceDir(), filters: { 'Trace files': ['jsonl', 'gz'], 'All files': ['*'] } }))?.[0];
  if (!source) return undefined;
  const fromEnv = resolvePushConfig({}, process.env);
  const endpoint =
    args.endpoint ??
    (await vscode.window.showInputBox({
      title: 'OpenTelemetry collector endpoint',
      prompt: 'OTLP/HTTP traces URL, e.g. http://localhost:6006/v1/traces (Phoenix) or https://cloud.langfuse.com/api/public/otel/v1/traces',
      value: context.globalState.get<string>(LAST_ENDPOINT) ?? fromEnv.url,
      ignoreFocusOut: true,
      validateInput: (v) => {
        try {
          resolvePushConfig({ endpoint: v }, {});
          return undefined;
        } catch (e) {
          return errorMessage(e);
        }
      },
    }));
  if (!endpoint) return undefined;
  let headerText = args.headers;
  if (headerText === undefined) {
    headerText = await vscode.window.showInputBox({
      title: 'Request headers (kept in secret storage)',
      prompt: 'K=V pairs separated by commas, e.g. Authorization=Basic <base64 of public:secret key>; empty for none. OTEL_EXPORTER_OTLP_HEADERS is added.',
      value: (await context.secrets.get(HEADERS_SECRET)) ?? '',
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => {
        try {
          parseHeaderList(v);
          return undefined;
        } catch (e) {
          return errorMessage(e);
        }
      },
    });
    if (headerText === undefined) return undefined;
  }
  const config = resolvePushConfig({ endpoint, headers: parseHeaderList(headerText), protocol: args.protocol }, process.env);
  let skipped = 0;
  const name = path.basename(source.fsPath);
  const summary = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Sending ${name} to ${redactUrl(config.url)}`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      const fallbackTimeMs = (await vscode.workspace.fs.stat(source)).mtime;
      return pushTrajectories(
        trajectoriesOf(source.fsPath, {
          onProblem: (p) => {
            skipped++;
            services.log.warn(`${source.fsPath}:${p.line}: ${p.reason}`);
          },
        }),
        {
          config,
          fallbackTimeMs,
          signal: abort.signal,
          onProgress: (p) => progress.report({ message: `${p.trajectories} trajectories in ${p.requests} requests` }),
          onRetry: (r) => services.log.warn(`OTLP push to ${redactUrl(config.url)}: ${r.status !== undefined ? `HTTP ${r.status}` : r.error}; retrying in ${r.delayMs} ms`),
        },
      );
    },
  );
  // Remembered only when it holds no secret (no user:password, no query that could carry a key).
  if (redactUrl(endpoint) === endpoint) await context.globalState.update(LAST_ENDPOINT, endpoint);
  if (args.headers === undefined) await context.secrets.store(HEADERS_SECRET, headerText);
  const line =
    `Sent ${summary.trajectories} trajectories (${summary.spans} spans) to ${summary.url} in ${summary.requests} request(s)` +
    `${summary.rejectedSpans ? `; the collector dropped ${summary.rejectedSpans} span(s)` : ''}${skipped ? `; ${skipped} record(s) skipped (see the log)` : ''}.`;
  services.log.info(line);
  void vscode.window.showInformationMessage(line);
  return line;
}
