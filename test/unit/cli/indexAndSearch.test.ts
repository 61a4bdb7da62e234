import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { jsonl, testDir, writeTree } from '../core/retrieval/helpers';
import { cli } from './spawnCli';


test('`hopscope index` reports documents, passages, skipped files and time; `search` finds them', async (t) => {
  const tmp = testDir(t);
  writeTree(tmp, {
    'ws/guide.md': '# Guide\n\n## Install\n\nRun the installer.\n',
    'ws/logo.png': Buffer.from([1, 0, 2]),
    'corpus.jsonl': jsonl([{ id: 'p1', contents: '"Paris"\nCapital of France.' }, '{broken', { id: 'p2', title: 'Lyon', text: 'City in France.' }]),
  });
  const idx = path.join(tmp, 'idx');
  const r = await cli(['index', path.join(tmp, 'ws'), path.join(tmp, 'corpus.jsonl'), '--index', idx, '--root', tmp]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /indexed 2 files \(2 corpus records\) into \d+ passages/);
  assert.match(r.out, /skipped 1: 1 binary, 0 over the size limit, 0 excluded/);
  assert.match(r.out, /took \d+\.\d\d s/);
  assert.match(r.err, /corpus\.jsonl:2: not valid JSON/);

  const s = await cli(['search', 'installer', '--index', idx, '-k', '1', '--json']);
  assert.equal(s.code, 0, s.err);
  const hit = JSON.parse(s.out).hits[0];
  assert.deepEqual(hit, { id: 'ws/guide.md#1', score: hit.score, title: 'guide.md › Install', path: 'ws/guide.md', startLine: 3, endLine: 5 });

  const text = await cli(['search', 'France capital', '--index', idx]);
  assert.match(text.out, /^ 1\. .* p1 {2}Paris/m);
});

test('`hopscope search --queries FILE --json` prints one line per query in input order with corpus ids', async (t) => {
  const tmp = testDir(t);
  writeTree(tmp, {
    'corpus.jsonl': jsonl([
      { id: 'p1', contents: '"Paris"\nCapital of France.' },
      { id: 'p2', contents: '"Berlin"\nCapital of Germany.' },
    ]),
    'q.jsonl': jsonl([{ qid: 'q-b', query: 'Germany' }, { id: 7, question: 'France' }, { qid: 'none', query: 'zzz' }]),
  });
  const idx = path.join(tmp, 'idx');
  assert.equal((await cli(['index', path.join(tmp, 'corpus.jsonl'), '--index', idx, '-q'])).code, 0);
  const r = await cli(['search', '--queries', path.join(tmp, 'q.jsonl'), '--index', idx, '-k', '1', '--json']);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(
    lines.map((l) => [l.qid, l.hits.map((h: { id: string }) => h.id)]),
    [
      ['q-b', ['p2']],
      [7, ['p1']],
      ['none', []],
    ],
  );
  assert.deepEqual(Object.keys(lines[0].hits[0]).sort(), ['id', 'score', 'title']);
});

test('usage and input mistakes give one clear line', async (t) => {
  const tmp = testDir(t);
  writeTree(tmp, { 'corpus.jsonl': jsonl([{ id: 'p1', contents: '"P"\nx' }]), 'q.jsonl': '{"qid": 1, "query": "x"}\nnot json\n' });
  const idx = path.join(tmp, 'idx');
  const none = await cli(['search', 'x', '--index', path.join(tmp, 'missing')]);
  assert.equal(none.code, 1);
  assert.match(none.err, /^hopscope: no index at .*missing \(build one with `hopscope index/);
  assert.equal((await cli(['search', '--index', idx])).code, 2);
  await cli(['index', path.join(tmp, 'corpus.jsonl'), '--index', idx, '-q']);
  const bad = await cli(['search', '--queries', path.join(tmp, 'q.jsonl'), '--index', idx, '--json']);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /q\.jsonl:2: not valid JSON/);
});

test('a corpus and a queries file saved with a BOM and CRLF index and search like plain ones; a bad query line is named, the others answered', async (t) => {
  const tmp = testDir(t);
  const crlf = (lines: object[]) => `\uFEFF${lines.map((l) => JSON.stringify(l)).join('\r\n')}\r\n`;
  writeTree(tmp, {
    'corpus.jsonl': crlf([
      { id: 'p1', contents: '"Paris"\nCapital of France.' },
      { id: 'p2', contents: '"Berlin"\nCapital of Germany.' },
    ]),
    'q.jsonl': `${crlf([{ qid: 'a', query: 'Germany' }])}{"qid": "broken"\r\n${JSON.stringify({ qid: 'c', query: 'France' })}\r\n`,
  });
  const idx = path.join(tmp, 'idx');
  const built = await cli(['index', path.join(tmp, 'corpus.jsonl'), '--index', idx]);
  assert.equal(built.code, 0, built.err);
  assert.match(built.out + built.err, /\(2 corpus records\) into 2 passages/, 'two corpus records, not one text passage');
  const r = await cli(['search', '--queries', path.join(tmp, 'q.jsonl'), '--index', idx, '-k', '1', '--json']);
  assert.deepEqual(r.out.trim().split('\n').map((l) => { const o = JSON.parse(l); return [o.qid, o.hits.map((h: { id: string }) => h.id)]; }), [
    ['a', ['p2']],
    ['c', ['p1']],
  ]);
  assert.match(r.err, /q\.jsonl:2: not valid JSON/);
  assert.equal(r.code, 1, 'a skipped line still shows in the exit status');
});

test('`hopscope index` re-run saves only the changed file as a new segment; `--merge` folds the segments into one', async (t) => {
  const tmp = testDir(t);
  // Enough other files that one changed file stays under the deleted share that forces a full merge.
  const others = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`ws/o${i}.md`, `other file ${i}\n`]));
  writeTree(tmp, { 'ws/a.md': '# Alpha\n\nalpha beta gamma\n', 'ws/b.txt': 'delta epsilon\n', ...others });
  const idx = path.join(tmp, 'idx');
  const index = () => cli(['index', path.join(tmp, 'ws'), '--index', idx, '--root', tmp]);
  const segments = () => (JSON.parse(readFileSync(path.join(idx, 'manifest.json'), 'utf8')) as { segments: unknown[] }).segments.length;
  assert.equal((await index()).code, 0);
  assert.match((await index()).out, /indexed 0 files into 0 passages, 10 unchanged/);
  assert.equal(segments(), 1);
  writeTree(tmp, { 'ws/b.txt': 'omega arrives\n' });
  assert.match((await index()).out, /indexed 1 file into 1 passage, 9 unchanged/);
  assert.equal(segments(), 2);
  const merged = await cli(['index', path.join(tmp, 'ws'), '--index', idx, '--root', tmp, '--merge']);
  assert.equal(merged.code, 0, merged.err);
  assert.equal(segments(), 1);
  const s = await cli(['search', 'omega', '--index', idx, '-k', '3', '--json']);
  assert.deepEqual(JSON.parse(s.out).hits.map((h: { id: string }) => h.id), ['ws/b.txt#0']);
  assert.deepEqual(JSON.parse((await cli(['search', 'epsilon', '--index', idx, '--json'])).out).hits, []);
});
