// `npm run package`: a platform-specific .vsix (dist/hopscope.vsix). The bundles are built by esbuild, but DuckDB's native
// binding (used by training runs) cannot be bundled: its packages are copied next to the bundles into
// dist/node_modules, and vsce is told the target platform, since the .vsix now holds one platform's
// binary. `--target <vsce target>` overrides the platform this runs on (e.g. darwin-arm64 when the
// @duckdb/node-bindings-darwin-arm64 package is installed).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

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
if (!existsSync(join(out, `@duckdb/node-bindings-${binding}`))) process.exit(1);

execFileSync(process.execPath, ['esbuild.mjs', '--production'], { stdio: 'inherit' });
const vsce = join('node_modules', '@vscode', 'vsce', 'vsce');
execFileSync(
  process.execPath,
  [vsce, 'package', '--target', target, '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', 'dist/hopscope.vsix'],
  { stdio: 'inherit' },
);
