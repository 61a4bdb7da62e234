/**
 * The workspace index's lifecycle in the extension: a worker thread builds and saves it under the
 * extension's workspace storage, a file watcher keeps it current as files are saved, created and
 * deleted, and the status bar item and the "Index" view show its state. `getRetriever()` is what Ask and
 * friends search through.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CancelledError, errorMessage, RetrieverError } from '../../core/errors';
import type { Retriever } from '../../core/ports';
import type { Services } from '../services';
import { IndexClient } from './indexClient';
import { FileKeys } from '../../core/retrieval/fileKeys';
import { indexConfigChanged, indexConfigOf, type IndexConfig } from './indexSettings';
import { IndexTree } from './indexTree';
import { indexFolders } from '../workspace/sourcePaths';
import { createIndexStatusBar } from './statusBar';
import type { IndexStatus } from './workerProtocol';
import { COMMANDS } from '../commands';

/** File events are gathered this long, then sent to the worker as one update. */
const UPDATE_DELAY_MS = 300;
/** Paths that change often and are never indexed: not worth a message to the worker. */
const NOISE = /(^|[\\/])(\.git|node_modules|\.hopscope-index|\.hopscope)([\\/]|$)/;

export interface IndexHandle {
  getRetriever(): Promise<Retriever>;
}

export function registerIndex(context: vscode.ExtensionContext, services: Pick<Services, 'log' | 'config' | 'onDidChangeConfig'>): IndexHandle {
  const log = services.log;
  const statusBar = createIndexStatusBar(context);
  const folders = () => (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  const named = () => indexFolders(folders().map((f) => ({ name: f.name, fsPath: f.uri.fsPath })));
  let client: IndexClient | undefined;
  let searchable: Promise<void> | undefined;
  /** What the last pass was started with: a settings change that leaves it alone does not re-index. */
  let used: IndexConfig | undefined;

  const tree = new IndexTree({
    status: () => client?.lastStatus,
    files: async () => (client ? client.files() : []),
    uriOf: (key) => {
      const fs = named();
      return fs.length > 0 ? vscode.Uri.file(new FileKeys(fs[0].path, fs).abs(key)) : undefined;
    },
  });
  context.subscriptions.push(tree, vscode.window.registerTreeDataProvider('hopscope.indexView', tree));

  const storageDir = (): string => {
    const base = context.storageUri ?? context.globalStorageUri;
    return path.join(base.fsPath, 'index');
  };

  const ensureClient = (): IndexClient => {
    if (client && !client.failed) return client;
    const c = new IndexClient(path.join(context.extensionUri.fsPath, 'dist', 'indexWorker.js'));
    c.onFailure((e) => {
      // The next search or index command starts a fresh worker from the saved index.
      log.error(`index: ${errorMessage(e)}`);
      const last = c.lastStatus;
      if (last) statusBar.show({ ...last, state: 'error', searchable: false, progress: undefined, message: errorMessage(e) });
      if (client === c) {
        client = undefined;
        searchable = undefined;
      }
    });
    c.onStatus((s) => {
      statusBar.show(s);
      tree.refresh();
      void vscode.commands.executeCommand('setContext', 'hopscope.indexing', s.state === 'indexing');
      // The walkthrough's "Index" step completes on an index that answers searches, not on the click.
      if (s.searchable && s.passages > 0) void vscode.commands.executeCommand('setContext', 'hopscope.indexReady', true);
    });
    client = c;
    context.subscriptions.push({ dispose: () => void c.dispose() });
    return c;
  };

  /** Opens the saved index (or builds one) and refreshes it against the files; resolves when it is searchable. */
  const start = (rebuild: boolean, progress: 'window' | 'notification'): Promise<IndexStatus | undefined> => {
    const fs = folders();
    if (fs.length === 0) {
      statusBar.show(undefined);
      return Promise.resolve(undefined);
    }
    const c = ensureClient();
    const cfg = indexConfigOf(services.config().index);
    used = cfg;
    const root = fs[0].uri.fsPath;
    const started = Date.now();
    const pass = c.open({
      dir: storageDir(),
      root,
      paths: fs.map((f) => f.uri.fsPath),
      folders: named(),
      exclude: cfg.exclude,
      settings: cfg.settings,
      rebuild,
    });
    searchable = waitSearchable(c, pass);
    const title = rebuild ? 'Hopscope: re-indexing the workspace' : 'Hopscope: indexing the workspace';
    const shown = vscode.window.withProgress(
      { location: progress === 'notification' ? vscode.ProgressLocation.Notification : vscode.ProgressLocation.Window, title, cancellable: true },
      async (report, token) => {
        token.onCancellationRequested(() => c.cancel());
        const sub = c.onStatus((s) => {
          if (s.state === 'indexing' && s.progress) report.report({ message: `${s.progress.files} files, ${s.progress.passages} passages` });
        });
        try {
          return await pass;
        } finally {
          sub.dispose();
        }
      },
    );
    return Promise.resolve(shown).then(
      (s) => {
        log.info(
          `index: ${s.files} files, ${s.passages} passages (${s.skipped.binary} binary, ${s.skipped.oversize} too large, ${s.skipped.excluded} excluded skipped) in ${Date.now() - started} ms` +
            (s.message ? `; ${s.message}` : ''),
        );
        for (const p of s.problems) log.warn(`index: ${p.file}${p.line !== undefined ? `:${p.line}` : ''}: ${p.reason}`);
        return s;
      },
      (e) => {
        if (e instanceof CancelledError) log.info('index: cancelled');
        else log.error(`index: ${errorMessage(e)}`);
        return undefined;
      },
    );
  };

  // Watch every file: the worker decides what is indexed (exclusions, binaries, corpus files).
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    const files = [...pending];
    pending.clear();
    if (!client || files.length === 0) return;
    client.update(files).catch((e) => log.warn(`index update failed: ${errorMessage(e)}`));
  };
  const changed = (uri: vscode.Uri) => {
    if (uri.scheme !== 'file' || NOISE.test(uri.fsPath)) return;
    pending.add(uri.fsPath);
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, UPDATE_DELAY_MS);
  };
  const watcher = vscode.workspace.createFileSystemWatcher('**/*');
  context.subscriptions.push(
    watcher,
    watcher.onDidChange(changed),
    watcher.onDidCreate(changed),
    watcher.onDidDelete(changed),
    { dispose: () => timer && clearTimeout(timer) },
    vscode.workspace.onDidChangeWorkspaceFolders(() => void start(false, 'window')),
    services.onDidChangeConfig((c) => {
      if (used && indexConfigChanged(used, indexConfigOf(c.index))) void start(false, 'window');
    }),
    vscode.commands.registerCommand(COMMANDS.indexWorkspace, () => start(false, 'notification')),
    vscode.commands.registerCommand(COMMANDS.reindexWorkspace, () => start(true, 'notification')),
    vscode.commands.registerCommand(COMMANDS.cancelIndexing, () => client?.cancel()),
  );

  void start(false, 'window');

  return {
    async getRetriever() {
      if (folders().length === 0) throw new RetrieverError('no folder is open to search', 'open a folder, or set hopscope.retriever.kind to "remote"');
      if (!searchable) void start(false, 'window');
      await searchable;
      return ensureClient().retriever();
    },
  };
}

/** Resolves once the worker reports an index that answers searches; rejects if the pass fails without one. */
function waitSearchable(c: IndexClient, pass: Promise<IndexStatus>): Promise<void> {
  if (c.lastStatus?.searchable) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const sub = c.onStatus((s) => {
      if (s.searchable) {
        sub.dispose();
        resolve();
      }
    });
    pass.then(
      () => {
        sub.dispose();
        resolve();
      },
      (e) => {
        sub.dispose();
        if (c.lastStatus?.searchable) resolve();
        else reject(e instanceof CancelledError ? new RetrieverError('indexing was cancelled', 'run "Hopscope: Index Workspace"') : e);
      },
    );
  });
}
