/** Runs the CLI from source in a child process, with no HOPSCOPE_* settings but those given. */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const CLI = resolve(ROOT, 'src/cli.ts');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function hopscope(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; onStderr?: (chunk: string, child: ReturnType<typeof spawn>) => void } = {}): Promise<CliResult> {
  return new Promise((resolvePromise) => {
    const env = { ...process.env, ...opts.env };
    for (const k of Object.keys(env)) if (k.startsWith('HOPSCOPE_') && !(opts.env && k in opts.env)) delete env[k];
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      opts.onStderr?.(String(d), child);
    });
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
  });
}

/**
 * The CLI run from the repository root (tests name fixtures relative to it), as exit code, stdout and stderr;
 * a process killed by a signal counts as exit 1. Its stdout never mixes with the test runner's own.
 */
export async function cli(args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number; out: string; err: string }> {
  const r = await hopscope(args, { ...opts, cwd: ROOT });
  return { code: r.code ?? 1, out: r.stdout, err: r.stderr };
}
