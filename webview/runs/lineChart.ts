/**
 * One per-step line chart of the run dashboard, drawn as SVG with DOM calls (no markup strings, no
 * inline styles: colours come from the theme through CSS classes). Hovering reads out the values at
 * the nearest step; clicking picks that step. Gaps (null) break the line.
 */
import { h, svg } from '../dom';

export interface Series {
  name: string;
  values: ReadonlyArray<number | null>;
  /** CSS class picking the colour (`series s0` … `s7`). */
  cls: string;
}

export interface LineChartOptions {
  id: string;
  title: string;
  steps: readonly number[];
  series: readonly Series[];
  /** A shaded band (e.g. mean ± standard deviation) around the first series. */
  band?: { lo: ReadonlyArray<number | null>; hi: ReadonlyArray<number | null>; name: string };
  /** Fixed top of the y range (rates: 1); otherwise a round number at or above the largest value. */
  yMax?: number;
  format: (v: number) => string;
  selected?: number;
  onPick: (step: number) => void;
}

const W = 360;
const H = 150;
const L = 40;
const R = 8;
const T = 8;
const B = 20;

function points(xs: readonly number[], ys: ReadonlyArray<number | null>): string[][] {
  const runs: string[][] = [];
  let cur: string[] = [];
  ys.forEach((y, i) => {
    if (y === null || !Number.isFinite(y)) {
      if (cur.length) runs.push(cur);
      cur = [];
    } else cur.push(`${xs[i]!.toFixed(1)},${y.toFixed(1)}`);
  });
  if (cur.length) runs.push(cur);
  return runs;
}

/** The smallest of 1, 2, 2.5, 5 × 10^k at or above `v` (v > 0): axis ends a reader can read. */
export function roundUp(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5]) if (m * p >= v * (1 - 1e-9)) return m * p;
  return 10 * p;
}

/**
 * Step-axis labels: the first and last step, and round steps between them (every 1, 2, 2.5 or 5 × 10^k, about
 * four of them), leaving out any that would crowd an end.
 */
export function stepTicks(first: number, last: number): number[] {
  if (last <= first) return [first];
  const every = Math.max(1, Math.round(roundUp((last - first) / 4)));
  const inner: number[] = [];
  for (let s = Math.ceil(first / every) * every; s < last; s += every) {
    if (s - first >= every / 2 && last - s >= every / 2) inner.push(s);
  }
  return [first, ...inner, last];
}

export function lineChart(o: LineChartOptions): HTMLElement {
  const n = o.steps.length;
  const finite = (v: number | null): v is number => v !== null && Number.isFinite(v);
  const values = o.series.flatMap((s) => s.values).filter(finite);
  const top = Math.max(0, ...values, ...(o.band?.hi ?? []).filter(finite));
  const yMax = o.yMax ?? (top > 0 ? roundUp(top) : 1);
  // Trainer rewards can be negative (format penalties): the axis then reaches below zero rather than clipping
  // them. Only the lines decide that; a mean-minus-spread band is cut at the axis.
  const bottom = Math.min(0, ...values);
  const yMin = bottom < 0 ? -roundUp(-bottom) : 0;
  const first = o.steps[0] ?? 0;
  const last = o.steps[n - 1] ?? first;
  const span = Math.max(1, last - first);
  const x = (step: number) => L + ((step - first) / span) * (W - L - R);
  const y = (v: number) => T + (1 - (Math.min(Math.max(v, yMin), yMax) - yMin) / (yMax - yMin)) * (H - T - B);
  const xs = o.steps.map(x);

  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'run-chart-svg', role: 'img', 'aria-label': o.title });
  chart.appendChild(svg('line', { x1: L, y1: H - B, x2: W - R, y2: H - B, class: 'axis' }));
  chart.appendChild(svg('line', { x1: L, y1: T, x2: L, y2: H - B, class: 'axis' }));
  for (const v of yMin < 0 ? [yMin, 0, yMax] : [0, yMax / 2, yMax]) {
    chart.appendChild(svg('text', { x: L - 4, y: y(v) + 3, class: 'tick', 'text-anchor': 'end' }, o.format(v)));
  }
  for (const s of stepTicks(first, last)) chart.appendChild(svg('text', { x: x(s), y: H - 6, class: 'tick', 'text-anchor': 'middle' }, String(s)));

  if (o.band && n > 0) {
    const upper = o.band.hi.map((v, i) => (v === null ? null : `${xs[i]!.toFixed(1)},${y(v).toFixed(1)}`)).filter((p): p is string => p !== null);
    const lower = o.band.lo.map((v, i) => (v === null ? null : `${xs[i]!.toFixed(1)},${y(v).toFixed(1)}`)).filter((p): p is string => p !== null);
    if (upper.length > 1) chart.appendChild(svg('polygon', { points: [...upper, ...lower.reverse()].join(' '), class: `band ${o.series[0]?.cls ?? ''}` }));
  }
  for (const s of o.series) {
    const ys = s.values.map((v) => (v === null ? null : y(v)));
    for (const run of points(xs, ys)) {
      if (run.length === 1) {
        const [px, py] = run[0]!.split(',');
        chart.appendChild(svg('circle', { cx: px!, cy: py!, r: 2, class: s.cls }));
      } else chart.appendChild(svg('polyline', { points: run.join(' '), class: s.cls, fill: 'none' }));
    }
  }
  const selected = o.selected !== undefined ? svg('line', { x1: x(o.selected), x2: x(o.selected), y1: T, y2: H - B, class: 'selected-step' }) : undefined;
  if (selected) chart.appendChild(selected);
  const cursor = svg('line', { x1: L, x2: L, y1: T, y2: H - B, class: 'cursor hidden' });
  chart.appendChild(cursor);

  const readout = h('div', { class: 'readout', attrs: { 'aria-live': 'polite' } }, ' ');
  const legend = h(
    'div',
    { class: 'legend' },
    ...o.series.map((s) => h('span', { class: `legend-item` }, h('span', { class: `swatch ${s.cls}` }), s.name)),
    o.band ? h('span', { class: 'legend-item band-note' }, `shaded: ${o.band.name}`) : null,
  );

  const nearest = (ev: MouseEvent): number | undefined => {
    if (!n) return undefined;
    const box = chart.getBoundingClientRect();
    const px = ((ev.clientX - box.left) / Math.max(1, box.width)) * W;
    let best = 0;
    for (let i = 1; i < n; i++) if (Math.abs(xs[i]! - px) < Math.abs(xs[best]! - px)) best = i;
    return best;
  };
  chart.addEventListener('mousemove', (ev) => {
    const i = nearest(ev);
    if (i === undefined) return;
    cursor.setAttribute('x1', String(xs[i]));
    cursor.setAttribute('x2', String(xs[i]));
    cursor.setAttribute('class', 'cursor');
    const parts = o.series.map((s) => `${s.name} ${s.values[i] === null ? '–' : o.format(s.values[i]!)}`);
    if (o.band) parts.push(`${o.band.name} ${fmtRange(o.band.lo[i] ?? null, o.band.hi[i] ?? null, o.format)}`);
    readout.textContent = `step ${o.steps[i]}: ${parts.join(' · ')}`;
  });
  chart.addEventListener('mouseleave', () => cursor.setAttribute('class', 'cursor hidden'));
  chart.addEventListener('click', (ev) => {
    const i = nearest(ev);
    if (i !== undefined) o.onPick(o.steps[i]!);
  });

  return h('figure', { class: 'run-chart', attrs: { id: o.id }, dataset: { chart: o.id } }, h('figcaption', {}, o.title), chart, readout, legend);
}

function fmtRange(lo: number | null, hi: number | null, format: (v: number) => string): string {
  return lo === null || hi === null ? '–' : `${format(lo)}–${format(hi)}`;
}
