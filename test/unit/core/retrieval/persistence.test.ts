import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { RetrieverError } from '../../../../src/core/errors';
import { StaleIndexError, WorkspaceIndex } from '../../../../src/core/retrieval/workspaceIndex';
import { jsonl, testDir, writeTree } from './helpers';

const QUERIES = ['alpha beta', 'gamma', 'install the package', 'letter', 'delta epsilon zeta'];

function workspace(dir: string) {
  writeTree(dir, {
    'ws/a.md': '# Alpha\n\nalpha beta gamma\n\n## Install\n\ninstall the package\n',
    'ws/b.ts': 'export function gammaDelta() {\n  return 1;\n}\n',
    'ws/c.txt': 'delta epsilon zeta\n\nmore text here\n',
    'corpus.jsonl': jsonl([
      { id: 'x1', contents: '"Letter A"\nThe letter alpha.' },
      { id: 'x2', contents: '"Letter B"\nThe letter beta.' },
    ]),
  });
}

/** The workspace under `root` with its `ws` folder indexed and saved; returns the index folder. */
async function savedWorkspace(root: string): Promise<string> {
  workspace(root);
  const dir = path.join(root, 'idx');
  await (await WorkspaceIndex.build(['ws'], { root })).save(dir);
  return dir;
}

test('save then open gives the same search results, stats and fingerprint', async (t) => {
  const tmp = testDir(t);
  workspace(tmp);
  const built = await WorkspaceIndex.build(['ws', 'corpus.jsonl'], { root: tmp });
  const dir = path.join(tmp, 'idx');
  await built.save(dir);
  const opened = await WorkspaceIndex.open(dir);
  assert.deepEqual(opened.stats(), built.stats());
  assert.equal(opened.info.index, built.info.index);
  assert.equal(opened.root, built.root);
  for (const q of QUERIES) assert.deepEqual(await opened.search(q, { topK: 10 }), await built.search(q, { topK: 10 }), q);
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  assert.equal(manifest.version, 2);
  assert.equal(manifest.settings.bm25.k1, built.settings.bm25.k1);
  // A first save writes the files table whole, in a file of its own the manifest names.
  assert.match(manifest.filesBase, /^files-/);
  const files = JSON.parse(readFileSync(path.join(dir, `${manifest.filesBase}.json`), 'utf8'));
  assert.deepEqual(Object.keys(files).sort(), ['corpus.jsonl', 'ws/a.md', 'ws/b.ts', 'ws/c.txt']);
  assert.match(files['ws/a.md'].hash, /^[0-9a-f]{40}$/);
  assert.equal(typeof files['ws/a.md'].mtimeMs, 'number');
  assert.deepEqual(manifest.files, {});
});

test('an opened index updates incrementally and saves again', async (t) => {
  const tmp = testDir(t);
  const dir = await savedWorkspace(tmp);
  const opened = await WorkspaceIndex.open(dir);
  writeFileSync(path.join(tmp, 'ws/c.txt'), 'omega only now\n');
  assert.equal(await opened.update('ws/c.txt'), 'updated');
  assert.equal(await opened.update('ws/a.md'), 'unchanged');
  assert.deepEqual(await opened.search('epsilon', { topK: 5 }), []);
  assert.equal((await opened.search('omega', { topK: 5 }))[0].path, 'ws/c.txt');
  await opened.save(dir);
  const again = await WorkspaceIndex.open(dir);
  assert.equal((await again.search('omega', { topK: 5 }))[0].path, 'ws/c.txt');
  assert.equal(again.stats().files, 3);
});

test('other settings or another format version make the saved index stale: openOrRebuild starts over', async (t) => {
  const tmp = testDir(t);
  const dir = await savedWorkspace(tmp);
  await assert.rejects(WorkspaceIndex.open(dir, { settings: { bm25: { k1: 2 } } }), StaleIndexError);
  const same = await WorkspaceIndex.openOrRebuild(dir, { root: tmp });
  assert.equal(same.rebuilt, undefined);
  assert.equal(same.index.stats().files, 3);
  const other = await WorkspaceIndex.openOrRebuild(dir, { root: tmp, settings: { boost: { title: 5 } } });
  assert.match(other.rebuilt ?? '', /other settings/);
  assert.equal(other.index.stats().files, 0);

  const manifestFile = path.join(dir, 'manifest.json');
  const m = JSON.parse(readFileSync(manifestFile, 'utf8'));
  writeFileSync(manifestFile, JSON.stringify({ ...m, version: 99 }));
  await assert.rejects(WorkspaceIndex.open(dir), /index format 99/);
  assert.match((await WorkspaceIndex.openOrRebuild(dir)).rebuilt ?? '', /format 99/);
});

test('a missing or damaged index is a RetrieverError that says how to rebuild', async (t) => {
  const tmp = testDir(t);
  await assert.rejects(WorkspaceIndex.open(path.join(tmp, 'none')), (e: unknown) => e instanceof RetrieverError && /no index at/.test(e.message) && /hopscope index/.test(e.describe()));
  const dir = await savedWorkspace(tmp);
  const m = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  writeFileSync(path.join(dir, `${m.segments[0].name}.postings`), 'garbage');
  await assert.rejects(WorkspaceIndex.open(dir), (e: unknown) => e instanceof RetrieverError && /unreadable/.test(e.message));
});

test('an index saved by the previous format (uncompressed postings) is rebuilt with a message saying why, never misread', async (t) => {
  const tmp = testDir(t);
  const fixture = path.join(__dirname, '..', '..', '..', 'fixtures', 'retrieval', 'index-format-1');
  cpSync(fixture, tmp, { recursive: true });
  const dir = path.join(tmp, 'idx');
  await assert.rejects(WorkspaceIndex.open(dir, { root: tmp }), (e: unknown) => e instanceof StaleIndexError && /index format 1, this Hopscope reads 2/.test(e.message) && /hopscope index/.test(e.describe()));
  const reopened = await WorkspaceIndex.openOrRebuild(dir, { root: tmp });
  assert.match(reopened.rebuilt ?? '', /index format 1/);
  assert.equal(reopened.index.stats().passages, 0, 'a new, empty index to build');

  // The old segment under a current manifest (a hand-copied folder): unreadable, with the reason and the fix.
  const manifestFile = path.join(dir, 'manifest.json');
  writeFileSync(manifestFile, JSON.stringify({ ...JSON.parse(readFileSync(manifestFile, 'utf8')), version: 2 }));
  await assert.rejects(
    WorkspaceIndex.open(dir, { root: tmp }),
    (e: unknown) => e instanceof RetrieverError && /older Hopscope \(uncompressed postings\)/.test(e.message) && /hopscope index/.test(e.describe()),
  );
  const rebuilt = await WorkspaceIndex.openOrRebuild(dir, { root: tmp });
  assert.match(rebuilt.rebuilt ?? '', /older Hopscope/);
  await rebuilt.index.addPaths(['ws'], {});
  await rebuilt.index.save(dir);
  const [top] = (await WorkspaceIndex.open(dir)).searchSync('old bridge', 1);
  assert.match(top.text, /The old bridge crosses the river/);
});

test('reloading takes a fraction of the build time', async (t) => {
  const tmp = testDir(t);
  const rows = Array.from({ length: 3000 }, (_, i) => ({ id: `d${i}`, title: `Doc ${i}`, text: `word${i % 97} common text number ${i} about topic${i % 13} and more filler words here` }));
  writeTree(tmp, { 'c.jsonl': jsonl(rows) });
  let s = performance.now();
  const built = await WorkspaceIndex.build(['c.jsonl'], { root: tmp });
  const buildMs = performance.now() - s;
  await built.save(path.join(tmp, 'idx'));
  s = performance.now();
  await WorkspaceIndex.open(path.join(tmp, 'idx'));
  const openMs = performance.now() - s;
  assert.ok(openMs < buildMs, `open ${openMs.toFixed(0)} ms, build ${buildMs.toFixed(0)} ms`);
});
