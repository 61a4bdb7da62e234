/**
 * `hopscope run <dataset.jsonl>`: batch evaluation. N questions in flight, each trajectory appended
 * as it finishes, a progress bar on a terminal (plain lines otherwise), a summary table at the end.
 * Ctrl-C stops within seconds and leaves every finished trajectory in a valid file.
 */
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { datasetName, finishedQuestions, preflight, readDataset, runBatch } from '../core/batch';
import { metricMean, SummaryBuilder, type RunSummary } from '../core/summary';
import { HopscopeError } from '../core/errors';
import { readTrajectories, TraceWriter } from '../core/traceStore';
import { addAgentOptions, makeAgent, type AgentCliOptions } from './agentOptions';
import { EXIT, parseIntOption } from './common';
import { refuseOutputOverInput } from '../core/atomicFile';
import { printErr, printOut } from './terminal';

interface RunCliOptions extends AgentCliOptions {
  concurrency: number;
  limit?: number;
  out?: string;
  resume?: boolean;
  runId?: string;
  progress?: boolean;
}

export function register(program: Command): void {
  const cmd = program
    .command('run')
    .description('Run the loop over a dataset ({question, answer|golden_answers} JSONL) and append trajectories.')
    .argument('<dataset>', 'dataset JSONL: R1-Searcher {question, answer} or FlashRAG {question, golden_answers}')
    .option('--concurrency <n>', 'questions in flight', parseIntOption('--concurrency', 1, 1024), 8)
    .option('--limit <n>', 'run only the first N questions', parseIntOption('--limit', 1))
    .option('--out <file>', 'trace file to append to (default: <dataset>.trajectories.jsonl)')
    .option('--resume', 'skip questions the output file already answers (those that ended in error or were cancelled run again)')
    .option('--run-id <id>', 'run id recorded in every trajectory (default: run-<time>)')
    .option('--no-progress', 'plain progress lines even on a terminal');
  addAgentOptions(cmd).action(async (dataset: string, opts: RunCliOptions) => {
    const out = opts.out ?? dataset.replace(/\.jsonl?$/i, '') + '.trajectories.jsonl';
    // Appending trajectories to the dataset would corrupt it for every later run.
    await refuseOutputOverInput(dataset, out);
    let items = await readDataset(dataset, { onBadLine: (b) => printErr(`${dataset}:${b.line}: ${b.reason}\n`) });
    const datasetQuestions = new Set(items.map((i) => i.question));
    if (opts.resume) {
      const done = await finishedQuestions(out, (b) => printErr(`${out}:${b.line}: skipped: ${b.reason}\n`));
      const before = items.length;
      items = items.filter((i) => !done.has(i.question));
      process.stderr.write(`resume: ${before - items.length} question(s) already in ${out}\n`);
    }
    if (opts.limit !== undefined) items = items.slice(0, opts.limit);

    const agent = await makeAgent(opts);
    const endpoint = agent.endpoint;
    if (!(await preflight(endpoint, opts)).judgeUnderstood) process.stderr.write('hopscope: the judge replies neither True nor False; verdicts will be missing\n');

    const controller = new AbortController();
    let interrupts = 0;
    const onSigint = () => {
      interrupts++;
      if (interrupts === 1) {
        process.stderr.write('\nstopping: waiting for requests in flight to end (Ctrl-C again to quit now)\n');
        controller.abort();
      } else process.exit(130);
    };
    process.on('SIGINT', onSigint);

    const runId = opts.runId ?? `run-${new Date().toISOString()}`;
    const name = datasetName(dataset);
    const writer = await TraceWriter.open(out);
    const progress = makeProgress(items.length, opts.progress !== false && Boolean(process.stderr.isTTY));
    let result;
    try {
      result = await runBatch({
        items,
        concurrency: opts.concurrency,
        writer,
        signal: controller.signal,
        run: (item, signal) => agent.run({ question: item.question, gold: item.gold, ...(item.goldDocs ? { goldDocs: item.goldDocs } : {}), signal, runId, dataset: name }),
        onResult: (t, sofar) => progress.update(t, sofar.result()),
      });
    } catch (e) {
      // The run's own error (a full disk) is the one to report, not a failing close after it.
      await writer.close().catch(() => undefined);
      throw e;
    } finally {
      progress.stop();
      await writer.close();
      process.off('SIGINT', onSigint);
    }
    // After --resume, the numbers that matter are those of the whole dataset, earlier runs included.
    const summary = opts.resume ? await fileSummary(out, datasetQuestions) : result.summary;
    if (opts.resume) process.stdout.write(`summary of ${out} (this dataset, all runs):\n`);
    printOut(formatSummary(summary));
    printErr(`wrote ${result.summary.count} trajectories to ${out}${result.cancelled ? `; ${result.cancelled} not run (cancelled: use --resume to continue)` : ''}\n`);
    if (result.firstError) printErr(`first error: ${result.firstError}\n`);
    if (result.summary.count > 0 && result.errors === result.summary.count) {
      throw new HopscopeError(`every question failed: ${result.firstError ?? 'unknown error'}`);
    }
    if (result.errors > 0) {
      // A half-failed run must not look finished: say so, and fail.
      printErr(`hopscope: ${result.errors} of ${result.summary.count} question(s) ended in error; run again with --resume to redo them\n`);
      process.exitCode = EXIT.runError;
    }
    if (controller.signal.aborted) process.exitCode = EXIT.runError;
  });
}

/**
 * The summary of the latest trajectory per dataset question in a trace file: a first pass finds which
 * line that is, a second summarizes those, so no trajectory is held.
 */
async function fileSummary(file: string, questions: Set<string>): Promise<RunSummary> {
  const latest = new Map<string, number>();
  let i = 0;
  for await (const t of readTrajectories(file)) {
    if (questions.has(t.question) && t.stopReason !== 'cancelled') latest.set(t.question, i);
    i++;
  }
  const keep = new Set(latest.values());
  const b = new SummaryBuilder(0);
  i = 0;
  for await (const t of readTrajectories(file)) if (keep.has(i++)) b.add(t);
  return b.result();
}

interface Progress {
  update(t: { question: string; stopReason: string; outcome: { em?: number } }, sofar: RunSummary): void;
  stop(): void;
}

const fmt = (x: number | undefined, d = 3) => (x === undefined ? '-' : x.toFixed(d));

function makeProgress(total: number, tty: boolean): Progress {
  if (tty) {
    const bar = new SingleBar({
      format: ' {bar} {value}/{total} | ETA {eta_formatted} | EM {em} F1 {f1}',
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 50,
    });
    bar.start(total, 0, { em: '-', f1: '-' });
    return {
      update: (_t, s) => bar.update(s.count, { em: fmt(metricMean(s, 'EM')), f1: fmt(metricMean(s, 'F1')) }),
      stop: () => bar.stop(),
    };
  }
  const started = Date.now();
  return {
    update: (t, s) => {
      const done = s.count;
      const elapsed = (Date.now() - started) / 1000;
      const eta = done ? Math.round((elapsed / done) * (total - done)) : 0;
      const q = t.question.length > 60 ? `${t.question.slice(0, 59)}…` : t.question;
      printErr(
        `[${done}/${total}] EM ${fmt(metricMean(s, 'EM'))} F1 ${fmt(metricMean(s, 'F1'))} ETA ${eta}s · ${t.stopReason}${t.outcome.em !== undefined ? ` em=${t.outcome.em}` : ''} · ${q}\n`,
      );
    },
    stop: () => {},
  };
}

function formatSummary(s: RunSummary): string {
  const counts = (c: Partial<Record<string, number>>) =>
    Object.entries(c)
      .filter(([, n]) => n)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ') || '-';
  const rows: [string, string][] = [
    ['n', String(s.count)],
    ['metrics', s.mixedDefinitions ?? s.metricDefinition ?? '-'],
    ['EM', fmt(metricMean(s, 'EM'))],
    ['F1', fmt(metricMean(s, 'F1'))],
    ['cover-EM', fmt(metricMean(s, 'cover-EM'))],
    ['verdicts', `correct ${s.verdicts.correct}, wrong ${s.verdicts.wrong}, unknown ${s.verdicts.unknown}`],
    ['mean searches', fmt(metricMean(s, 'searches') ?? 0, 2)],
    ['stop reasons', counts(s.stopReasons)],
    ['diagnosis', counts(s.labels)],
    ['latency p50', `${(s.p50Ms / 1000).toFixed(2)} s`],
    ['latency p95', `${(s.p95Ms / 1000).toFixed(2)} s`],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  return `${rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n')}\n`;
}
