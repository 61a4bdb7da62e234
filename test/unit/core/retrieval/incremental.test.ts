/**
 * Property: after any sequence of file edits, creations and deletions, each followed by `update(file)`,
 * the index answers every query exactly as an index built from scratch over the final files, also when it
 * was saved and reopened in between (a reopened index starts from its saved postings).
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { WorkspaceIndex } from '../../../../src/core/retrieval/workspaceIndex';
import { tempDir } from './helpers';

const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'maxTurns', 'run_loop', 'install', 'retriever', 'index', 'query'];
const FILES = ['a.md', 'b.ts', 'c.txt', 'd/e.md'];

const content = fc
  .array(fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 6 })
  .map((paras) => paras.map((p, i) => (i % 3 === 0 ? `# ${p[0]}\n${p.join(' ')}` : p.join(' '))).join('\n\n') + '\n');

const op = fc.oneof(
  fc.record({ kind: fc.constant('write' as const), file: fc.constantFrom(...FILES), text: content }),
  fc.record({ kind: fc.constant('delete' as const), file: fc.constantFrom(...FILES) }),
  fc.record({ kind: fc.constant('reopen' as const) }),
);

const QUERIES = [...WORDS, 'alpha beta', 'max turns', 'run loop install', 'gamma delta query index'];

test('incremental updates give the same index as a full rebuild', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
      const t = tempDir();
      try {
        const passages = { minChars: 20, maxChars: 80, maxLines: 3, overlapLines: 1 };
        let live = new WorkspaceIndex({ root: t.dir, settings: { passages } });
        await live.addPaths(['.']);
        for (const o of ops) {
          if (o.kind === 'reopen') {
            await live.save(path.join(t.dir, '.hopscope-index'));
            live = await WorkspaceIndex.open(path.join(t.dir, '.hopscope-index'));
            continue;
          }
          const abs = path.join(t.dir, o.file);
          if (o.kind === 'write') {
            mkdirSync(path.dirname(abs), { recursive: true });
            writeFileSync(abs, o.text);
          } else rmSync(abs, { force: true });
          await live.update(o.file);
        }
        const fresh = await WorkspaceIndex.build(['.'], { root: t.dir, settings: { passages } });
        assert.deepEqual(live.stats().passages, fresh.stats().passages);
        assert.deepEqual(live.stats().terms, fresh.stats().terms);
        assert.equal(live.fingerprint(), fresh.fingerprint());
        for (const q of QUERIES) assert.deepEqual(live.searchSync(q, 100), fresh.searchSync(q, 100), q);
      } finally {
        t.cleanup();
      }
    }),
    { numRuns: Number(process.env.FC_RUNS ?? 60) },
  );
});

test('files a caller brings up to date between two files of a refresh pass are kept, not taken for deleted', async () => {
  const t = tempDir();
  try {
    for (let i = 0; i < 8; i++) writeFileSync(path.join(t.dir, `f${i}.md`), `# Topic ${i}\n\nwords about topic ${i}\n`);
    const store = path.join(t.dir, '.hopscope-index');
    const built = await WorkspaceIndex.build(['.'], { root: t.dir });
    await built.save(store);
    const live = await WorkspaceIndex.open(store);
    writeFileSync(path.join(t.dir, 'f2.md'), '# Changed\n\nrewritten while closed\n');
    // The pass listed the folder before `late.md` existed: only the caller's update brings it in.
    let calls = 0;
    const between = async (): Promise<string[]> => {
      if (++calls !== 4) return [];
      writeFileSync(path.join(t.dir, 'late.md'), '# Zebra\n\nzebras arrived during the pass\n');
      await live.updateFiles(['late.md']);
      return ['late.md'];
    };
    await live.addPaths(['.'], { between });
    assert.ok(calls >= 8, 'called between the files');
    const fresh = await WorkspaceIndex.build(['.'], { root: t.dir });
    assert.equal(live.fingerprint(), fresh.fingerprint());
    for (const q of ['zebra', 'rewritten', 'words about topic']) assert.deepEqual(live.searchSync(q, 20), fresh.searchSync(q, 20), q);
    live.close();
  } finally {
    t.cleanup();
  }
});
