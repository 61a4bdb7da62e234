/**
 * Training runs in the extension: "Hopscope: Open Training Run…" (palette and the Runs view's title),
 * the Runs view in the Hopscope sidebar (one item per run: steps, rollouts, ingest progress), and the
 * dashboard a run opens. Stores live in the workspace storage (global storage without a workspace);
 * the runs opened are remembered per workspace and come back, unread, until clicked.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errors';
import { COMMANDS, INTERNAL_COMMANDS } from '../commands';
import { showProblem } from '../notify';
import type { Services } from '../services';
import type { TracePanelHost } from '../traces/tracePanel';
import { RUN_DASHBOARD_VIEW_TYPE } from '../../protocol';
import { RunDashboard, savedRunDir } from './dashboardPanel';
import { RunSession, type RunSnapshot } from './runSession';

const STATE_KEY = 'hopscope.runs.folders';
export const RUNS_VIEW_ID = 'hopscope.runs';

interface RunEntry {
  dir: string;
  session?: RunSession;
  snapshot?: RunSnapshot;
  reading?: { filesDone: number; filesTotal: number };
}

class RunsTree implements vscode.TreeDataProvider<RunEntry> {
  private readonly changed = new vscode.EventEmitter<RunEntry | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly entries: RunEntry[] = [];

  refresh(entry?: RunEntry): void {
    this.changed.fire(entry);
  }

  getChildren(element?: RunEntry): RunEntry[] {
    return element ? [] : this.entries;
  }

  getTreeItem(e: RunEntry): vscode.TreeItem {
    const item = new vscode.TreeItem(path.basename(e.dir), vscode.TreeItemCollapsibleState.None);
    const steps = e.snapshot?.steps ?? [];
    const rollouts = steps.reduce((n, s) => n + s.n, 0);
    const last = steps.at(-1);
    item.description = e.reading
      ? `reading ${e.reading.filesDone}/${e.reading.filesTotal} step files`
      : e.snapshot
        ? `${steps.length} steps · ${rollouts.toLocaleString('en-US')} rollouts${last?.meanScore != null ? ` · score ${last.meanScore.toFixed(2)} at step ${last.step}` : ''}`
        : 'not read yet';
    item.tooltip = `${e.dir}${e.snapshot?.problems ? `\n${e.snapshot.problems} line(s) could not be read (see the Hopscope log)` : ''}`;
    item.iconPath = new vscode.ThemeIcon(e.reading ? 'loading~spin' : 'graph-line');
    item.contextValue = 'hopscope.run';
    item.id = e.dir;
    item.command = { command: INTERNAL_COMMANDS.runsShowDashboard, title: 'Show Run Dashboard', arguments: [e.dir] };
    return item;
  }
}

export function registerRuns(context: vscode.ExtensionContext, services: Services, panels: TracePanelHost): { open(dir: string): Promise<void> } {
  const tree = new RunsTree();
  const storage = (context.storageUri ?? context.globalStorageUri).fsPath;
  const workerFile = path.join(context.extensionPath, 'dist', 'runsWorker.js');
  const remember = () => context.workspaceState.update(STATE_KEY, tree.entries.map((e) => e.dir));

  const sessionOf = async (entry: RunEntry): Promise<RunSession> => {
    if (entry.session) return entry.session;
    const session = await RunSession.open(entry.dir, path.join(storage, 'runs'), workerFile);
    entry.session = session;
    context.subscriptions.push(
      session.onChange((e) => {
        if (e.kind === 'progress') entry.reading = e.progress.filesDone < e.progress.filesTotal ? e.progress : undefined;
        else if (e.kind === 'updated') {
          entry.reading = undefined;
          entry.snapshot = e.snapshot;
          if (e.report.problemsAdded) services.log.warn(`${entry.dir}: ${e.report.problemsAdded} line(s) could not be read`);
        } else {
          entry.reading = undefined;
          void showProblem(services.log, e.error);
        }
        tree.refresh(entry);
      }),
      { dispose: () => void session.dispose() },
    );
    entry.snapshot = await session.snapshot();
    return session;
  };

  const entryFor = (dir: string): RunEntry => {
    const resolved = path.resolve(dir);
    let entry = tree.entries.find((e) => e.dir === resolved);
    if (!entry) {
      entry = { dir: resolved };
      tree.entries.push(entry);
      void remember();
    }
    tree.refresh();
    return entry;
  };

  /** Reads what is new in the run (progress in a notification, cancellable) and follows the folder. */
  const follow = async (session: RunSession): Promise<void> => {
    const reading = session.refresh();
    session.watch();
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Reading training run ${session.name}`, cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => session.cancel());
        let done = 0;
        const sub = session.onChange((e) => {
          if (e.kind !== 'progress' || !e.progress.filesTotal) return;
          const now = e.progress.filesDone;
          progress.report({ message: `${now}/${e.progress.filesTotal} step files`, increment: ((now - done) / e.progress.filesTotal) * 100 });
          done = now;
        });
        try {
          await reading;
        } finally {
          sub.dispose();
        }
      },
    );
  };

  /** Shows the run's dashboard, then reads what is new and follows the folder. */
  const open = async (dir: string): Promise<void> => {
    const session = await sessionOf(entryFor(dir));
    await RunDashboard.show(context, session, panels, services.log);
    await follow(session);
  };

  /** A dashboard the workbench brings back after a window reload: the same run, read from its store. */
  const revive = async (panel: vscode.WebviewPanel, saved: unknown): Promise<void> => {
    const dir = savedRunDir(saved);
    if (!dir) {
      panel.dispose();
      return;
    }
    try {
      const session = await sessionOf(entryFor(dir));
      await RunDashboard.adopt(context, panel, session, panels, services.log);
      await follow(session);
    } catch (e) {
      panel.dispose();
      void showProblem(services.log, e);
    }
  };

  for (const dir of context.workspaceState.get<string[]>(STATE_KEY) ?? []) tree.entries.push({ dir });
  const view = vscode.window.createTreeView(RUNS_VIEW_ID, { treeDataProvider: tree, showCollapseAll: false });
  context.subscriptions.push(
    view,
    vscode.window.registerWebviewPanelSerializer(RUN_DASHBOARD_VIEW_TYPE, { deserializeWebviewPanel: revive }),
    vscode.commands.registerCommand(COMMANDS.openTrainingRun, async (arg?: unknown) => {
      const dir =
        (arg instanceof vscode.Uri ? arg.fsPath : typeof arg === 'string' ? arg : undefined) ??
        (await vscode.window.showOpenDialog({ title: 'Open Training Run (the folder of {step}.jsonl rollout dumps)', canSelectFiles: false, canSelectFolders: true, canSelectMany: false, openLabel: 'Open Run' }))?.[0]?.fsPath;
      if (!dir) return;
      try {
        await open(dir);
      } catch (e) {
        void showProblem(services.log, e);
      }
    }),
    vscode.commands.registerCommand(INTERNAL_COMMANDS.runsShowDashboard, async (dir?: unknown) => {
      if (typeof dir !== 'string') return;
      await open(dir).catch((e: unknown) => showProblem(services.log, errorMessage(e)));
    }),
    vscode.commands.registerCommand(COMMANDS.runsClose, async (entry?: RunEntry) => {
      const i = tree.entries.findIndex((e) => e.dir === entry?.dir);
      if (i < 0) return;
      const [removed] = tree.entries.splice(i, 1);
      RunDashboard.closeFor(removed!.dir);
      await removed!.session?.dispose();
      void remember();
      tree.refresh();
    }),
  );
  return { open };
}
