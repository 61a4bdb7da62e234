// Builds the three bundles: the extension (node, cjs), the webview (browser, iife) and the CLI (node, shebang).
// `--watch` rebuilds on change; `--production` minifies and drops source maps.
import * as esbuild from 'esbuild';
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { writeValidator } from './scripts/traceSchemaValidator.mjs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
};

/** @type {esbuild.BuildOptions[]} */
const builds = [
  {
    ...common,
    entryPoints: { extension: 'src/extension/extension.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', '@duckdb/node-api'],
  },
  {
    ...common,
    entryPoints: { cli: 'src/cli.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    // DuckDB's native binding loads its platform package (@duckdb/node-bindings-<os>-<arch>) at run time.
    external: ['@duckdb/node-api'],
    define: { VERSION: JSON.stringify(pkg.version) },
  },
  {
    ...common,
    entryPoints: { webview: 'webview/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  {
    ...common,
    // The workspace index's worker thread (src/extension/index/indexWorker.ts): indexing off the host's main thread.
    entryPoints: { indexWorker: 'src/extension/index/indexWorker.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    ...common,
    // The training-run dashboard (webview/runs/main.ts): its own small bundle, loaded only by that panel.
    entryPoints: { runDashboard: 'webview/runs/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  {
    ...common,
    // The training-run ingest workers (src/core/runs/worker.ts): rollouts parsed and analysed off the main thread.
    entryPoints: { runsWorker: 'src/core/runs/worker.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
];

// The trace schema's standalone validator is generated code: rebuilt here whenever the schema changed.
if (writeValidator()) console.log('regenerated src/core/traceSchema.validator.ts from src/core/trace.schema.json');

mkdirSync('dist', { recursive: true });
const chmodCli = { name: 'chmod-cli', setup(b) { b.onEnd(() => { try { chmodSync('dist/cli.js', 0o755); } catch {} }); } };
builds[1].plugins = [chmodCli];

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('watching for changes…');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
