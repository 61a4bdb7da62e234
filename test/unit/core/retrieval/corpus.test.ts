import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { parseCorpusLine } from '../../../../src/core/retrieval/corpus';
import { WorkspaceIndex } from '../../../../src/core/retrieval/workspaceIndex';
import { jsonl, testDir } from './helpers';

test('{id, contents} takes the (quoted) first line as the title, {id, title, text} is read as is', () => {
  assert.deepEqual(parseCorpusLine('{"id": 7, "contents": "\\"Paris\\"\\nParis is the capital of France."}'), {
    id: '7',
    title: 'Paris',
    text: 'Paris is the capital of France.',
  });
  assert.deepEqual(parseCorpusLine('{"id": "d1", "title": "Lyon", "text": "A city."}'), { id: 'd1', title: 'Lyon', text: 'A city.' });
});

test('malformed corpus lines are reported by line number and the valid records are indexed', async (t) => {
  const tmp = testDir(t);
  const file = path.join(tmp, 'corpus.jsonl');
  writeFileSync(
    file,
    jsonl([
      { id: 'a', contents: '"Alpha"\nThe first letter.' },
      '{"id": "b", "contents": ',
      { id: 'c', title: 'Gamma', text: 'The third letter.' },
      { title: 'no id', text: 'x' },
      { id: 'a', contents: '"Alpha again"\nduplicate' },
      '',
      { id: 'e', text: 42 },
      { id: 'f', contents: '"Phi"\nThe 21st letter.' },
    ]),
  );
  const index = new WorkspaceIndex({ root: tmp });
  const report = await index.addPaths([file]);
  assert.deepEqual(
    report.problems.map((p) => [p.file, p.line]),
    [
      ['corpus.jsonl', 2],
      ['corpus.jsonl', 4],
      ['corpus.jsonl', 5],
      ['corpus.jsonl', 7],
    ],
  );
  assert.match(report.problems[2].reason, /duplicate id "a"/);
  assert.equal(report.records, 3);
  const hits = await index.search('letter', { topK: 10 });
  assert.deepEqual(hits.map((h) => h.id).sort(), ['a', 'c', 'f']);
  const alpha = hits.find((h) => h.id === 'a')!;
  assert.equal(alpha.title, 'Alpha');
  assert.equal(alpha.path, undefined, 'corpus records carry their id, not a path');
});

test('a .jsonl file whose first line is no corpus record is indexed as a text file', async (t) => {
  const tmp = testDir(t);
  const file = path.join(tmp, 'bad.jsonl');
  writeFileSync(file, '{"id": 1}\n{"id":2, "nope": 1}\n');
  const index = new WorkspaceIndex({ root: tmp });
  const r = await index.addPaths([file]);
  assert.equal(r.records, 0);
  assert.equal(r.files, 1);
});

test('gzipped JSONL is a corpus only when its first record is one; a corpus with no new record is a problem, not a failure', async (t) => {
  const tmp = testDir(t);
  const { gzipSync } = await import('node:zlib');
  const wiki = jsonl([{ id: 'w1', contents: '"Rome"\nCapital of Italy.' }]);
  writeFileSync(path.join(tmp, 'a-wiki.jsonl.gz'), gzipSync(wiki));
  writeFileSync(path.join(tmp, 'b-copy.jsonl'), wiki);
  writeFileSync(path.join(tmp, 'questions.jsonl.gz'), gzipSync(jsonl([{ qid: 'q1', question: 'Capital of Italy?' }])));
  const index = new WorkspaceIndex({ root: tmp });
  const report = await index.addPaths(['.']);
  assert.equal((await index.search('Italy capital', { topK: 5 })).map((d) => d.id).join(), 'w1');
  assert.equal(report.records, 1);
  assert.equal(report.skipped.binary, 1, 'the gzipped questions file is no corpus: skipped as binary');
  assert.deepEqual(
    report.problems.map((p) => [p.file, p.line]),
    [
      ['b-copy.jsonl', 1],
      ['b-copy.jsonl', undefined],
    ],
  );
  assert.match(report.problems[0].reason, /already indexed from another file/);
  assert.match(report.problems[1].reason, /no valid record/);
  assert.equal(index.fileEntries().has('b-copy.jsonl'), false);
});

test('an index read from its folder updates a corpus file in place: its old records go, a duplicate id from another file is refused', async (t) => {
  const dir = path.join(testDir(t), 'idx');
  const tmp = path.join(path.dirname(dir), 'ws');
  mkdirSync(tmp);
  writeFileSync(path.join(tmp, 'a.jsonl'), jsonl([{ id: 'x1', title: 'Rome', text: 'Capital of Italy.' }, { id: 'x2', title: 'Oslo', text: 'Capital of Norway.' }]));
  writeFileSync(path.join(tmp, 'notes.md'), '# Notes\n\nNothing about cities.\n');
  await (await WorkspaceIndex.build(['.'], { root: tmp })).save(dir);
  const index = await WorkspaceIndex.open(dir);
  writeFileSync(path.join(tmp, 'a.jsonl'), jsonl([{ id: 'x3', title: 'Lima', text: 'Capital of Peru.' }]));
  writeFileSync(path.join(tmp, 'b.jsonl'), jsonl([{ id: 'x3', title: 'Copy', text: 'Capital copy.' }, { id: 'y1', title: 'Bern', text: 'Capital of Switzerland.' }]));
  const results = await index.updateFiles(['a.jsonl', 'b.jsonl']);
  assert.deepEqual(results, ['updated', 'added']);
  assert.deepEqual(index.problems.map((p) => [p.file, p.line]), [['b.jsonl', 1]]);
  assert.match(index.problems[0].reason, /already indexed from another file/);
  assert.deepEqual((await index.search('capital', { topK: 10 })).map((d) => d.id).sort(), ['x3', 'y1']);
  await index.save(dir);
  const fresh = await WorkspaceIndex.build(['.'], { root: tmp });
  const reopened = await WorkspaceIndex.open(dir);
  assert.equal(reopened.stats().passages, fresh.stats().passages);
  assert.equal(reopened.stats().terms, fresh.stats().terms);
  assert.deepEqual(reopened.searchSync('capital of', 10), fresh.searchSync('capital of', 10));
});
