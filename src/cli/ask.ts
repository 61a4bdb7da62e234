/**
 * `hopscope ask "<question>"`: one run of the loop, printed readably (steps, queries, document
 * titles, the answer and its metrics) or as the trace line with --json.
 */
import type { Command } from 'commander';
import { HopscopeError } from '../core/errors';
import type { LoopEvent } from '../core/events';
import { appendTrajectory } from '../core/traceStore';
import type { Trajectory } from '../core/trace';
import { verdict } from '../core/verdict';
import { addAgentOptions, makeAgent, type AgentCliOptions } from './agentOptions';
import { EXIT } from './common';
import { jsonLine, printErr, printOut, terminalSafe } from './terminal';

interface AskCliOptions extends AgentCliOptions {
  gold?: string[];
  out?: string;
  json?: boolean;
}

export function register(program: Command): void {
  const cmd = program
    .command('ask')
    .description('Run the search-reasoning loop on one question and print its trajectory.')
    .argument('<question>', 'the question')
    .option('--gold <answer>', 'a gold answer, for EM/F1/cover-EM (repeatable)', (v: string, acc: string[] = []) => [...acc, v])
    .option('--out <file>', 'append the trajectory to this JSONL trace file')
    .option('--json', 'print the trace line (JSON) instead of the readable view');
  addAgentOptions(cmd).action(async (question: string, opts: AskCliOptions) => {
    const agent = await makeAgent(opts);
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once('SIGINT', onSigint);
    let t: Trajectory;
    try {
      t = await agent.run({
        question,
        gold: opts.gold,
        signal: controller.signal,
        runId: `ask-${new Date().toISOString()}`,
        onEvent: opts.json || !process.stderr.isTTY ? undefined : liveView(),
      });
    } finally {
      process.off('SIGINT', onSigint);
    }
    if (t.stopReason === 'error' && t.steps.length === 0) {
      // Nothing happened (e.g. the endpoint is down): one clear line, no empty trajectory.
      throw new HopscopeError(t.error ?? 'the run failed');
    }
    if (opts.out) await appendTrajectory(opts.out, t);
    if (opts.json) process.stdout.write(jsonLine(t));
    else printOut(formatTrajectory(t));
    if (t.stopReason === 'error') {
      printErr(`hopscope: ${t.error}\n`);
      process.exitCode = EXIT.runError;
    } else if (t.stopReason === 'cancelled') process.exitCode = EXIT.runError;
  });
}

/** On a terminal, the model's text streams dimmed to stderr while it runs, so a slow model shows life. */
function liveView(): (e: LoopEvent) => void {
  const out = (s: string) => process.stderr.write(s);
  return (e) => {
    switch (e.type) {
      case 'started':
        out('\x1b[2m');
        break;
      case 'token':
        // The model's text, raw, could undo the dimming or drive the terminal: only its printable part.
        out(terminalSafe(e.text));
        break;
      case 'retrieval':
        out(`\n  ↳ ${e.docs.length} document${e.docs.length === 1 ? '' : 's'} for "${terminalSafe(e.query)}" (${e.ms} ms)\n`);
        break;
      case 'finished':
        out('\x1b[0m\n\n');
        break;
      case 'stepStarted':
      case 'stepFinished':
      case 'answer':
      case 'error':
        break;
      default: {
        const never: never = e;
        void never;
      }
    }
  };
}

function clip(text: string, n: number): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

/** The trajectory as a person reads it in a terminal. */
function formatTrajectory(t: Trajectory): string {
  const lines: string[] = [];
  lines.push(`Question: ${t.question}`);
  if (t.gold?.length) lines.push(`Gold:     ${t.gold.join(' | ')}`);
  lines.push('');
  t.steps.forEach((s, i) => {
    const n = `${i + 1}.`.padEnd(4);
    switch (s.kind) {
      case 'reason':
        lines.push(`${n}think   ${clip(s.text, 300)}`);
        break;
      case 'search':
        lines.push(`${n}search  "${s.query}"${s.ms !== undefined ? `  (${s.ms} ms)` : ''}${s.error ? `  [${s.error}]` : ''}`);
        for (const d of s.docs) {
          const where = d.path ? `  ${d.path}${d.startLine !== undefined ? `:${d.startLine}` : ''}${d.endLine !== undefined ? `-${d.endLine}` : ''}` : '';
          lines.push(`          [${d.rank}] ${d.title}  (score ${d.score.toFixed(2)})${where}`);
        }
        break;
      case 'answer':
        lines.push(`${n}answer  ${s.text}`);
        break;
      default: {
        const never: never = s;
        lines.push(String(never));
      }
    }
  });
  lines.push('');
  lines.push(`Answer:   ${t.answer ?? '(none)'}`);
  const o = t.outcome;
  if (o.em !== undefined) lines.push(`Metrics:  EM ${o.em}  F1 ${(o.f1 ?? 0).toFixed(2)}  cover-EM ${o.coverEm ?? 0}`);
  const v = verdict(t);
  // Nothing to judge by (no gold, no judge) says nothing; a fault's "unknown" is worth the line.
  if (v.by !== 'none' || t.stopReason === 'error' || t.stopReason === 'cancelled') lines.push(`Verdict:  ${v.verdict}: ${v.why}`);
  const searches = t.steps.filter((s) => s.kind === 'search').length;
  lines.push(`Stop:     ${t.stopReason}  ·  ${searches} search${searches === 1 ? '' : 'es'}  ·  ${t.timing.totalMs ?? 0} ms  ·  ${t.policy.model} @ ${t.policy.endpoint}`);
  if (t.error) lines.push(`Error:    ${t.error}`);
  return `${lines.join('\n')}\n`;
}
