/**
 * `hopscope export <traces> --format otel|html|jsonl --out FILE`: OpenTelemetry spans as OTLP/JSON,
 * a self-contained HTML report, or the trajectories re-analysed as JSONL; `--otlp` sends the spans to a
 * collector instead (exportOtlp.ts). Any importable file works as
 * input; unreadable records are listed as file:line: reason.
 */
import type { Command } from 'commander';
import { refuseOutputOverInput, writeThrough } from '../core/atomicFile';
import { EXPORT_FORMATS, streamExport, type ExportFormat } from '../core/export/render';
import { InputError } from '../core/errors';
import { IMPORT_FORMATS, type ImportProblem } from '../core/importers';
import { parseImportFormat, UsageError } from './common';
import { addOtlpOptions, pushFile, type OtlpCliOptions } from './exportOtlp';
import { addLimitOptions, limitsOf, stdoutSink, type LimitCliOptions } from './limitOptions';

interface ExportCliOptions extends LimitCliOptions, OtlpCliOptions {
  format: string;
  from?: string;
  out?: string;
  content: boolean;
  title?: string;
}

export function register(program: Command): void {
  const command = program
    .command('export')
    .description('Export trajectories as OpenTelemetry spans (OTLP/JSON, or sent to a collector with --otlp), an HTML report, or JSONL.')
    .argument('<traces>', 'a Hopscope trace file, or any file `hopscope import` reads')
    .option('--format <name>', `output format: ${EXPORT_FORMATS.join(' | ')}`, 'otel')
    .option('--from <name>', `input format when it cannot be detected: ${IMPORT_FORMATS.join(' | ')}`)
    .option('--out <file>', 'where to write (through a temporary file, renamed when complete); stdout when omitted')
    .option('--no-content', 'otel: leave model text, queries and documents off the spans')
    .option('--title <text>', 'html: the report title');
  addLimitOptions(addOtlpOptions(command)).action(async (file: string, opts: ExportCliOptions) => {
    const from = parseImportFormat('--from', opts.from);
    if (!opts.otlp && (opts.otlpEndpoint || opts.otlpHeader?.length || opts.otlpProtocol || opts.otlpBatchBytes)) throw new UsageError('the --otlp-* options go with --otlp');
    if (opts.otlp) {
      if (opts.out) throw new UsageError('--otlp sends the spans to a collector; it does not go with --out');
      return pushFile(file, { ...opts, from, limits: limitsOf(opts), version: typeof VERSION === 'string' ? VERSION : undefined });
    }
    const format = parseFormat(opts.format);
    if (opts.out) await refuseOutputOverInput(file, opts.out);
    let problems = 0;
    const report = (p: ImportProblem) => {
      problems++;
      process.stderr.write(`${file}:${p.line}: ${p.reason}\n`);
    };
    const body = async (write: (text: string) => Promise<void>) => {
      const n = await streamExport(file, format, write, {
        from,
        onProblem: report,
        content: opts.content,
        version: typeof VERSION === 'string' ? VERSION : undefined,
        title: opts.title,
        limits: limitsOf(opts),
      });
      if (n === 0 && problems > 0) throw new InputError('no record could be read', file, undefined, 'check --from');
      return n;
    };
    const n = opts.out ? await writeThrough(opts.out, body) : await body(stdoutSink());
    process.stderr.write(`exported ${n} trajectories as ${format}${opts.out ? ` to ${opts.out}` : ''}${problems ? `; ${problems} record(s) skipped` : ''}\n`);
  });
}

function parseFormat(value: string): ExportFormat {
  if ((EXPORT_FORMATS as readonly string[]).includes(value)) return value as ExportFormat;
  throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}, got "${value}"`);
}

declare const VERSION: string;
