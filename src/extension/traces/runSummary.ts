/**
 * The run summary panel: the HTML report of a trace file (metrics table, histograms of searches and
 * F1, diagnosis counts, a breakdown by dataset, failed trajectories) in a webview without scripts.
 * Each trajectory links through a `command:` URI to the trace panel. The panel remembers its file in
 * workspace state, so the serializer brings it back after a reload.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runSpan } from '../../core/export/html';
import { runReport, type RunReportOptions } from '../../core/traces/runReport';
import { showProblem } from '../notify';
import type { Services } from '../services';
import type { TracePanelHost } from './tracePanel';
import { fileArg } from './fileArg';
import { traceStoreHost, usesStore } from './traceRows';
import { COMMANDS, INTERNAL_COMMANDS } from '../commands';

const SUMMARY_VIEW_TYPE = 'hopscope.runSummary';
const STATE_KEY = 'hopscope.runSummary.file';

export class RunSummaryPanel {
  private static current: RunSummaryPanel | undefined;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    private readonly services: Services,
  ) {
    panel.onDidDispose(() => {
      if (RunSummaryPanel.current === this) RunSummaryPanel.current = undefined;
    }, undefined, context.subscriptions);
  }

  static webviewOptions(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return { enableScripts: false, enableCommandUris: [INTERNAL_COMMANDS.runSummaryOpenTrajectory], localResourceRoots: [], enableFindWidget: true };
  }

  /** Shows the summary of `file` (a trace file or any importable file); returns the HTML shown, for tests. */
  static async createOrShow(context: vscode.ExtensionContext, services: Services, file: string): Promise<string> {
    let p = RunSummaryPanel.current;
    if (p) p.panel.reveal(vscode.ViewColumn.Active);
    else {
      const panel = vscode.window.createWebviewPanel(SUMMARY_VIEW_TYPE, 'Run Summary', vscode.ViewColumn.Active, RunSummaryPanel.webviewOptions());
      p = RunSummaryPanel.current = new RunSummaryPanel(panel, context, services);
    }
    return p.show(file);
  }

  static async revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, services: Services): Promise<void> {
    panel.webview.options = RunSummaryPanel.webviewOptions();
    const p = (RunSummaryPanel.current = new RunSummaryPanel(panel, context, services));
    const file = context.workspaceState.get<string>(STATE_KEY);
    if (file) await p.show(file).catch((e: unknown) => services.log.warn(`run summary not restored: ${String(e)}`));
  }

  private async show(file: string): Promise<string> {
    void this.context.workspaceState.update(STATE_KEY, file);
    this.panel.title = `Run Summary: ${path.basename(file)}`;
    const options: RunReportOptions = {
      title: `Run summary: ${path.basename(file)}`,
      nonce: randomBytes(16).toString('base64'),
      listAll: 5000,
      // In UTC like the run's own span beside it, so the two times read on one clock.
      generatedAt: utcMinute(new Date().toISOString()),
      // Trajectories open in the trace panel by file and id (a Hopscope trace file only: runReport checks).
      openCommand: INTERNAL_COMMANDS.runSummaryOpenTrajectory,
    };
    // A large (store-held) file is streamed on the store worker: the main thread never parses it.
    const host = traceStoreHost();
    const { html, skipped } = host && usesStore(file) ? await host.runReport(file, options) : await runReport(file, options);
    if (skipped) this.services.log.warn(`${file}: ${skipped} line(s) skipped in the run summary`);
    this.panel.webview.html = html;
    return html;
  }
}

export function registerRunSummary(context: vscode.ExtensionContext, services: Services, panels: TracePanelHost): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.showRunSummary, async (arg?: unknown) => {
      const file =
        fileArg(arg) ??
        (await vscode.window.showOpenDialog({ title: 'Show Run Summary', defaultUri: services.traceDir(), filters: { 'Trace files': ['jsonl', 'gz'], 'All files': ['*'] } }))?.[0];
      if (!file) return undefined;
      try {
        return await RunSummaryPanel.createOrShow(context, services, file.fsPath);
      } catch (e) {
        void showProblem(services.log, e);
        return undefined;
      }
    }),
    vscode.commands.registerCommand(INTERNAL_COMMANDS.runSummaryOpenTrajectory, async (ref?: { file?: unknown; id?: unknown }) => {
      if (!ref || typeof ref.file !== 'string' || typeof ref.id !== 'string') return;
      await panels.show({ file: ref.file, id: ref.id }).catch((e: unknown) => showProblem(services.log, e));
    }),
    vscode.window.registerWebviewPanelSerializer(SUMMARY_VIEW_TYPE, {
      deserializeWebviewPanel: (panel) => RunSummaryPanel.revive(panel, context, services),
    }),
  );
}

/** "2026-11-28 23:52 UTC": one instant written as the report writes the run's span. */
function utcMinute(iso: string): string {
  return runSpan({ first: iso, last: iso });
}
