/**
 * The texts of the Traces view's rows: what a file, trajectory and step row say, their tooltips and
 * screen-reader labels. Pure (no vscode), so what a user reads in the tree is unit-tested on Node.
 */
import * as path from 'node:path';
import type { Step } from '../../core/trace';
import { fmt, short } from './labels';
import type { TrajectorySummary } from './traceFileIndex';

/**
 * What a file row shows while and after it is read: its trajectories, how many failed (the verdict), bad lines.
 * With a filter on, `shown` is how many pass it and `failed` counts those only: the counts follow the filter.
 * While a large file is read, `expected` estimates its total from the bytes read so far.
 */
export function fileRowDescription(f: { total: number; failed: number; shown?: number; problems: number; read: boolean; reading: boolean; expected?: number }): string | undefined {
  if (f.reading && f.total === 0) return 'reading…';
  if (!f.read) return undefined;
  const count = (n: number) => n.toLocaleString('en-US');
  const tail = (f.failed ? ` · ${count(f.failed)} failed` : '') + (f.problems ? ` · ${f.problems} bad line${f.problems === 1 ? '' : 's'}` : '');
  if (f.reading && f.expected !== undefined && f.expected > f.total) {
    return `indexing ${count(f.total)} of ~${count(f.expected)}…${f.shown !== undefined ? ` · ${count(f.shown)} shown` : ''}${tail}`;
  }
  return `${f.reading ? 'reading… ' : ''}${f.shown !== undefined ? `${count(f.shown)} of ` : ''}${count(f.total)} ${f.total === 1 ? 'trajectory' : 'trajectories'}${tail}`;
}

/** correct / wrong / unknown, from the summary's verdict. */
export function verdictWord(s: TrajectorySummary): 'correct' | 'wrong' | 'unknown' {
  return s.verdict === undefined ? 'unknown' : s.verdict ? 'correct' : 'wrong';
}

export function trajectoryDescription(s: TrajectorySummary): string {
  const mark = s.verdict === undefined ? '·' : s.verdict ? '✓' : '✗';
  return `${mark} F1 ${fmt(s.f1)} · ${s.searches} search${s.searches === 1 ? '' : 'es'} · ${s.stopReason}${s.labels.length ? ` · ${s.labels.join(', ')}` : ''}`;
}

export function trajectoryTooltip(s: TrajectorySummary, file: string): string {
  return [
    s.question,
    '',
    `answer: ${s.answer ?? '(none)'}`,
    `${verdictWord(s)}: ${s.verdictWhy}`,
    // Which paper's functions computed the numbers: they differ on real data, so the tooltip names them.
    `EM ${fmt(s.em)} · F1 ${fmt(s.f1)}${s.subEm !== undefined ? ` · sub-EM ${fmt(s.subEm)}` : ''}` +
      `${s.judge !== undefined ? ` · judge ${fmt(s.judge)}` : ''}${s.metricDefinition ? ` (${s.metricDefinition} metrics)` : ''}`,
    `${s.searches} searches · ${s.steps} steps · ${s.stopReason}${s.latencyMs !== undefined ? ` · ${Math.round(s.latencyMs)} ms` : ''}`,
    ...(s.model ? [`model ${s.model}`] : []),
    `${path.basename(file)}:${s.line}`,
  ].join('\n');
}

export function trajectoryAccessibleLabel(s: TrajectorySummary): string {
  return `${verdictWord(s)} ${s.question}, F1 ${fmt(s.f1)}, ${s.searches} searches, ${s.stopReason}`;
}

/** "2. search: the query" with `index` 0-based. */
export function stepLabel(st: Step, index: number): string {
  const what = st.kind === 'search' ? `search: ${short(st.query, 80)}` : st.kind === 'answer' ? `answer: ${short(st.text, 80)}` : `reason: ${short(st.text, 80)}`;
  return `${index + 1}. ${what}`;
}

export function stepDescription(st: Step): string {
  const rewards = Object.entries(st.rewards ?? {}).map(([k, v]) => `${k} ${fmt(v)}`).join(' · ');
  return [st.kind === 'search' ? `${st.docs.length} docs` : '', rewards].filter(Boolean).join(' · ');
}
