/**
 * `hopscope import <file> [--format …] [--out FILE]`: turns rollouts in another tool's format into
 * Hopscope trajectories (JSONL), streamed record by record so memory stays flat whatever the size.
 * `--out` is written through a temporary file and renamed, so a failure leaves the old file or none.
 * Every record that could not be read is listed as file:line: reason.
 */
import type { Command } from 'commander';
import { refuseOutputOverInput, writeThrough } from '../core/atomicFile';
import { InputError } from '../core/errors';
import { IMPORT_FORMATS, openImport, type ImportProblem } from '../core/importers';
import { serializeTrajectory } from '../core/traceStore';
import { parseImportFormat } from './common';
import { addLimitOptions, limitsOf, stdoutSink, type LimitCliOptions } from './limitOptions';

interface ImportCliOptions extends LimitCliOptions {
  format?: string;
  out?: string;
  runId?: string;
}

export function register(program: Command): void {
  const command = program
    .command('import')
    .description('Import trajectories (R1-Searcher, Search-R1, OpenAI chat, Inspect AI, IGPO) as Hopscope JSONL.')
    .argument('<file>', 'rollout file (.jsonl, .json, .eval, optionally .gz)')
    .option('--format <name>', `input format, detected when omitted: ${IMPORT_FORMATS.join(' | ')}`)
    .option('--out <file>', 'where to write the trajectories (JSONL); stdout when omitted')
    .option('--run-id <id>', 'run id for the imported trajectories (default: the file name)');
  addLimitOptions(command).action(async (file: string, opts: ImportCliOptions) => {
    const format = parseImportFormat('--format', opts.format);
    if (opts.out) await refuseOutputOverInput(file, opts.out);
    let problems = 0;
    // Problems print as they are found: a long import shows them early and keeps none in memory.
    const report = (p: ImportProblem) => {
      problems++;
      process.stderr.write(`${file}:${p.line}: ${p.reason}\n`);
    };
    const result = await openImport(file, { format, runId: opts.runId, limits: limitsOf(opts) }, report);
    const body = async (write: (text: string) => Promise<void>) => {
      let n = 0;
      for await (const t of result.trajectories) {
        await write(serializeTrajectory(t));
        n++;
      }
      if (n === 0 && problems > 0) throw new InputError('no record could be read', file, undefined, 'check --format');
      return n;
    };
    const n = opts.out ? await writeThrough(opts.out, body) : await body(stdoutSink());
    process.stderr.write(`imported ${n} trajectories (${result.format})${opts.out ? ` to ${opts.out}` : ''}; ${problems} record(s) could not be read\n`);
  });
}
