/**
 * A multi-root workspace: every folder's files are named `folder/relative path` (never absolute), each
 * folder's `.gitignore` and the built-in excludes apply to its own files, updates by absolute path land on
 * the same keys, and a saved index opened with other folders is rebuilt.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { rmSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { FileKeys } from '../../../../src/core/retrieval/fileKeys';
import { WorkspaceIndex } from '../../../../src/core/retrieval/workspaceIndex';
import { testDir, writeTree } from './helpers';

function twoFolders(dir: string) {
  const docs = path.join(dir, 'docs-repo');
  const api = path.join(dir, 'elsewhere', 'api-repo');
  writeTree(docs, { 'guide.md': '# Install\nRun the installer with apt.\n', 'node_modules/x/readme.md': '# Install\ninstall noise\n' });
  writeTree(api, {
    'src/server.ts': '// Install handler\nexport function installHandler() { return "apt install"; }\n',
    'node_modules/y/readme.md': '# Install\ninstall install install\n',
    '.gitignore': 'build/\n',
    'build/out.md': '# Install\ninstall build output\n',
  });
  return [
    { name: 'docs', path: docs },
    { name: 'api', path: api },
  ];
}

/** Both folders in one index rooted at the first, as a multi-root workspace opens it. */
async function indexTwoFolders(dir: string) {
  const folders = twoFolders(dir);
  const index = new WorkspaceIndex({ root: folders[0].path, folders });
  const report = await index.addPaths(folders.map((f) => f.path));
  return { folders, index, report };
}

test('passages of every folder are named folder/path, with each folder\'s excludes applied', async (t) => {
  const tmp = testDir(t);
  const { index, report } = await indexTwoFolders(tmp);
  assert.deepEqual([...index.fileEntries().keys()].sort(), ['api/.gitignore', 'api/src/server.ts', 'docs/guide.md']);
  assert.ok(report.skipped.excluded >= 3, `node_modules of both folders and api's build/ skipped (${report.skipped.excluded})`);
  const hits = await index.search('install', { topK: 10 });
  assert.ok(hits.length >= 2);
  for (const h of hits) {
    assert.ok(h.path && !path.isAbsolute(h.path), `relative path, got ${h.path}`);
    assert.match(h.path, /^(docs|api)\//);
  }
  assert.ok(hits.some((h) => h.path === 'api/src/server.ts' && h.startLine === 1));
});

test('updates and removals by absolute path keep the folder/path keys', async (t) => {
  const tmp = testDir(t);
  const { folders, index } = await indexTwoFolders(tmp);
  const added = path.join(folders[1].path, 'notes.md');
  writeFileSync(added, '# Zebra\nzebra crossing notes\n');
  assert.equal(await index.update(added), 'added');
  assert.equal((await index.search('zebra', { topK: 1 }))[0]?.path, 'api/notes.md');
  assert.equal(await index.update(path.join(folders[1].path, 'build', 'late.md')), 'unchanged', 'a missing file is nothing to remove');
  writeFileSync(path.join(folders[1].path, 'build', 'late.md'), 'zebra zebra');
  assert.equal(await index.update(path.join(folders[1].path, 'build', 'late.md')), 'skipped', 'gitignored in its own folder');
  rmSync(added);
  assert.equal(await index.update(added), 'removed');
  assert.deepEqual(await index.search('zebra', { topK: 1 }), []);
});

test('a saved multi-root index reopens with the same keys, and is rebuilt when the folders change', async (t) => {
  const tmp = testDir(t);
  const { folders, index } = await indexTwoFolders(tmp);
  const store = path.join(tmp, 'store');
  await index.save(store);
  const same = await WorkspaceIndex.openOrRebuild(store, { root: folders[0].path, folders, settings: {} });
  assert.equal(same.rebuilt, undefined);
  assert.ok(same.index.fileEntries().has('api/src/server.ts'));
  const one = await WorkspaceIndex.openOrRebuild(store, { root: folders[0].path, folders: folders.slice(0, 1), settings: {} });
  assert.match(one.rebuilt ?? '', /workspace folders changed/);
  const renamed = await WorkspaceIndex.openOrRebuild(store, { root: folders[0].path, folders: [folders[0], { ...folders[1], name: 'backend' }], settings: {} });
  assert.match(renamed.rebuilt ?? '', /workspace folders changed/);
});

test('FileKeys: one root keeps plain relative paths; folders sharing a name are told apart', () => {
  const single = new FileKeys('/w/a', [{ name: 'a', path: '/w/a' }]);
  assert.equal(single.key('/w/a/docs/x.md'), 'docs/x.md');
  assert.equal(single.abs('docs/x.md'), path.resolve('/w/a/docs/x.md'));
  const twins = new FileKeys('/w/one/app', [
    { name: 'app', path: '/w/one/app' },
    { name: 'app', path: '/w/two/app' },
  ]);
  assert.equal(twins.key('/w/one/app/x.md'), 'app/x.md');
  assert.equal(twins.key('/w/two/app/x.md'), 'app (2)/x.md');
  assert.equal(twins.abs('app (2)/x.md'), path.resolve('/w/two/app/x.md'));
  const nested = new FileKeys('/w/repo', [
    { name: 'repo', path: '/w/repo' },
    { name: 'pkg', path: '/w/repo/packages/pkg' },
  ]);
  assert.equal(nested.key('/w/repo/packages/pkg/index.ts'), 'pkg/index.ts', 'the innermost folder names it');
  assert.equal(nested.key('/outside/x.md'), '/outside/x.md');
});
