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

// A small vocabulary with a skew: common words tie often, rare ones decide.
const VOCAB = ['river', 'river', 'river', 'city', 'city', 'bridge', 'album', 'band', 'founded', 'zeppelin', 'quartz', 'delta', 'novel', 'film'];
const word = fc.constantFrom(...VOCAB);
const record = fc.record({ title: fc.array(word, { minLength: 0, maxLength: 3 }), text: fc.array(word, { minLength: 1, maxLength: 25 }) });

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
          const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
          const settings = resolveSettings(manifest.settings);
          const search = new SegmentSearch(settings, new Tokenizer(settings.tokenizer), openSegments(dir, manifest.segments ?? []));
          try {
            for (const [q, k] of queries) {
              const query = q.join(' ');
              assert.deepEqual(search.search(query, k), search.searchExhaustive(query, k), `${query} k=${k}`);
            }
          } finally {
            search.close();
          }
        } finally {
          t.cleanup();
        }
      },
    ),
    { numRuns: Number(process.env.FC_RUNS ?? 60) },
  );
});
