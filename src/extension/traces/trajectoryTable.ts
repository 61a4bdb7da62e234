/**
 * "Hopscope: Show Trajectories Table": an editor-area panel (viewType `hopscope.trajectoryTable`) listing every
 * trajectory of the trace files open in the Traces view, one row each with the numbers the tree cannot fit
 * (webview/table). Selecting a row opens it in the trace panel; "Run summary" opens the row's file's summary; the
 * text search inside queries, documents and reasoning is answered here, from the files. Small files' rows go to
 * the webview whole (it sorts and filters them at once); when a file's rows are in the trace store, the webview
 * asks for windows of rows instead (tableWindow.ts), so a 500,000-trajectory file never crosses whole.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errors';
import { parseTableWebviewMessage, TABLE_VIEW_TYPE, type TableHostMessage, type TableRow } from '../../protocol';
import { COMMANDS } from '../commands';
import { showProblem } from '../notify';
import type { ViewerServices } from './viewerServices';
import { tableHtml } from './tableHtml';
import { onRowsUpdated, traceRowsFor } from './traceRows';
import { tableRowOf } from './tableRow';
import { DeepMatches, hostHoldsRows, tableWindow } from './tableWindow';
import type { TracePanelHost } from './tracePanel';

const REFRESH_MS = 300;

class TrajectoryTable {
  private static current: TrajectoryTable | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private search = { cancelled: false };
  private readonly deep = new DeepMatches();

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly files: () => string[],
    private readonly services: ViewerServices,
    private readonly panels: TracePanelHost,
  ) {
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => void this.handle(m)),
      onRowsUpdated((file) => {
        if (this.files().includes(file)) this.scheduleRefresh();
      }),
    );
    panel.onDidDispose(() => {
      TrajectoryTable.current = undefined;
      if (this.timer) clearTimeout(this.timer);
      for (const d of this.disposables) d.dispose();
    });
  }

  static show(context: vscode.ExtensionContext, files: () => string[], services: ViewerServices, panels: TracePanelHost): void {
    if (TrajectoryTable.current) {
      TrajectoryTable.current.panel.reveal();
      TrajectoryTable.current.refresh();
      return;
    }
    const media = vscode.Uri.joinPath(context.extensionUri, 'media');
    const dist = vscode.Uri.joinPath(context.extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel(TABLE_VIEW_TYPE, 'Trajectories', vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [media, dist],
    });
    const table = new TrajectoryTable(panel, files, services, panels);
    TrajectoryTable.current = table;
    panel.webview.html = tableHtml({
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'trajectoryTable.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(media, 'table.css')).toString(),
      state: { rows: [] },
    });
    // Files the tree has not read yet: read them, and the rows follow (onIndexUpdated).
    for (const f of files()) void traceRowsFor(f).update().catch((e: unknown) => services.log.warn(`${f}: ${errorMessage(e)}`));
  }

  private async rows(): Promise<TableRow[]> {
    const all = await Promise.all(this.files().map(async (f) => (await traceRowsFor(f).page({}, 'file', 0, Number.MAX_SAFE_INTEGER)).map((s) => tableRowOf(f, s))));
    return all.flat();
  }

  private scheduleRefresh(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refresh();
    }, REFRESH_MS);
  }

  private refresh(): void {
    // The host holds the rows: the webview asks again for what it shows.
    if (hostHoldsRows(this.files())) return this.post({ type: 'changed' });
    void this.rows().then((rows) => this.post({ type: 'rows', rows }), (e: unknown) => this.services.log.warn(`trajectories table: ${errorMessage(e)}`));
  }

  private post(m: TableHostMessage): void {
    void this.panel.webview.postMessage(m);
  }

  private async handle(raw: unknown): Promise<void> {
    const m = parseTableWebviewMessage(raw);
    if (!m) return this.services.log.warn(`trajectories table: ignored a malformed message ${JSON.stringify(raw).slice(0, 200)}`);
    try {
      if (m.type === 'ready') return this.refresh();
      if (m.type === 'open') {
        const hash = m.key.lastIndexOf('#');
        const file = m.key.slice(0, hash);
        if (hash < 0 || !this.files().includes(file)) return;
        // Beside the table, so the list stays in view while a trace is read.
        return await this.panels.show({ file, id: m.key.slice(hash + 1) }, { beside: true });
      }
      if (m.type === 'query') return this.post(await tableWindow(this.files(), m, this.deep));
      if (m.type === 'runSummary') {
        if (!this.files().includes(m.path)) return;
        await vscode.commands.executeCommand(COMMANDS.showRunSummary, vscode.Uri.file(m.path));
        return;
      }
      this.search.cancelled = true;
      const signal = (this.search = { cancelled: false });
      const keys: string[] = [];
      for (const f of this.files()) keys.push(...(await traceRowsFor(f).search(m.text, signal)));
      if (!signal.cancelled) this.post({ type: 'deepMatches', seq: m.seq, text: m.text, keys });
    } catch (e) {
      void showProblem(this.services.log, e);
    }
  }
}

export function registerTrajectoryTable(context: vscode.ExtensionContext, services: ViewerServices, panels: TracePanelHost, files: () => string[]): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.showTrajectoriesTable, () => TrajectoryTable.show(context, files, services, panels)),
  );
}
