/** A single trajectory: header, then tabs Timeline (rewards chart + steps) and Raw. */
import { tabs } from './controls';
import type { RetrievedDoc, Trajectory } from '../src/core/trace';
import { h } from './dom';
import { header } from './header';
import { rawView } from './raw';
import { rewardsChart } from './rewardsChart';
import { flushRendering, renderProgressively, renderStages } from './progressive';
import { stepView } from './steps';

export interface ViewHooks {
  openDoc(doc: RetrievedDoc): void;
  /** Offered on search steps when set: fork the trajectory there. */
  fork?(step: number): void;
}

export function focusStep(root: ParentNode, index: number): void {
  flushRendering();
  const el = root.querySelector<HTMLElement>(`.step[data-step="${index}"]`);
  if (!el) return;
  // From the Raw tab, go back to the timeline first.
  if (el.offsetParent === null) root.querySelector<HTMLElement>('#tab-timeline')?.click();
  el.scrollIntoView({ block: 'start' });
  el.focus({ preventScroll: true });
}

/** The steps as a list, filled a slice at a time; `first`: how many to render at once (default 8, time-boxed). */
export function timeline(t: Trajectory, hooks: ViewHooks & { onComplete?: () => void }, first?: number): HTMLElement {
  const golds = t.gold ?? [];
  const list = h('ol', { class: 'timeline', attrs: { 'aria-label': 'steps' } });
  const labelsAt = (i: number) => t.labels.filter((l) => l.step === i).map((l) => ({ label: l.label, explanation: l.explanation ?? '' }));
  renderProgressively(list, t.steps.length, (i) => stepView(t.steps[i], i, { golds, goldDocs: t.goldDocs, openDoc: hooks.openDoc, labels: labelsAt(i), onFork: hooks.fork }), { first, onDone: hooks.onComplete });
  return list;
}

/**
 * The header at once; the tabs, the rewards chart, the steps and the raw transcript each in tasks of
 * their own, so even the first (cold) render of a 50-step x 10-document trajectory never blocks a frame.
 */
export function trajectoryView(t: Trajectory, hooks: ViewHooks & { onComplete?: () => void }): HTMLElement {
  const root = h('div', { class: 'trajectory' });
  root.appendChild(header(t, (i) => focusStep(root, i)));
  const wrap = h('div', { class: 'timeline-wrap' });
  const rawPanel = h('div', { class: 'raw-wrap' });
  let pending = 2;
  const done = () => {
    if (--pending === 0) hooks.onComplete?.();
  };
  renderStages(
    [
      () =>
        root.appendChild(
          tabs(
            [
              { id: 'tab-timeline', panelId: 'view-timeline', label: 'Timeline', content: wrap },
              { id: 'tab-raw', panelId: 'view-raw', label: 'Raw', content: rawPanel },
            ],
            'trajectory views',
          ),
        ),
      () => wrap.appendChild(rewardsChart(t.steps, (i) => focusStep(root, i))),
      () => wrap.appendChild(timeline(t, { ...hooks, onComplete: done }, 0)),
      () => rawPanel.appendChild(rawView(t.raw)),
    ],
    done,
  );
  return root;
}
