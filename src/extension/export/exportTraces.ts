/**
 * "Export Traces…": a trace file as OpenTelemetry spans (OTLP/JSON, GenAI and OpenInference, for Phoenix, Langfuse or
 * Jaeger), a self-contained HTML report, or re-analysed JSONL.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { refuseOutputOverInput, writeThrough } from '../../core/atomicFile';
import { renderExport, streamExport, type ExportFormat } from '../../core/export/render';
import { showProblem } from '../notify';
import { fileArg } from '../traces/fileArg';
import { decompressLimits } from '../config';
import type { Services } from '../services';
import { COMMANDS } from '../commands';


const KINDS: Array<{ label: string; detail: string; format: ExportFormat; ext: string }> = [
  { label: 'OpenTelemetry spans (OTLP/JSON)', detail: 'GenAI and OpenInference conventions: invoke_agent/AGENT, chat/LLM, retrieval/RETRIEVER', format: 'otel', ext: 'otlp.json' },
  { label: 'HTML report', detail: 'summary, charts and failed trajectories; opens without VS Code', format: 'html', ext: 'html' },
  { label: 'JSONL', detail: 'the trajectories with rewards and diagnosis recomputed', format: 'jsonl', ext: 'jsonl' },
];

export function registerExportCommand(context: vscode.ExtensionContext, services: Services): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.exportTraces, async (source?: unknown, kind?: ExportFormat, target?: vscode.Uri) => {
      try {
        return await exportCommand(services, fileArg(source), kind, target);
      } catch (e) {
        void showProblem(services.log, e);
        return undefined;
      }
    }),
  );
}

async function exportCommand(services: Services, given?: vscode.Uri, givenKind?: ExportFormat, givenTarget?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const source =
    given ??
    (await vscode.window.showOpenDialog({ title: 'Export Traces', defaultUri: services.traceDir(), filters: { 'Trace files': ['jsonl', 'gz'], 'All files': ['*'] } }))?.[0];
  if (!source) return undefined;
  const choice = givenKind ? KINDS.find((k) => k.format === givenKind) : await vscode.window.showQuickPick(KINDS, { title: `Export ${path.basename(source.fsPath)} as…` });
  if (!choice) return undefined;
  const stem = path.basename(source.fsPath).replace(/\.gz$/, '').replace(/\.jsonl?$/, '');
  const target =
    givenTarget ??
    (await vscode.window.showSaveDialog({ title: 'Export to', defaultUri: vscode.Uri.file(path.join(path.dirname(source.fsPath), `${stem}.${choice.ext}`)) }));
  if (!target) return undefined;
  let skipped = 0;
  const onProblem = (p: { line: number; reason: string }) => {
    skipped++;
    services.log.warn(`${source.fsPath}:${p.line}: ${p.reason}`);
  };
  const n = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Exporting ${path.basename(source.fsPath)}…` }, async () => {
    if (target.scheme !== 'file') {
      const { body, count } = await renderExport(source.fsPath, choice.format, { onProblem, limits: decompressLimits(services.config()) });
      await vscode.workspace.fs.writeFile(target, Buffer.from(body, 'utf8'));
      return count;
    }
    // A local target is streamed through a temporary file: flat memory, and a failure leaves the old file.
    await refuseOutputOverInput(source.fsPath, target.fsPath, 'the export target');
    return writeThrough(target.fsPath, (write) => streamExport(source.fsPath, choice.format, write, { onProblem, limits: decompressLimits(services.config()) }));
  });
  services.log.info(`exported ${n} trajectories from ${source.fsPath} to ${target.fsPath} (${choice.format})`);
  const open = choice.format === 'html' ? 'Open in Browser' : 'Open';
  void vscode.window
    .showInformationMessage(`Exported ${n} trajectories to ${path.basename(target.fsPath)}${skipped ? `; ${skipped} record(s) skipped (see the log)` : ''}.`, open)
    .then((b) => {
      if (b === 'Open in Browser') void vscode.env.openExternal(target);
      else if (b === 'Open') void vscode.window.showTextDocument(target);
    });
  return target;
}
