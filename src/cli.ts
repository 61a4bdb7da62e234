/**
 * `hopscope`: the headless CLI over the same core the extension uses (GPU boxes, CI, scripts).
 * Exit codes: 0 ok, 1 a run error, 2 a usage error. Each subcommand lives in src/cli/<name>.ts and
 * registers itself on the program.
 */
import { Command, CommanderError } from 'commander';
import { errorMessage, HopscopeError } from './core/errors';
import { EXIT, UsageError } from './cli/common';
import * as commands from './cli/commands';
import { printErr } from './cli/terminal';

export async function main(argv: string[]): Promise<number> {
  const program = new Command('hopscope')
    .description('Run, trace and debug search-augmented reasoning agents.')
    .version(typeof VERSION === "string" ? VERSION : "dev")
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  for (const register of Object.values(commands) as Array<(p: Command) => void>) register(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version arrive here as "errors" with exit code 0.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof UsageError) {
      printErr(`hopscope: ${e.message}\n`);
      return EXIT.usage;
    }
    // Errors quote servers, documents and file contents: printed without their control sequences.
    printErr(`hopscope: ${errorMessage(e)}\n`);
    if (!(e instanceof HopscopeError) && process.env.HOPSCOPE_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    return EXIT.runError;
  }
}

declare const VERSION: string;

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
