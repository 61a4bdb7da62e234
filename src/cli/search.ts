/**
 * `hopscope search "<query>" [--index DIR] [-k N] [--json]`, and the batch form
 * `hopscope search --queries FILE.jsonl --json` for evaluation scripts: one output line per input line,
 * `{qid, hits: [{id, score, title, path?, startLine?, endLine?}]}`, in input order.
 */
import type { Command } from 'commander';
import { InputError } from '../core/errors';
import type { RetrievedDoc } from '../core/trace';
import { WorkspaceIndex } from '../core/retrieval/workspaceIndex';
import { readJsonLines } from '../core/traceStore';
import { MAX_K, parseIntOption, UsageError } from './common';
import { resolveIndexDir } from './index';
import { jsonLine, printErr, printOut } from './terminal';

interface SearchCliOptions {
  index?: string;
  k: number;
  json?: boolean;
  queries?: string;
  fuzzy?: boolean;
}

export function register(program: Command): void {
  program
    .command('search')
    .description('Search the BM25 index: one query, or every line of a queries JSONL ({qid|id, query|question}).')
    .argument('[query]', 'the query')
    .option('--index <dir>', 'index directory (default: $HOPSCOPE_INDEX or ./.hopscope-index)')
    .option('-k, --k <n>', 'number of results', parseIntOption('-k', 1, MAX_K), 5)
    .option('--json', 'print JSON (one line per query with --queries)')
    .option('--queries <file>', 'JSONL file of queries')
    .option('--fuzzy', 'prefix and typo-tolerant matching (minisearch) instead of BM25 term matching')
    .action(async (query: string | undefined, opts: SearchCliOptions) => {
      if ((query === undefined) === (opts.queries === undefined)) throw new UsageError('give either a query or --queries FILE.jsonl');
      if (opts.queries && !opts.json) throw new UsageError('--queries prints JSON lines: add --json');
      const index = await WorkspaceIndex.open(resolveIndexDir(opts.index));
      if (opts.queries) return searchFile(index, opts.queries, opts.k);
      const docs = opts.fuzzy ? index.searchFuzzy(query!, opts.k) : await index.search(query!, { topK: opts.k });
      if (opts.json) {
        process.stdout.write(jsonLine({ query, hits: docs.map(hit) }));
        return;
      }
      if (docs.length === 0) process.stdout.write('no results\n');
      for (const d of docs) printOut(`${formatDoc(d)}\n`);
    });
}

function hit(d: RetrievedDoc) {
  const h: Record<string, unknown> = { id: d.id, score: d.score, title: d.title };
  if (d.path !== undefined) Object.assign(h, { path: d.path, startLine: d.startLine, endLine: d.endLine });
  return h;
}

function formatDoc(d: RetrievedDoc): string {
  const where = d.path !== undefined ? `${d.path}:${d.startLine}-${d.endLine}` : d.id;
  const snippet = d.text.replace(/\s+/g, ' ').trim().slice(0, 160);
  return `${String(d.rank).padStart(2)}. ${d.score.toFixed(3).padStart(8)}  ${where}  ${d.title}\n              ${snippet}`;
}

/** Runs each line of a queries file; a bad line is reported by file and line and skipped, the rest go on. */
async function searchFile(index: WorkspaceIndex, file: string, k: number): Promise<void> {
  let skipped = 0;
  const bad = (line: number, reason: string) => {
    skipped++;
    printErr(`${file}:${line}: ${reason} (each line must be {"qid", "query"} or {"id", "question"}); skipped\n`);
  };
  const out: string[] = [];
  for await (const { line, value } of readJsonLines(file, { onBadLine: (b) => bad(b.line, b.reason) })) {
    const o = (value && typeof value === 'object' && !Array.isArray(value) ? value : {}) as Record<string, unknown>;
    const qid = o.qid ?? o.id ?? String(line);
    const q = o.query ?? o.question;
    if (typeof q !== 'string') {
      bad(line, 'no "query" or "question" string');
      continue;
    }
    out.push(jsonLine({ qid, hits: index.searchSync(q, k).map(hit) }));
    if (out.length >= 256) process.stdout.write(out.splice(0).join(''));
  }
  if (out.length) process.stdout.write(out.join(''));
  // The other queries were answered; the exit status still tells a script that some were not.
  if (skipped) throw new InputError(`${skipped} line(s) skipped, listed above`, file);
}
