/**
 * `hopscope export <traces> --otlp`: the trajectories sent to an OpenTelemetry collector instead of
 * written. Endpoint, headers and protocol come from the flags, else the standard OTEL_EXPORTER_OTLP_*
 * variables (src/core/otel/config.ts). Progress goes to stderr (one updating line on a terminal), then a
 * summary; a refused request stops with a message naming the endpoint and the status.
 */
import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import type { DecompressLimits } from '../core/decompress';
import { InputError } from '../core/errors';
import { trajectoriesOf } from '../core/export/source';
import type { ImportFormat, ImportProblem } from '../core/importers';
import { OTLP_PROTOCOLS, parseHeaderArg, resolvePushConfig } from '../core/otel/config';
import { pushTrajectories, DEFAULT_MAX_BATCH_BYTES, type PushProgress, type PushSummary } from '../core/otel/push';
import { parseIntOption, UsageError } from './common';

export interface OtlpCliOptions {
  otlp?: boolean;
  otlpEndpoint?: string;
  otlpHeader?: string[];
  otlpProtocol?: string;
  otlpBatchBytes?: number;
}

export function addOtlpOptions(command: Command): Command {
  return command
    .option('--otlp', 'send to an OpenTelemetry collector (OTLP/HTTP) instead of writing a file')
    .option('--otlp-endpoint <url>', 'collector URL (a bare host gets /v1/traces); default OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_EXPORTER_OTLP_ENDPOINT, then http://localhost:4318')
    .option('--otlp-header <K=V>', 'a request header, repeatable (e.g. "Authorization=Basic …"); added to OTEL_EXPORTER_OTLP_HEADERS', (v: string, all: string[] = []) => [...all, v])
    .option('--otlp-protocol <p>', `${OTLP_PROTOCOLS.join(' | ')}; default OTEL_EXPORTER_OTLP_PROTOCOL, then http/protobuf`)
    .option('--otlp-batch-bytes <n>', `most bytes per request (default ${DEFAULT_MAX_BATCH_BYTES})`, parseIntOption('--otlp-batch-bytes', 1024));
}

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function progressLine(p: PushProgress): string {
  return `sent ${plural(p.trajectories, 'trajectory', 'trajectories')} in ${plural(p.requests, 'request')} (${mb(p.bytes)})${p.retries ? `, ${plural(p.retries, 'retry', 'retries')}` : ''}`;
}

export function summaryLine(s: PushSummary, skipped: number): string {
  const parts = [
    `sent ${plural(s.trajectories, 'trajectory', 'trajectories')} (${plural(s.spans, 'span')}) to ${s.url} as ${s.protocol} in ${plural(s.requests, 'request')}, ${mb(s.bytes)}`,
  ];
  if (s.retries) parts.push(plural(s.retries, 'retry', 'retries'));
  if (s.rejectedSpans) parts.push(`the collector dropped ${plural(s.rejectedSpans, 'span')}${s.warnings.length ? ` (${s.warnings.join('; ')})` : ''}`);
  if (skipped) parts.push(`${skipped} record(s) skipped`);
  return parts.join('; ');
}

export async function pushFile(
  file: string,
  opts: OtlpCliOptions & { from?: ImportFormat; content: boolean; limits: DecompressLimits; version?: string; format?: string },
): Promise<void> {
  if (opts.format !== undefined && opts.format !== 'otel') throw new UsageError(`--otlp sends OpenTelemetry spans; it does not go with --format ${opts.format}`);
  const headers = Object.fromEntries((opts.otlpHeader ?? []).map(parseHeaderArg));
  const config = resolvePushConfig({ endpoint: opts.otlpEndpoint, headers, protocol: opts.otlpProtocol }, process.env);
  let skipped = 0;
  const onProblem = (p: ImportProblem) => {
    skipped++;
    process.stderr.write(`${file}:${p.line}: ${p.reason}\n`);
  };
  const tty = Boolean(process.stderr.isTTY);
  const fallbackTimeMs = (await stat(file)).mtimeMs;
  const summary = await pushTrajectories(trajectoriesOf(file, { onProblem, format: opts.from, limits: opts.limits }), {
    config,
    content: opts.content,
    version: opts.version,
    fallbackTimeMs,
    maxBatchBytes: opts.otlpBatchBytes,
    onProgress: (p) => {
      if (tty) process.stderr.write(`\r\x1b[K${progressLine(p)}`);
      else if (p.requests % 10 === 0) process.stderr.write(`${progressLine(p)}\n`);
    },
    onRetry: (r) => {
      const why = r.status !== undefined ? `HTTP ${r.status} from the collector` : `cannot reach the collector (${r.error ?? 'no answer'})`;
      process.stderr.write(`${tty ? '\r\x1b[K' : ''}${why}; retrying in ${(r.delayMs / 1000).toFixed(1)} s\n`);
    },
  }).finally(() => {
    if (tty) process.stderr.write('\r\x1b[K');
  });
  if (summary.trajectories === 0 && skipped > 0) throw new InputError('no record could be read', file, undefined, 'check --from');
  process.stderr.write(`${summaryLine(summary, skipped)}\n`);
}
