/**
 * Activation: wires core to VS Code. Every registration goes into context.subscriptions.
 * Each feature module exports one `register…(context, services)` call made here.
 */
import * as vscode from 'vscode';
import { registerAskCommand } from './ask/ask';
import { registerEvaluateCommand } from './ask/evaluate';
import { registerExportCommand } from './export/exportTraces';
import { registerForkCommand } from './ask/fork';
import { registerImportCommand } from './export/importTrajectories';
import { registerSendTracesCommand } from './export/sendTraces';
import { registerRunSummary } from './traces/runSummary';
import { registerRuns } from './runs/registerRuns';
import { registerSetApiKeyCommand } from './connection/setApiKey';
import { registerShowLogCommand } from './showLog';
import { registerTestConnectionCommand } from './connection/testConnection';
import { registerIndex } from './index/indexManager';
import type { InlineAnswers } from './inline/inlineAnswers';
import { registerInline } from './inline/registerInline';
import { createServices, type Services } from './services';
import { TracePanelHost } from './traces/tracePanel';
import { registerTraceTree } from './traces/traceTree';
import { registerTrajectoryTable } from './traces/trajectoryTable';
import { registerTrustNotice } from './trustNotice';
import { registerWelcome } from './welcome';

/** What activate() returns: for the extension-host tests, not a public API. */
export interface HopscopeApi {
  services: Services;
  inline: InlineAnswers;
}

export async function activate(context: vscode.ExtensionContext): Promise<HopscopeApi> {
  const log = vscode.window.createOutputChannel('Hopscope', { log: true });
  context.subscriptions.push(log);
  log.info(
    `Hopscope ${String(context.extension.packageJSON.version)} activated in VS Code ${vscode.version}` +
      (vscode.workspace.isTrusted ? '' : ' (untrusted workspace: endpoint and retriever URLs come from user settings only)'),
  );

  const services = createServices(context, log);
  services.setWorkspaceRetriever(registerIndex(context, services).getRetriever);
  // The one trace panel, handed to every feature that shows a trajectory.
  const panels = new TracePanelHost(context, services);
  const traces = registerTraceTree(context, services, panels);
  context.subscriptions.push(
    services.onDidSaveTrajectory(({ file }) => {
      traces.addFile(file);
      // The walkthrough's "Ask" step completes when a question's trajectory was saved.
      void vscode.commands.executeCommand('setContext', 'hopscope.asked', true);
    }),
  );

  registerTrajectoryTable(context, services, panels, () => traces.files());
  registerAskCommand(context, services, panels);
  registerSetApiKeyCommand(context, services);
  registerTestConnectionCommand(context, services);
  registerShowLogCommand(context, services);
  registerImportCommand(context, services);
  registerExportCommand(context, services);
  registerSendTracesCommand(context, services);
  registerEvaluateCommand(context, services);
  registerRunSummary(context, services, panels);
  registerRuns(context, services, panels);
  registerForkCommand(context, services, panels);
  const inline = registerInline(context, services, panels);
  registerTrustNotice(context, services);
  registerWelcome(context);

  return { services, inline };
}

export function deactivate(): void {}
