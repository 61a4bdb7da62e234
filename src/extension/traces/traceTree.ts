/**
 * The "Traces" view: trace files (the workspace's trace folder and files opened by command) →
 * trajectories → steps. Files are read lazily (traces/traceRows.ts: small ones into memory, large ones into
 * the trace store on worker threads); the view asks for one page of trajectories (PAGE at a time) and the
 * counts, so a 500,000-trajectory file shows its first items at once and grows while it is read.
 * Filters (failed only, stop reason, searches, text, diagnosis label) and sorts (F1, searches,
 * latency) apply to every file. What the rows say is rowText.ts.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CancelledError, errorMessage } from '../../core/errors';
import type { Step } from '../../core/trace';
import { showProblem } from '../notify';
import type { TracePanelHost } from './tracePanel';
import { discoverTraceFiles } from './traceDiscovery';
import type { TrajectorySummary } from './traceFileIndex';
import { bundledWorker } from '../../core/runs/open';
import { bundledStoreWorker } from '../../core/storeHost/client';
import { configureTraceStore, forgetAllTraceRows, forgetTraceRows, onRowsUpdated, traceRowsFor, workspaceTraceRows } from './traceRows';
import { readConfig } from '../config';
import { pickFilter, pickSort } from './filterPicker';
import { short } from './labels';
import { fileRowDescription, stepDescription, stepLabel, trajectoryAccessibleLabel, trajectoryDescription, trajectoryTooltip } from './rowText';
import { describeFilter, isFiltered, SORT_LABELS, TREE_PAGE as PAGE, type TraceFilter, type TraceSort } from './traceFilter';
import { pickTrajectory, type PickSource } from './trajectoryPicker';
import type { TraceFacets } from '../../core/traces/traceStore';
import type { ViewerServices } from './viewerServices';
import { COMMANDS } from '../commands';

const OPENED_KEY = 'hopscope.traces.openedFiles';
const VIEW_STATE_KEY = 'hopscope.traces.filterAndSort';
const VIEW_ID = 'hopscope.traces';
/** Unread bytes of a store-held file above which its read shows a progress notification (a batch's append does not). */
const LONG_READ_BYTES = 32 * 1024 * 1024;

type Node =
  | { kind: 'file'; file: string; opened: boolean }
  | { kind: 'traj'; file: string; s: TrajectorySummary }
  | { kind: 'step'; file: string; s: TrajectorySummary; index: number; step: Step }
  | { kind: 'more'; file: string; remaining: number }
  | { kind: 'info'; file: string; text: string; tooltip?: string };
type StepNode = Node & { kind: 'step' };

/** A search step as a command run on its row receives it (Fork from Step in the row's context menu). */
export interface StepRowTarget {
  file: string;
  /** The trajectory's id in `file`. */
  id: string;
  /** 0-based step index. */
  step: number;
}

/** The step rows this view made, so a command can tell one of them from any other argument without probing its shape. */
const stepNodes = new WeakSet<object>();

/** The step a command was run on, when its argument is a step row of the Traces view. */
export function stepRowTarget(arg: unknown): StepRowTarget | undefined {
  if (typeof arg !== 'object' || arg === null || !stepNodes.has(arg)) return undefined;
  const n = arg as StepNode;
  return { file: n.file, id: n.s.id, step: n.index };
}


class TraceTreeProvider implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  filter: TraceFilter = {};
  sort: TraceSort = 'file';
  private readonly opened = new Set<string>();
  private workspaceFiles: string[] = [];
  private readonly shown = new Map<string, number>();
  private readonly fileNodes = new Map<string, Node & { kind: 'file' }>();
  private readonly indexing = new Set<string>();
  /** Trajectory nodes by file and line, so a repaint hands the view the same elements (see `fire`). */
  private readonly trajNodes = new Map<string, Node & { kind: 'traj' }>();
  /** What each file's node and children showed when last painted, so a repaint that changes nothing is skipped. */
  private readonly painted = new Map<string, string>();
  private readonly pending = new Set<string>();
  /** Files that changed again while being indexed: their new tail is read once the current read ends. */
  private readonly stale = new Set<string>();
  private refreshTimer: NodeJS.Timeout | undefined;
  /** Refusals already shown (a rescan runs on every change; each is said once). */
  private readonly refusedSaid = new Set<string>();

  private readonly indexListener: { dispose(): void };

  constructor(private readonly services: ViewerServices, private readonly memento: vscode.Memento) {
    for (const f of memento.get<string[]>(OPENED_KEY, [])) this.opened.add(f);
    const saved = memento.get<{ filter?: unknown; sort?: unknown }>(VIEW_STATE_KEY);
    if (saved && typeof saved.filter === 'object' && saved.filter !== null) this.filter = saved.filter as TraceFilter;
    if (typeof saved?.sort === 'string' && saved.sort in SORT_LABELS) this.sort = saved.sort as TraceSort;
    // The panel and the compare command read files too; keep the counts shown here current.
    this.indexListener = onRowsUpdated((file) => {
      if (!this.indexing.has(file)) this.fire(file);
    });
  }

  dispose(): void {
    this.indexListener.dispose();
    this.changed.dispose();
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
  }

  files(): string[] {
    return [...new Set([...this.workspaceFiles, ...this.opened])];
  }

  async scanWorkspace(): Promise<void> {
    const roots = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    const dirs = new Set(roots.map((root) => path.join(root, '.hopscope', 'traces')));
    const extra = this.services.traceDir?.();
    if (extra) dirs.add(extra.fsPath);
    const { files: found, refused } = await discoverTraceFiles(roots, dirs);
    for (const e of refused) {
      const said = e.describe();
      if (this.refusedSaid.has(said)) continue;
      this.refusedSaid.add(said);
      void showProblem(this.services.log, `Traces view: not reading ${said}`, { settingsQuery: 'hopscope.traces' });
    }
    // Every later read of these files re-checks that they are still real files inside the workspace.
    for (const f of found) workspaceTraceRows(f, roots);
    const before = this.files().join('\n');
    this.workspaceFiles = found;
    if (this.files().join('\n') !== before) this.fireRoot();
  }

  /** A trajectory was saved to `file`: list the file if it is new, else read what it gained. */
  addFile(file: string): void {
    if (this.files().includes(file)) {
      this.fileChanged(file);
      return;
    }
    this.opened.add(file);
    void this.memento.update(OPENED_KEY, [...this.opened]);
    this.fireRoot();
  }

  /** The node of a listed file (creating it if the view has not asked for the roots yet). */
  fileNode(file: string): (Node & { kind: 'file' }) | undefined {
    if (!this.files().includes(file)) return undefined;
    let node = this.fileNodes.get(file);
    if (!node) {
      node = { kind: 'file', file, opened: this.opened.has(file) };
      this.fileNodes.set(file, node);
    }
    return node;
  }

  closeFile(file: string): void {
    this.opened.delete(file);
    void this.memento.update(OPENED_KEY, [...this.opened]);
    forgetTraceRows(file);
    this.fileNodes.delete(file);
    this.forgetNodes(file);
    this.fireRoot();
  }

  /** The file changed on disk (a batch appended to it): index what is new. */
  fileChanged(file: string): void {
    const node = this.fileNodes.get(file);
    if (node) void this.index(file);
  }

  showMore(file: string): void {
    this.shown.set(file, (this.shown.get(file) ?? PAGE) + PAGE);
    this.fire(file, true);
  }

  setFilter(filter: TraceFilter, sort: TraceSort = this.sort): void {
    this.filter = filter;
    this.sort = sort;
    void this.memento.update(VIEW_STATE_KEY, { filter, sort });
    this.shown.clear();
    this.fireRoot();
  }

  refresh(): void {
    for (const f of this.files()) {
      forgetTraceRows(f);
      this.forgetNodes(f);
    }
    this.fileNodes.clear();
    this.fireRoot();
    void this.scanWorkspace();
  }

  private forgetNodes(file: string): void {
    this.painted.delete(file);
    this.stale.delete(file);
    for (const key of [...this.trajNodes.keys()]) if (key.startsWith(`${file}\n`)) this.trajNodes.delete(key);
  }

  /** What the file's row and its children show, short of the rows themselves. */
  private paintKey(file: string): string {
    const rows = traceRowsFor(file);
    return `${rows.total}|${rows.problemCount}|${rows.indexedBytes}|${this.indexing.has(file)}|${this.shown.get(file) ?? PAGE}`;
  }

  /**
   * Repaints one file's node (never the whole tree) when what it shows changed. Each repaint re-renders
   * the file's rows, and a click that lands on a row while it is re-rendered only selects it, without
   * opening the trajectory: so repaints are coalesced (one per 100 ms) and skipped when nothing changed.
   */
  private fire(file: string, force = false): void {
    if (!force && this.painted.get(file) === this.paintKey(file)) return;
    if (force) this.painted.delete(file);
    this.pending.add(file);
    this.schedule();
  }

  /** The list of files (or the filter) changed: repaint everything now, so a `reveal` that follows finds the new nodes. */
  private fireRoot(): void {
    this.painted.clear();
    this.pending.clear();
    this.changed.fire(undefined);
  }

  private schedule(): void {
    this.refreshTimer ??= setTimeout(() => {
      this.refreshTimer = undefined;
      const files = [...this.pending];
      this.pending.clear();
      for (const file of files) {
        const node = this.fileNodes.get(file);
        // A file the view has not asked for yet is painted with the roots.
        if (node && this.painted.get(file) !== this.paintKey(file)) this.changed.fire(node);
      }
    }, 100);
  }

  /** Indexes a file (or its new tail), repainting its node as batches arrive, at most every 150 ms. */
  private async index(file: string): Promise<void> {
    if (this.indexing.has(file)) {
      this.stale.add(file);
      return;
    }
    this.indexing.add(file);
    const rows = traceRowsFor(file);
    let last = 0;
    const read = (signal?: AbortSignal, onBatch?: () => void) =>
      rows.update({
        signal,
        onBatch: () => {
          onBatch?.();
          const now = Date.now();
          if (now - last > 150) {
            last = now;
            this.fire(file);
          }
        },
      });
    try {
      if (await this.longRead(file)) {
        // A large file takes a while: say how far it is, with a Cancel that keeps what is already listed.
        await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `Indexing ${path.basename(file)}`, cancellable: true },
          async (progress, token) => {
            const stop = new AbortController();
            const sub = token.onCancellationRequested(() => stop.abort());
            try {
              await read(stop.signal, () => {
                const p = rows.progress;
                if (p) progress.report({ message: `${p.rows.toLocaleString('en-US')} trajectories, ${Math.floor((100 * p.bytesDone) / Math.max(1, p.bytesTotal))}% of the file` });
              });
            } finally {
              sub.dispose();
            }
          },
        );
      } else await read();
      if (rows.problemCount) {
        const [first] = await rows.problems(1);
        this.services.log.warn(`${file}: ${rows.problemCount} line(s) skipped, first at line ${first?.line}: ${first?.reason}`);
      }
    } catch (e) {
      if (e instanceof CancelledError) this.services.log.info(`${file}: indexing stopped at ${rows.total} trajectories; Refresh reads on from there`);
      else void showProblem(this.services.log, `cannot read ${file}: ${errorMessage(e)}`);
    } finally {
      this.indexing.delete(file);
      this.fire(file);
    }
    if (this.stale.delete(file) && this.fileNodes.has(file)) void this.index(file);
  }

  /** Whether reading what `file` gained takes long enough to show a notification (tens of MB into the trace store). */
  private async longRead(file: string): Promise<boolean> {
    const rows = traceRowsFor(file);
    if (rows.held !== 'store') return false;
    await rows.count({}); // opens the store: how far the file was read before is known after it
    const size = await fs.stat(file).then((st) => st.size, () => 0);
    return size - rows.indexedBytes > LONG_READ_BYTES;
  }

  /** A file's row: its counts come from its rows' holder (SQL for a large file), so it is built asynchronously. */
  private async fileItem(n: Node & { kind: 'file' }): Promise<vscode.TreeItem> {
    const rows = traceRowsFor(n.file);
    const item = new vscode.TreeItem(path.basename(n.file), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `file:${n.file}`;
    const filtered = isFiltered(this.filter);
    let counts = { shown: 0, failed: 0 };
    try {
      counts = await rows.count(this.filter);
    } catch (e) {
      this.services.log.warn(`${n.file}: ${errorMessage(e)}`);
    }
    // After the count: a store opened by it knows how far the file was read.
    const total = rows.total;
    const progress = rows.progress;
    item.description = fileRowDescription({
      total,
      shown: filtered ? counts.shown : undefined,
      failed: counts.failed,
      problems: rows.problemCount,
      read: rows.indexedBytes > 0 || rows.problemCount > 0,
      reading: this.indexing.has(n.file),
      // Trajectories so far, scaled by the bytes still to read: "indexing 120,000 of ~500,000…".
      expected: progress && progress.bytesDone > 0 ? Math.round((progress.rows * progress.bytesTotal) / progress.bytesDone) : undefined,
    });
    item.tooltip = filtered ? `${n.file}\nfiltered: ${describeFilter(this.filter, this.sort)}` : n.file;
    item.resourceUri = vscode.Uri.file(n.file);
    item.iconPath = new vscode.ThemeIcon('file');
    item.contextValue = n.opened ? 'hopscope.traceFile.opened' : 'hopscope.traceFile';
    return item;
  }

  getTreeItem(n: Node): vscode.TreeItem | Promise<vscode.TreeItem> {
    switch (n.kind) {
      case 'file': {
        return this.fileItem(n);
      }
      case 'traj': {
        const s = n.s;
        const item = new vscode.TreeItem(short(s.question, 90), vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `traj:${n.file}:${s.line}`;
        item.description = trajectoryDescription(s);
        item.tooltip = trajectoryTooltip(s, n.file);
        item.iconPath = s.verdict === undefined ? new vscode.ThemeIcon('circle-outline') : s.verdict ? new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')) : new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
        item.contextValue = 'hopscope.trajectory';
        item.command = { command: COMMANDS.tracesOpen, title: 'Open Trajectory', arguments: [n.file, s.id] };
        item.accessibilityInformation = { label: trajectoryAccessibleLabel(s) };
        return item;
      }
      case 'step': {
        const st = n.step;
        const item = new vscode.TreeItem(stepLabel(st, n.index), vscode.TreeItemCollapsibleState.None);
        item.id = `step:${n.file}:${n.s.line}:${n.index}`;
        item.description = stepDescription(st);
        item.iconPath = new vscode.ThemeIcon(st.kind === 'search' ? 'search' : st.kind === 'answer' ? 'comment' : 'lightbulb');
        item.contextValue = st.kind === 'search' ? 'hopscope.step.search' : 'hopscope.step';
        item.command = { command: COMMANDS.tracesOpen, title: 'Open Step', arguments: [n.file, n.s.id, n.index] };
        return item;
      }
      case 'more': {
        const item = new vscode.TreeItem(`Show ${Math.min(PAGE, n.remaining)} more… (${n.remaining.toLocaleString('en-US')} not shown)`);
        item.id = `more:${n.file}:${n.remaining}`;
        item.command = { command: COMMANDS.tracesShowMore, title: 'Show More', arguments: [n.file] };
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        return item;
      }
      case 'info': {
        const item = new vscode.TreeItem(n.text);
        item.tooltip = n.tooltip;
        item.iconPath = new vscode.ThemeIcon('info');
        return item;
      }
      default: {
        const never: never = n;
        return never;
      }
    }
  }

  /** The node of one trajectory, the same object for as long as its summary is (ids keep the row across repaints). */
  private trajNode(file: string, s: TrajectorySummary): Node & { kind: 'traj' } {
    const key = `${file}\n${s.line}`;
    let node = this.trajNodes.get(key);
    if (node?.s !== s) {
      node = { kind: 'traj', file, s };
      this.trajNodes.set(key, node);
    }
    return node;
  }

  getParent(n: Node): Node | undefined {
    return n.kind === 'file' ? undefined : n.kind === 'step' ? this.trajNode(n.file, n.s) : this.fileNodes.get(n.file);
  }

  /** One page of what the view shows of a file (its filter and sort), for the Compare picker. */
  page(file: string, offset: number, limit: number, extra: TraceFilter = {}): Promise<TrajectorySummary[]> {
    return traceRowsFor(file).page({ ...this.filter, ...extra }, this.sort, offset, limit);
  }

  async getChildren(n?: Node): Promise<Node[]> {
    if (!n) return this.files().flatMap((file) => this.fileNode(file) ?? []);
    switch (n.kind) {
      case 'file': {
        const rows = traceRowsFor(n.file);
        if (rows.indexedBytes === 0 && !this.indexing.has(n.file)) void this.index(n.file);
        const limit = this.shown.get(n.file) ?? PAGE;
        this.painted.set(n.file, this.paintKey(n.file));
        let list: TrajectorySummary[];
        let shown: number;
        try {
          [list, { shown }] = await Promise.all([rows.page(this.filter, this.sort, 0, limit), rows.count(this.filter)]);
        } catch (e) {
          return [{ kind: 'info', file: n.file, text: errorMessage(e) }];
        }
        const out: Node[] = list.map((s) => this.trajNode(n.file, s));
        if (shown > list.length) out.push({ kind: 'more', file: n.file, remaining: shown - list.length });
        if (out.length === 0) {
          const problems = rows.problemCount ? await rows.problems(5).catch(() => []) : [];
          out.push(
            this.indexing.has(n.file)
              ? { kind: 'info', file: n.file, text: 'Reading…' }
              : isFiltered(this.filter) && rows.total
                ? { kind: 'info', file: n.file, text: `No trajectory matches the filter (${describeFilter(this.filter, this.sort)})` }
                : { kind: 'info', file: n.file, text: rows.problemCount ? `No trajectories: ${rows.problemCount} unreadable lines` : 'No trajectories', tooltip: problems.map((p) => `line ${p.line}: ${p.reason}`).join('\n') },
          );
        }
        return out;
      }
      case 'traj': {
        try {
          const t = await traceRowsFor(n.file).read(n.s);
          return t.steps.map((step, index) => {
            const node: StepNode = { kind: 'step', file: n.file, s: n.s, index, step };
            stepNodes.add(node);
            return node;
          });
        } catch (e) {
          return [{ kind: 'info', file: n.file, text: errorMessage(e) }];
        }
      }
      case 'step':
      case 'more':
      case 'info':
        return [];
      default: {
        const never: never = n;
        return never;
      }
    }
  }
}

/** The label and stop-reason counts of several files, added up. */
function mergeFacets(all: readonly TraceFacets[]): TraceFacets {
  const out: TraceFacets = { labels: new Map(), stops: new Map() };
  for (const f of all) {
    for (const [k, n] of f.labels) out.labels.set(k, (out.labels.get(k) ?? 0) + n);
    for (const [k, n] of f.stops) out.stops.set(k, (out.stops.get(k) ?? 0) + n);
  }
  return out;
}

export interface TraceTree {
  addFile(uri: vscode.Uri): void;
  refresh(): void;
  /** The trace files the view lists (the trajectories table shows their rows). */
  files(): string[];
}

export function registerTraceTree(context: vscode.ExtensionContext, services: ViewerServices, panels: TracePanelHost): TraceTree {
  // Large trace files go to a store in the extension's global storage (never the user's folder), read on the
  // run-ingest worker threads of the bundle; the stores themselves (DuckDB) live on the store worker.
  const configureStore = () => {
    configureTraceStore({
      storageDir: context.globalStorageUri.fsPath,
      workerFile: bundledWorker(path.join(context.extensionPath, 'dist')),
      storeWorkerFile: bundledStoreWorker(path.join(context.extensionPath, 'dist')),
      minBytes: readConfig().config.traces.storeFromMB * 1024 * 1024,
    });
  };
  configureStore();
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('hopscope.traces.storeFromMB') && configureStore()));
  context.subscriptions.push({ dispose: () => void forgetAllTraceRows() });
  const provider = new TraceTreeProvider(services, context.workspaceState);
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: provider, canSelectMany: true, showCollapseAll: true });
  context.subscriptions.push(provider, view);

  const updateDescription = () => {
    view.description = describeFilter(provider.filter, provider.sort) || undefined;
    void vscode.commands.executeCommand('setContext', 'hopscope.traces.filtered', isFiltered(provider.filter) || provider.sort !== 'file');
  };

  const watcher = vscode.workspace.createFileSystemWatcher('**/.hopscope/traces/*.jsonl');
  context.subscriptions.push(
    watcher,
    watcher.onDidCreate(() => void provider.scanWorkspace()),
    watcher.onDidDelete((u) => {
      forgetTraceRows(u.fsPath);
      void provider.scanWorkspace();
    }),
    watcher.onDidChange((u) => provider.fileChanged(u.fsPath)),
    vscode.workspace.onDidChangeWorkspaceFolders(() => void provider.scanWorkspace()),
  );
  void provider.scanWorkspace();

  const openTrajectory = async (file: string, id: string, step?: number) => {
    try {
      await panels.show({ file, id, focusStep: step });
    } catch (e) {
      void showProblem(services.log, e);
    }
  };

  const compare = async (clicked?: Node, selected?: Node[]) => {
    const chosen = (selected ?? (clicked ? [clicked] : [])).filter((n): n is Node & { kind: 'traj' } => n.kind === 'traj');
    let a = chosen[0] ? { file: chosen[0].file, s: chosen[0].s } : undefined;
    let b = chosen[1] ? { file: chosen[1].file, s: chosen[1].s } : undefined;
    const source: PickSource = {
      files: provider.files(),
      page: (file, offset, limit, extra) => provider.page(file, offset, limit, extra),
      count: async (file, extra) => (await traceRowsFor(file).count({ ...provider.filter, ...extra })).shown,
    };
    // The pickers list what the Traces view shows: say so when its filter hides some.
    const filtered = isFiltered(provider.filter) ? describeFilter(provider.filter, provider.sort) : undefined;
    a ??= await pickTrajectory(source, 'Compare: first trajectory (A)', undefined, filtered);
    if (!a) return;
    b ??= await pickTrajectory(source, 'Compare: second trajectory (B)', { question: a.s.question, exclude: `${a.file}#${a.s.id}` }, filtered);
    if (!b) return;
    try {
      await panels.compare({ file: a.file, id: a.s.id }, { file: b.file, id: b.s.id });
    } catch (e) {
      void showProblem(services.log, e);
    }
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.openTraceFile, async (uri?: vscode.Uri) => {
      const target = uri instanceof vscode.Uri ? [uri] : await vscode.window.showOpenDialog({ canSelectMany: true, filters: { 'Trace files': ['jsonl'], 'All files': ['*'] }, title: 'Open Trace File' });
      for (const u of target ?? []) provider.addFile(u.fsPath);
      if (!target?.length) return;
      await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
      // Show the (first) opened file expanded, so its trajectories are one click away.
      const node = provider.fileNode(target[0].fsPath);
      if (node) await view.reveal(node, { expand: true, select: true, focus: false }).then(undefined, (e: unknown) => services.log.warn(`reveal ${target[0].fsPath}: ${String(e)}`));
    }),
    vscode.commands.registerCommand(COMMANDS.tracesOpen, openTrajectory),
    vscode.commands.registerCommand(COMMANDS.tracesShowMore, (file: string) => provider.showMore(file)),
    vscode.commands.registerCommand(COMMANDS.tracesRefresh, () => provider.refresh()),
    vscode.commands.registerCommand(COMMANDS.tracesFilter, async () => {
      let facets: TraceFacets;
      try {
        facets = mergeFacets(await Promise.all(provider.files().map((f) => traceRowsFor(f).facets(provider.filter))));
      } catch (e) {
        void showProblem(services.log, e);
        return;
      }
      const next = await pickFilter(provider.filter, facets);
      if (!next) return;
      provider.setFilter(next);
      updateDescription();
    }),
    vscode.commands.registerCommand(COMMANDS.tracesClearFilter, () => {
      provider.setFilter({}, 'file');
      updateDescription();
    }),
    vscode.commands.registerCommand(COMMANDS.tracesSort, async () => {
      const sort = await pickSort(provider.sort);
      if (!sort) return;
      provider.setFilter(provider.filter, sort);
      updateDescription();
    }),
    vscode.commands.registerCommand(COMMANDS.tracesCloseFile, (n?: Node) => {
      if (n?.kind === 'file') provider.closeFile(n.file);
    }),
    vscode.commands.registerCommand(COMMANDS.compareTrajectories, compare),
  );
  updateDescription();

  return {
    addFile: (uri) => provider.addFile(uri.fsPath),
    refresh: () => provider.refresh(),
    files: () => provider.files(),
  };
}
