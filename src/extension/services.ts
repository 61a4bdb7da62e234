/**
 * The extension's shared collaborators, built once in activate() and passed to every `register…`
 * call: the log, the typed config, the endpoint client, the retriever and where traces go.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { createEndpointClient, type EndpointClient } from '../core/endpoint';
import { InputError, RetrieverError } from '../core/errors';
import type { Logger, Retriever } from '../core/ports';
import { createRemoteRetriever } from '../core/retrieval/remote';
import { ensureFolderInside } from '../core/confinedPath';
import { cappedRetriever } from '../core/contentLimits';
import { appendTrajectory } from '../core/traceStore';
import type { Trajectory } from '../core/trace';
import { affectsHopscope, readConfig, type HopscopeConfig, type IgnoredSetting, type ResolvedConfig } from './config';
import { ApiKeyStore } from './secrets';

export interface Services {
  readonly log: vscode.LogOutputChannel;
  /** The same log as a core Logger, for the agent pipeline and the index. */
  readonly logger: Logger;
  /** The current settings (re-read on every change, with the workspace-trust rule applied). */
  config(): HopscopeConfig;
  /** Workspace settings that were ignored because the workspace is not trusted. */
  ignoredSettings(): readonly IgnoredSetting[];
  readonly onDidChangeConfig: vscode.Event<HopscopeConfig>;
  readonly apiKey: ApiKeyStore;
  /** A client for the configured endpoint, with the stored API key. */
  endpoint(): Promise<EndpointClient>;
  /** The configured retriever: the workspace BM25 index, or a remote /retrieve server. */
  retriever(): Promise<Retriever>;
  /** Where asked questions' trajectories are appended. */
  traceDir(): vscode.Uri;
  /**
   * The trace folder, created if missing, checked to be a real folder inside the workspace (no
   * symlink on the way: a committed `.hopscope/traces` link must not redirect writes); and the root
   * to pass to the trace writer, undefined when traces go to the extension's own storage.
   */
  prepareTraceDir(): Promise<{ dir: vscode.Uri; root?: string }>;
  /** Appends a trajectory to today's trace file and announces it; returns the file. */
  saveTrajectory(t: Trajectory): Promise<vscode.Uri>;
  readonly onDidSaveTrajectory: vscode.Event<{ file: vscode.Uri; trajectory: Trajectory }>;
  /** Called once by extension.ts with the index manager's retriever. */
  setWorkspaceRetriever(get: () => Promise<Retriever>): void;
}

export function createServices(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Services {
  let resolved: ResolvedConfig = readConfig();
  const changed = new vscode.EventEmitter<HopscopeConfig>();
  const saved = new vscode.EventEmitter<{ file: vscode.Uri; trajectory: Trajectory }>();
  context.subscriptions.push(changed, saved);

  const reload = (why: string): void => {
    resolved = readConfig();
    log.info(`settings re-read (${why})`);
    changed.fire(resolved.config);
  };
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affectsHopscope(e)) reload('settings changed');
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => reload('workspace trusted')),
  );

  const apiKey = new ApiKeyStore(context.secrets);
  let workspaceRetriever: (() => Promise<Retriever>) | undefined;

  const logger: Logger = {
    debug: (m) => log.debug(m),
    info: (m) => log.info(m),
    warn: (m) => log.warn(m),
    error: (m) => log.error(m),
  };

  const prepareTraceDir = async (): Promise<{ dir: vscode.Uri; root?: string }> => {
    const dir = traceDir();
    if (dir.scheme !== 'file') throw new InputError(`cannot write traces to ${dir.toString()}`, undefined, undefined, 'open a local folder');
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (folder?.uri.scheme === 'file') {
      await ensureFolderInside(folder.uri.fsPath, dir.fsPath);
      return { dir, root: folder.uri.fsPath };
    }
    await vscode.workspace.fs.createDirectory(dir);
    return { dir };
  };

  const traceDir = (): vscode.Uri => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const rel = resolved.config.traces.directory.split('/');
    return folder ? vscode.Uri.joinPath(folder.uri, ...rel) : vscode.Uri.joinPath(context.globalStorageUri, 'traces');
  };

  return {
    log,
    logger,
    config: () => resolved.config,
    ignoredSettings: () => resolved.ignored,
    onDidChangeConfig: changed.event,
    apiKey,
    async endpoint() {
      const c = resolved.config.endpoint;
      return createEndpointClient({
        baseUrl: c.baseUrl,
        apiKey: await apiKey.get(),
        model: c.model || undefined,
        timeoutMs: c.timeoutMs,
        maxRetries: c.maxRetries,
        logger,
      });
    },
    async retriever() {
      const c = resolved.config.retriever;
      if (c.kind === 'remote') {
        if (!c.url) {
          throw new InputError('hopscope.retriever.kind is "remote" but hopscope.retriever.url is empty', undefined, undefined,
            'set the URL of your /retrieve server, or set hopscope.retriever.kind to "workspace"');
        }
        return cappedRetriever(createRemoteRetriever(c.url, c.protocol, { timeoutMs: resolved.config.endpoint.timeoutMs }), resolved.config.limits);
      }
      if (!workspaceRetriever) throw new RetrieverError('the workspace index is not available', 'open a folder to index it');
      return cappedRetriever(await workspaceRetriever(), resolved.config.limits);
    },
    traceDir,
    prepareTraceDir,
    async saveTrajectory(t) {
      const { dir, root } = await prepareTraceDir();
      const file = vscode.Uri.joinPath(dir, `${t.createdAt.slice(0, 10) || new Date().toISOString().slice(0, 10)}.jsonl`);
      await appendTrajectory(file.fsPath, t, { root, limits: resolved.config.limits });
      log.info(`trajectory ${t.id} appended to ${path.basename(file.fsPath)}`);
      saved.fire({ file, trajectory: t });
      return file;
    },
    onDidSaveTrajectory: saved.event,
    setWorkspaceRetriever(get) {
      workspaceRetriever = get;
    },
  };
}
