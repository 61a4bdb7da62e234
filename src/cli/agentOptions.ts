/**
 * The options `ask` and `run` share (endpoint, model, template, retriever, sampling), with their
 * environment fallbacks, turned into the collaborators and settings of the agent pipeline (core/agent.ts).
 */
import { RUN_DEFAULTS } from '../core/defaults';
import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { createEndpointClient, type EndpointClient, type SamplingParams } from '../core/endpoint';
import { capTrajectory, cappedRetriever, DEFAULT_CONTENT_LIMITS } from '../core/contentLimits';
import { parseHttpUrl } from '../core/endpoint/url';
import { RetrieverError, UrlError } from '../core/errors';
import type { LoopListener } from '../core/events';
import { runAgent } from '../core/agent';
import type { Logger, Retriever } from '../core/ports';
import { createRemoteRetriever, REMOTE_KINDS, type RemoteKind } from '../core/retrieval/remote';
import { WorkspaceIndex } from '../core/retrieval/workspaceIndex';
import { INFO_GAIN_VARIANTS, type InfoGainVariant } from '../core/rewards/infoGain';
import { BUILTIN_TEMPLATES, getTemplate, type Template } from '../core/templates';
import type { Trajectory } from '../core/trace';
import { fromEnv, MAX_K, parseIntOption, parseNumberOption, parseTimeoutOption, UsageError } from './common';
import { terminalSafe } from './terminal';

const DEFAULT_ENDPOINT = RUN_DEFAULTS.endpoint;

/** Endpoint warnings (retries) on stderr, so stdout stays the result. */
const stderrLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: (m) => process.stderr.write(`hopscope: ${terminalSafe(m)}\n`),
  error: () => {},
};

export interface AgentCliOptions {
  endpoint?: string;
  model?: string;
  template: string;
  index?: string;
  retrieverUrl?: string;
  retrieverKind: string;
  k?: number;
  maxTurns?: number;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  seed?: number;
  timeout?: number;
  retries?: number;
  stream: boolean;
  /** Score information gain per search step (src/core/rewards/infoGain.ts); `true` is the default definition. */
  infoGain?: boolean | InfoGainVariant;
  /** Ask the endpoint R1-Searcher's ACC_L judge question (src/core/rewards/judge.ts). */
  judge?: boolean;
  /** Content caps (src/core/contentLimits.ts). */
  maxDocChars?: number;
  maxTurnChars?: number;
}

export function addAgentOptions(cmd: Command): Command {
  return cmd
    .option('--endpoint <url>', `OpenAI-compatible base URL incl. /v1 (env HOPSCOPE_ENDPOINT; default ${DEFAULT_ENDPOINT})`)
    .option('--model <name>', 'model name (env HOPSCOPE_MODEL; default: the first model the endpoint lists)')
    .option('--template <name|file>', 'r1-searcher, r1-searcher-eval, search-r1, or a template JSON file', 'r1-searcher')
    .option('--index <dir>', 'workspace index directory built by `hopscope index` (env HOPSCOPE_INDEX)')
    .option('--retriever-url <url>', 'a retrieval server instead of a local index (env HOPSCOPE_RETRIEVER_URL)')
    .option('--retriever-kind <kind>', `the retrieval server's API: ${REMOTE_KINDS.join(' | ')}`, 'search-r1')
    .option('-k, --k <n>', 'documents per search (default: the template\'s)', parseIntOption('-k', 1, MAX_K))
    .option('--max-turns <n>', 'model calls allowed (default: the template\'s searches + 1)', parseIntOption('--max-turns', 1, 1000))
    .option('--max-tokens <n>', `completion tokens per turn (default: the template's, else ${RUN_DEFAULTS.maxTokens})`, parseIntOption('--max-tokens', 1, 10_000_000))
    .option('--temperature <t>', "sampling temperature (default: the template's, 0 for the built-ins)", parseNumberOption('--temperature', { min: 0, max: 100 }))
    .option('--top-p <p>', "nucleus sampling (default: the template's, 0.95 for r1-searcher)", parseNumberOption('--top-p', { above: 0, max: 1 }))
    .option('--seed <n>', 'sampling seed', parseIntOption('--seed'))
    .option('--timeout <seconds>', `per-request timeout (default ${RUN_DEFAULTS.timeoutMs / 1000})`, parseTimeoutOption('--timeout'))
    .option('--retries <n>', `retries on 429, 5xx and connection resets (default ${RUN_DEFAULTS.maxRetries})`, parseIntOption('--retries', 0, 100))
    .addOption(new Option('--no-stream', 'ask for whole completions instead of streaming'))
    .addOption(
      new Option('--info-gain [definition]', 'score information gain per search step (one more completions request per search; needs prompt log-probs): igpo (default) or hopscope')
        .choices(INFO_GAIN_VARIANTS),
    )
    .option('--judge', 'ask the endpoint R1-Searcher\'s LLM-judge question (one more chat request per question)')
    .option('--max-doc-chars <n>', `longest document kept; longer ones are cut and marked truncated (default ${DEFAULT_CONTENT_LIMITS.maxDocChars})`, parseIntOption('--max-doc-chars', 1))
    .option('--max-turn-chars <n>', `longest model turn; the endpoint is not read past it, the turn ends as length and is marked truncated (default ${DEFAULT_CONTENT_LIMITS.maxTurnChars})`, parseIntOption('--max-turn-chars', 1));
}

/** One question for the agent, with what the caller adds to the trajectory. */
export interface AgentQuestion {
  question: string;
  gold?: string[];
  goldDocs?: string[];
  runId: string;
  dataset?: string;
  signal?: AbortSignal;
  onEvent?: LoopListener;
}

/** The agent pipeline with its collaborators built from the options, as `ask` and `run` both use it. */
export interface Agent {
  template: Template;
  endpoint: EndpointClient;
  /**
   * One question through the pipeline: the loop, then information gain and the judge when the options
   * ask for them, rewards and diagnosis. Never throws for model or retriever failures.
   */
  run(q: AgentQuestion): Promise<Trajectory>;
}

export async function makeAgent(opts: AgentCliOptions): Promise<Agent> {
  if (!BUILTIN_TEMPLATES[opts.template] && !existsSync(opts.template)) {
    throw new UsageError(`unknown template "${opts.template}": use one of ${Object.keys(BUILTIN_TEMPLATES).join(', ')} or the path of a template JSON file`);
  }
  const template = getTemplate(opts.template);
  const endpoint = makeEndpoint(opts);
  const limits = { maxDocChars: opts.maxDocChars ?? DEFAULT_CONTENT_LIMITS.maxDocChars, maxTurnChars: opts.maxTurnChars ?? DEFAULT_CONTENT_LIMITS.maxTurnChars };
  const retriever = cappedRetriever(await makeRetriever(opts), limits);
  const params = samplingParams(opts);
  return {
    template,
    endpoint,
    // Model turns past the cap are cut in the trajectory; documents were cut as they were retrieved.
    run: async ({ signal, onEvent, ...question }) =>
      capTrajectory(
        await runAgent(question, { endpoint, retriever, signal, onEvent }, {
          template,
          topK: opts.k,
          maxTurns: opts.maxTurns,
          // The endpoint stops reading a turn at the cap, so an endless stream stays bounded in memory.
          maxCharsPerTurn: limits.maxTurnChars,
          params,
          stream: opts.stream,
          infoGain: opts.infoGain,
          judge: opts.judge,
        }),
        limits,
      ),
  };
}

function samplingParams(opts: AgentCliOptions): SamplingParams {
  const p: SamplingParams = {};
  if (opts.maxTokens !== undefined) p.maxTokens = opts.maxTokens;
  if (opts.temperature !== undefined) p.temperature = opts.temperature;
  if (opts.topP !== undefined) p.topP = opts.topP;
  if (opts.seed !== undefined) p.seed = opts.seed;
  return p;
}

function makeEndpoint(opts: AgentCliOptions): EndpointClient {
  const baseUrl = opts.endpoint ?? fromEnv('ENDPOINT') ?? DEFAULT_ENDPOINT;
  usableUrl(baseUrl, '--endpoint', DEFAULT_ENDPOINT);
  return createEndpointClient({
    baseUrl,
    apiKey: fromEnv('API_KEY'),
    model: opts.model ?? fromEnv('MODEL'),
    timeoutMs: opts.timeout !== undefined ? opts.timeout * 1000 : undefined,
    maxRetries: opts.retries,
    logger: stderrLogger,
  });
}

async function makeRetriever(opts: AgentCliOptions): Promise<Retriever> {
  const url = opts.retrieverUrl ?? (opts.index ? undefined : fromEnv('RETRIEVER_URL'));
  const dir = opts.index ?? (url ? undefined : fromEnv('INDEX'));
  if (opts.index && opts.retrieverUrl) throw new UsageError('give either --index or --retriever-url, not both');
  if (url) return remoteRetriever(url, opts.retrieverKind);
  if (!dir) throw new UsageError('no retriever: give --index DIR (built by `hopscope index`) or --retriever-url URL');
  try {
    return await WorkspaceIndex.open(dir);
  } catch (e) {
    if (e instanceof RetrieverError) throw e;
    throw new RetrieverError(`cannot open the index in ${dir}: ${(e as Error).message}`, 'build it with `hopscope index <path> --index DIR`');
  }
}

/** An http(s) URL, or a usage error that quotes it without its credentials. */
function usableUrl(url: string, option: string, example: string): void {
  try {
    parseHttpUrl(url, option);
  } catch (e) {
    if (e instanceof UrlError) throw new UsageError(`${terminalSafe(e.message)} (give a URL such as ${example})`);
    throw e;
  }
}

function remoteRetriever(url: string, kind: string): Retriever {
  usableUrl(url, '--retriever-url', 'http://127.0.0.1:8000/retrieve');
  if (!(REMOTE_KINDS as readonly string[]).includes(kind)) throw new UsageError(`--retriever-kind must be one of ${REMOTE_KINDS.join(', ')}, got "${terminalSafe(kind)}"`);
  return createRemoteRetriever(url, kind as RemoteKind);
}
