import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { WorkspaceIndex } from '../../../../src/core/retrieval/workspaceIndex';
import { testDir, writeTree } from './helpers';

test('binaries, oversize files, .gitignore and exclude patterns are skipped and counted', async (t) => {
  const tmp = testDir(t);
  writeTree(tmp, {
    '.gitignore': 'build/\n*.log\n',
    'src/.gitignore': 'generated.ts\n',
    'src/main.ts': 'export const keep = 1;\n',
    'src/generated.ts': 'export const generatedOnly = 1;\n',
    'build/out.js': 'compiled output\n',
    'app.log': 'log line\n',
    'image.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]),
    'data.bin2': Buffer.from([104, 105, 0, 0, 1]),
    'big.txt': 'x'.repeat(5000),
    'secret/keys.txt': 'do not index\n',
    'node_modules/pkg/index.js': 'dependency\n',
    'docs/readme.md': '# Docs\n\nreadable\n',
  });
  const index = new WorkspaceIndex({ root: tmp, exclude: ['secret/**', '**/.gitignore'], settings: { maxFileBytes: 1000 } });
  const report = await index.addPaths(['.']);
  assert.deepEqual([...index.fileEntries().keys()].sort(), ['docs/readme.md', 'src/main.ts']);
  assert.deepEqual(report.skipped, { binary: 2, oversize: 1, excluded: 7 });
  // excluded: build/, app.log, src/generated.ts, secret/keys.txt, node_modules/, and both .gitignore files
  assert.deepEqual(await index.search('generatedOnly', { topK: 5 }), []);
});

test('update() drops a file that became excluded, binary or too large, and indexes one that appeared', async (t) => {
  const tmp = testDir(t);
  writeTree(tmp, { 'a.txt': 'apple\n', 'b.txt': 'banana\n' });
  const index = await WorkspaceIndex.build(['.'], { root: tmp, settings: { maxFileBytes: 100 } });
  writeTree(tmp, { 'a.txt': 'a'.repeat(200) });
  assert.equal(await index.update(path.join(tmp, 'a.txt')), 'skipped');
  assert.deepEqual(await index.search('apple', { topK: 5 }), []);
  writeTree(tmp, { '.gitignore': 'b.txt\n' });
  assert.equal(await index.update('.gitignore'), 'added');
  assert.deepEqual([...index.fileEntries().keys()], ['.gitignore'], 'b.txt is now ignored');
  assert.equal(await index.update('b.txt'), 'skipped');
  writeTree(tmp, { 'c.txt': 'cherry\n' });
  assert.equal(await index.update('c.txt'), 'added');
  assert.equal((await index.search('cherry', { topK: 1 }))[0].path, 'c.txt');
});

test('re-indexing a folder removes the files deleted from it', async (t) => {
  const tmp = testDir(t);
  writeTree(tmp, { 'docs/a.md': 'apple\n', 'docs/b.md': 'banana\n', 'other.md': 'orange\n' });
  const index = await WorkspaceIndex.build(['.'], { root: tmp });
  (await import('node:fs')).rmSync(path.join(tmp, 'docs/b.md'));
  const r = await index.addPaths(['docs']);
  assert.equal(r.removed, 1);
  assert.equal(r.unchanged, 1);
  assert.deepEqual([...index.fileEntries().keys()].sort(), ['docs/a.md', 'other.md']);
});

test('update() on a folder stands for its files: a new folder is indexed, a deleted one leaves the index', async (t) => {
  // File watchers may report only the folder when a folder and its files appear or vanish together.
  const tmp = testDir(t);
  writeTree(tmp, { 'a.txt': 'apple\n' });
  const index = await WorkspaceIndex.build(['.'], { root: tmp });
  writeTree(tmp, { 'notes/deep/probe.md': '# Probe\n\nThe bilbyprobe hides in the desert.\n', 'notes/other.txt': 'wombat\n' });
  assert.equal(await index.update(path.join(tmp, 'notes')), 'added');
  assert.deepEqual((await index.search('bilbyprobe', { topK: 5 })).map((d) => d.path), ['notes/deep/probe.md']);
  rmSync(path.join(tmp, 'notes'), { recursive: true });
  assert.equal(await index.update(path.join(tmp, 'notes')), 'removed');
  assert.deepEqual(await index.search('bilbyprobe wombat', { topK: 5 }), []);
  assert.deepEqual([...index.fileEntries().keys()], ['a.txt']);
});
