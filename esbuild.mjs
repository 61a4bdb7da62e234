// Builds the three bundles: the extension (node, cjs), the webview (browser, iife) and the CLI (node, shebang).
// `--watch` rebuilds on change; `--production` minifies and drops source maps; `--package [--target T]` (npm run
// package) builds for production and then a platform-specific .vsix (see packageVsix below).
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { writeValidator } from './src/core/traceSchema.generate.mjs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

const watch = process.argv.includes('--watch');
const packaging = process.argv.includes('--package');
const production = packaging || process.argv.includes('--production');

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
    // The trajectories table (webview/table/main.ts): its own small bundle, loaded only by that panel.
    entryPoints: { trajectoryTable: 'webview/table/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
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
  {
    ...common,
    // The store worker (src/core/storeHost/worker.ts): the trace stores' DuckDB, off the extension host's main thread.
    entryPoints: { storeWorker: 'src/core/storeHost/worker.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['@duckdb/node-api'],
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

/**
 * A platform-specific .vsix (dist/hopscope.vsix). DuckDB's native binding (training runs) cannot be bundled: its
 * packages are copied next to the bundles into dist/node_modules, and vsce is told the target platform, since the
 * .vsix then holds one platform's binary. `--target <vsce target>` overrides the platform this runs on (e.g.
 * darwin-arm64 when the @duckdb/node-bindings-darwin-arm64 package is installed).
 */
function packageVsix() {
  const require = createRequire(import.meta.url);
  const i = process.argv.indexOf('--target');
  const target = i >= 0 ? process.argv[i + 1] : `${process.platform}-${process.arch}`;
  // vsce targets and DuckDB binding packages name platforms alike (linux-x64, darwin-arm64, win32-x64, alpine-x64 = linux-x64-musl).
  const binding = target.startsWith('alpine-') ? `linux-${target.slice('alpine-'.length)}-musl` : target;

  const packages = ['@duckdb/node-api', '@duckdb/node-bindings', `@duckdb/node-bindings-${binding}`, 'detect-libc'];
  const out = join('dist', 'node_modules');
  rmSync(out, { recursive: true, force: true });
  for (const name of packages) {
    let dir;
    try {
      dir = dirname(require.resolve(`${name}/package.json`));
    } catch {
      console.error(`package: ${name} is not installed, so a ${target} .vsix cannot be built (npm install it, or pick another --target)`);
      process.exit(1);
    }
    mkdirSync(dirname(join(out, name)), { recursive: true });
    cpSync(dir, join(out, name), { recursive: true, dereference: true });
  }
  if (!existsSync(join(out, `@duckdb/node-bindings-${binding}`))) {
    console.error(`package: @duckdb/node-bindings-${binding} was not copied into ${out}`);
    process.exit(1);
  }

  const vsce = join('node_modules', '@vscode', 'vsce', 'vsce');
  execFileSync(
    process.execPath,
    [vsce, 'package', '--target', target, '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', 'dist/hopscope.vsix'],
    { stdio: 'inherit' },
  );
}

if (packaging) packageVsix();
