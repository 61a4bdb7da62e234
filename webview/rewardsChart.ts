/**
 * A small chart of per-step rewards across the steps, drawn as inline SVG with DOM calls (no markup
 * strings). One lane per reward name, each on its own scale: a 0/1 hit and a count of repeated documents
 * stay readable side by side, and a lane whose range is not 0–1 (a count) is labelled with its range.
 * Colours come from the theme through CSS classes.
 */
import type { Step } from '../src/core/trace';
import { h, svg } from './dom';
import { fmtNum } from './format';
import { rewardName } from '../src/core/rewards/names';

const WIDTH = 600;
const LANE = 22;
const LABEL = 140;
const PAD_RIGHT = 40;
const AXIS = 30;

export function rewardSeries(steps: readonly Step[]): Map<string, (number | undefined)[]> {
  const series = new Map<string, (number | undefined)[]>();
  steps.forEach((s, i) => {
    for (const [name, v] of Object.entries(s.rewards ?? {})) {
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      if (!series.has(name)) series.set(name, new Array<number | undefined>(steps.length).fill(undefined));
      series.get(name)![i] = v;
    }
  });
  return series;
}

/** `onStep` is called with a step's index when its point is clicked. */
export function rewardsChart(steps: readonly Step[], onStep?: (i: number) => void): HTMLElement {
  const series = rewardSeries(steps);
  if (series.size === 0) {
    return h('div', { class: 'chart empty' }, 'No per-step rewards recorded for this trajectory.');
  }
  const height = series.size * LANE + AXIS;
  const n = Math.max(steps.length - 1, 1);
  const x = (i: number) => LABEL + (i / n) * (WIDTH - LABEL - PAD_RIGHT);
  const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${height}`, role: 'img', class: 'rewards-svg', 'aria-label': `Rewards across ${steps.length} steps: ${[...series.keys()].join(', ')}` });

  let lane = 0;
  for (const [name, vals] of series) {
    const cls = `series s${lane % 6}`;
    const present = vals.filter((v): v is number => v !== undefined);
    const lo = Math.min(0, ...present);
    const hi = Math.max(1, ...present);
    const top = lane * LANE + 4;
    const y = (v: number) => top + (1 - (v - lo) / (hi - lo)) * (LANE - 8);
    const { label, definition } = rewardName(name);
    chart.appendChild(svg('text', { class: `series-label ${cls}`, x: LABEL - 8, y: top + LANE / 2, 'text-anchor': 'end', 'data-series': name }, label, svg('title', {}, `${label} (${name})${definition ? `: ${definition}` : ''}`)));
    chart.appendChild(svg('line', { class: 'axis', x1: LABEL, x2: WIDTH - PAD_RIGHT, y1: y(0), y2: y(0) }));
    if (lo !== 0 || hi !== 1) {
      // Counts (hitDocs, repeatedDocs) get their own scale: say which, so 3 documents don't read as a probability of 1.
      chart.appendChild(svg('text', { class: 'lane-scale', x: WIDTH - PAD_RIGHT + 6, y: top + LANE / 2, 'data-series': name }, `${fmtNum(lo)}–${fmtNum(hi)}`));
    }
    const pts = vals.map((v, i) => (v === undefined ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`)).filter(Boolean);
    if (pts.length > 1) chart.appendChild(svg('polyline', { class: cls, points: pts.join(' '), fill: 'none' }));
    vals.forEach((v, i) => {
      if (v === undefined) return;
      const dot = svg('circle', { class: cls, cx: x(i).toFixed(1), cy: y(v).toFixed(1), r: 3, 'data-step': i }, svg('title', {}, `step ${i + 1}: ${label} = ${fmtNum(v, 3)}`));
      if (onStep) dot.addEventListener('click', () => onStep(i));
      chart.appendChild(dot);
      // The value beside its point: a 0→1 change must read as one, not as a faint slope.
      chart.appendChild(svg('text', { class: 'point-value', x: (x(i) + 5).toFixed(1), y: (y(v) + (v - lo > (hi - lo) / 2 ? 9 : -2)).toFixed(1), 'data-step': i }, fmtNum(v)));
    });
    lane++;
  }
  // The step axis: a line under the lanes, a tick number per step, and its title.
  const axisY = height - AXIS + 2;
  chart.appendChild(svg('line', { class: 'axis x-axis', x1: LABEL, x2: WIDTH - PAD_RIGHT, y1: axisY, y2: axisY }));
  steps.forEach((_, i) => {
    if (steps.length <= 30 || i % Math.ceil(steps.length / 30) === 0) {
      chart.appendChild(svg('text', { class: 'tick', x: x(i), y: axisY + 12, 'text-anchor': 'middle' }, String(i + 1)));
    }
  });
  chart.appendChild(svg('text', { class: 'axis-title', x: LABEL - 8, y: axisY + 12, 'text-anchor': 'end' }, 'step →'));
  return h('figure', { class: 'chart' }, chart);
}
