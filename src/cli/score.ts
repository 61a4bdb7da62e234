/**
 * `hopscope score <file.jsonl> --metrics r1-searcher|search-r1|flashrag [--json]`: a researcher's own
 * predictions scored with a paper's own metric functions (core/metrics). `--json` prints one JSON line
 * per scored input line, in order (`em`, `f1`, `coverEm` | `em`, `subEm` | `em`, `f1`; `format` and
 * `violations` for `response` lines); otherwise a table of means with 95 % confidence intervals. Lines
 * that cannot be scored are reported as file:line: reason and skipped, and then the command fails
 * (exit 1): a partial score must not pass for a whole one.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { errorMessage, fileError, InputError } from '../core/errors';
import { METRIC_DEFINITION_NAMES, metricDefinition, type MetricDefinition } from '../core/metrics';
import { scoreRecord } from '../core/metrics/scoreRecord';
import { meanCi95 } from '../core/stats';
import { EXIT, UsageError } from './common';

interface ScoreCliOptions {
  metrics: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('score')
    .description("Score predictions with a paper's own metric functions: lines {prediction, golds} or {response} for the format check.")
    .argument('<file>', 'JSONL: {prediction, golds | answer | golden_answers} or {response}')
    .requiredOption('--metrics <name>', `metric definition: ${METRIC_DEFINITION_NAMES.join(' | ')}`)
    .option('--json', 'one JSON line per input line instead of the summary table')
    .action(async (file: string, opts: ScoreCliOptions) => {
      if (!(METRIC_DEFINITION_NAMES as readonly string[]).includes(opts.metrics)) {
        throw new UsageError(`--metrics must be one of ${METRIC_DEFINITION_NAMES.join(', ')}, got "${opts.metrics}"`);
      }
      const definition = metricDefinition(opts.metrics);
      const result = await scoreFile(file, definition, opts.json ? (line) => process.stdout.write(`${line}\n`) : undefined);
      if (!opts.json) process.stdout.write(renderTable(definition, result));
      if (result.skipped.length) {
        process.stderr.write(`${result.skipped.length} line(s) could not be scored and were skipped; the scores above leave them out\n`);
        process.exitCode = EXIT.runError;
      }
    });
}

export interface ScoreFileResult {
  /** Per metric name, the values of the scored lines in order. */
  values: Map<string, number[]>;
  /** Violation name → lines that broke it (format lines). */
  violations: Map<string, number>;
  skipped: number[];
}

async function scoreFile(file: string, definition: MetricDefinition, emit?: (json: string) => void): Promise<ScoreFileResult> {
  const result: ScoreFileResult = { values: new Map(), violations: new Map(), skipped: [] };
  const push = (k: string, v: number) => {
    const list = result.values.get(k);
    if (list) list.push(v);
    else result.values.set(k, [v]);
  };
  const stream = createReadStream(file, 'utf8');
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (e) => reject(fileError(e, file, 'read')));
  });
  await opened;
  let n = 0;
  for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
    n++;
    if (!text.trim()) continue;
    try {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (e) {
        throw new InputError(`not valid JSON (${(e as Error).message})`);
      }
      const scored = scoreRecord(value, definition);
      if (scored.kind === 'metrics') {
        for (const f of definition.fields) push(f, scored.scores[f]!);
        emit?.(JSON.stringify(scored.scores));
      } else {
        push('format', scored.format);
        for (const v of scored.violations) result.violations.set(v, (result.violations.get(v) ?? 0) + 1);
        emit?.(JSON.stringify({ format: scored.format, violations: scored.violations }));
      }
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      result.skipped.push(n);
      process.stderr.write(`${file}:${n}: ${errorMessage(e)}\n`);
    }
  }
  return result;
}

function renderTable(definition: MetricDefinition, r: ScoreFileResult): string {
  const rows = [...definition.fields, 'format']
    .filter((k) => r.values.has(k))
    .map((k) => {
      const s = meanCi95(r.values.get(k)!);
      // Every score here lies in [0, 1]; the normal interval is clipped to it.
      const lo = Math.max(0, s.mean - s.ci95);
      const hi = Math.min(1, s.mean + s.ci95);
      return [k, String(s.n), s.mean.toFixed(4), `± ${s.ci95.toFixed(4)}`, `[${lo.toFixed(4)}, ${hi.toFixed(4)}]`];
    });
  const head = ['metric', 'n', 'mean', '95% CI', 'interval'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const fmt = (row: string[]) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const lines = [`definition: ${definition.name} (${definition.source})`, fmt(head), ...rows.map(fmt)];
  if (!rows.length) lines.push('(no line could be scored)');
  for (const [v, count] of [...r.violations].sort((a, b) => b[1] - a[1])) lines.push(`violation ${v}: ${count}`);
  return `${lines.join('\n')}\n`;
}
