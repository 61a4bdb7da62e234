/**
 * The packaged extension as a user gets it: `npm run package`, `code-server --install-extension
 * dist/hopscope.vsix` into an empty extensions dir, then Ask Question… works from the installed copy (no
 * extension development path). Screenshot: test-output/vscode/install-ask.png.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { unzipSync } from 'fflate';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { codeServerBin, ROOT } from '../../support/paths';
import { makeTempDir } from '../../support/tmp';
import { askAndCheck, startAskSession, type AskSession } from './askScenario';

const VSIX = join(ROOT, 'dist', 'hopscope.vsix');
let extensionsDir: string;
let s: AskSession | undefined;

before(() => {
  try {
    execFileSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: 'pipe' });
  } catch (e) {
    const err = e as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`npm run package failed:\n${err.stdout?.toString() ?? ''}${err.stderr?.toString() ?? ''}`);
  }
});
after(async () => {
  await s?.close();
  // The production package replaced dist/ with minified bundles; later layers get the development build back.
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'ignore' });
});

test('npm run package makes a platform .vsix: DuckDB\'s native binding for this platform, everything else under 5 MB', () => {
  const files = unzipSync(readFileSync(VSIX));
  const binding = `extension/dist/node_modules/@duckdb/node-bindings-${process.platform}-${process.arch}/duckdb.node`;
  assert.ok(files[binding], `${binding} is in the .vsix (training runs need it)`);
  const manifest = new TextDecoder().decode(files['extension.vsixmanifest']);
  assert.match(manifest, new RegExp(`TargetPlatform="${process.platform}-${process.arch}"`), 'the .vsix says which platform it is for');
  const rest = Object.entries(files).filter(([name]) => !name.includes('/node_modules/@duckdb/')).reduce((n, [, data]) => n + data.length, 0);
  assert.ok(rest < 5 * 1024 * 1024, `the .vsix holds ${(rest / 1024 / 1024).toFixed(2)} MB besides DuckDB`);
});

test('code-server --install-extension installs the .vsix', () => {
  extensionsDir = makeTempDir('hopscope-cs-ext-');
  const userDataDir = makeTempDir('hopscope-cs-data-');
  execFileSync(codeServerBin(), ['--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', VSIX], { stdio: 'pipe' });
  assert.ok(readdirSync(extensionsDir).some((d) => d.startsWith('hopscope.hopscope-')), `hopscope installed in ${extensionsDir}`);
});

test('the installed extension answers Ask Question… in the trace panel', async (t) => {
  s = await startAskSession('install', { extensionsDir });
  await askAndCheck(t, s, 'install-ask');
});
