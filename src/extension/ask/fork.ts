/**
 * "Hopscope: Fork from Step…": re-runs a trajectory from one of its search steps with another query,
 * live in the trace panel, saves the fork beside asked questions, then compares original and fork.
 * Invoked from the panel's "Fork from here" (a ForkTarget), a search step in the Traces view (its tree
 * node), the palette (the panel's trajectory; the step is picked), or with `{ file, id, step, query }`
 * (tests, scripts: no input box).
 */
import * as vscode from 'vscode';
import { forkAgent } from '../../core/agent';
import { createEndpointClient, type EndpointClient, type SamplingParams } from '../../core/endpoint';
import { errorMessage } from '../../core/errors';
import { BUILTIN_TEMPLATES, getTemplate, type Template } from '../../core/templates';
import { configuredTemplate } from './configuredTemplate';
import type { SearchStep, Trajectory } from '../../core/trace';
import type { TraceRef } from '../../protocol';
import { showProblem } from '../notify';
import type { Services } from '../services';
import { loadTrajectory, panelForkTarget, type TracePanelHost } from '../traces/tracePanel';
import { short } from '../traces/labels';
import { withLiveRun } from './liveRun';
import { stepRowTarget } from '../traces/traceTree';
import { COMMANDS } from '../commands';
import { probeEndpoint } from '../connection/testConnection';

interface Resolved {
  trajectory: Trajectory;
  ref?: TraceRef;
  step: number;
  query?: string;
}

export function registerForkCommand(context: vscode.ExtensionContext, services: Services, panels: TracePanelHost): void {
  context.subscriptions.push(vscode.commands.registerCommand(COMMANDS.forkFromStep, (arg?: unknown) => fork(panels, services, arg)));
}

async function fork(panels: TracePanelHost, services: Services, arg: unknown): Promise<Trajectory | undefined> {
  let target: Resolved | undefined;
  try {
    target = await resolve(panels, arg);
  } catch (e) {
    void showProblem(services.log, e);
    return undefined;
  }
  if (!target) return undefined;
  const { trajectory: original, step } = target;
  const old = original.steps[step];
  if (old?.kind !== 'search') {
    void vscode.window.showErrorMessage(`Hopscope: step ${step + 1} is not a search step; fork from a search.`);
    return undefined;
  }
  const query = target.query?.trim() || (await askQuery(old, step))?.trim();
  if (!query) return undefined;

  const template = templateFor(services, original);
  let endpoint: EndpointClient;
  let retriever;
  try {
    [endpoint, retriever] = await Promise.all([endpointFor(services, original), services.retriever()]);
  } catch (e) {
    void showProblem(services.log, e, { settingsQuery: /retriev|index/i.test(errorMessage(e)) ? 'hopscope.retriever' : 'hopscope.endpoint' });
    return undefined;
  }
  // A fork that cannot reach its model says so now, before it searches, saves or opens anything.
  const configured = endpoint.baseUrl.replace(/\/+$/, '') === services.config().endpoint.baseUrl.replace(/\/+$/, '');
  const probe = await probeEndpoint(endpoint.baseUrl, configured ? await services.apiKey.get() : undefined, Math.min(services.config().endpoint.timeoutMs, 10_000));
  if (!probe.ok) {
    void showProblem(services.log, `Fork not run: ${probe.problem}`, { settingsQuery: 'hopscope.endpoint' });
    return undefined;
  }
  services.log.info(`forking ${original.id} at step ${step + 1}: "${old.query}" → "${query}" (template ${template.name}, endpoint ${endpoint.baseUrl})`);

  const config = services.config();
  return withLiveRun(services, panels, original.question, `fork at step ${step + 1}: ${short(query, 50)}`, async ({ signal, onEvent }) => {
    // Scored like an asked question (information gain and the judge when the settings turn them on), so
    // original and fork compare on the same rewards.
    const forked = await forkAgent(
      original,
      step,
      { query },
      { endpoint, retriever, signal, onEvent, logger: services.logger, ...(original.runId ? { runId: `${original.runId}-fork` } : {}) },
      {
        template,
        topK: original.retriever?.topK || config.loop.topK,
        maxTurns: config.loop.maxTurns,
        maxCharsPerTurn: config.limits.maxTurnChars,
        params: paramsFor(original, services),
        infoGain: config.rewards.infoGain && config.rewards.infoGainDefinition,
        judge: config.rewards.judge,
        onScoringError: 'keep',
      },
    );
    let file: vscode.Uri | undefined;
    try {
      file = await services.saveTrajectory(forked);
    } catch (e) {
      services.log.error(`could not save the fork: ${errorMessage(e)}`);
    }
    services.log.info(`fork ${forked.id}: ${forked.stopReason}, answer ${JSON.stringify(forked.answer)}`);
    if (forked.stopReason === 'error') void showProblem(services.log, forked.error ?? 'the fork stopped with an error', { settingsQuery: 'hopscope.endpoint' });
    await panels.compare(target.ref ?? { trajectory: original }, file ? { file: file.fsPath, id: forked.id } : { trajectory: forked });
    return forked;
  });
}

async function askQuery(old: SearchStep, step: number): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: `Hopscope: Fork from Step ${step + 1}`,
    prompt: 'The query to search instead; the model continues from here with its documents',
    value: old.query,
    valueSelection: [0, old.query.length],
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'Type a query'),
  });
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

/** What the command was invoked on: a panel target, a tree step node, `{ file, id, step }`, or nothing (the panel's trajectory). */
async function resolve(panels: TracePanelHost, arg: unknown): Promise<Resolved | undefined> {
  const fromPanel = panelForkTarget(arg);
  if (fromPanel) return { trajectory: fromPanel.trajectory, ref: fromPanel.ref, step: fromPanel.step };
  const row = stepRowTarget(arg);
  if (row) {
    const ref = { file: row.file, id: row.id };
    return { trajectory: await loadTrajectory(ref), ref, step: row.step };
  }
  if (isObj(arg) && typeof arg.file === 'string' && typeof arg.id === 'string' && typeof arg.step === 'number') {
    const ref = { file: arg.file, id: arg.id };
    return { trajectory: await loadTrajectory(ref), ref, step: arg.step, query: typeof arg.query === 'string' ? arg.query : undefined };
  }
  const shown = panels.shownTrajectory();
  if (!shown) {
    void vscode.window.showInformationMessage('Hopscope: open a trajectory first, or right-click a search step in the Traces view, to fork from it.');
    return undefined;
  }
  const picks = shown.trajectory.steps
    .map((s, i) => ({ s, i }))
    .filter((x): x is { s: SearchStep; i: number } => x.s.kind === 'search')
    .map(({ s, i }) => ({ label: `${i + 1}. ${short(s.query, 80)}`, description: `${s.docs.length} docs`, step: i }));
  if (!picks.length) {
    void vscode.window.showInformationMessage('Hopscope: this trajectory has no search step to fork from.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(picks, { title: 'Hopscope: Fork from which search step?' });
  return picked ? { ...shown, step: picked.step } : undefined;
}

/** The original's template when it is a built-in one, else the configured one. */
function templateFor(services: Services, t: Trajectory): Template {
  const name = t.policy?.template;
  if (name && BUILTIN_TEMPLATES[name]) return getTemplate(name);
  const configured = services.config().loop.template;
  if (name) services.log.warn(`fork: template "${name}" of ${t.id} is not a built-in one; using the configured template ${configured}`);
  return configuredTemplate(configured);
}

/**
 * The original's endpoint. The configured one (with the stored API key) when the trajectory names none
 * (imported) or names the configured URL; another URL gets no key: it comes from a trace file.
 */
async function endpointFor(services: Services, t: Trajectory): Promise<EndpointClient> {
  const c = services.config().endpoint;
  const url = t.policy?.endpoint?.trim();
  if (!url || url.replace(/\/+$/, '') === c.baseUrl.replace(/\/+$/, '')) return services.endpoint();
  services.log.info(`fork: using the trajectory's endpoint ${url} (model ${t.policy.model || 'its first'}), without the stored API key`);
  return createEndpointClient({ baseUrl: url, model: t.policy.model || undefined, timeoutMs: c.timeoutMs, maxRetries: c.maxRetries, logger: services.logger });
}

/** The original's sampling parameters where it recorded them, else the configured ones. */
function paramsFor(t: Trajectory, services: Services): SamplingParams {
  const c = services.config().loop;
  const p = (t.policy?.params ?? {}) as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const out: SamplingParams = { temperature: num(p.temperature) ?? c.temperature, maxTokens: num(p.maxTokens) ?? c.maxTokens };
  if (num(p.topP) !== undefined) out.topP = num(p.topP);
  if (num(p.seed) !== undefined) out.seed = num(p.seed);
  return out;
}
