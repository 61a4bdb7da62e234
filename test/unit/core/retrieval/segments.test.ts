/**
 * The index folder as segments: a save after an edit writes one small segment and a deletion list, a
 * reopened index answers as the live one and as a rebuild, a merge folds everything into one segment,
 * and a crash between writing segments and switching the manifest leaves the previous index intact.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { SegmentReader } from '../../../../src/core/retrieval/segmentReader';
import { WorkspaceIndex } from '../../../../src/core/retrieval/workspaceIndex';
import { jsonl, tempDir, testDir, writeTree } from './helpers';

const QUERIES = ['alpha beta', 'gamma', 'install the package', 'omega', 'delta epsilon zeta', 'fresh words'];

interface SavedManifest {
  segments: Array<{ name: string; passages: number; deleted: string[] }>;
  filesBase?: string;
  files: Record<string, unknown>;
  removedFiles?: string[];
}

function manifestOf(dir: string): SavedManifest {
  return JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as SavedManifest;
}

function workspace(root: string): void {
  writeTree(root, {
    'ws/a.md': '# Alpha\n\nalpha beta gamma\n\n## Install\n\ninstall the package\n',
    'ws/b.ts': 'export function gammaDelta() {\n  return 1;\n}\n',
    'ws/c.txt': 'delta epsilon zeta\n\nmore text here\n',
  });
}

async function sameAnswers(a: WorkspaceIndex, b: WorkspaceIndex): Promise<void> {
  const { updatedAt: _a, ...sa } = a.stats();
  const { updatedAt: _b, ...sb } = b.stats();
  assert.deepEqual(sa, sb);
  for (const q of QUERIES) assert.deepEqual(a.searchSync(q, 10), b.searchSync(q, 10), q);
}

test('a save after an edit adds one segment and a deletion list; reopened, it answers as the live index and a rebuild', async (t) => {
  const root = testDir(t);
  workspace(root);
  const dir = path.join(root, 'idx');
  const live = await WorkspaceIndex.build(['ws'], { root });
  await live.save(dir);
  assert.equal(manifestOf(dir).segments.length, 1);

  writeFileSync(path.join(root, 'ws/c.txt'), 'omega only now\n');
  writeTree(root, { 'ws/d.md': '# Fresh\n\nfresh words here\n' });
  // One batch of changed files (as the file watcher sends them) is one segment.
  assert.deepEqual(await live.updateFiles(['ws/c.txt', 'ws/d.md']), ['updated', 'added']);
  await live.save(dir);
  const m = manifestOf(dir);
  assert.equal(m.segments.length, 2, 'the edit went into a second segment');
  assert.ok(m.segments[0].deleted.length > 0, 'the old passages of c.txt are marked deleted');
  for (const id of m.segments[0].deleted) assert.match(id, /^ws\/c\.txt#/);
  assert.equal(m.segments[1].passages, 2, 'only the changed files are in the new segment');
  assert.deepEqual(Object.keys(m.files).sort(), ['ws/c.txt', 'ws/d.md'], 'the manifest lists only the changed files beside the files table');
  assert.ok(m.filesBase && readdirSync(dir).includes(`${m.filesBase}.json`));

  const opened = await WorkspaceIndex.open(dir);
  await sameAnswers(opened, live);
  await sameAnswers(opened, await WorkspaceIndex.build(['ws'], { root }));
  assert.equal(opened.searchSync('epsilon', 5).length, 0);

  await opened.save(dir, { merge: true });
  assert.equal(manifestOf(dir).segments.length, 1);
  assert.deepEqual(manifestOf(dir).segments[0].deleted, []);
  const files = readdirSync(dir).sort();
  const merged = manifestOf(dir);
  assert.deepEqual(files, ['manifest.json', `${merged.filesBase}.json`, `${merged.segments[0].name}.docs`, `${merged.segments[0].name}.postings`].sort(), 'merged-away segments are removed');
  await sameAnswers(await WorkspaceIndex.open(dir), live);
});

test('editor saves add small segments that are folded together as they pile up, never rewriting the first', async (t) => {
  const root = testDir(t);
  workspace(root);
  // A first segment above the small-segment size (10,000 passages), as a real build's are.
  const rows = Array.from({ length: 10_050 }, (_, i) => JSON.stringify({ id: `r${i}`, title: `Row ${i}`, text: `filler ${i % 97} text` }));
  writeTree(root, { 'ws/big.jsonl': rows.join('\n') + '\n' });
  const dir = path.join(root, 'idx');
  const live = await WorkspaceIndex.build(['ws'], { root });
  await live.save(dir);
  const first = manifestOf(dir).segments[0].name;
  let most = 0;
  let merges = 0;
  for (let i = 0; i < 15; i++) {
    writeTree(root, { [`ws/n${i}.md`]: `# Note ${i}\n\nfresh words ${i} omega\n` });
    await live.update(`ws/n${i}.md`);
    await live.save(dir);
    // The worker merges in the background after a save, when the policy asks.
    if (live.wantsMerge() && (await live.mergeSegments())) merges++;
    most = Math.max(most, manifestOf(dir).segments.length);
    assert.equal(manifestOf(dir).segments[0].name, first, 'the first segment is kept');
  }
  assert.ok(merges >= 2, `small segments were merged (${merges} merges)`);
  assert.ok(most <= 8, `at most 8 segments at a time (saw ${most})`);
  await sameAnswers(await WorkspaceIndex.open(dir), await WorkspaceIndex.build(['ws'], { root }));
});

test('a crash after the segments are written and before the manifest switches leaves the previous index intact', async (t) => {
  const root = testDir(t);
  workspace(root);
  const dir = path.join(root, 'idx');
  const live = await WorkspaceIndex.build(['ws'], { root });
  await live.save(dir);
  const before = await WorkspaceIndex.open(dir);

  writeFileSync(path.join(root, 'ws/a.md'), '# Omega\n\nomega replaces everything\n');
  await live.update('ws/a.md');
  const crash = () => {
    throw new Error('simulated crash');
  };
  await assert.rejects(live.save(dir, { beforeManifest: crash }), /simulated crash/);
  await assert.rejects(live.save(dir, { merge: true, beforeManifest: crash }), /simulated crash/);
  const after = await WorkspaceIndex.open(dir);
  await sameAnswers(after, before);
  assert.equal(after.searchSync('omega', 5).length, 0, 'nothing of the unfinished save is visible');

  await live.save(dir);
  const saved = await WorkspaceIndex.open(dir);
  await sameAnswers(saved, live);
  const listed = new Set(manifestOf(dir).segments.map((s) => s.name));
  for (const f of readdirSync(dir)) if (f !== 'manifest.json' && f !== `${manifestOf(dir).filesBase}.json`) assert.ok(listed.has(f.replace(/\.(docs|postings)$/, '')), `${f} is swept`);
});

test('a build written as it goes (a segment every few passages) answers as a build in memory', async (t) => {
  const root = testDir(t);
  workspace(root);
  // Non-ASCII terms and ids too: the dictionary is searched in sorted order, the ids read as bytes.
  const words = ['café', 'naïve', '東京', 'zürich', 'émile', 'smörgåsbord', 'ωmega', 'Ünïcode'];
  const rows = Array.from({ length: 40 }, (_, i) => ({
    id: i % 4 === 0 ? `é-${i}` : `r${i}`,
    title: `Record ${i % 7} ${words[i % words.length]}`,
    text: `omega ${i % 5 === 0 ? 'fresh words' : 'gamma'} number ${i} about alpha${i % 3} ${words[(i * 3) % words.length]}`,
  }));
  writeTree(root, { 'corpus.jsonl': rows.map((r) => JSON.stringify(r)).join('\n') + '\n' });
  const dir = path.join(root, 'idx');
  const { index, report } = await WorkspaceIndex.buildInto(dir, ['ws', 'corpus.jsonl'], { root, segmentPassages: 7 });
  const inMemory = await WorkspaceIndex.build(['ws', 'corpus.jsonl'], { root });
  assert.equal(report.records, 40);
  assert.ok(manifestOf(dir).segments.length >= 6, 'written in several segments');
  await sameAnswers(index, inMemory);
  await sameAnswers(await WorkspaceIndex.open(dir), inMemory);
  for (const q of ['omega', 'record 3', 'alpha1 gamma', ...words]) assert.deepEqual(index.searchSync(q, 50), inMemory.searchSync(q, 50), q);
});

const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'install', 'retriever', 'index', 'query'];
const FILES = ['a.md', 'b.ts', 'c.txt', 'd/e.md', 'f.md'];
const text = fc.array(fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 5 }).map((ps) => ps.map((p) => p.join(' ')).join('\n\n') + '\n');
const op = fc.oneof(
  fc.record({ kind: fc.constant('write' as const), file: fc.constantFrom(...FILES), text }),
  fc.record({ kind: fc.constant('delete' as const), file: fc.constantFrom(...FILES) }),
  fc.record({ kind: fc.constant('save' as const), merge: fc.boolean() }),
  fc.record({ kind: fc.constant('reopen' as const) }),
  fc.record({ kind: fc.constant('compact' as const) }),
);

test('any sequence of edits, segment saves, merges (whole or by the policy) and reopens gives the same index as a rebuild', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 16 }), async (ops) => {
      const t = tempDir();
      try {
        const passages = { minChars: 20, maxChars: 80, maxLines: 3, overlapLines: 1 };
        const ws = path.join(t.dir, 'ws');
        const dir = path.join(t.dir, 'idx');
        mkdirSync(ws);
        let live = new WorkspaceIndex({ root: ws, settings: { passages } });
        await live.save(dir);
        for (const o of ops) {
          if (o.kind === 'save') await live.save(dir, { merge: o.merge });
          else if (o.kind === 'compact') await live.mergeSegments();
          else if (o.kind === 'reopen') {
            await live.save(dir);
            live = await WorkspaceIndex.open(dir);
          } else {
            const abs = path.join(ws, o.file);
            if (o.kind === 'write') {
              mkdirSync(path.dirname(abs), { recursive: true });
              writeFileSync(abs, o.text);
            } else rmSync(abs, { force: true });
            await live.update(o.file);
          }
        }
        const fresh = await WorkspaceIndex.build(['.'], { root: ws, settings: { passages } });
        // The live index (read on demand since its first save, its edits as pending segments) and the saved one.
        for (const index of [live, (await live.save(dir), await WorkspaceIndex.open(dir))]) {
          assert.equal(index.stats().passages, fresh.stats().passages);
          assert.equal(index.stats().terms, fresh.stats().terms);
          assert.equal(index.fingerprint(), fresh.fingerprint());
          for (const q of [...WORDS, 'alpha beta', 'install index query']) assert.deepEqual(index.searchSync(q, 100), fresh.searchSync(q, 100), q);
        }
      } finally {
        t.cleanup();
      }
    }),
    { numRuns: Number(process.env.FC_RUNS ?? 40) },
  );
});

test('a passage is found by its whole id, never inside a longer one', async (t) => {
  const root = testDir(t);
  const ids = ['xa.md#1', 'a.md#10', 'dir/a.md#1', 'a.md#1', 'é.md#0'];
  writeTree(root, { 'c.jsonl': jsonl(ids.map((id, i) => ({ id, title: `T${i}`, text: `text ${i}` }))) });
  const dir = path.join(root, 'idx');
  await (await WorkspaceIndex.build(['c.jsonl'], { root })).save(dir);
  const name = readdirSync(dir).find((f) => f.endsWith('.postings'))!.replace(/\.postings$/, '');
  const reader = SegmentReader.open(dir, name);
  try {
    for (const id of ids) assert.equal(reader.id(reader.findId(id)!), id, id);
    assert.equal(reader.findId('a.md#'), undefined);
    assert.equal(reader.findId('md#1'), undefined);
    assert.equal(reader.findId(''), undefined);
    assert.equal(reader.docFreq('text'), ids.length);
    assert.equal(reader.docFreq('absent'), 0);
  } finally {
    reader.close();
  }
});
