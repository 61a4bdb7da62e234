/** The trajectory header: question, gold answers, prediction, metric badges, run facts and labels. */
import type { Trajectory } from '../src/core/trace';
import { searchSteps } from '../src/core/trace';
import { isMetricDefinitionName, metricDefinitions } from '../src/core/metrics';
import { verdict, type Verdict } from '../src/core/verdict';
import { h, type Child } from './dom';
import { fmtInt, fmtMs, fmtNum } from './format';
import { rewardChips } from './steps';

function metric(name: string, value: number | undefined, title: string, passAt = 1): HTMLElement {
  const state = value === undefined ? 'na' : value >= passAt ? 'pass' : value > 0 ? 'partial' : 'fail';
  return h(
    'span',
    { class: `metric ${state}`, attrs: { title, 'data-metric': name } },
    h('span', { class: 'metric-name' }, name),
    h('span', { class: 'metric-value' }, value === undefined ? '–' : fmtNum(value)),
  );
}

/**
 * ✓/✗ from the one verdict (src/core/verdict.ts), its reason on hover; `?` when a fault (error,
 * cancel) left it unknown; nothing when there is nothing to judge by (no gold answer, no judge).
 */
function verdictMark(v: Verdict, t: Trajectory): HTMLElement | null {
  if (v.verdict === 'correct' || v.verdict === 'wrong') {
    const ok = v.verdict === 'correct';
    return h('span', { class: `verdict ${ok ? 'pass' : 'fail'}`, attrs: { title: `${v.verdict}: ${v.why}`, 'data-verdict': v.verdict } }, ok ? '✓' : '✗');
  }
  if (t.stopReason === 'error' || t.stopReason === 'cancelled') return h('span', { class: 'verdict unknown', attrs: { title: `unknown: ${v.why}`, 'data-verdict': 'unknown' } }, '?');
  return null;
}

const OUTCOME_BADGES: Record<string, [string, string]> = {
  em: ['EM', 'Exact match after normalisation'],
  f1: ['F1', 'Token F1 against the best gold answer'],
  coverEm: ['cover-EM', 'All gold tokens appear in the prediction'],
  subEm: ['sub-EM', 'A gold answer is a substring of the prediction'],
};

/**
 * EM/F1/cover-EM/sub-EM badges: the fields of the trajectory's metric definition (metrics/index.ts),
 * followed by a small label naming the definition and, on hover, its upstream source.
 */
function outcomeBadges(t: Trajectory, noMetrics: boolean): Array<HTMLElement | null> {
  const o = t.outcome;
  const name = t.metricDefinition;
  const def = name && isMetricDefinitionName(name) ? metricDefinitions[name] : undefined;
  const fields = def ? def.fields : ['em', 'f1', 'coverEm', ...(o.subEm !== undefined ? ['subEm'] : [])];
  const out: Array<HTMLElement | null> = fields.map((f) => {
    const [label, title] = OUTCOME_BADGES[f] ?? [f, f];
    return o[f] !== undefined || !noMetrics ? metric(label, o[f], title) : null;
  });
  if (def) {
    out.push(h('span', { class: 'metric-definition', attrs: { title: `metrics computed as ${def.source}`, 'data-fact': 'metric-definition' } }, def.name));
  }
  return out;
}

export function badges(t: Trajectory): HTMLElement {
  const o = t.outcome;
  const tokens = (t.usage.promptTokens ?? 0) + (t.usage.completionTokens ?? 0);
  const noMetrics = !(t.gold && t.gold.length) && o.em === undefined && o.f1 === undefined && o.coverEm === undefined;
  return h(
    'div',
    { class: 'badges' },
    verdictMark(verdict(t), t),
    // Without a gold answer there is nothing to match: say so once instead of three dashes.
    noMetrics ? h('span', { class: 'fact', attrs: { 'data-fact': 'no-gold' } }, 'no gold answer') : null,
    ...outcomeBadges(t, noMetrics),
    t.rewards.format !== undefined || !noMetrics ? metric('format', t.rewards.format, 'Format reward (tags balanced, one answer, …)') : null,
    o.judge !== undefined ? metric('judge', o.judge, "An LLM judge's verdict") : null,
    h('span', { class: 'tag stop-reason', attrs: { title: 'stop reason' } }, t.stopReason),
    h('span', { class: 'fact', attrs: { 'data-fact': 'searches' } }, h('span', { class: 'count' }, String(searchSteps(t).length)), ' searches'),
    // Imported rollouts often lack usage and timing: leave those facts out rather than show dashes.
    tokens ? h('span', { class: 'fact', attrs: { 'data-fact': 'tokens', title: `prompt ${fmtInt(t.usage.promptTokens)} · completion ${fmtInt(t.usage.completionTokens)}` } }, `${fmtInt(tokens)} tokens`) : null,
    t.timing.totalMs !== undefined ? h('span', { class: 'fact', attrs: { 'data-fact': 'latency', title: `model ${fmtMs(t.timing.modelMs)} · retrieval ${fmtMs(t.timing.retrievalMs)}` } }, fmtMs(t.timing.totalMs)) : null,
  );
}

/** The trajectory's own rewards and counts (format has its badge), e.g. retrievalHit, searches. */
function trajectoryRewards(t: Trajectory): HTMLElement | null {
  const rest = Object.fromEntries(Object.entries(t.rewards).filter(([k]) => k !== 'format'));
  const chips = rewardChips(rest, true);
  if (!chips) return null;
  chips.classList.add('traj-rewards');
  chips.setAttribute('aria-label', 'trajectory rewards');
  return chips;
}

/** A headed part of the header (Outcome, Rewards, Diagnosis, Run), so a reader knows what each line is. */
function section(title: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'header-section', attrs: { 'aria-label': title }, dataset: { section: title.toLowerCase() } }, h('h2', {}, title), ...children);
}

/** The run's facts, each with its name: "model Qwen…", not a bare string the reader has to place. */
function runFacts(t: Trajectory): HTMLElement | null {
  const items: Array<[string, string | undefined, string?]> = [
    ['model', t.policy?.model],
    ['template', t.policy?.template],
    ['run', t.runId],
    ['imported from', t.source?.format],
    ['fork of', t.forkOf ? `${t.forkOf.id.slice(0, 8)} at step ${t.forkOf.step + 1}` : undefined, t.forkOf?.id],
  ];
  const shown = items.filter((i): i is [string, string, string?] => !!i[1]);
  if (!shown.length) return null;
  // What makes a fork differ from its original beyond the new query: said here, not only in the log.
  const f = t.forkOf;
  const warnings = [
    f?.contextRebuilt ? "its context was re-assembled from the original's steps: the original's transcript did not match the template" : null,
    f?.retriever ? `it searched the ${f.retriever.fork}; the original searched ${f.retriever.original}` : null,
  ].filter((w): w is string => !!w);
  return h(
    'div',
    { class: 'policy' },
    ...shown.map(([k, v, title]) => h('span', { class: 'policy-item', attrs: { title: title ?? `${k}: ${v}` }, dataset: { fact: k } }, h('span', { class: 'policy-key' }, k), v)),
    ...warnings.map((w) => h('div', { class: 'fork-warning', attrs: { role: 'note' } }, `⚠ Fork: ${w}.`)),
  );
}

export function header(t: Trajectory, onStep: (i: number) => void): HTMLElement {
  const gold = t.gold ?? [];
  const run = runFacts(t);
  return h(
    'header',
    { class: 'traj-header' },
    h('h1', { class: 'question' }, t.question),
    section(
      'Outcome',
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'Gold'),
        h('dd', { class: 'gold' }, ...(gold.length ? gold.map((g) => h('span', { class: 'tag gold-answer' }, g)) : ['(none)'])),
        h('dt', {}, 'Answer'),
        h('dd', { class: `answer${t.answer === null ? ' none' : ''}` }, t.answer ?? '(no answer)'),
      ),
      badges(t),
      t.error ? h('div', { class: 'traj-error', attrs: { role: 'alert' } }, t.error) : null,
    ),
    (() => {
      const chips = trajectoryRewards(t);
      return chips ? section('Rewards', chips) : null;
    })(),
    t.labels.length
      ? section(
          'Diagnosis',
          h(
            'ul',
            { class: 'labels', attrs: { 'aria-label': 'diagnosis labels' } },
            ...t.labels.map((l) =>
              h(
                'li',
                { class: 'label' },
                h('span', { class: 'tag label-name' }, l.label),
                ' ',
                ...labelExplanation(l, onStep),
              ),
            ),
          ),
        )
      : null,
    run ? section('Run', run) : null,
  );
}

/**
 * A diagnosis sentence with its step as a link. The diagnosis names a search with the panel's step number,
 * "search 2 (step 4)" (src/core/diagnosis.ts), so that "step 4" becomes the link in place rather than a
 * second "step 4" after the sentence; a sentence that names no step gets a "go to step N" link after it.
 */
function labelExplanation(l: Trajectory['labels'][number], onStep: (index: number) => void): Child[] {
  const text = l.explanation ?? '';
  if (typeof l.step !== 'number') return [h('span', { class: 'label-explanation' }, text)];
  const step = l.step;
  const link = (label: string) =>
    h('button', { class: 'link-button step-link', attrs: { type: 'button', title: `Show step ${step + 1}`, 'data-step': step }, on: { click: () => onStep(step) } }, label);
  const named = `(step ${step + 1})`;
  const at = text.indexOf(named);
  if (at < 0) return [h('span', { class: 'label-explanation' }, text), ' ', link(`go to step ${step + 1}`)];
  return [h('span', { class: 'label-explanation' }, text.slice(0, at + 1), link(`step ${step + 1}`), text.slice(at + named.length - 1))];
}
