/** Two trajectories side by side, steps aligned by turn, differing queries and documents marked. */
import { button } from './controls';
import type { RetrievedDoc, Trajectory } from '../src/core/trace';
import { alignSteps, type Turn } from './align';
import { h } from './dom';
import { badges } from './header';
import { docKey, stepView } from './steps';

function side(t: Trajectory, label: string, open?: () => void): HTMLElement {
  return h(
    'div',
    { class: 'compare-side-head' },
    h(
      'div',
      { class: 'compare-label' },
      label,
      ' · ',
      [t.policy?.model, t.runId].filter(Boolean).join(' · ') || t.id,
      open ? button('icon', { class: 'open-side', attrs: { title: `Open ${label} on its own`, 'aria-label': `Open ${label} on its own` }, on: { click: open } }, '↗') : null,
    ),
    // Each side's own gold: two different questions must not read as one merged "Gold" row.
    h('div', { class: 'compare-gold', dataset: { side: label } }, h('span', { class: 'dim' }, 'Gold: '), ...(t.gold?.length ? t.gold.map((g) => h('span', { class: 'tag gold-answer' }, g)) : ['(none)'])),
    h('div', { class: 'compare-answer' }, h('span', { class: 'dim' }, 'Answer: '), t.answer ?? '(no answer)'),
    badges(t),
  );
}

function cell(turn: Turn | undefined, golds: readonly string[], r: { queryDiffers: boolean; answerDiffers: boolean }, only: Set<string>, openDoc: (d: RetrievedDoc) => void): HTMLElement {
  if (!turn) return h('div', { class: 'compare-cell empty', attrs: { 'aria-label': 'no matching step' } }, '—');
  return h(
    'div',
    { class: 'compare-cell' },
    h('ol', { class: 'timeline' }, ...turn.steps.map(({ step, index }) => stepView(step, index, { golds, openDoc, differingDocs: only, queryDiffers: r.queryDiffers && step.kind === 'search', answerDiffers: r.answerDiffers }))),
  );
}

/** "Original" and "Fork at step N" when one side was forked from the other, else A and B. */
function sideLabels(left: Trajectory, right: Trajectory): [string, string] {
  if (right.forkOf?.id === left.id) return ['Original', `Fork at step ${right.forkOf.step + 1}`];
  if (left.forkOf?.id === right.id) return [`Fork at step ${left.forkOf.step + 1}`, 'Original'];
  return ['A', 'B'];
}

export function compareView(left: Trajectory, right: Trajectory, openDoc: (d: RetrievedDoc) => void, open?: { left?: () => void; right?: () => void }): HTMLElement {
  const rows = alignSteps(left.steps, right.steps, docKey);
  const sameQuestion = left.question.trim() === right.question.trim();
  const labels = sideLabels(left, right);
  return h(
    'div',
    { class: 'compare' },
    h('header', { class: 'traj-header' }, h('h1', { class: 'question' }, sameQuestion ? left.question : `A: ${left.question}`), sameQuestion ? null : h('h1', { class: 'question' }, `B: ${right.question}`)),
    h('div', { class: 'compare-grid compare-heads' }, side(left, labels[0], open?.left), side(right, labels[1], open?.right)),
    ...rows.map((r, k) =>
      h(
        'div',
        { class: `compare-grid compare-row${r.queryDiffers || r.answerDiffers ? ' differs' : ''}`, dataset: { row: String(k) } },
        // Gold answers are marked in each side's documents by that side's own gold.
        cell(r.left, left.gold ?? [], r, r.leftOnly, openDoc),
        cell(r.right, right.gold ?? [], r, r.rightOnly, openDoc),
      ),
    ),
  );
}
