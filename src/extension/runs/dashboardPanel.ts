/**
 * The run dashboard panel host: one webview panel per open run (viewType `hopscope.runDashboard`),
 * the first state embedded in its HTML, then the run's updates as they come; the dashboard's requests
 * (a step's groups, a group's rollouts, a prompt's history, open a rollout) are validated and answered
 * from the run store. A rollout opens in the trace panel, read from its step file on demand.
 */
import { isAbsolute } from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errors';
import { promptHistory, readRollout, stepGroups, stepRollouts } from '../../core/runs/queries';
import { parseRunWebviewMessage, RUN_DASHBOARD_VIEW_TYPE, type RunDashboardState, type RunHostMessage, type RunWebviewMessage } from '../../protocol';
import { showProblem } from '../notify';
import type { TracePanelHost } from '../traces/tracePanel';
import { dashboardHtml } from './dashboardHtml';
import type { RunSession } from './runSession';

export class RunDashboard {
  private static readonly open = new Map<string, RunDashboard>();
  private readonly disposables: vscode.Disposable[] = [];

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly session: RunSession,
    private readonly panels: TracePanelHost,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => {
        const msg = parseRunWebviewMessage(m);
        if (!msg) return log.warn(`run dashboard: ignored a malformed message ${JSON.stringify(m).slice(0, 200)}`);
        void this.handle(msg).catch((e: unknown) => this.post({ type: 'runNotice', level: 'error', message: errorMessage(e) }));
      }),
      session.onChange((e) => {
        if (e.kind === 'progress') this.post({ type: 'runProgress', filesDone: e.progress.filesDone, filesTotal: e.progress.filesTotal });
        else if (e.kind === 'updated') {
          this.post({ type: 'runSummary', steps: e.snapshot.steps, problems: e.snapshot.problems });
          this.post({ type: 'runProgress', filesDone: 1, filesTotal: 1 });
        } else this.post({ type: 'runNotice', level: 'error', message: errorMessage(e.error) });
      }),
    );
    panel.onDidDispose(() => {
      RunDashboard.open.delete(session.dir);
      for (const d of this.disposables) d.dispose();
    });
  }

  /** Shows the run's dashboard (reusing its panel); returns the state embedded in the page. */
  static async show(context: vscode.ExtensionContext, session: RunSession, panels: TracePanelHost, log: vscode.LogOutputChannel): Promise<RunDashboardState> {
    const existing = RunDashboard.open.get(session.dir);
    if (existing) {
      const snapshot = await session.snapshot();
      existing.panel.reveal();
      existing.post({ type: 'runSummary', steps: snapshot.steps, problems: snapshot.problems });
      return { dir: session.dir, name: session.name, steps: snapshot.steps, problems: snapshot.problems, progress: snapshot.progress };
    }
    const panel = vscode.window.createWebviewPanel(RUN_DASHBOARD_VIEW_TYPE, `Run: ${session.name}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: roots(context),
    });
    return RunDashboard.adopt(context, panel, session, panels, log);
  }

  /**
   * Fills a panel with the run's dashboard: a new one, or one the workbench brings back after a window
   * reload (the serializer in registerRuns.ts). The page is rebuilt from the store, so a revived
   * dashboard shows the run as it is now, not as it was when the window closed.
   */
  static async adopt(context: vscode.ExtensionContext, panel: vscode.WebviewPanel, session: RunSession, panels: TracePanelHost, log: vscode.LogOutputChannel): Promise<RunDashboardState> {
    const snapshot = await session.snapshot();
    const state: RunDashboardState = { dir: session.dir, name: session.name, steps: snapshot.steps, problems: snapshot.problems, progress: snapshot.progress };
    RunDashboard.open.get(session.dir)?.panel.dispose();
    const dist = vscode.Uri.joinPath(context.extensionUri, 'dist');
    panel.title = `Run: ${session.name}`;
    panel.webview.options = { enableScripts: true, localResourceRoots: roots(context) };
    panel.webview.html = dashboardHtml({
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'runDashboard.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'media', 'runs.css')).toString(),
      state,
    });
    RunDashboard.open.set(session.dir, new RunDashboard(panel, session, panels, log));
    return state;
  }

  static closeFor(dir: string): void {
    RunDashboard.open.get(dir)?.panel.dispose();
  }

  private post(msg: RunHostMessage): void {
    void this.panel.webview.postMessage(msg);
  }

  private async handle(msg: RunWebviewMessage): Promise<void> {
    const store = this.session.store;
    switch (msg.type) {
      case 'ready':
        return;
      case 'selectStep':
        this.post({ type: 'stepGroups', step: msg.step, groups: await stepGroups(store, msg.step) });
        return;
      case 'selectGroup':
        this.post({ type: 'groupRollouts', step: msg.step, group: msg.group, rollouts: await stepRollouts(store, msg.step, msg.group) });
        return;
      case 'followPrompt': {
        const history = await promptHistory(store, msg.group);
        const [first] = history.length ? await stepRollouts(store, history[0]!.step, msg.group, 1) : [];
        this.post({ type: 'promptHistory', group: msg.group, question: first?.question ?? '', history });
        return;
      }
      case 'openRollout': {
        const trajectory = await readRollout(store, msg.fileId, msg.line);
        await this.panels.show({ trajectory }).catch((e: unknown) => showProblem(this.log, e));
        return;
      }
      case 'cancelIngest':
        this.session.cancel();
        return;
      default: {
        const never: never = msg;
        void never;
      }
    }
  }
}

function roots(context: vscode.ExtensionContext): vscode.Uri[] {
  return [vscode.Uri.joinPath(context.extensionUri, 'media'), vscode.Uri.joinPath(context.extensionUri, 'dist')];
}

/** The folder a dashboard showed, from the state its page saved (`{ dir, selectedStep }`), if it is one. */
export function savedRunDir(saved: unknown): string | undefined {
  const dir = typeof saved === 'object' && saved !== null ? (saved as { dir?: unknown }).dir : undefined;
  return typeof dir === 'string' && isAbsolute(dir) ? dir : undefined;
}
