/**
 * "Import Trajectories…": a rollout file from another tool (R1-Searcher, Search-R1, OpenAI chat logs,
 * Inspect AI, IGPO, OpenTelemetry traces) becomes a Hopscope trace file in the trace folder, opened in the Traces view.
 * Records that cannot be read are listed in the log by line and reason. Streamed, with the caps of
 * hopscope.limits, so a huge or hostile file cannot exhaust the extension host.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { refuseOutputOverInput, writeAtomically } from '../../core/atomicFile';
import { IMPORT_FORMATS, openImport, type ImportFormat, type ImportProblem } from '../../core/importers';
import { serializeTrajectory } from '../../core/traceStore';
import { showProblem } from '../notify';
import { decompressLimits } from '../config';
import type { Services } from '../services';
import { COMMANDS } from '../commands';


const FORMAT_LABELS: Record<ImportFormat, string> = {
  r1searcher: 'R1-Searcher rollouts (gen_text_store JSONL)',
  'search-r1': 'Search-R1 rollouts (<search>/<information>)',
  'openai-chat': 'OpenAI chat messages with tool calls',
  inspect: 'Inspect AI log (.json or .eval)',
  igpo: 'IGPO rollout dump',
  hopscope: 'Hopscope trace file',
  otlp: 'OpenTelemetry traces (OTLP JSON or protobuf; GenAI or OpenInference)',
};

export function registerImportCommand(context: vscode.ExtensionContext, services: Services): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.importTrajectories, async (uri?: vscode.Uri, format?: ImportFormat) => {
      try {
        return await importCommand(services, uri instanceof vscode.Uri ? uri : undefined, format);
      } catch (e) {
        void showProblem(services.log, e);
        return undefined;
      }
    }),
  );
}

/** Returns the written trace file (for tests and callers), or undefined when the user backed out. */
async function importCommand(services: Services, given?: vscode.Uri, givenFormat?: ImportFormat): Promise<vscode.Uri | undefined> {
  const source =
    given ??
    (
      await vscode.window.showOpenDialog({
        title: 'Import Trajectories',
        canSelectMany: false,
        filters: { 'Rollouts and logs': ['jsonl', 'json', 'eval', 'gz', 'pb'], 'All files': ['*'] },
      })
    )?.[0];
  if (!source) return undefined;
  let format = givenFormat;
  if (!given && !format) {
    const picked = await vscode.window.showQuickPick(
      [{ label: 'Detect automatically', format: undefined as ImportFormat | undefined }, ...IMPORT_FORMATS.map((f) => ({ label: FORMAT_LABELS[f], description: f, format: f }))],
      { title: `Format of ${path.basename(source.fsPath)}` },
    );
    if (!picked) return undefined;
    format = picked.format;
  }
  const { dir } = await services.prepareTraceDir();
  const stem = path.basename(source.fsPath).replace(/\.gz$/, '').replace(/\.(jsonl|json|eval)$/, '');
  const out = vscode.Uri.joinPath(dir, `imported-${stem}.jsonl`);
  const config = services.config();
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Importing ${path.basename(source.fsPath)}…` },
    async () => {
      // Streamed record by record into a temporary file renamed at the end: flat memory in the
      // extension host whatever the size, and a failure leaves the previous import as it was.
      await refuseOutputOverInput(source.fsPath, out.fsPath, 'the import target');
      const problems: ImportProblem[] = [];
      const r = await openImport(source.fsPath, { format, limits: decompressLimits(config) }, (p) => problems.push(p));
      let count = 0;
      await writeAtomically(
        out.fsPath,
        (async function* () {
          for await (const t of r.trajectories) {
            count++;
            yield serializeTrajectory(t, config.limits);
          }
        })(),
      );
      return { format: r.format, problems, count };
    },
  );
  for (const p of result.problems) services.log.warn(`${source.fsPath}:${p.line}: ${p.reason}`);
  services.log.info(`imported ${result.count} trajectories (${result.format}) from ${source.fsPath} to ${out.fsPath}`);
  await vscode.commands.executeCommand(COMMANDS.openTraceFile, out);
  const summary = `Imported ${result.count} trajectories (${result.format}) to ${path.basename(out.fsPath)}.`;
  if (result.problems.length) {
    void vscode.window
      .showWarningMessage(`${summary} ${result.problems.length} record(s) could not be read.`, 'Show Problems')
      .then((b) => b && services.log.show(true));
  } else void vscode.window.showInformationMessage(summary);
  return out;
}
