/**
 * Run summaries: the metrics table, histograms of searches per question and of F1, diagnosis counts,
 * a breakdown by dataset and the failed trajectories. Built incrementally (`SummaryBuilder.add`), so an
 * evaluation can show it live and a large file never has to sit in memory.
 */
import { RunningMean as Mean } from './stats';
import { searchSteps, STOP_REASONS, type StopReason, type Trajectory } from './trace';
import { verdict, type VerdictName } from './verdict';

/** Means over the trajectories that have the value; `n` says how many did. */
export interface MetricRow {
  name: string;
  mean: number;
  n: number;
  /**
   * Half-width of the 95 % confidence interval of the mean (normal approximation, 1.96 × sample standard
   * deviation / √n); absent below n = 2, where there is no spread to estimate.
   */
  ci95?: number;
}

export interface HistogramBin {
  label: string;
  count: number;
}

export interface DatasetRow {
  dataset: string;
  count: number;
  em?: number;
  f1?: number;
  coverEm?: number;
  judge?: number;
  searches: number;
  /**
   * Half-widths of the 95 % confidence intervals of this dataset's means, as for `MetricRow.ci95`; a
   * metric is absent when fewer than two of the dataset's trajectories had it.
   */
  ci95: DatasetCi;
}

export type DatasetCi = Partial<Record<'em' | 'f1' | 'coverEm' | 'judge' | 'searches', number>>;

export interface FailedTrajectory {
  id: string;
  question: string;
  answer: string | null;
  gold?: string[];
  f1?: number;
  labels: string[];
  stopReason: StopReason;
  /** The verdict's reason (verdict.ts), e.g. "neither EM nor cover-EM is 1". */
  why: string;
}

export interface RunSummary {
  count: number;
  metrics: MetricRow[];
  stopReasons: Partial<Record<StopReason, number>>;
  /** Nearest-rank percentiles of the trajectories' wall time (0 without any). */
  p50Ms: number;
  p95Ms: number;
  labels: Record<string, number>;
  searchesHistogram: HistogramBin[];
  f1Histogram: HistogramBin[];
  byDataset: DatasetRow[];
  /** Trajectories whose verdict (verdict.ts) is `wrong`, at most `maxFailed`, in file order. */
  failed: FailedTrajectory[];
  /** How many trajectories the verdict calls wrong: the same number as the tree's failed count. */
  failedCount: number;
  /** When the run happened: the earliest and latest trajectory `createdAt` (ISO), not when the summary was made. */
  span?: { first: string; last: string };
  /** Trajectories by verdict; `unknown` holds runs that ended in error or were cancelled, and those with nothing to judge by. */
  verdicts: Record<VerdictName, number>;
  /**
   * Scored trajectories by the metric definition of their outcome (`unrecorded` for traces written
   * before definitions were recorded). One key: `metricDefinition` names it.
   */
  metricDefinitions: Record<string, number>;
  /** The one definition every EM/F1/cover-EM/sub-EM mean is computed with. */
  metricDefinition?: string;
  /**
   * Set when the trajectories were scored with different definitions: their EM/F1/cover-EM/sub-EM are not
   * comparable, so those means are left out of `metrics` and this says why.
   */
  mixedDefinitions?: string;
}

/** Outcome metrics: their means exist only over one metric definition. */
const OUTCOME_ROWS = new Set(['EM', 'F1', 'cover-EM', 'sub-EM']);

const METRICS: Array<[string, (t: Trajectory) => number | undefined]> = [
  ['EM', (t) => t.outcome.em],
  ['F1', (t) => t.outcome.f1],
  ['cover-EM', (t) => t.outcome.coverEm],
  ['sub-EM', (t) => t.outcome.subEm],
  ['judge (ACC_L)', (t) => t.outcome.judge],
  ['format', (t) => t.rewards.format],
  ['R1-Searcher reward', (t) => t.rewards.r1SearcherReward],
  ['retrieval hit', (t) => t.rewards.retrievalHit],
  ['retrieval correct (Search-R1)', (t) => t.rewards.retrievalCorrectSearchR1],
  ['gold paragraph recall', (t) => t.rewards.goldDocRecall],
  ['info gain', (t) => t.rewards.infoGain],
  ['searches', (t) => searchSteps(t).length],
  ['repeated queries', (t) => t.rewards.repeatedQueries],
  ['completion tokens', (t) => t.usage.completionTokens],
  ['latency (ms)', (t) => t.timing.totalMs],
];

const SEARCH_BINS = 8;
const F1_BINS = 10;

const DATASET_MEANS = ['em', 'f1', 'coverEm', 'judge', 'searches'] as const;

interface DatasetAcc {
  count: number;
  em: Mean;
  f1: Mean;
  coverEm: Mean;
  judge: Mean;
  searches: Mean;
}

export class SummaryBuilder {
  private count = 0;
  private readonly metrics = METRICS.map(() => new Mean());
  private readonly stops: Partial<Record<StopReason, number>> = {};
  private readonly labels: Record<string, number> = {};
  private readonly searches = new Array<number>(SEARCH_BINS + 1).fill(0);
  private readonly f1 = new Array<number>(F1_BINS).fill(0);
  private readonly datasets = new Map<string, DatasetAcc>();
  private readonly failed: FailedTrajectory[] = [];
  private failedCount = 0;
  private readonly verdicts: Record<VerdictName, number> = { correct: 0, wrong: 0, unknown: 0 };
  private readonly definitions: Record<string, number> = {};
  private firstAt: string | undefined;
  private lastAt: string | undefined;
  /** One number per trajectory: percentiles need them all, and that is small next to the trajectories. */
  private readonly latencies: number[] = [];

  constructor(private readonly maxFailed = 200) {}

  add(t: Trajectory): void {
    this.count++;
    METRICS.forEach(([, get], i) => this.metrics[i]!.add(get(t)));
    this.stops[t.stopReason] = (this.stops[t.stopReason] ?? 0) + 1;
    // ISO times compare as strings; a trajectory without a readable time does not move the span.
    if (typeof t.createdAt === 'string' && !Number.isNaN(Date.parse(t.createdAt))) {
      if (this.firstAt === undefined || t.createdAt < this.firstAt) this.firstAt = t.createdAt;
      if (this.lastAt === undefined || t.createdAt > this.lastAt) this.lastAt = t.createdAt;
    }
    if (Object.keys(t.outcome).some((k) => k !== 'judge')) {
      const d = t.metricDefinition ?? 'unrecorded';
      this.definitions[d] = (this.definitions[d] ?? 0) + 1;
    }
    this.latencies.push(t.timing.totalMs ?? 0);
    for (const l of new Set(t.labels.map((x) => x.label))) this.labels[l] = (this.labels[l] ?? 0) + 1;
    const n = searchSteps(t).length;
    this.searches[Math.min(n, SEARCH_BINS)]!++;
    if (t.outcome.f1 !== undefined) this.f1[Math.min(F1_BINS - 1, Math.floor(t.outcome.f1 * F1_BINS))]!++;
    const name = t.dataset ?? t.runId;
    let d = this.datasets.get(name);
    if (!d) this.datasets.set(name, (d = { count: 0, em: new Mean(), f1: new Mean(), coverEm: new Mean(), judge: new Mean(), searches: new Mean() }));
    d.count++;
    d.em.add(t.outcome.em);
    d.f1.add(t.outcome.f1);
    d.coverEm.add(t.outcome.coverEm);
    d.judge.add(t.outcome.judge);
    d.searches.add(n);
    const v = verdict(t);
    this.verdicts[v.verdict]++;
    if (v.verdict === 'wrong') {
      this.failedCount++;
      if (this.failed.length < this.maxFailed) {
        this.failed.push({
          id: t.id,
          question: t.question,
          answer: t.answer,
          ...(t.gold ? { gold: t.gold } : {}),
          ...(t.outcome.f1 !== undefined ? { f1: t.outcome.f1 } : {}),
          labels: t.labels.map((l) => l.label),
          stopReason: t.stopReason,
          why: v.why,
        });
      }
    }
  }

  result(): RunSummary {
    const names = Object.keys(this.definitions).sort();
    const mixed = names.length > 1;
    const metrics: MetricRow[] = [];
    METRICS.forEach(([name], i) => {
      const m = this.metrics[i]!;
      if (m.n && !(mixed && OUTCOME_ROWS.has(name))) metrics.push({ name, mean: m.value!, n: m.n, ...(m.ci95 !== undefined ? { ci95: m.ci95 } : {}) });
    });
    const stopReasons: Partial<Record<StopReason, number>> = {};
    for (const s of STOP_REASONS) if (this.stops[s]) stopReasons[s] = this.stops[s];
    const ms = [...this.latencies].sort((a, b) => a - b);
    return {
      count: this.count,
      metrics,
      stopReasons,
      p50Ms: percentile(ms, 50),
      p95Ms: percentile(ms, 95),
      labels: { ...this.labels },
      searchesHistogram: this.searches.map((count, i) => ({ label: i === SEARCH_BINS ? `${SEARCH_BINS}+` : String(i), count })),
      // Labelled by lower edge: bin i holds F1 in [i/10, (i+1)/10), the last one also F1 = 1.
      f1Histogram: this.f1.map((count, i) => ({ label: (i / F1_BINS).toFixed(1), count })),
      byDataset: [...this.datasets.entries()]
        .map(([dataset, d]) => {
          const row: DatasetRow = { dataset, count: d.count, searches: d.searches.value ?? 0, ci95: {} };
          for (const k of DATASET_MEANS) {
            const m = d[k];
            if (k !== 'searches' && m.value !== undefined) row[k] = m.value;
            if (m.ci95 !== undefined) row.ci95[k] = m.ci95;
          }
          return row;
        })
        .sort((a, b) => a.dataset.localeCompare(b.dataset)),
      failed: [...this.failed],
      failedCount: this.failedCount,
      ...(this.firstAt && this.lastAt ? { span: { first: this.firstAt, last: this.lastAt } } : {}),
      verdicts: { ...this.verdicts },
      metricDefinitions: { ...this.definitions },
      ...(names.length === 1 ? { metricDefinition: names[0] } : {}),
      ...(mixed
        ? {
            mixedDefinitions: `scored with different metric definitions (${names.map((n) => `${n} ${this.definitions[n]}`).join(', ')}): EM, F1, cover-EM and sub-EM are not averaged across them; score each part on its own`,
          }
        : {}),
    };
  }
}

/** The mean of a metric row by name (`EM`, `F1`, `searches`…), when any trajectory had it. */
export function metricMean(s: RunSummary, name: string): number | undefined {
  return s.metrics.find((m) => m.name === name)?.mean;
}

/** Nearest-rank percentile of sorted numbers; 0 for none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function summarize(trajectories: Iterable<Trajectory>, maxFailed?: number): RunSummary {
  const b = new SummaryBuilder(maxFailed);
  for (const t of trajectories) b.add(t);
  return b.result();
}
