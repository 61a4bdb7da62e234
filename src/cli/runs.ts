/**
 * `hopscope runs summary <dir>` and `hopscope runs show <dir> --step N [--group G]`: a training run's
 * rollout dumps (verl `trainer.rollout_data_dir`, one `{step}.jsonl` per step) read into a DuckDB store
 * outside the folder (a cache file, or --store), incrementally: a repeat reads only new or grown files.
 */
import type { Command } from 'commander';
import { DIAGNOSIS_LABELS } from '../core/diagnosis';
import { bundledWorker, openRun } from '../core/runs/open';
import { readRollout, stepGroups, stepRollouts } from '../core/runs/queries';
import type { RunStore } from '../core/runs/store';
import { runProblems, runSummary, type StepSummary } from '../core/runs/summary';
import { parseIntOption } from './common';

interface RunCliOptions {
  json?: boolean;
  store?: string;
}

/** Lines that could not be read are listed on stderr, at most this many. */
const PROBLEMS_SHOWN = 20;

async function withRun<T>(dir: string, opts: RunCliOptions, use: (store: RunStore) => Promise<T>): Promise<T> {
  const tty = process.stderr.isTTY === true;
  const { store } = await openRun({
    dir,
    store: opts.store,
    workerFile: bundledWorker(__dirname),
    onProgress: (p) => {
      if (tty && p.filesTotal > 0) process.stderr.write(`\rreading step files: ${p.filesDone}/${p.filesTotal}${p.filesDone === p.filesTotal ? '\n' : ''}`);
    },
  });
  try {
    const { problems, total } = await runProblems(store, PROBLEMS_SHOWN);
    for (const p of problems) process.stderr.write(`${p.file}:${p.line}: ${p.reason}\n`);
    if (total > problems.length) process.stderr.write(`… and ${total - problems.length} more line(s) that could not be read\n`);
    return await use(store);
  } finally {
    store.close();
  }
}

function fixed(v: number | null, digits = 3): string {
  return v === null ? '-' : v.toFixed(digits);
}

/** A plain-text table: one row per step. */
export function summaryTable(steps: readonly StepSummary[]): string {
  const head = ['step', 'n', 'meanScore', 'meanSearches', 'groups', 'uniformGroups', 'formatErrorRate', ...DIAGNOSIS_LABELS];
  const rows = steps.map((s) => [
    String(s.step),
    String(s.n),
    fixed(s.meanScore),
    fixed(s.meanSearches, 2),
    String(s.groups),
    String(s.uniformGroups),
    fixed(s.formatErrorRate),
    ...DIAGNOSIS_LABELS.map((l) => fixed(s.labels[l])),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}

export function register(program: Command): void {
  const runs = program.command('runs').description("Training runs: per-step figures of an RL run's rollout dumps (verl trainer.rollout_data_dir).");
  runs
    .command('summary')
    .description(
      'One line per training step: n, meanScore (mean of the trainer\'s score), meanSearches (queries per rollout), ' +
        'groups (distinct prompts), uniformGroups (groups whose rollouts all have the same score), formatErrorRate and each diagnosis label\'s rate.',
    )
    .argument('<dir>', 'the run folder: one {step}.jsonl per training step')
    .option('--json', 'one JSON object per step (JSONL) instead of a table')
    .option('--store <file>', 'the run store (DuckDB file); default: a cache file for this folder')
    .action(async (dir: string, opts: RunCliOptions) => {
      await withRun(dir, opts, async (store) => {
        const steps = await runSummary(store);
        if (opts.json) process.stdout.write(steps.map((s) => JSON.stringify(s)).join('\n') + (steps.length ? '\n' : ''));
        else process.stdout.write(summaryTable(steps));
      });
    });
  runs
    .command('show')
    .description("A step's rollouts, group by group (the widest score spread first, then all-zero, then all-one groups).")
    .argument('<dir>', 'the run folder')
    .requiredOption('--step <n>', 'the training step', parseIntOption('--step'))
    .option('--group <id>', 'only this group (prompt id, as listed)')
    .option('--json', 'each rollout as a full Hopscope trajectory (JSONL)')
    .option('--store <file>', 'the run store (DuckDB file); default: a cache file for this folder')
    .action(async (dir: string, opts: RunCliOptions & { step: number; group?: string }) => {
      await withRun(dir, opts, async (store) => {
        const rollouts = await stepRollouts(store, opts.step, opts.group);
        if (!rollouts.length) {
          process.stderr.write(`no rollouts for step ${opts.step}${opts.group ? ` in group ${opts.group}` : ''}\n`);
          process.exitCode = 1;
          return;
        }
        if (opts.json) {
          for (const r of rollouts) process.stdout.write(JSON.stringify(await readRollout(store, r.fileId, r.line)) + '\n');
          return;
        }
        const groups = opts.group ? undefined : await stepGroups(store, opts.step);
        const order = groups ? groups.map((g) => g.group) : [opts.group!];
        const kinds = new Map(groups?.map((g) => [g.group, g.kind]));
        for (const g of order) {
          const members = rollouts.filter((r) => r.group === g);
          if (!members.length) continue;
          process.stdout.write(`group ${g}${kinds.has(g) ? ` (${kinds.get(g)})` : ''}: ${members[0]!.question}\n`);
          for (const r of members) {
            const labels = r.labels.length ? `  [${r.labels.join(', ')}]` : '';
            process.stdout.write(
              `  ${r.file}:${r.line}  score ${fixed(r.score)}  searches ${r.searches}  ${r.stopReason}  answer: ${r.answer ?? '(none)'}${labels}\n`,
            );
          }
        }
      });
    });
}
