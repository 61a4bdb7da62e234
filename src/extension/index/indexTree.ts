/**
 * The "Index" view: the index's state, counts, last update, what was skipped, the indexed files (each
 * opens on click) and the corpus lines that could not be read (each opens at its line).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { IndexedFile, IndexStatus } from './workerProtocol';

type Node =
  | { kind: 'info'; label: string; description?: string; icon: string; tooltip?: string }
  | { kind: 'files'; count: number }
  | { kind: 'file'; file: IndexedFile }
  | { kind: 'problems'; count: number }
  | { kind: 'problem'; file: string; line?: number; reason: string };

export interface IndexTreeSource {
  status(): IndexStatus | undefined;
  files(): Promise<IndexedFile[]>;
  /** The file an index key names (keys are `folder/path` in a multi-root workspace). */
  uriOf(key: string): vscode.Uri | undefined;
}

export class IndexTree implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  /** What the top level showed when last painted: a status that changes nothing shown repaints nothing. */
  private painted = '';
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly source: IndexTreeSource) {}

  /**
   * Repaints at most every 150 ms, and only when what the view shows changed: the worker reports status
   * often, and a repaint while the user expands "Files" can drop the children being fetched.
   */
  refresh(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const s = this.source.status();
      const shown = JSON.stringify(s ? this.top(s) : null);
      if (shown === this.painted) return;
      this.painted = shown;
      this.changed.fire(undefined);
    }, 150);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.changed.dispose();
  }

  getTreeItem(n: Node): vscode.TreeItem {
    switch (n.kind) {
      case 'info': {
        const item = new vscode.TreeItem(n.label);
        item.description = n.description;
        item.iconPath = new vscode.ThemeIcon(n.icon);
        item.tooltip = n.tooltip;
        return item;
      }
      case 'files':
        return group('Files', n.count, 'files', vscode.TreeItemCollapsibleState.Collapsed);
      case 'file': {
        const item = new vscode.TreeItem(n.file.key);
        const unit = n.file.kind === 'corpus' ? 'record' : 'passage';
        const count = `${n.file.passages} ${unit}${n.file.passages === 1 ? '' : 's'}`;
        // The count alone: with the unit a path and its count clip at the default sidebar width; the tooltip says it in full.
        item.description = String(n.file.passages);
        item.tooltip = `${n.file.key}: ${count}`;
        const uri = this.uriOf(n.file.key);
        item.resourceUri = uri;
        if (uri) item.command = { command: 'vscode.open', title: 'Open', arguments: [uri] };
        return item;
      }
      case 'problems':
        return group('Problems', n.count, 'warning', vscode.TreeItemCollapsibleState.Expanded);
      case 'problem': {
        const where = `${n.file}${n.line !== undefined ? `:${n.line}` : ''}`;
        const item = new vscode.TreeItem(where);
        item.description = n.reason;
        item.tooltip = `${where}: ${n.reason}`;
        item.iconPath = new vscode.ThemeIcon('error');
        const uri = this.uriOf(n.file);
        if (uri) {
          const line = Math.max(0, (n.line ?? 1) - 1);
          item.command = { command: 'vscode.open', title: 'Open', arguments: [uri, { selection: new vscode.Range(line, 0, line, 0) }] };
        }
        return item;
      }
      default: {
        const never: never = n;
        throw new Error(`unknown node ${JSON.stringify(never)}`);
      }
    }
  }

  async getChildren(n?: Node): Promise<Node[]> {
    const s = this.source.status();
    if (!n) return s ? this.top(s) : [{ kind: 'info', label: 'No folder open', icon: 'info', description: 'open a folder to index it' }];
    if (n.kind === 'files') return (await this.source.files()).map((file) => ({ kind: 'file', file }));
    if (n.kind === 'problems') return (s?.problems ?? []).map((p) => ({ kind: 'problem', file: p.file, line: p.line, reason: p.reason }));
    return [];
  }

  private top(s: IndexStatus): Node[] {
    const nodes: Node[] = [];
    const stateLabel: Record<IndexStatus['state'], string> = { starting: 'Opening', indexing: 'Indexing', ready: 'Ready', error: 'Error' };
    const icon: Record<IndexStatus['state'], string> = { starting: 'sync', indexing: 'sync', ready: 'check', error: 'error' };
    nodes.push({
      kind: 'info',
      label: stateLabel[s.state],
      icon: icon[s.state],
      description: s.state === 'indexing' && s.progress ? `${s.progress.files} files, ${s.progress.passages} passages so far` : s.message,
      tooltip: s.message,
    });
    nodes.push({ kind: 'info', label: 'Documents', description: s.files.toLocaleString('en-US'), icon: 'file' });
    nodes.push({ kind: 'info', label: 'Passages', description: s.passages.toLocaleString('en-US'), icon: 'list-flat', tooltip: `${s.terms.toLocaleString('en-US')} distinct terms` });
    if (s.updatedAt && !s.updatedAt.startsWith('1970')) {
      // Short enough for a 300 px sidebar; the full date and the pass time are in the tooltip.
      const at = new Date(s.updatedAt);
      const today = at.toDateString() === new Date().toDateString();
      nodes.push({
        kind: 'info',
        label: 'Last update',
        description: today ? at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : at.toLocaleDateString(),
        icon: 'history',
        tooltip: [
          `Last update ${at.toLocaleString()}`,
          s.lastPassMs !== undefined ? `last full pass ${(s.lastPassMs / 1000).toFixed(1)} s` : '',
          s.fingerprint ? `index ${s.fingerprint}` : '',
        ].filter(Boolean).join('\n'),
      });
    }
    const sk = s.skipped;
    const skipped = sk.binary + sk.oversize + sk.excluded;
    nodes.push({
      kind: 'info',
      label: 'Skipped',
      description: `${skipped.toLocaleString('en-US')} file${skipped === 1 ? '' : 's'}`,
      icon: 'eye-closed',
      tooltip: [
        `Files the last full pass did not index:`,
        `${sk.binary} binary (not text)`,
        `${sk.oversize} larger than hopscope.index.maxFileKb`,
        `${sk.excluded} excluded by files.exclude, .gitignore or hopscope.index.exclude`,
      ].join('\n'),
    });
    if (s.files > 0) nodes.push({ kind: 'files', count: s.files });
    if (s.problems.length > 0) nodes.push({ kind: 'problems', count: s.problems.length });
    return nodes;
  }

  private uriOf(key: string): vscode.Uri | undefined {
    if (path.isAbsolute(key)) return vscode.Uri.file(key);
    return this.source.uriOf(key);
  }
}

/** A node holding a list (files, problems): its size beside the label. */
function group(label: string, count: number, icon: string, state: vscode.TreeItemCollapsibleState): vscode.TreeItem {
  const item = new vscode.TreeItem(label, state);
  item.description = String(count);
  item.iconPath = new vscode.ThemeIcon(icon);
  return item;
}
