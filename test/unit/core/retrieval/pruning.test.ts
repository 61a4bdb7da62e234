/**
 * Property: the pruned top-k (MaxScore over doc-sorted segment postings) returns exactly what scoring
 * every matching document returns, same documents, scores and order, ties included, for random corpora
 * cut into segments with deleted passages and random queries and k.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { openSegments, type Manifest } from '../../../../src/core/retrieval/indexStore';
import { SegmentSearch } from '../../../../src/core/retrieval/segmentSearch';
import { resolveSettings } from '../../../../src/core/retrieval/settings';
import { Tokenizer } from '../../../../src/core/retrieval/tokenizer';
import { WorkspaceIndex } from '../../../../src/core/retrieval/workspaceIndex';
import { tempDir } from './helpers';
import { rng as random } from '../../../support/random';

// A small vocabulary with a skew: common words tie often, rare ones decide.
const VOCAB = ['river', 'river', 'river', 'city', 'city', 'bridge', 'album', 'band', 'founded', 'zeppelin', 'quartz', 'delta', 'novel', 'film'];
const word = fc.constantFrom(...VOCAB);
const record = fc.record({ title: fc.array(word, { minLength: 0, maxLength: 3 }), text: fc.array(word, { minLength: 1, maxLength: 25 }) });


/** The index saved in `dir`, searched with pruning and exhaustively: the same hits, scores and order for each query. */
function assertPrunedIsExhaustive(dir: string, queries: ReadonlyArray<readonly [string, number]>): void {
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
  const settings = resolveSettings(manifest.settings);
  const search = new SegmentSearch(settings, new Tokenizer(settings.tokenizer), openSegments(dir, manifest.segments ?? []));
  try {
    for (const [query, k] of queries) assert.deepEqual(search.search(query, k), search.searchExhaustive(query, k), `${query} k=${k}`);
  } finally {
    search.close();
  }
}

test('pruned top-k equals exhaustive top-k on random corpora, segments, deletions and queries', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(record, { minLength: 1, maxLength: 60 }),
      fc.integer({ min: 3, max: 25 }),
      fc.array(fc.nat(), { maxLength: 10 }),
      fc.array(fc.tuple(fc.array(word, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 30 })), { minLength: 1, maxLength: 12 }),
      async (records, perSegment, dropped, queries) => {
        const t = tempDir();
        try {
          const corpus = path.join(t.dir, 'a.jsonl');
          const other = path.join(t.dir, 'b.jsonl');
          const half = Math.ceil(records.length / 2);
          const line = (r: { title: string[]; text: string[] }, i: number) => JSON.stringify({ id: `d${i}`, title: r.title.join(' '), text: r.text.join(' ') });
          writeFileSync(corpus, records.slice(0, half).map(line).join('\n') + '\n');
          writeFileSync(other, records.slice(half).map((r, i) => line(r, half + i)).join('\n') + '\n');
          const dir = path.join(t.dir, 'idx');
          await WorkspaceIndex.buildInto(dir, [corpus, other], { root: t.dir, segmentPassages: perSegment });
          // Deleted passages: rewrite one corpus file without some of its records, then save a new segment.
          if (dropped.length > 0 && records.length > half) {
            const gone = new Set(dropped.map((x) => half + (x % (records.length - half))));
            const kept = records.slice(half).map((r, i) => [r, half + i] as const).filter(([, i]) => !gone.has(i));
            writeFileSync(other, kept.map(([r, i]) => line(r, i)).join('\n') + (kept.length ? '\n' : ''));
            const live = await WorkspaceIndex.open(dir);
            await live.update('b.jsonl');
            await live.save(dir);
          }
          assertPrunedIsExhaustive(dir, queries.map(([q, k]) => [q.join(' '), k]));
        } finally {
          t.cleanup();
        }
      },
    ),
    { numRuns: Number(process.env.FC_RUNS ?? 60) },
  );
});

// Zipf-like draws over 40 words: a few lists span many blocks of 128, most hold a handful of postings.
const WORDS = Array.from({ length: 40 }, (_, i) => `w${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}x`);

test('block-max pruning over compressed postings equals exhaustive top-k: lists of many blocks, ties, deletions, fractional tfs', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer(),
      fc.integer({ min: 300, max: 1500 }),
      fc.integer({ min: 100, max: 1600 }),
      fc.constantFrom(3, 1.5),
      fc.array(fc.tuple(fc.array(fc.nat(39), { minLength: 1, maxLength: 7 }), fc.integer({ min: 1, max: 60 })), { minLength: 1, maxLength: 10 }),
      async (seed, n, perSegment, titleBoost, queries) => {
        const rand = random(seed);
        const pick = () => WORDS[Math.min(39, Math.floor(-Math.log(1 - rand()) * 6))];
        const docs: Array<{ title: string; text: string }> = [];
        for (let i = 0; i < n; i++) {
          // One in five is a copy of an earlier passage: equal scores, ranked by id.
          if (i > 0 && rand() < 0.2) docs.push(docs[Math.floor(rand() * i)]);
          else docs.push({ title: Array.from({ length: Math.floor(rand() * 3) }, pick).join(' '), text: Array.from({ length: 3 + Math.floor(rand() * 40) }, pick).join(' ') });
        }
        // Ids in shuffled order: a later document tying the k-th score can rank before it.
        const ids = docs.map((_, i) => `p${String(i).padStart(5, '0')}`);
        for (let i = ids.length - 1; i > 0; i--) {
          const j = Math.floor(rand() * (i + 1));
          [ids[i], ids[j]] = [ids[j], ids[i]];
        }
        const t = tempDir();
        try {
          const line = (d: { title: string; text: string }, i: number) => JSON.stringify({ id: ids[i], ...d });
          const half = Math.floor(n / 2);
          writeFileSync(path.join(t.dir, 'a.jsonl'), docs.slice(0, half).map(line).join('\n') + '\n');
          writeFileSync(path.join(t.dir, 'b.jsonl'), docs.slice(half).map((d, i) => line(d, half + i)).join('\n') + '\n');
          const dir = path.join(t.dir, 'idx');
          const options = { root: t.dir, segmentPassages: perSegment, settings: { boost: { title: titleBoost } } };
          await WorkspaceIndex.buildInto(dir, ['a.jsonl', 'b.jsonl'].map((f) => path.join(t.dir, f)), options);
          if (rand() < 0.5) {
            // Delete about a tenth of b.jsonl's passages: saved as a deletion list over the built segments.
            const kept = docs.slice(half).map((d, i) => [d, half + i] as const).filter(() => rand() > 0.1);
            writeFileSync(path.join(t.dir, 'b.jsonl'), kept.map(([d, i]) => line(d, i)).join('\n') + '\n');
            const live = await WorkspaceIndex.open(dir);
            await live.update('b.jsonl');
            await live.save(dir);
          }
          assertPrunedIsExhaustive(dir, queries.map(([q, k]) => [q.map((w) => WORDS[w]).join(' '), k]));
        } finally {
          t.cleanup();
        }
      },
    ),
    { numRuns: Number(process.env.FC_RUNS ?? 25) },
  );
});

test('when every passage scores the same, the pruned search still returns the smallest ids, from whichever block they sit in', async () => {
  const t = tempDir();
  try {
    const rand = random(7);
    const ids = Array.from({ length: 1000 }, (_, i) => `t${String(i).padStart(4, '0')}`);
    for (let i = ids.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [ids[i], ids[j]] = [ids[j], ids[i]];
    }
    writeFileSync(path.join(t.dir, 'same.jsonl'), ids.map((id) => JSON.stringify({ id, title: 'Delta', text: 'the river delta floods' })).join('\n') + '\n');
    const dir = path.join(t.dir, 'idx');
    await WorkspaceIndex.buildInto(dir, [path.join(t.dir, 'same.jsonl')], { root: t.dir, segmentPassages: 400 });
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
    const settings = resolveSettings(manifest.settings);
    const search = new SegmentSearch(settings, new Tokenizer(settings.tokenizer), openSegments(dir, manifest.segments ?? []));
    try {
      for (const query of ['river', 'river delta', 'floods floods delta']) {
        const got = search.search(query, 7);
        assert.deepEqual(
          got.map((r) => r.doc.id),
          ids.slice().sort().slice(0, 7),
          query,
        );
        assert.deepEqual(got, search.searchExhaustive(query, 7), query);
      }
    } finally {
      search.close();
    }
  } finally {
    t.cleanup();
  }
});

test('the postings cache keeps lists compressed: after a few queries it holds under half of what the decoded lists take', async () => {
  const t = tempDir();
  try {
    const rand = random(11);
    const pick = () => WORDS[Math.min(39, Math.floor(-Math.log(1 - rand()) * 6))];
    const rows = Array.from({ length: 4000 }, (_, i) => JSON.stringify({ id: `c${i}`, title: pick(), text: Array.from({ length: 30 }, pick).join(' ') }));
    writeFileSync(path.join(t.dir, 'c.jsonl'), rows.join('\n') + '\n');
    const dir = path.join(t.dir, 'idx');
    await WorkspaceIndex.buildInto(dir, [path.join(t.dir, 'c.jsonl')], { root: t.dir });
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
    const settings = resolveSettings(manifest.settings);
    const search = new SegmentSearch(settings, new Tokenizer(settings.tokenizer), openSegments(dir, manifest.segments ?? []));
    try {
      for (let q = 0; q < 10; q++) search.search(WORDS.slice(q, q + 4).join(' '), 10);
      const { bytes, decodedBytes } = search.cacheFootprint();
      assert.ok(decodedBytes > 0 && bytes < decodedBytes / 2, `${bytes} bytes cached for ${decodedBytes} decoded`);
    } finally {
      search.close();
    }
  } finally {
    t.cleanup();
  }
});
