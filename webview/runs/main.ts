/**
 * The training-run dashboard (browser bundle dist/runDashboard.js): per-step curves of a run, a step's
 * groups ordered by what a researcher looks for, a group's rollouts (each opens in the trace panel) and
 * a prompt followed across the steps it was sampled in. The first state is embedded in the page; the
 * host then sends validated messages (src/protocol.ts) as step files arrive. Everything untrusted
 * (questions, answers) is rendered as text through dom.ts.
 */
import {
  isRunDashboardState,
  parseRunHostMessage,
  RUN_STATE_ELEMENT_ID,
  type RunDashboardState,
  type RunHostMessage,
  type RunStepPoint,
  type RunWebviewMessage,
} from '../../src/protocol';
import type { GroupSummary, RolloutSummary } from '../../src/core/runs/queries';
import { clear, h } from '../dom';
import { lineChart, type Series } from './lineChart';

interface VsCodeApi {
  postMessage(message: RunWebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') ?? document.body.appendChild(h('main', { attrs: { id: 'app' } }));

function initialState(): RunDashboardState {
  const el = document.getElementById(RUN_STATE_ELEMENT_ID);
  try {
    const parsed: unknown = JSON.parse(el?.textContent ?? 'null');
    if (isRunDashboardState(parsed)) return parsed;
  } catch {
    /* fall through to an empty dashboard */
  }
  return { dir: '', name: 'Training run', steps: [], problems: 0 };
}

const state = initialState();
let selectedStep: number | undefined;
let groups: { step: number; groups: GroupSummary[] } | undefined;
let rollouts: { step: number; group: string; rollouts: RolloutSummary[] } | undefined;
let prompt: Extract<RunHostMessage, { type: 'promptHistory' }> | undefined;

const fmt2 = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2));
const pct = (v: number) => `${(v * 100).toFixed(v < 0.1 && v > 0 ? 1 : 0)}%`;
const score = (v: number | null) => (v === null ? '–' : v.toFixed(3));

function pick(step: number): void {
  selectedStep = step;
  groups = undefined;
  rollouts = undefined;
  vscode.postMessage({ type: 'selectStep', step });
  render();
}

function charts(steps: readonly RunStepPoint[]): HTMLElement {
  const xs = steps.map((s) => s.step);
  const share = (k: (s: RunStepPoint) => number) => steps.map((s) => (s.groups ? k(s) / s.groups : null));
  // The label names come with the figures (the host's DIAGNOSIS_LABELS): the bundle stays free of core's analysis code.
  const labelNames = Object.keys(steps[0]?.labels ?? {}) as Array<keyof RunStepPoint['labels']>;
  const labelSeries: Series[] = labelNames.map((l, i) => ({ name: l, values: steps.map((s) => s.labels[l] ?? 0), cls: `series s${i % 8}` }));
  const common = { steps: xs, selected: selectedStep, onPick: pick };
  return h(
    'section',
    { class: 'charts', attrs: { 'aria-label': 'Per-step curves' } },
    lineChart({
      ...common,
      id: 'score',
      title: "Mean score (the trainer's reward)",
      series: [{ name: 'mean', values: steps.map((s) => s.meanScore), cls: 'series s0' }],
      band: {
        name: 'mean ± std',
        lo: steps.map((s) => (s.meanScore === null || s.scoreStd === null ? null : Math.max(s.scoreMin ?? -Infinity, s.meanScore - s.scoreStd))),
        hi: steps.map((s) => (s.meanScore === null || s.scoreStd === null ? null : Math.min(s.scoreMax ?? Infinity, s.meanScore + s.scoreStd))),
      },
      format: fmt2,
    }),
    lineChart({ ...common, id: 'searches', title: 'Searches per rollout', series: [{ name: 'searches', values: steps.map((s) => s.meanSearches), cls: 'series s1' }], format: fmt2 }),
    lineChart({ ...common, id: 'format', title: 'Format-error rate', series: [{ name: 'format errors', values: steps.map((s) => s.formatErrorRate), cls: 'series s3' }], yMax: 1, format: pct }),
    lineChart({ ...common, id: 'labels', title: 'Diagnosis labels (share of rollouts)', series: labelSeries, yMax: 1, format: pct }),
    lineChart({ ...common, id: 'length', title: 'Response length (characters)', series: [{ name: 'characters', values: steps.map((s) => s.meanResponseChars), cls: 'series s4' }], format: (v) => v.toFixed(0) }),
    lineChart({
      ...common,
      id: 'uniform',
      title: 'Uniform groups (zero advantage)',
      series: [
        { name: 'uniform', values: share((s) => s.uniformGroups), cls: 'series s5' },
        { name: 'all zero', values: share((s) => s.allZeroGroups), cls: 'series s6' },
        { name: 'all one', values: share((s) => s.allOneGroups), cls: 'series s2' },
      ],
      yMax: 1,
      format: pct,
    }),
  );
}

function header(): HTMLElement {
  const rolloutsTotal = state.steps.reduce((n, s) => n + s.n, 0);
  const p = state.progress;
  return h(
    'header',
    { class: 'run-header' },
    h('h1', { class: 'run-name' }, state.name),
    h('div', { class: 'run-dir' }, state.dir),
    h(
      'div',
      { class: 'run-facts' },
      h('span', { dataset: { fact: 'steps' } }, `${state.steps.length} steps`),
      h('span', { dataset: { fact: 'rollouts' } }, `${rolloutsTotal.toLocaleString('en-US')} rollouts`),
      state.problems ? h('span', { class: 'problems', dataset: { fact: 'problems' } }, `${state.problems} unreadable line(s): see the Hopscope log`) : null,
      p && p.filesDone < p.filesTotal
        ? h(
            'span',
            { class: 'progress', dataset: { fact: 'progress' } },
            `reading step files ${p.filesDone}/${p.filesTotal} `,
            h('button', { class: 'link-button', attrs: { type: 'button' }, on: { click: () => vscode.postMessage({ type: 'cancelIngest' }) } }, 'Cancel'),
          )
        : null,
    ),
  );
}

function groupTable(g: { step: number; groups: GroupSummary[] }): HTMLElement {
  const rows = g.groups.map((x) =>
    h(
      'tr',
      { class: `group ${x.kind}`, dataset: { group: x.group } },
      h('td', {}, h('span', { class: `kind ${x.kind}` }, x.kind)),
      h('td', { class: 'question-cell' }, x.question),
      h('td', { class: 'num' }, x.n),
      h('td', { class: 'num' }, score(x.meanScore)),
      h('td', { class: 'num' }, `${score(x.minScore)}–${score(x.maxScore)}`),
      h(
        'td',
        {},
        h('button', { class: 'link-button', attrs: { type: 'button' }, dataset: { action: 'rollouts' }, on: { click: () => vscode.postMessage({ type: 'selectGroup', step: g.step, group: x.group }) } }, 'Rollouts'),
        h('button', { class: 'link-button', attrs: { type: 'button' }, dataset: { action: 'follow' }, on: { click: () => vscode.postMessage({ type: 'followPrompt', group: x.group }) } }, 'Follow prompt'),
      ),
    ),
  );
  return h(
    'section',
    { class: 'step-groups', attrs: { 'aria-label': `Groups of step ${g.step}` } },
    h('h2', {}, `Step ${g.step}: ${g.groups.length} groups`, h('span', { class: 'hint' }, ' widest score spread first, then all-zero, then all-one')),
    h('table', { class: 'grid' }, h('thead', {}, h('tr', {}, ...['kind', 'prompt', 'n', 'mean', 'range', ''].map((c) => h('th', {}, c)))), h('tbody', {}, ...rows)),
  );
}

function rolloutTable(r: { step: number; group: string; rollouts: RolloutSummary[] }): HTMLElement {
  const open = (x: RolloutSummary) => vscode.postMessage({ type: 'openRollout', fileId: x.fileId, line: x.line });
  const rows = r.rollouts.map((x) =>
    h(
      'tr',
      { class: 'rollout', attrs: { tabindex: 0, title: 'Open in the trace panel' }, dataset: { line: String(x.line) }, on: { click: () => open(x), keydown: (e) => e.key === 'Enter' && open(x) } },
      h('td', { class: 'num' }, score(x.score)),
      h('td', { class: 'num' }, x.searches),
      h('td', {}, x.stopReason),
      h('td', { class: 'answer-cell' }, x.answer ?? '(no answer)'),
      h('td', { class: 'labels-cell' }, x.labels.join(', ')),
      h('td', { class: 'where' }, `${x.file.split(/[\\/]/).pop()}:${x.line}`),
    ),
  );
  return h(
    'section',
    { class: 'group-rollouts', attrs: { 'aria-label': 'Rollouts of the group' } },
    h('h2', {}, `Rollouts of step ${r.step}`, h('span', { class: 'hint' }, ` ${r.rollouts[0]?.question ?? ''}`)),
    h('table', { class: 'grid' }, h('thead', {}, h('tr', {}, ...['score', 'searches', 'stop', 'answer', 'labels', 'line'].map((c) => h('th', {}, c)))), h('tbody', {}, ...rows)),
  );
}

function promptView(p: Extract<RunHostMessage, { type: 'promptHistory' }>): HTMLElement {
  return h(
    'section',
    { class: 'prompt-history', attrs: { 'aria-label': 'The prompt across steps' } },
    h('h2', {}, `Prompt across ${p.history.length} step(s)`, h('span', { class: 'hint' }, ` ${p.question}`)),
    lineChart({
      id: 'prompt',
      title: 'Mean score of its group, per step',
      steps: p.history.map((x) => x.step),
      series: [{ name: 'mean', values: p.history.map((x) => x.meanScore), cls: 'series s0' }],
      band: { name: 'min–max', lo: p.history.map((x) => x.minScore), hi: p.history.map((x) => x.maxScore) },
      yMax: Math.max(1, ...p.history.map((x) => x.maxScore ?? 0)),
      format: fmt2,
      selected: selectedStep,
      onPick: pick,
    }),
  );
}

function render(): void {
  clear(app);
  app.appendChild(header());
  if (!state.steps.length) {
    app.appendChild(h('p', { class: 'empty' }, state.progress ? 'Reading the step files…' : 'No rollouts yet: the curves appear as step files ({step}.jsonl) are written.'));
    return;
  }
  app.appendChild(charts(state.steps));
  if (selectedStep !== undefined && !groups) app.appendChild(h('p', { class: 'loading' }, `Step ${selectedStep}: loading its groups…`));
  if (groups) app.appendChild(groupTable(groups));
  if (rollouts) app.appendChild(rolloutTable(rollouts));
  if (prompt) app.appendChild(promptView(prompt));
  // `dir` lets the host's serializer reopen this run after a window reload.
  vscode.setState({ dir: state.dir, selectedStep });
}

function notice(level: 'info' | 'error', message: string): void {
  const bar = document.getElementById('notice') ?? document.body.insertBefore(h('div', { attrs: { id: 'notice', role: 'status' } }), document.body.firstChild);
  bar.className = `notice ${level}`;
  bar.textContent = message;
}

function onMessage(msg: RunHostMessage): void {
  switch (msg.type) {
    case 'runSummary':
      state.steps = msg.steps;
      state.problems = msg.problems;
      break;
    case 'runProgress':
      state.progress = { filesDone: msg.filesDone, filesTotal: msg.filesTotal };
      break;
    case 'stepGroups':
      if (msg.step !== selectedStep) return;
      groups = { step: msg.step, groups: msg.groups };
      break;
    case 'groupRollouts':
      rollouts = { step: msg.step, group: msg.group, rollouts: msg.rollouts };
      break;
    case 'promptHistory':
      prompt = msg;
      break;
    case 'runNotice':
      notice(msg.level, msg.message);
      return;
    default: {
      const never: never = msg;
      void never;
      return;
    }
  }
  render();
}

window.addEventListener('message', (ev: MessageEvent) => {
  const msg = parseRunHostMessage(ev.data);
  if (msg) onMessage(msg);
});

const saved = vscode.getState() as { selectedStep?: unknown } | undefined;
render();
if (saved && Number.isInteger(saved.selectedStep)) pick(saved.selectedStep as number);
const painted = performance.now();
document.body.dataset.firstPaintMs = painted.toFixed(1);
vscode.postMessage({ type: 'ready' });
