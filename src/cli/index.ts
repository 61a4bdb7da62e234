/**
 * `hopscope index <path|corpus.jsonl>... [--index DIR]`: builds or refreshes the BM25 index and says what
 * went in, what was skipped and why, and how long it took.
 */
import * as path from 'node:path';
import type { Command } from 'commander';
import type { SettingsOverrides } from '../core/retrieval/settings';
import { WorkspaceIndex, type IndexProgress, type IndexReport } from '../core/retrieval/workspaceIndex';
import { existsSync } from 'node:fs';
import { InputError } from '../core/errors';
import { fromEnv, parseNumberOption } from './common';
import { printErr, printOut } from './terminal';

/** `--index DIR`, else $HOPSCOPE_INDEX, else `.hopscope-index` in the current directory. */
export function resolveIndexDir(option: string | undefined): string {
  return path.resolve(option ?? fromEnv('INDEX') ?? '.hopscope-index');
}

interface IndexCliOptions {
  index?: string;
  root?: string;
  exclude: string[];
  gitignore: boolean;
  rebuild?: boolean;
  merge?: boolean;
  k1?: number;
  b?: number;
  titleBoost?: number;
  maxFileKb?: number;
  quiet?: boolean;
}

export function register(program: Command): void {
  program
    .command('index')
    .description('Build or update the BM25 index over files, folders and corpus JSONL ({id, contents} or {id, title, text}).')
    .argument('<paths...>', 'files, folders or corpus .jsonl files')
    .option('--index <dir>', 'index directory (default: $HOPSCOPE_INDEX or ./.hopscope-index)')
    .option('--root <dir>', 'workspace root that passage paths are relative to (default: current directory)')
    .option('--exclude <pattern>', 'exclude pattern, gitignore syntax (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--no-gitignore', 'do not honour .gitignore files')
    .option('--rebuild', 'rebuild from scratch instead of updating')
    .option('--merge', "merge the index's segments into one (updates add small segments; a merge gives the same index as a rebuild)")
    .option('--k1 <n>', 'BM25 k1 (0 to 100)', parseNumberOption('--k1', { min: 0, max: 100 }))
    .option('--b <n>', 'BM25 b (0 to 1)', parseNumberOption('--b', { min: 0, max: 1 }))
    .option('--title-boost <n>', 'weight of a title term against a text term (0 to 100)', parseNumberOption('--title-boost', { min: 0, max: 100 }))
    .option('--max-file-kb <n>', 'skip workspace files larger than this', parseNumberOption('--max-file-kb', { above: 0, max: 16 * 1024 * 1024 }))
    .option('-q, --quiet', 'print nothing but errors')
    .action(async (paths: string[], opts: IndexCliOptions) => {
      const dir = resolveIndexDir(opts.index);
      // A mistyped path would otherwise index nothing and succeed.
      const missing = paths.filter((p) => !existsSync(p));
      if (missing.length) throw new InputError(`no such file or folder${missing.length > 1 ? `s: ${missing.join(', ')}` : ''}`, missing.length === 1 ? missing[0] : undefined, undefined, 'check the paths to index');
      const settings: SettingsOverrides = {};
      if (opts.k1 !== undefined || opts.b !== undefined) settings.bm25 = { k1: opts.k1, b: opts.b } as SettingsOverrides['bm25'];
      if (opts.titleBoost !== undefined) settings.boost = { title: opts.titleBoost };
      if (opts.maxFileKb !== undefined) settings.maxFileBytes = Math.round(opts.maxFileKb * 1024);
      const root = opts.root ? path.resolve(opts.root) : process.cwd();
      // An index directory inside the tree being indexed must not index itself.
      const own = path.relative(root, dir).split(path.sep).join('/');
      const exclude = own && !own.startsWith('..') && !path.isAbsolute(own) ? [...opts.exclude, `/${own}/`] : opts.exclude;
      const base = { root, exclude, gitignore: opts.gitignore, settings: clean(settings) };
      const started = Date.now();
      let index: WorkspaceIndex | undefined;
      if (!opts.rebuild) {
        const opened = await WorkspaceIndex.openOrRebuild(dir, base);
        if (!opened.rebuilt) index = opened.index;
        else if (opened.rebuilt !== 'no index yet' && !opts.quiet) printErr(`rebuilding: ${opened.rebuilt}\n`);
      }
      const progress = process.stderr.isTTY && !opts.quiet;
      let last = 0;
      const onProgress = (p: IndexProgress) => {
        if (!progress || Date.now() - last < 200) return;
        last = Date.now();
        process.stderr.write(`\rindexing… ${p.files} files, ${p.passages} passages`);
      };
      const abs = paths.map((p) => path.resolve(p));
      let report: IndexReport;
      // A new index is written segment by segment as it is built; an existing one is updated in place
      // (unchanged files are skipped by size and mtime without being read).
      if (index) report = await index.addPaths(abs, { onProgress });
      else ({ index, report } = await WorkspaceIndex.buildInto(dir, abs, { ...base, onProgress }));
      if (progress) process.stderr.write('\r\x1b[K');
      await index.save(dir, { merge: opts.merge });
      // Small segments and deletion marks left by updates are merged now, as the policy asks (a save never merges).
      await index.mergeSegments();
      if (!opts.quiet) printOut(describeReport(report, index, dir, Date.now() - started));
      for (const p of report.problems) printErr(`${p.file}${p.line !== undefined ? `:${p.line}` : ''}: ${p.reason}\n`);
    });
}

function clean(s: SettingsOverrides): SettingsOverrides | undefined {
  if (s.bm25) s.bm25 = Object.fromEntries(Object.entries(s.bm25).filter(([, v]) => v !== undefined));
  return Object.keys(s).length > 0 ? s : undefined;
}

export function describeReport(r: IndexReport, index: WorkspaceIndex, dir: string, ms: number): string {
  const s = index.stats();
  const skipped = r.skipped.binary + r.skipped.oversize + r.skipped.excluded;
  const lines = [
    `indexed ${plural(r.files, 'file')}${r.records ? ` (${plural(r.records, 'corpus record')})` : ''} into ${plural(r.passages, 'passage')}` +
      (r.unchanged ? `, ${r.unchanged} unchanged` : '') +
      (r.removed ? `, ${r.removed} removed` : ''),
    `skipped ${skipped}: ${r.skipped.binary} binary, ${r.skipped.oversize} over the size limit, ${r.skipped.excluded} excluded`,
  ];
  if (r.problems.length) lines.push(`${r.problems.length} bad corpus lines skipped (listed on stderr)`);
  lines.push(`index: ${plural(s.files, 'file')}, ${plural(s.passages, 'passage')}, ${plural(s.terms, 'term')}, fingerprint ${s.fingerprint}`);
  lines.push(`took ${(ms / 1000).toFixed(2)} s; saved to ${dir}`);
  return lines.join('\n') + '\n';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
