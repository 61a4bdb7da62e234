/**
 * "Run Evaluation on Dataset…": one or more `{question, answer|golden_answers}` JSONL datasets through
 * the loop with the configured endpoint, template and retriever, several questions in flight. Progress
 * shows EM/F1 as they come in and can be cancelled; every trajectory (with rewards and diagnosis, and
 * optionally information gain and the LLM judge) lands in a trace file, which then opens in the Traces
 * view and as a run summary.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runAgent } from '../../core/agent';
import { datasetName, preflight, readDataset, runBatch, type DatasetItem } from '../../core/batch';
import { CancelledError } from '../../core/errors';
import { metricMean, type RunSummary } from '../../core/summary';
import { configuredTemplate } from './configuredTemplate';
import { evaluationWarning } from './evaluationOutcome';
import { TraceWriter } from '../../core/traceStore';
import { loopOptions } from '../config';
import { showProblem } from '../notify';
import type { Services } from '../services';
import { RunSummaryPanel } from '../traces/runSummary';
import { COMMANDS } from '../commands';


export interface EvaluationOptions {
  datasets: vscode.Uri[];
  /** Questions per dataset; all when undefined. */
  limit?: number;
  infoGain: boolean;
  judge: boolean;
  concurrency: number;
}

export interface EvaluationResult {
  file: vscode.Uri;
  summary: RunSummary;
  cancelled: number;
}

export function registerEvaluateCommand(context: vscode.ExtensionContext, services: Services): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.runEvaluation, async (preset?: Partial<EvaluationOptions>) => {
      try {
        const options = await askOptions(services, preset);
        if (!options) return undefined;
        const result = await evaluate(services, options);
        await vscode.commands.executeCommand(COMMANDS.openTraceFile, result.file);
        await RunSummaryPanel.createOrShow(context, services, result.file.fsPath);
        return result;
      } catch (e) {
        if (e instanceof CancelledError) return undefined;
        void showProblem(services.log, e, { settingsQuery: 'hopscope.endpoint' });
        return undefined;
      }
    }),
  );
}

async function askOptions(services: Services, preset: Partial<EvaluationOptions> = {}): Promise<EvaluationOptions | undefined> {
  const datasets =
    preset.datasets ??
    (await vscode.window.showOpenDialog({
      title: 'Run Evaluation: pick dataset(s)',
      canSelectMany: true,
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      filters: { 'Datasets ({question, answer|golden_answers})': ['jsonl'], 'All files': ['*'] },
    }));
  if (!datasets?.length) return undefined;
  let limit = preset.limit;
  if (!('limit' in preset)) {
    const text = await vscode.window.showInputBox({
      title: 'Run Evaluation: questions per dataset',
      prompt: 'How many questions from each dataset (empty: all)',
      validateInput: (v) => (v.trim() === '' || /^[1-9]\d*$/.test(v.trim()) ? undefined : 'a whole number, or empty for all'),
    });
    if (text === undefined) return undefined;
    limit = text.trim() ? Number(text.trim()) : undefined;
  }
  let infoGain = preset.infoGain ?? false;
  let judge = preset.judge ?? false;
  if (preset.infoGain === undefined && preset.judge === undefined) {
    const defaults = services.config().rewards;
    const picks = await vscode.window.showQuickPick(
      [
        { label: 'Information gain', detail: 'IGPO-style p(gold) after each search: one more completions request per search step', key: 'infoGain', picked: defaults.infoGain },
        { label: 'LLM judge (ACC_L)', detail: 'R1-Searcher’s judge prompt on the same endpoint: one more chat request per question', key: 'judge', picked: defaults.judge },
      ],
      { title: 'Run Evaluation: extra rewards (optional; each costs requests)', canPickMany: true },
    );
    if (!picks) return undefined;
    infoGain = picks.some((p) => p.key === 'infoGain');
    judge = picks.some((p) => p.key === 'judge');
  }
  return { datasets, limit, infoGain, judge, concurrency: preset.concurrency ?? 4 };
}

/** Runs the evaluation with a cancellable progress notification; the trace file is complete up to a cancel. */
export async function evaluate(services: Services, options: EvaluationOptions): Promise<EvaluationResult> {
  const config = services.config();
  const template = configuredTemplate(config.loop.template);
  const [endpoint, retriever] = await Promise.all([services.endpoint(), services.retriever()]);
  const items: DatasetItem[] = [];
  const datasetOf = new Map<DatasetItem, string>();
  for (const uri of options.datasets) {
    const name = datasetName(uri.fsPath);
    const read = await readDataset(uri.fsPath, { onBadLine: (b) => services.log.warn(`${uri.fsPath}:${b.line}: ${b.reason}`) });
    for (const item of options.limit ? read.slice(0, options.limit) : read) {
      items.push(item);
      datasetOf.set(item, name);
    }
  }
  if (!(await preflight(endpoint, options)).judgeUnderstood) {
    services.log.warn('the LLM judge replies neither True nor False: its verdicts will be missing');
  }
  const names = [...new Set(options.datasets.map((u) => datasetName(u.fsPath)))].join('+');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const { dir, root } = await services.prepareTraceDir();
  const file = vscode.Uri.joinPath(dir, `eval-${names}-${stamp}.jsonl`);
  const writer = await TraceWriter.open(file.fsPath, { root, limits: config.limits });
  const runId = `eval-${names}-${stamp}`;
  services.log.info(`evaluation ${runId}: ${items.length} questions from ${options.datasets.map((u) => path.basename(u.fsPath)).join(', ')}`);
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Hopscope evaluation (${items.length} questions)`, cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return runBatch({
          items,
          concurrency: options.concurrency,
          writer,
          signal: controller.signal,
          run: (item, signal) =>
            runAgent(
              { question: item.question, gold: item.gold, ...(item.goldDocs ? { goldDocs: item.goldDocs } : {}), runId, dataset: datasetOf.get(item) },
              { endpoint, retriever, signal, logger: services.logger },
              { template, ...loopOptions(config), infoGain: options.infoGain && config.rewards.infoGainDefinition, judge: options.judge },
            ),
          onResult: (_t, sofar) => {
            const s = sofar.result();
            const em = metricMean(s, 'EM');
            const f1 = metricMean(s, 'F1');
            progress.report({
              increment: 100 / Math.max(1, items.length),
              message: `${s.count}/${items.length}${em !== undefined ? ` · EM ${em.toFixed(3)}` : ''}${f1 !== undefined ? ` · F1 ${f1.toFixed(3)}` : ''}`,
            });
          },
        });
      },
    );
    const summary = result.summary;
    services.log.info(`evaluation ${runId}: ${result.summary.count} written, ${result.cancelled} not run${result.firstError ? `; first error: ${result.firstError}` : ''}`);
    const warning = evaluationWarning({
      total: items.length,
      written: result.summary.count,
      errors: result.errors,
      cancelled: result.cancelled,
      traceFile: path.basename(file.fsPath),
      firstError: result.firstError,
    });
    if (warning) void vscode.window.showWarningMessage(warning);
    return { file, summary, cancelled: result.cancelled };
  } finally {
    await writer.close();
  }
}
