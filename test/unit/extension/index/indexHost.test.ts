/**
 * The index worker's code (IndexHost, driven in this process as IndexClient drives the thread): an
 * editor save writes that file's segment and the manifest and nothing else, a crash in the middle of a
 * save leaves the previous index intact, a rebuild streams into segments, and any sequence of edits,
 * saves, merges and reopens answers as a rebuild.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { SegmentReader } from '../../../../src/core/retrieval/segmentReader';
import { WorkspaceIndex } from '../../../../src/core/retrieval/workspaceIndex';
import { jsonl, tempDir, testDir, writeTree } from '../../core/retrieval/helpers';
import { fullCollection } from '../../../../src/extension/index/indexHost';
import { HostDriver } from './hostDriver';

interface SavedManifest {
  segments: Array<{ name: string; passages: number; deleted: string[] }>;
  files: Record<string, unknown>;
  filesBase?: string;
}

function manifestOf(dir: string): SavedManifest {
  return JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as SavedManifest;
}

/** Each file of the folder with what would change if it were rewritten. */
function listing(dir: string): Map<string, string> {
  return new Map(
    readdirSync(dir).map((f) => {
      const st = statSync(path.join(dir, f));
      return [f, `${st.ino}:${st.size}:${st.mtimeMs}`];
    }),
  );
}

function workspace(root: string, files = 30): void {
  const tree: Record<string, string> = {};
  for (let i = 0; i < files; i++) tree[`f${i}.md`] = `# Topic ${i}\n\nshared words about topic number ${i}\n\n## More\n\nsecond part ${i % 7}\n`;
  writeTree(root, tree);
}

const settings = { maxFileBytes: 1_000_000 };

test('an editor save re-indexes that file only and persists only its segment and the manifest, loading no other segment', async (t) => {
  const tmp = testDir(t);
  const ws = path.join(tmp, 'ws');
  const dir = path.join(tmp, 'store');
  workspace(ws);
  const open = { dir, root: ws, paths: [ws], exclude: [], settings, rebuild: false };
  const first = new HostDriver({ segmentPassages: 20 });
  await first.open(open);
  await first.request({ type: 'dispose' });
  assert.ok(manifestOf(dir).segments.length >= 3, 'the build wrote several segments');

  const driver = new HostDriver();
  await driver.open(open);
  const before = listing(dir);
  const oldCount = (await driver.request({ type: 'files' })).find((f) => f.key === 'f4.md')!.passages;
  writeFileSync(path.join(ws, 'f4.md'), '# Zebra\n\nzebras replaced it\n');
  // Nothing is read whole: no segment snapshot, and passages only of the file being replaced.
  const snapshot = SegmentReader.prototype.snapshot;
  const passage = SegmentReader.prototype.passage;
  let read = 0;
  SegmentReader.prototype.snapshot = () => assert.fail('a segment was loaded whole');
  SegmentReader.prototype.passage = function (this: SegmentReader, doc: number) {
    read++;
    return passage.call(this, doc);
  };
  try {
    const status = await driver.request({ type: 'update', files: [path.join(ws, 'f4.md')] });
    await driver.request({ type: 'flush' });
    assert.equal(status.files, 30);
  } finally {
    SegmentReader.prototype.snapshot = snapshot;
    SegmentReader.prototype.passage = passage;
  }
  assert.ok(read <= oldCount, `read ${read} stored passages (f4.md had ${oldCount})`);

  const after = listing(dir);
  const added = [...after.keys()].filter((f) => !before.has(f));
  const changed = [...after.keys()].filter((f) => before.has(f) && before.get(f) !== after.get(f));
  const removed = [...before.keys()].filter((f) => !after.has(f));
  const m = manifestOf(dir);
  const fresh = m.segments[m.segments.length - 1];
  assert.deepEqual(added.sort(), [`${fresh.name}.docs`, `${fresh.name}.postings`], 'one new segment');
  assert.deepEqual(changed, ['manifest.json'], 'no other file is rewritten');
  assert.deepEqual(removed, []);
  const newCount = (await driver.request({ type: 'files' })).find((f) => f.key === 'f4.md')!.passages;
  assert.equal(fresh.passages, newCount, 'the segment holds the saved file only');
  assert.deepEqual(Object.keys(m.files), ['f4.md'], 'the manifest lists the changed file beside the files table');
  assert.deepEqual(
    m.segments.flatMap((s) => s.deleted).sort(),
    Array.from({ length: oldCount }, (_, i) => `f4.md#${i}`),
    'its old passages are marked deleted',
  );

  assert.equal((await driver.request({ type: 'search', query: 'zebra', topK: 3 }))[0].path, 'f4.md');
  assert.deepEqual((await driver.request({ type: 'search', query: 'shared topic number', topK: 40 })).filter((d) => d.path === 'f4.md'), []);
  await driver.request({ type: 'dispose' });
});

test('the garbage of a build or a refresh is collected (if the heap is large) when the pass ends, never during an editor save', async (t) => {
  const tmp = testDir(t);
  const ws = path.join(tmp, 'ws');
  const dir = path.join(tmp, 'store');
  workspace(ws, 8);
  const open = { dir, root: ws, paths: [ws], exclude: [], settings, rebuild: false };
  let collections = 0;
  const noMerge = { mergeDelayMs: 24 * 3600_000, collect: () => collections++ };
  const builder = new HostDriver(noMerge);
  await builder.open(open);
  await builder.request({ type: 'files' });
  assert.equal(collections, 1, 'collected once after the build');
  await builder.request({ type: 'dispose' });

  const driver = new HostDriver(noMerge);
  await driver.open(open);
  // The save right after opening runs behind the collection, not into it.
  writeFileSync(path.join(ws, 'f3.md'), '# Zebra\n\nzebras replaced it\n');
  await driver.request({ type: 'update', files: [path.join(ws, 'f3.md')] });
  assert.equal(collections, 2, 'collected once after the refresh pass, before the save');
  await driver.request({ type: 'flush' });
  await driver.request({ type: 'update', files: [path.join(ws, 'f5.md')] });
  await driver.request({ type: 'flush' });
  assert.equal(collections, 2, 'the saves collected nothing');
  assert.equal((await driver.request({ type: 'search', query: 'zebra', topK: 1 }))[0].path, 'f3.md');
  await driver.request({ type: 'dispose' });

  // V8's own collector is at hand, and taking it leaves no `gc` global for the process's other contexts.
  const collect = fullCollection();
  assert.equal(typeof collect, 'function');
  collect!();
  assert.equal(runInNewContext('typeof gc'), 'undefined');
});

test('an editor save during the refresh pass after opening runs between two of its files, not after it, and the index ends as a rebuild', async (t) => {
  const tmp = testDir(t);
  const ws = path.join(tmp, 'ws');
  const dir = path.join(tmp, 'store');
  workspace(ws, 40);
  const open = { dir, root: ws, paths: [ws], exclude: [], settings, rebuild: false };
  const noMerge = { mergeDelayMs: 24 * 3600_000 };
  const builder = new HostDriver(noMerge);
  await builder.open(open);
  await builder.request({ type: 'dispose' });
  // Changed while closed: the refresh pass re-reads these.
  for (let i = 0; i < 40; i += 2) writeFileSync(path.join(ws, `f${i}.md`), `# Changed ${i}\n\nrewritten words while closed ${i}\n`);
  rmSync(path.join(ws, 'f1.md'));

  const driver = new HostDriver(noMerge);
  const order: string[] = [];
  const searchable = driver.onceSearchable();
  const opening = driver.open(open).then(() => order.push('open'));
  await searchable;
  // Saved while the pass runs: a new file and an edit of one the pass also reads.
  writeFileSync(path.join(ws, 'late.md'), '# Zebra\n\nzebras arrived during the refresh\n');
  writeFileSync(path.join(ws, 'f7.md'), '# Okapi\n\nokapis replaced topic seven\n');
  const saving = driver
    .request({ type: 'update', files: [path.join(ws, 'late.md'), path.join(ws, 'f7.md')] })
    .then(() => order.push('update'))
    .then(() => driver.request({ type: 'flush' }))
    .then(() => order.push('flush'));
  await Promise.all([opening, saving]);
  assert.deepEqual(order, ['update', 'flush', 'open']);

  const queries = ['zebra', 'okapi topic', 'rewritten words', 'shared words topic number', 'changed 12', 'second part'];
  const rebuilt = await WorkspaceIndex.build([ws], { root: ws, settings });
  const expected = queries.map((q) => rebuilt.searchSync(q, 50).map((d) => [d.id, d.score]));
  const answers = async (d: HostDriver) => Promise.all(queries.map(async (q) => (await d.request({ type: 'search', query: q, topK: 50 })).map((h) => [h.id, h.score])));
  assert.deepEqual(await answers(driver), expected, 'answers as a rebuild');
  await driver.request({ type: 'dispose' });
  const reopened = new HostDriver(noMerge);
  await reopened.open(open);
  assert.deepEqual(await answers(reopened), expected, 'answers as a rebuild after a reopen');
  await reopened.request({ type: 'dispose' });
});

test('a crash in the middle of a save leaves the previous index intact, and it opens', { timeout: 60_000 }, async (t) => {
  const tmp = testDir(t);
  const ws = path.join(tmp, 'ws');
  const dir = path.join(tmp, 'store');
  workspace(ws, 6);
  const open = { dir, root: ws, paths: [ws], exclude: [], settings, rebuild: false };
  const first = new HostDriver();
  await first.open(open);
  await first.request({ type: 'dispose' });
  const manifestBefore = readFileSync(path.join(dir, 'manifest.json'), 'utf8');
  const intact = await WorkspaceIndex.open(dir);
  const answers = (index: WorkspaceIndex) => ['topic 2', 'shared words', 'zebra'].map((q) => index.searchSync(q, 10));
  const expected = answers(intact);
  intact.close();

  // A worker process killed (SIGKILL) after the new segment is written, before the manifest switches.
  writeFileSync(path.join(ws, 'f2.md'), '# Zebra\n\nzebras replaced topic two\n');
  const child = path.join(tmp, 'crash.ts');
  writeFileSync(
    child,
    [
      `import { HostDriver } from ${JSON.stringify(path.join(__dirname, 'hostDriver'))};`,
      // The open saves once; the second save is the edit's.
      'let saves = 0;',
      'const crash = () => { if (++saves === 2) process.kill(process.pid, "SIGKILL"); };',
      'void (async () => {',
      `  const d = new HostDriver({ saveHooks: { beforeManifest: crash } });`,
      `  await d.open(${JSON.stringify({ ...open, paths: [] })});`,
      `  await d.request({ type: 'update', files: [${JSON.stringify(path.join(ws, 'f2.md'))}] });`,
      "  await d.request({ type: 'flush' });",
      '})();',
    ].join('\n'),
  );
  const boot = path.join(tmp, 'boot.cjs');
  writeFileSync(boot, `require(${JSON.stringify(require.resolve('tsx/cjs'))});\nrequire(${JSON.stringify(child)});\n`);
  const run = spawnSync(process.execPath, [boot], { encoding: 'utf8', timeout: 50_000 });
  assert.equal(run.signal, 'SIGKILL', `the worker process died mid-save (${run.stderr})`);
  const listed = new Set(manifestOf(dir).segments.map((s) => s.name));
  assert.ok(readdirSync(dir).some((f) => f.endsWith('.postings') && !listed.has(f.replace(/\.postings$/, ''))), 'the new segment was written');
  assert.equal(readFileSync(path.join(dir, 'manifest.json'), 'utf8'), manifestBefore, 'the manifest is the previous one');

  const reopened = await WorkspaceIndex.open(dir);
  assert.deepEqual(answers(reopened), expected, 'the previous index answers as before');
  reopened.close();
  // The extension opens it, catches up with the edit and sweeps the orphan.
  const driver = new HostDriver();
  const status = await driver.open(open);
  assert.equal(status.state, 'ready');
  assert.equal((await driver.request({ type: 'search', query: 'zebra', topK: 1 }))[0].path, 'f2.md');
  const now = new Set(manifestOf(dir).segments.map((s) => s.name));
  for (const f of readdirSync(dir)) if (f.startsWith('seg-')) assert.ok(now.has(f.replace(/\.(docs|postings)$/, '')), `${f} is swept`);
  await driver.request({ type: 'dispose' });
});

test('a rebuild in the extension streams into segments as it goes and answers as a build in memory', async (t) => {
  const tmp = testDir(t);
  const ws = path.join(tmp, 'ws');
  workspace(ws, 8);
  const rows = Array.from({ length: 40 }, (_, i) => ({ id: `r${i}`, title: `Record ${i % 7}`, text: `omega ${i % 5 === 0 ? 'fresh words' : 'gamma'} number ${i}` }));
  writeTree(ws, { 'corpus.jsonl': jsonl(rows) });
  const dir = path.join(tmp, 'store');
  const driver = new HostDriver({ segmentPassages: 7 });
  const status = await driver.open({ dir, root: ws, paths: [ws], exclude: [], settings, rebuild: true });
  assert.equal(status.message, 'rebuilt on request');
  assert.ok(manifestOf(dir).segments.length >= 6, 'written in several segments');
  const inMemory = await WorkspaceIndex.build([ws], { root: ws, settings });
  assert.equal(status.passages, inMemory.stats().passages);
  assert.equal(status.terms, inMemory.stats().terms);
  assert.equal(status.fingerprint, inMemory.fingerprint());
  for (const q of ['omega', 'record 3', 'topic 5', 'fresh words']) assert.deepEqual(await driver.request({ type: 'search', query: q, topK: 20 }), inMemory.searchSync(q, 20), q);
  await driver.request({ type: 'dispose' });
});

const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'install', 'retriever', 'index', 'query'];
const FILES = ['a.md', 'b.ts', 'c.txt', 'd/e.md', 'f.md', 'g.jsonl'];
const text = fc.array(fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 5 }).map((ps) => ps.map((p) => p.join(' ')).join('\n\n') + '\n');
const op = fc.oneof(
  fc.record({ kind: fc.constant('write' as const), files: fc.uniqueArray(fc.constantFrom(...FILES), { minLength: 1, maxLength: 3 }), text }),
  fc.record({ kind: fc.constant('delete' as const), file: fc.constantFrom(...FILES) }),
  fc.record({ kind: fc.constant('flush' as const) }),
  fc.record({ kind: fc.constant('merge' as const) }),
  fc.record({ kind: fc.constant('reopen' as const) }),
);

/** A corpus file's records are the text's lines (ids by line, so an edit changes and drops records). */
function contentOf(file: string, body: string): string {
  if (!file.endsWith('.jsonl')) return body;
  return jsonl(body.trim().split('\n').filter(Boolean).map((line, i) => ({ id: `g${i}`, title: `Line ${i}`, text: line })));
}

test('any sequence of edits, saves, background merges and reopens through the worker answers as a rebuild', { timeout: 120_000 }, async (t) => {
  // Counts the merges the worker ran, so the property is known to have gone through them.
  const mergeSegments = WorkspaceIndex.prototype.mergeSegments;
  let merges = 0;
  WorkspaceIndex.prototype.mergeSegments = async function (this: WorkspaceIndex, ...args) {
    const merged = await mergeSegments.apply(this, args);
    if (merged) merges++;
    return merged;
  };
  t.after(() => {
    WorkspaceIndex.prototype.mergeSegments = mergeSegments;
  });
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 14 }), async (ops) => {
      const t = tempDir();
      const passages = { minChars: 20, maxChars: 80, maxLines: 3, overlapLines: 1 };
      const options = { settings: { ...settings, passages } };
      const ws = path.join(t.dir, 'ws');
      mkdirSync(ws);
      writeTree(ws, { 'a.md': 'alpha beta\n', 'g.jsonl': contentOf('g.jsonl', 'gamma\ndelta\n') });
      const open = { dir: path.join(t.dir, 'store'), root: ws, paths: [ws], exclude: [], ...options, rebuild: false };
      const start = () => new HostDriver({ mergeDelayMs: 0, segmentPassages: 3 });
      let driver = start();
      try {
        await driver.open(open);
        for (const o of ops) {
          if (o.kind === 'flush') await driver.request({ type: 'flush' });
          else if (o.kind === 'merge') {
            await driver.request({ type: 'flush' });
            // The merge timer (0 ms) was set by the save; a later timer runs after it, and the next
            // request queues behind the merge.
            await new Promise((r) => setTimeout(r, 1));
            await driver.request({ type: 'files' });
          } else if (o.kind === 'reopen') {
            await driver.request({ type: 'dispose' });
            driver = start();
            await driver.open(open);
          } else {
            const files = o.kind === 'write' ? o.files : [o.file];
            for (const f of files) {
              const abs = path.join(ws, f);
              if (o.kind === 'write') {
                mkdirSync(path.dirname(abs), { recursive: true });
                writeFileSync(abs, contentOf(f, o.text));
              } else rmSync(abs, { force: true });
            }
            await driver.request({ type: 'update', files: files.map((f) => path.join(ws, f)) });
          }
        }
        const fresh = await WorkspaceIndex.build(['.'], { root: ws, ...options });
        const check = async (d: HostDriver) => {
          const status = await d.request({ type: 'update', files: [] });
          assert.equal(status.passages, fresh.stats().passages);
          assert.equal(status.terms, fresh.stats().terms);
          assert.equal(status.fingerprint, fresh.fingerprint());
          assert.deepEqual(await d.request({ type: 'files' }), fresh.fileList().sort((a, b) => a.key.localeCompare(b.key)));
          for (const q of [...WORDS, 'alpha beta', 'install index query', 'line 1']) assert.deepEqual(await d.request({ type: 'search', query: q, topK: 100 }), fresh.searchSync(q, 100), q);
        };
        await check(driver);
        await driver.request({ type: 'dispose' });
        driver = start();
        await driver.open({ ...open, paths: [] });
        await check(driver);
      } finally {
        await driver.request({ type: 'dispose' });
        t.cleanup();
      }
    }),
    { numRuns: Number(process.env.FC_RUNS ?? 25) },
  );
  assert.ok(merges > 0, 'some runs merged segments in the background');
});
