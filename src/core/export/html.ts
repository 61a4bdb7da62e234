/**
 * A self-contained HTML report of a run: the summary (metrics, stop reasons, diagnosis counts, a
 * breakdown by dataset), charts as inline SVG, and the failed trajectories with their steps. No script,
 * no remote resource, a CSP that forbids both; every piece of model output and document text is
 * escaped, so a document holding `<script>` shows as text.
 */
import { LABEL_MEANINGS, type DiagnosisName } from '../diagnosis';
import { isMetricDefinitionName, metricDefinitions } from '../metrics';
import { SummaryBuilder, type HistogramBin, type RunSummary } from '../summary';
import type { Trajectory } from '../trace';
import { verdict, type VerdictName } from '../verdict';

export interface HtmlReportOptions {
  title?: string;
  /** Failed trajectories shown in full (default 100). */
  maxFailed?: number;
  /** Documents shown per search step (default 3). */
  docsPerSearch?: number;
  generatedAt?: string;
  /** A link target for a trajectory (e.g. a `command:` URI in VS Code); none when omitted. */
  linkFor?: (t: Pick<Trajectory, 'id' | 'runId'>) => string | undefined;
  /** List every trajectory (up to this many) in a table after the failed ones (default 0: none). */
  listAll?: number;
  /** CSP nonce for the style block, for webviews; without it the style is allowed inline. */
  nonce?: string;
}

interface Row {
  id: string;
  runId: string;
  question: string;
  answer: string | null;
  f1?: number;
  searches: number;
  labels: string[];
  stopReason: string;
  verdict: VerdictName;
  why: string;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const fmt = (v: number | undefined, digits = 3) => (v === undefined ? '–' : Number.isInteger(v) ? String(v) : v.toFixed(digits));

/** A mean and its 95 % CI half-width in one cell ("0.625 ±0.469"); the mean alone when there is no interval. */
const withCi = (mean: number | undefined, ci95: number | undefined, digits = 3) =>
  mean === undefined || ci95 === undefined ? fmt(mean, digits) : `${fmt(mean, digits)} ±${fmt(ci95, digits)}`;

export class HtmlReportBuilder {
  private readonly summary: SummaryBuilder;
  private readonly failed: Trajectory[] = [];
  private readonly rows: Row[] = [];
  constructor(private readonly options: HtmlReportOptions = {}) {
    this.summary = new SummaryBuilder(options.maxFailed ?? 100);
  }
  add(t: Trajectory): void {
    this.summary.add(t);
    const v = verdict(t);
    if (v.verdict === 'wrong' && this.failed.length < (this.options.maxFailed ?? 100)) this.failed.push(t);
    if (this.rows.length < (this.options.listAll ?? 0)) {
      this.rows.push({
        verdict: v.verdict,
        why: v.why,
        id: t.id,
        runId: t.runId,
        question: t.question,
        answer: t.answer,
        ...(t.outcome.f1 !== undefined ? { f1: t.outcome.f1 } : {}),
        searches: t.steps.filter((x) => x.kind === 'search').length,
        labels: t.labels.map((l) => l.label),
        stopReason: t.stopReason,
      });
    }
  }
  result(): string {
    return renderReport(this.summary.result(), this.failed, this.rows, this.options);
  }
}

export function htmlReport(trajectories: Iterable<Trajectory>, options: HtmlReportOptions = {}): string {
  const b = new HtmlReportBuilder(options);
  for (const t of trajectories) b.add(t);
  return b.result();
}

function renderReport(s: RunSummary, failed: Trajectory[], rows: Row[], o: HtmlReportOptions): string {
  const title = o.title ?? 'Hopscope run report';
  const labels = Object.entries(s.labels).sort((a, b) => b[1] - a[1]);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${o.nonce ? `'nonce-${escapeHtml(o.nonce)}'` : "'unsafe-inline'"}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style${o.nonce ? ` nonce="${escapeHtml(o.nonce)}"` : ''}>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="muted" title="${escapeHtml(VERDICT_RULE)}">${s.count} trajectories · ${s.verdicts.correct} correct · ${s.failedCount} wrong · ${s.verdicts.unknown} unknown${s.span ? ` · ran ${escapeHtml(runSpan(s.span))}` : ''}${o.generatedAt ? ` · <span title="when this summary was made">summary made ${escapeHtml(o.generatedAt)}</span>` : ''}</p>
<section class="grid">
<div><h2>Metrics</h2>${definitionNote(s)}${table(['metric', 'mean', '95 % CI', 'n'], s.metrics.map((m) => [m.name, fmt(m.mean), m.ci95 === undefined ? '–' : `±${fmt(m.ci95)}`, String(m.n)]))}<p class="muted">95 % CI: mean ± 1.96 × standard deviation / √n (normal approximation).</p></div>
<div><h2>Stop reasons</h2>${table(['stop reason', 'count'], Object.entries(s.stopReasons).map(([k, v]) => [k, String(v)]))}</div>
<div><h2>Diagnosis</h2>${
    labels.length
      ? table(['label', 'count', 'meaning'], labels.map(([k, v]) => [k, String(v), LABEL_MEANINGS[k as DiagnosisName] ?? '']))
      : '<p class="muted">No diagnosis labels.</p>'
  }</div>
</section>
<section class="grid">
<div><h2>Searches per question</h2>${barChart(s.searchesHistogram, 'searches per question')}</div>
<div><h2>F1 (bins by lower edge)</h2>${barChart(s.f1Histogram, 'F1 distribution')}</div>
<div><h2>Diagnosis counts</h2>${barChart(labels.map(([label, count]) => ({ label, count })), 'diagnosis counts', true)}</div>
</section>
<h2>By dataset</h2>
${table(['dataset', 'n', 'EM', 'F1', 'cover-EM', 'judge', 'searches'], s.byDataset.map((d) => [d.dataset, String(d.count), withCi(d.em, d.ci95.em), withCi(d.f1, d.ci95.f1), withCi(d.coverEm, d.ci95.coverEm), withCi(d.judge, d.ci95.judge), withCi(d.searches, d.ci95.searches, 2)]))}
<p class="muted">Means ± the half-width of their 95 % CI, as in the metrics table; none below two values.</p>
<h2>Failed trajectories${s.failedCount > failed.length ? ` (first ${failed.length} of ${s.failedCount})` : ''}</h2>
${failed.map((t) => failedCard(t, o.docsPerSearch ?? 3, o.linkFor)).join('\n') || '<p class="muted">None.</p>'}
${rows.length ? `<h2>All trajectories${s.count > rows.length ? ` (first ${rows.length} of ${s.count})` : ''}</h2>${allTable(rows, o.linkFor)}` : ''}
</body>
</html>
`;
}

/** "2026-11-25 10:00 – 10:42 UTC" (or two dates when the run crossed midnight): when the trajectories were made. */
export function runSpan(span: { first: string; last: string }): string {
  const f = new Date(span.first).toISOString();
  const l = new Date(span.last).toISOString();
  const day = (iso: string) => iso.slice(0, 10);
  const time = (iso: string) => iso.slice(11, 16);
  if (span.first === span.last) return `${day(f)} ${time(f)} UTC`;
  return day(f) === day(l) ? `${day(f)} ${time(f)} – ${time(l)} UTC` : `${day(f)} ${time(f)} – ${day(l)} ${time(l)} UTC`;
}

/** Which paper's metric functions the EM/F1/cover-EM/sub-EM numbers come from, or why they are missing. */
function definitionNote(s: RunSummary): string {
  if (s.mixedDefinitions) return `<p class="warn">${escapeHtml(s.mixedDefinitions)}</p>`;
  const name = s.metricDefinition;
  if (!name) return '';
  const source = isMetricDefinitionName(name) ? metricDefinitions[name].source : 'not recorded in these traces (older Hopscope: R1-Searcher metrics with SQuAD normalisation)';
  return `<p class="muted metric-definition">metric definition: <b>${escapeHtml(name)}</b> (${escapeHtml(source)})</p>`;
}

const VERDICT_MARK: Record<VerdictName, string> = { correct: '✓', wrong: '✗', unknown: '?' };
const VERDICT_RULE = 'correct: EM 1, else cover-EM 1 (sub-EM under Search-R1\'s definition); wrong otherwise; without gold, the LLM judge; a run that ended in error is unknown';

function table(head: string[], rows: string[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** A bar chart as inline SVG: one bar per bin, counts above, labels below (rotated when many or long). */
function barChart(bins: HistogramBin[], label: string, rotate = false): string {
  if (!bins.length) return '<p class="muted">No data.</p>';
  const w = 360;
  const h = 180;
  const bottom = rotate ? 90 : 24;
  // Rotated labels run to the right of their bar: leave room for the last one.
  const plot = rotate ? w - 100 : w;
  const max = Math.max(1, ...bins.map((b) => b.count));
  const bw = plot / bins.length;
  const bars = bins
    .map((b, i) => {
      const bh = ((h - bottom - 16) * b.count) / max;
      const x = i * bw + 2;
      const y = h - bottom - bh;
      const cx = x + (bw - 4) / 2;
      const text = rotate
        ? `<text x="${cx}" y="${h - bottom + 10}" transform="rotate(40 ${cx} ${h - bottom + 10})" class="tick">${escapeHtml(b.label)}</text>`
        : `<text x="${cx}" y="${h - 8}" text-anchor="middle" class="tick">${escapeHtml(b.label)}</text>`;
      return `<rect x="${x}" y="${y}" width="${Math.max(1, bw - 4)}" height="${bh}" class="bar"><title>${escapeHtml(`${b.label}: ${b.count}`)}</title></rect>` +
        `<text x="${cx}" y="${y - 3}" text-anchor="middle" class="count">${b.count}</text>${text}`;
    })
    .join('');
  return `<svg viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${escapeHtml(label)}">${bars}</svg>`;
}

function linked(text: string, href: string | undefined): string {
  return href ? `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>` : escapeHtml(text);
}

function allTable(rows: Row[], linkFor: HtmlReportOptions['linkFor']): string {
  const body = rows
    .map(
      (r) =>
        `<tr><td title="${escapeHtml(r.why)}">${VERDICT_MARK[r.verdict]}</td><td>${linked(clip(r.question, 120), linkFor?.(r))}</td><td>${escapeHtml(r.answer ?? '(none)')}</td><td>${fmt(r.f1, 2)}</td>` +
        `<td>${r.searches}</td><td>${escapeHtml(r.stopReason)}</td><td>${r.labels.map((l) => `<span class="label">${escapeHtml(l)}</span>`).join(' ')}</td></tr>`,
    )
    .join('');
  return `<table class="all"><thead><tr><th>verdict</th><th>question</th><th>answer</th><th>F1</th><th>searches</th><th>stop</th><th>diagnosis</th></tr></thead><tbody>${body}</tbody></table>`;
}

function failedCard(t: Trajectory, docsPerSearch: number, linkFor?: HtmlReportOptions['linkFor']): string {
  const steps = t.steps
    .map((s, i) => {
      switch (s.kind) {
        case 'reason':
          return `<li class="reason"><span class="kind">think</span> ${escapeHtml(clip(s.text, 400))}</li>`;
        case 'search':
          return `<li class="search"><span class="kind">search</span> <code>${escapeHtml(s.query)}</code>${rewardsText(s.rewards)}<ol class="docs">${s.docs
            .slice(0, docsPerSearch)
            .map((d) => `<li><b>${escapeHtml(d.title || d.id)}</b> ${escapeHtml(clip(d.text, 240))}</li>`)
            .join('')}</ol>${s.error ? `<p class="error">${escapeHtml(s.error)}</p>` : ''}</li>`;
        case 'answer':
          return `<li class="answer"><span class="kind">answer</span> ${escapeHtml(s.text)}${rewardsText(s.rewards)}</li>`;
        default: {
          const never: never = s;
          return `<li>step ${i}: ${escapeHtml(String((never as { kind: string }).kind))}</li>`;
        }
      }
    })
    .join('');
  return `<details class="card"><summary><b>${escapeHtml(clip(t.question, 160))}</b> <span class="muted">— answer “${escapeHtml(
    t.answer ?? '(none)',
  )}”, gold “${escapeHtml((t.gold ?? []).join(' | '))}”, F1 ${fmt(t.outcome.f1, 2)}</span> ${t.labels
    .map((l) => `<span class="label">${escapeHtml(l.label)}</span>`)
    .join(' ')}</summary>
<p class="muted">${linked(t.id, linkFor?.(t))} · ${escapeHtml(t.stopReason)} · wrong: ${escapeHtml(verdict(t).why)}</p>
<ul class="labels">${t.labels.map((l) => `<li><b>${escapeHtml(l.label)}</b>: ${escapeHtml(l.explanation)}</li>`).join('')}</ul>
<ol class="steps">${steps}</ol></details>`;
}

function rewardsText(r: Record<string, number>): string {
  const parts = Object.entries(r).map(([k, v]) => `${k} ${fmt(v, 2)}`);
  return parts.length ? ` <span class="rewards">${escapeHtml(parts.join(' · '))}</span>` : '';
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1f2328;background:#fff}
h1{font-size:22px}h2{font-size:16px;margin-top:24px}
.muted{color:#656d76}.warn{color:#9a6700;font-weight:600}.grid{display:flex;flex-wrap:wrap;gap:24px}
table{border-collapse:collapse;margin:6px 0}th,td{border:1px solid #d0d7de;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}
svg .bar{fill:#0969da}svg .count{font-size:10px;fill:#1f2328}svg .tick{font-size:10px;fill:#656d76}
.card{border:1px solid #d0d7de;border-radius:6px;padding:6px 10px;margin:8px 0}
.label{display:inline-block;background:#ffebe9;color:#82071e;border-radius:10px;padding:0 8px;font-size:12px}
.kind{display:inline-block;min-width:52px;font-size:11px;text-transform:uppercase;color:#656d76}
.steps>li{margin:4px 0}.docs{color:#424a53;font-size:13px}.rewards{font-size:12px;color:#1a7f37}
.error{color:#cf222e}a{color:#0969da}code{background:#f6f8fa;padding:0 4px}
@media (prefers-color-scheme: dark){body{background:#0d1117;color:#e6edf3}th{background:#161b22}th,td,.card{border-color:#30363d}
svg .count{fill:#e6edf3}code{background:#161b22}.docs{color:#9198a1}}
`;
