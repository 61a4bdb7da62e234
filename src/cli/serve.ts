/**
 * `hopscope serve [--index DIR] [--port N]`: the index as a retrieval server speaking Search-R1's
 * `POST /retrieve` and R1-Searcher's `POST /queries`, until interrupted. Loopback only unless `--host`
 * says otherwise; every request is capped (src/core/retrieval/server.ts).
 */
import type { Command } from 'commander';
import { isLoopback, SERVER_LIMITS, startRetrievalServer } from '../core/retrieval/server';
import { WorkspaceIndex } from '../core/retrieval/workspaceIndex';
import { parseHttpUrl } from '../core/endpoint/url';
import { parseIntOption, UsageError } from './common';
import { resolveIndexDir } from './index';
import { printErr } from './terminal';

interface ServeCliOptions {
  index?: string;
  port: number;
  host: string;
  allowOrigin: string[];
  maxResults: number;
  maxConnections: number;
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('Serve the index as a retrieval server: Search-R1 POST /retrieve and R1-Searcher POST /queries.')
    .option('--index <dir>', 'index directory (default: $HOPSCOPE_INDEX or ./.hopscope-index)')
    .option('--port <n>', 'port (0: any free port)', parseIntOption('--port', 0, 65535), 8000)
    .option('--host <host>', 'address to listen on (0.0.0.0: every network interface)', '127.0.0.1')
    .option('--allow-origin <url>', 'a browser origin (or host name) allowed to query the server, e.g. http://localhost:3000 (repeatable)', (v: string, acc: string[]) => [...acc, originOf(v)], [] as string[])
    .option('--max-results <n>', `most results (queries × top-k) per request (default ${SERVER_LIMITS.maxResults})`, parseIntOption('--max-results', 1, 10_000_000), SERVER_LIMITS.maxResults)
    .option('--max-connections <n>', `connections held at once (default ${SERVER_LIMITS.maxConnections})`, parseIntOption('--max-connections', 1, 10_000), SERVER_LIMITS.maxConnections)
    .action(async (opts: ServeCliOptions) => {
      const index = await WorkspaceIndex.open(resolveIndexDir(opts.index));
      const server = await startRetrievalServer({
        index,
        port: opts.port,
        host: opts.host,
        allowOrigins: opts.allowOrigin,
        maxResults: opts.maxResults,
        maxConnections: opts.maxConnections,
      });
      if (!isLoopback(opts.host)) {
        printErr(`hopscope: warning: listening on ${opts.host}, not loopback: anyone who can reach this machine can query the index\n`);
      }
      const s = index.stats();
      process.stdout.write(`serving ${s.passages} passages (index ${s.fingerprint}) at ${server.url}\n`);
      process.stdout.write(`  POST ${server.url}/retrieve  {queries, topk, return_scores}   (Search-R1)\n`);
      process.stdout.write(`  POST ${server.url}/queries   {queries, k}                     (R1-Searcher)\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}

/** `http://host:port` from an --allow-origin value; a bare host name means http://NAME. */
function originOf(value: string): string {
  try {
    return parseHttpUrl(value.includes('://') ? value : `http://${value}`, '--allow-origin').origin;
  } catch {
    throw new UsageError(`--allow-origin takes an origin such as http://localhost:3000, got "${value}"`);
  }
}
