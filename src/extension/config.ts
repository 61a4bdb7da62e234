/**
 * The one reader of Hopscope's settings. Everything else asks `services.config()`, so the defaults,
 * the validation and the workspace-trust rule live here only.
 *
 * Trust: in an untrusted workspace, the settings that decide where data is sent, which template runs and
 * what spends the user's endpoint (RESTRICTED_SETTINGS)
 * are read from the user's own (global) settings via inspect(), never from the workspace, so a cloned
 * repository cannot point Hopscope at its own server. Ignored workspace values are reported so the
 * user can be told why their workspace setting had no effect.
 */
import { RUN_DEFAULTS } from '../core/defaults';
import type { InfoGainVariant } from '../core/rewards/infoGain';
import * as vscode from 'vscode';
import { DEFAULT_CONTENT_LIMITS, type ContentLimits } from '../core/contentLimits';
import { DEFAULT_DECOMPRESS_LIMITS, type DecompressLimits } from '../core/decompress';
import type { LoopOptions } from '../core/loop';

export const SECTION = 'hopscope';
const MiB = 1024 * 1024;

export type RetrieverKind = 'workspace' | 'remote';
export type RemoteProtocol = 'search-r1' | 'r1-searcher';

export interface HopscopeConfig {
  endpoint: {
    /** OpenAI-compatible base URL including /v1. */
    baseUrl: string;
    /** Empty: the first model the endpoint lists. */
    model: string;
    timeoutMs: number;
    maxRetries: number;
  };
  loop: {
    template: string;
    maxTurns: number;
    topK: number;
    temperature: number;
    maxTokens: number;
  };
  retriever: {
    kind: RetrieverKind;
    /** URL of the remote retrieval server, used when kind is `remote`. */
    url: string;
    /** Its API: Search-R1's `POST /retrieve` or R1-Searcher's `POST /queries`. */
    protocol: RemoteProtocol;
  };
  traces: {
    /** Workspace-relative folder the trajectories of asked questions are appended to. */
    directory: string;
    /** Trace files at least this large (MB) are read into the trace store (DuckDB) instead of memory. */
    storeFromMB: number;
  };
  inline: {
    codeLens: boolean;
  };
  welcome: {
    /** Open the Hopscope view and its walkthrough the first time Hopscope starts in a profile (welcome.ts). */
    onFirstStart: boolean;
  };
  /** Caps against hostile or runaway content (src/core/contentLimits.ts; decompression in MiB, see decompressLimits). */
  limits: ContentLimits & { maxDecompressedMB: number; maxEntryMB: number };
  rewards: {
    /** Score information gain per search step (one more completions request per search). */
    infoGain: boolean;
    /** Which definition of information gain (core/rewards/infoGain.ts): IGPO's (default) or Hopscope's. */
    infoGainDefinition: InfoGainVariant;
    /** Ask the endpoint R1-Searcher's LLM-judge question (one more chat request per question). */
    judge: boolean;
  };
  index: {
    /** `hopscope.index.exclude`: gitignore-syntax patterns the workspace index skips. */
    exclude: string[];
    /**
     * VS Code's own `files.exclude` globs that always apply (value `true`). Not a Hopscope setting, but
     * read here so that settings have one reader and one change handler.
     */
    filesExclude: string[];
    maxFileKb: number;
    bm25: { k1: number; b: number };
    titleBoost: number;
  };
}

/**
 * Settings an untrusted workspace may not set: they decide where questions and workspace text are sent
 * or written, which prompt (and file) is used, and what spends the user's endpoint.
 */
export const RESTRICTED_SETTINGS = ['endpoint.baseUrl', 'retriever.url', 'traces.directory', 'endpoint.model', 'loop.template', 'rewards.judge', 'rewards.infoGain'] as const;
type RestrictedKey = (typeof RESTRICTED_SETTINGS)[number];

export const DEFAULTS: HopscopeConfig = {
  endpoint: { baseUrl: RUN_DEFAULTS.endpoint, model: '', timeoutMs: RUN_DEFAULTS.timeoutMs, maxRetries: RUN_DEFAULTS.maxRetries },
  loop: { template: RUN_DEFAULTS.template, maxTurns: RUN_DEFAULTS.maxTurns, topK: RUN_DEFAULTS.topK, temperature: RUN_DEFAULTS.temperature, maxTokens: RUN_DEFAULTS.maxTokens },
  retriever: { kind: 'workspace', url: '', protocol: 'search-r1' },
  traces: { directory: '.hopscope/traces', storeFromMB: 64 },
  inline: { codeLens: true },
  welcome: { onFirstStart: true },
  limits: { ...DEFAULT_CONTENT_LIMITS, maxDecompressedMB: DEFAULT_DECOMPRESS_LIMITS.maxTotalBytes / MiB, maxEntryMB: DEFAULT_DECOMPRESS_LIMITS.maxEntryBytes / MiB },
  rewards: { infoGain: false, infoGainDefinition: 'igpo', judge: false },
  index: { exclude: [], filesExclude: [], maxFileKb: 1024, bm25: { k1: 1.2, b: 0.75 }, titleBoost: 3 },
};

/** A workspace value that was not used because the workspace is not trusted. */
export interface IgnoredSetting {
  key: `hopscope.${RestrictedKey}`;
  workspaceValue: unknown;
  usedValue: unknown;
}

export interface ResolvedConfig {
  config: HopscopeConfig;
  ignored: IgnoredSetting[];
}

/** The part of vscode.WorkspaceConfiguration the reader needs; lets tests hand in plain objects. */
export interface ConfigSource {
  inspect<T>(key: string):
    | { defaultValue?: T; globalValue?: T; workspaceValue?: T; workspaceFolderValue?: T }
    | undefined;
}

/**
 * `files`: VS Code's `files.exclude` map (glob -> true, false or a `when` clause), which the workspace
 * index honours as well.
 */
export function resolveConfig(source: ConfigSource, trusted: boolean, files: { exclude?: unknown } = {}): ResolvedConfig {
  const ignored: IgnoredSetting[] = [];

  /** The effective value the way VS Code layers it (folder > workspace > user > default). */
  const effective = <T>(key: string): T | undefined => {
    const i = source.inspect<T>(key);
    return i?.workspaceFolderValue ?? i?.workspaceValue ?? i?.globalValue ?? i?.defaultValue;
  };

  const restricted = <T>(key: RestrictedKey): T | undefined => {
    if (trusted) return effective<T>(key);
    const i = source.inspect<T>(key);
    const used = i?.globalValue ?? i?.defaultValue;
    const fromWorkspace = i?.workspaceFolderValue ?? i?.workspaceValue;
    if (fromWorkspace !== undefined && fromWorkspace !== used) {
      ignored.push({ key: `hopscope.${key}`, workspaceValue: fromWorkspace, usedValue: used });
    }
    return used;
  };

  const str = (v: unknown, fallback: string): string => (typeof v === 'string' ? v.trim() : fallback);
  const int = (v: unknown, fallback: number, min: number, max: number): number =>
    typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, Math.round(v))) : fallback;
  const num = (v: unknown, fallback: number, min: number, max: number): number =>
    typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : fallback;

  const patterns = (v: unknown): string[] =>
    Array.isArray(v) ? v.filter((p): p is string => typeof p === 'string' && p.trim() !== '').map((p) => p.trim()) : [];

  const kind = effective<string>('retriever.kind');
  const config: HopscopeConfig = {
    endpoint: {
      baseUrl: str(restricted<string>('endpoint.baseUrl'), DEFAULTS.endpoint.baseUrl).replace(/\/+$/, '') || DEFAULTS.endpoint.baseUrl,
      model: str(restricted('endpoint.model'), DEFAULTS.endpoint.model),
      timeoutMs: int(effective('endpoint.timeoutMs'), DEFAULTS.endpoint.timeoutMs, 1000, 3_600_000),
      maxRetries: int(effective('endpoint.maxRetries'), DEFAULTS.endpoint.maxRetries, 0, 10),
    },
    loop: {
      template: str(restricted('loop.template'), DEFAULTS.loop.template) || DEFAULTS.loop.template,
      maxTurns: int(effective('loop.maxTurns'), DEFAULTS.loop.maxTurns, 1, 50),
      topK: int(effective('loop.topK'), DEFAULTS.loop.topK, 1, 50),
      temperature: num(effective('loop.temperature'), DEFAULTS.loop.temperature, 0, 2),
      maxTokens: int(effective('loop.maxTokens'), DEFAULTS.loop.maxTokens, 16, 32_768),
    },
    retriever: {
      kind: kind === 'remote' ? 'remote' : 'workspace',
      url: str(restricted<string>('retriever.url'), DEFAULTS.retriever.url),
      protocol: effective<string>('retriever.protocol') === 'r1-searcher' ? 'r1-searcher' : 'search-r1',
    },
    traces: {
      directory: safeRelativeDir(str(restricted<string>('traces.directory'), DEFAULTS.traces.directory)),
      storeFromMB: num(effective('traces.storeFromMB'), DEFAULTS.traces.storeFromMB, 0, 1_048_576),
    },
    inline: {
      codeLens: effective<boolean>('inline.codeLens') !== false,
    },
    welcome: {
      onFirstStart: effective<boolean>('welcome.onFirstStart') !== false,
    },
    limits: {
      maxDocChars: int(effective('limits.maxDocChars'), DEFAULTS.limits.maxDocChars, 1000, 100_000_000),
      maxTurnChars: int(effective('limits.maxTurnChars'), DEFAULTS.limits.maxTurnChars, 1000, 100_000_000),
      maxDecompressedMB: int(effective('limits.maxDecompressedMB'), DEFAULTS.limits.maxDecompressedMB, 1, 1_048_576),
      maxEntryMB: int(effective('limits.maxEntryMB'), DEFAULTS.limits.maxEntryMB, 1, 4096),
    },
    rewards: {
      infoGain: restricted<boolean>('rewards.infoGain') === true,
      infoGainDefinition: effective<string>('rewards.infoGainDefinition') === 'hopscope' ? 'hopscope' : 'igpo',
      judge: restricted<boolean>('rewards.judge') === true,
    },
    index: {
      exclude: patterns(effective('index.exclude')),
      // Only a plain `true` always applies: a `when` clause (sibling-file test) is the explorer's business.
      filesExclude:
        files.exclude && typeof files.exclude === 'object'
          ? Object.entries(files.exclude as Record<string, unknown>).filter(([g, v]) => v === true && g.trim() !== '').map(([g]) => g)
          : [],
      maxFileKb: num(effective('index.maxFileKb'), DEFAULTS.index.maxFileKb, 1, 1_048_576),
      bm25: {
        k1: num(effective('index.bm25.k1'), DEFAULTS.index.bm25.k1, 0, 10),
        b: num(effective('index.bm25.b'), DEFAULTS.index.bm25.b, 0, 1),
      },
      titleBoost: num(effective('index.titleBoost'), DEFAULTS.index.titleBoost, 0, 20),
    },
  };
  return { config, ignored };
}

/** The decompression caps of imports and exports, in bytes, from the settings' MiB. */
export function decompressLimits(config: HopscopeConfig): DecompressLimits {
  return { maxTotalBytes: config.limits.maxDecompressedMB * MiB, maxEntryBytes: config.limits.maxEntryMB * MiB };
}

/** The loop's budget and sampling as the settings give them, for every run started from the editor. */
export function loopOptions(config: HopscopeConfig): Pick<LoopOptions, 'topK' | 'maxTurns' | 'params' | 'maxCharsPerTurn'> {
  const { topK, maxTurns, temperature, maxTokens } = config.loop;
  // The turn cap also bounds what the endpoint reads: an endless stream is cut there, not after.
  return { topK, maxTurns, params: { temperature, maxTokens }, maxCharsPerTurn: config.limits.maxTurnChars };
}

/** Trace folders stay inside the workspace: absolute paths and `..` fall back to the default. */
function safeRelativeDir(dir: string): string {
  const parts = dir.replace(/\\/g, '/').split('/').filter((p) => p !== '' && p !== '.');
  if (dir.startsWith('/') || /^[a-zA-Z]:/.test(dir) || parts.length === 0 || parts.includes('..')) {
    return DEFAULTS.traces.directory;
  }
  return parts.join('/');
}

/** Reads the live settings; `trusted` defaults to the window's workspace trust. */
export function readConfig(trusted: boolean = vscode.workspace.isTrusted): ResolvedConfig {
  return resolveConfig(vscode.workspace.getConfiguration(SECTION), trusted, {
    exclude: vscode.workspace.getConfiguration('files').get<unknown>('exclude'),
  });
}

/** True when a configuration change touches any setting config() reads (Hopscope's, and `files.exclude`). */
export function affectsHopscope(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(SECTION) || e.affectsConfiguration('files.exclude');
}

/**
 * In an untrusted workspace VS Code drops restricted settings from the workspace layer, so inspect()
 * no longer shows them. To tell the user why their workspace setting had no effect, read the
 * workspace's own settings files (never to use the values: only to report them).
 */
export async function restrictedValuesInWorkspaceFiles(config: HopscopeConfig): Promise<IgnoredSetting[]> {
  const files: { uri: vscode.Uri; section?: string }[] = (vscode.workspace.workspaceFolders ?? []).map((f) => ({
    uri: vscode.Uri.joinPath(f.uri, '.vscode', 'settings.json'),
  }));
  if (vscode.workspace.workspaceFile && vscode.workspace.workspaceFile.scheme !== 'untitled') {
    files.push({ uri: vscode.workspace.workspaceFile, section: 'settings' });
  }
  const used: Record<RestrictedKey, unknown> = {
    'endpoint.baseUrl': config.endpoint.baseUrl,
    'retriever.url': config.retriever.url,
    'traces.directory': config.traces.directory,
    'endpoint.model': config.endpoint.model,
    'loop.template': config.loop.template,
    'rewards.judge': config.rewards.judge,
    'rewards.infoGain': config.rewards.infoGain,
  };
  const found: IgnoredSetting[] = [];
  for (const { uri, section } of files) {
    let parsed: unknown;
    try {
      parsed = parseJsonc(Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8'));
    } catch {
      continue; // no such file, or not JSON: nothing to report
    }
    const settings = (section ? (parsed as Record<string, unknown> | undefined)?.[section] : parsed) as Record<string, unknown> | undefined;
    if (!settings || typeof settings !== 'object') continue;
    for (const key of RESTRICTED_SETTINGS) {
      const v = settings[`${SECTION}.${key}`];
      if (v !== undefined && v !== used[key] && !found.some((f) => f.key === `hopscope.${key}`)) {
        found.push({ key: `hopscope.${key}`, workspaceValue: v, usedValue: used[key] });
      }
    }
  }
  return found;
}

/** JSON with comments and trailing commas, as VS Code settings files are written. */
export function parseJsonc(text: string): unknown {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      out += text.slice(start, i + 1);
    } else if (ch === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else {
      out += ch;
    }
  }
  return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'));
}

/** One line telling the user which workspace settings were ignored and why. */
export function describeIgnored(ignored: readonly IgnoredSetting[]): string | undefined {
  if (ignored.length === 0) return undefined;
  const list = ignored
    .map((i) => `${i.key} = ${JSON.stringify(i.workspaceValue)} (using ${JSON.stringify(i.usedValue ?? '')} from your user settings)`)
    .join('; ');
  return (
    `This workspace is not trusted, so Hopscope ignores its ${list}. ` +
    'A cloned repository must not choose where your questions and files are sent, which template file is read, or what spends your endpoint. Trust the workspace to use its settings.'
  );
}
