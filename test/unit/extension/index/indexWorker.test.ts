/**
 * The extension's indexing worker on plain Node: a real worker thread (the TypeScript entry through tsx)
 * driven by the same IndexClient the extension host uses.
 */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { IndexClient } from '../../../../src/extension/index/indexClient';
import type { IndexStatus } from '../../../../src/extension/index/workerProtocol';
import { jsonl, testDir, writeTree } from '../../core/retrieval/helpers';

const WORKER_TS = path.resolve(__dirname, '../../../../src/extension/index/indexWorker.ts');

/** A worker can't start from a .ts file: a tiny CommonJS bootstrap registers tsx first. */
function workerFile(dir: string): string {
  const file = path.join(dir, 'worker-bootstrap.cjs');
  writeFileSync(file, `require(${JSON.stringify(require.resolve('tsx/cjs'))});\nrequire(${JSON.stringify(WORKER_TS)});\n`);
  return file;
}

test('the worker builds, saves, searches, updates and reopens the workspace index', { timeout: 60_000 }, async (t) => {
  const tmp = testDir(t);
  const ws = path.join(tmp, 'ws');
  const store = path.join(tmp, 'store');
  writeTree(ws, { 'a.md': '# Alpha\n\nThe aardvark eats ants.\n', 'b.txt': 'Bees make honey.\n', 'img.png': Buffer.from([0, 1, 2]) });
  const client = new IndexClient(workerFile(tmp));
  const states: string[] = [];
  client.onStatus((s) => states.push(s.state));
  try {
    const open = { dir: store, root: ws, paths: [ws], exclude: [], settings: { maxFileBytes: 1_000_000 }, rebuild: false };
    const status = await client.open(open);
    assert.equal(status.state, 'ready');
    assert.equal(status.files, 2);
    assert.deepEqual(status.skipped, { binary: 1, oversize: 0, excluded: 0 });
    assert.ok(states.includes('indexing'));

    const retriever = client.retriever();
    const [hit] = await retriever.search('aardvark', { topK: 3 });
    assert.deepEqual([hit.path, hit.startLine, hit.endLine], ['a.md', 1, 3]);
    assert.equal(retriever.info.index, status.fingerprint);

    writeFileSync(path.join(ws, 'b.txt'), 'Wasps make paper.\n');
    rmSync(path.join(ws, 'a.md'));
    const updated = await client.update([path.join(ws, 'b.txt'), path.join(ws, 'a.md')]);
    assert.equal(updated.files, 1);
    assert.deepEqual(await retriever.search('aardvark', { topK: 3 }), []);
    assert.equal((await retriever.search('wasps', { topK: 3 }))[0].path, 'b.txt');
    assert.deepEqual(await client.files(), [{ key: 'b.txt', passages: 1, kind: 'file' }]);
  } finally {
    await client.dispose();
  }

  // The pending save was flushed on dispose: a new worker opens the saved index as it was.
  const again = new IndexClient(workerFile(tmp));
  try {
    const first: IndexStatus[] = [];
    again.onStatus((s) => first.push(s));
    const status = await again.open({ dir: store, root: ws, paths: [ws], exclude: [], settings: { maxFileBytes: 1_000_000 }, rebuild: false });
    assert.equal(status.files, 1);
    assert.ok(first.some((s) => s.searchable && s.state === 'indexing'), 'the saved index answered while it was refreshed');
    assert.equal((await again.search('wasps', 1))[0].path, 'b.txt');

    // Other BM25 settings (a changed hopscope.index.bm25.k1): the saved index is rebuilt, and says so.
    const changed = await again.open({ dir: store, root: ws, paths: [ws], exclude: [], settings: { maxFileBytes: 1_000_000, bm25: { k1: 2 } }, rebuild: false });
    assert.match(changed.message ?? '', /other settings/);
    assert.equal(changed.files, 1);
    assert.notEqual(changed.fingerprint, status.fingerprint);
  } finally {
    await again.dispose();
  }
});

test('indexing can be cancelled, and bad corpus lines reach the status', { timeout: 60_000 }, async (t) => {
  const tmp = testDir(t);
  const rows = Array.from({ length: 40_000 }, (_, i) => ({ id: `r${i}`, title: `T${i}`, text: `text number ${i} with some words` }));
  writeTree(tmp, { 'big.jsonl': jsonl(rows), 'small/c.jsonl': jsonl([{ id: 'x', contents: '"X"\nok' }, 'oops']) });
  const client = new IndexClient(workerFile(tmp));
  try {
    const base = { dir: path.join(tmp, 'store'), root: tmp, exclude: [], settings: { maxFileBytes: 1_000_000 }, rebuild: false };
    const pass = client.open({ ...base, paths: [tmp] });
    await new Promise<void>((resolve) => {
      const sub = client.onStatus((s) => {
        if (s.progress && s.progress.passages > 0) {
          sub.dispose();
          resolve();
        }
      });
    });
    client.cancel();
    await assert.rejects(pass, /cancelled/);
    assert.equal(client.lastStatus?.message, 'indexing cancelled');

    const small = await client.open({ ...base, paths: [path.join(tmp, 'small')], rebuild: true });
    assert.deepEqual(small.problems.map((p) => [p.file, p.line]), [['small/c.jsonl', 2]]);
  } finally {
    await client.dispose();
  }
});
