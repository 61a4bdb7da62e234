/**
 * code-server 4.100.3 (VS Code 1.100.3 for the web) on loopback, no auth, fresh profile dirs per start.
 * `bash test/env/setup.sh` installs it to ~/.cache/hopscope; HOPSCOPE_CODE_SERVER overrides the binary.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeServerBin, TEST_OUTPUT } from './paths';
import { freePort, waitForHttp } from './ports';
import { spawnTracked, type Tracked } from './processes';
import { makeTempDir } from './tmp';

export interface CodeServer {
  origin: string; // http://127.0.0.1:PORT
  port: number;
  logFile: string;
  userDataDir: string;
  extensionsDir: string;
  process: Tracked;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  port?: number;
  userDataDir?: string;
  extensionsDir?: string;
  logFile?: string;
  env?: NodeJS.ProcessEnv;
  extraArgs?: string[];
  /** Merged over QUIET_SETTINGS into the profile's User/settings.json. */
  userSettings?: Record<string, unknown>;
  /** Keep workspace trust on (no prompt): a new folder then opens untrusted, in restricted mode. */
  workspaceTrust?: boolean;
}

/** A calm workbench for tests and the demo: no welcome walkthrough grabbing focus, no gallery, no telemetry. */
export const QUIET_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'chat.commandCenter.enabled': false,
  // Unrelated toasts and first-start pages would cover what a scenario looks at; the demo turns Hopscope's back on.
  'git.openRepositoryInParentFolders': 'never',
  'hopscope.welcome.onFirstStart': false,
};

function writeUserSettings(userDataDir: string, extra: Record<string, unknown> = {}): void {
  const dir = join(userDataDir, 'User');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'settings.json');
  if (!existsSync(file)) writeFileSync(file, JSON.stringify({ ...QUIET_SETTINGS, ...extra }, null, 2));
}

export async function startCodeServer(opts: CodeServerOptions = {}): Promise<CodeServer> {
  const bin = codeServerBin();
  if (!existsSync(bin)) throw new Error(`code-server not found at ${bin}: run \`bash test/env/setup.sh\``);
  const port = opts.port ?? (await freePort());
  const userDataDir = opts.userDataDir ?? makeTempDir('hopscope-cs-data-');
  const extensionsDir = opts.extensionsDir ?? makeTempDir('hopscope-cs-ext-');
  const trust = opts.workspaceTrust ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' } : {};
  writeUserSettings(userDataDir, { ...trust, ...opts.userSettings });
  const logFile = opts.logFile ?? join(TEST_OUTPUT, 'vscode', `code-server-${port}.log`);
  const proc = spawnTracked(bin, [
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']), '--disable-getting-started-override',
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
    ...(opts.extraArgs ?? []),
  ], { logFile, env: { ...process.env, ...opts.env } });
  const origin = `http://127.0.0.1:${port}`;
  let exited = false;
  void proc.exited.then(() => { exited = true; });
  try {
    await waitForHttp(`${origin}/healthz`, { timeoutMs: 60_000, alive: () => !exited });
  } catch (e) {
    await proc.stop();
    throw new Error(`code-server did not start (log: ${logFile}): ${(e as Error).message}`);
  }
  return { origin, port, logFile, userDataDir, extensionsDir, process: proc, stop: () => proc.stop() };
}

/**
 * The workbench URL opening `folder`, optionally loading an extension under development (and running its
 * extension-host tests) through the `payload` parameter, as @vscode/test-web does.
 */
export function workbenchUrl(origin: string, folder: string, dev?: { extensionPath: string; testsPath?: string }): string {
  const authority = new URL(origin).host;
  let url = `${origin}/?folder=${encodeURIComponent(folder)}`;
  if (dev) {
    const payload: [string, string][] = [['extensionDevelopmentPath', `vscode-remote://${authority}${dev.extensionPath}`]];
    if (dev.testsPath) payload.push(['extensionTestsPath', `vscode-remote://${authority}${dev.testsPath}`]);
    url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  }
  return url;
}
