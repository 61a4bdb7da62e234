import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { WorkspaceIndex } from '../../../../src/core/retrieval/workspaceIndex';
import { jsonl, testDir, writeTree } from './helpers';

test('BM25 scores match the formula worked by hand (k1 1.2, b 0.75, Lucene idf)', async (t) => {
  const tmp = testDir(t);
  writeTree(tmp, {
    'c.jsonl': jsonl([
      { id: 'a', title: '', text: 'apple banana' },
      { id: 'b', title: '', text: 'apple apple cherry' },
      { id: 'c', title: '', text: 'cherry date elderberry fig' },
    ]),
  });
  const index = await WorkspaceIndex.build([path.join(tmp, 'c.jsonl')], { root: tmp, settings: { bm25: { k1: 1.2, b: 0.75 } } });
  // N = 3, lengths 2, 3, 4 (avg 3). banana: df 1, idf = ln(1 + 2.5/1.5) = 0.980829.
  // Doc a: tf 1, K = 1.2 * (0.25 + 0.75 * 2/3) = 0.9, score = 0.980829 * 2.2 / 1.9 = 1.135697.
  const [banana] = await index.search('banana', { topK: 5 });
  assert.equal(banana.id, 'a');
  assert.ok(Math.abs(banana.score - 1.1357) < 1e-4, `score ${banana.score}`);
  // apple: df 2, idf = ln(1 + 1.5/2.5) = 0.470004. Doc b: tf 2, K = 1.2, score = 0.470004 * 2 * 2.2 / 3.2 = 0.646255;
  // doc a: tf 1, K = 0.9, score = 0.470004 * 2.2 / 1.9 = 0.544215.
  const apple = await index.search('apple', { topK: 5 });
  assert.deepEqual(apple.map((d) => [d.id, d.rank]), [['b', 1], ['a', 2]]);
  assert.ok(Math.abs(apple[0].score - 0.6463) < 1e-4 && Math.abs(apple[1].score - 0.5442) < 1e-4);
  assert.deepEqual(await index.search('zucchini', { topK: 5 }), []);
});

test('a workspace: headings, identifiers and paths rank the passage a reader would pick', async (t) => {
  const tmp = testDir(t);
  writeTree(tmp, {
    'README.md': '# Hopscope\n\nTraces agents.\n\n## Installation\n\nRun `npm ci` then build.\n\n## Usage\n\nAsk a question; see the install notes above if it fails.\n',
    'src/remote.ts': "import x from 'y';\n\nexport function createRemoteRetriever(url: string) {\n  return fetch(url);\n}\n\nexport const timeoutMs = 30_000;\n",
    'src/loop.ts': '/** The agent loop. */\nexport function runLoop(maxTurns: number) {\n  for (let turn = 0; turn < maxTurns; turn++) {}\n}\n',
    'notes/films.txt': 'Indradhanura Chhai is a 1993 Odia film.\n\nIt was directed by Susant Misra.\n',
  });
  const index = await WorkspaceIndex.build(['.'], { root: tmp });
  const top = async (q: string) => (await index.search(q, { topK: 3 }))[0];

  const install = await top('installation');
  assert.equal(install.path, 'README.md');
  assert.equal(install.title, 'README.md › Installation');
  assert.deepEqual([install.startLine, install.endLine], [5, 8]);

  const remote = await top('create remote retriever');
  assert.equal(remote.path, 'src/remote.ts');
  assert.equal(remote.title, 'remote.ts › createRemoteRetriever');

  assert.equal((await top('max turns')).path, 'src/loop.ts');
  assert.equal((await top('maxTurns')).path, 'src/loop.ts');
  assert.equal((await top('who directed Indradhanura Chhai')).path, 'notes/films.txt');
  assert.equal((await top('loop')).path, 'src/loop.ts', 'the file name counts');
});

test('the title boost lifts a document whose title names the query', async (t) => {
  const tmp = testDir(t);
  writeTree(tmp, {
    'c.jsonl': jsonl([
      { id: 'mention', title: 'Film history', text: 'Many films starred Shirley Temple in the 1930s and later.' },
      { id: 'about', title: 'Shirley Temple', text: 'An American actress and diplomat, born in 1928 in California.' },
    ]),
  });
  const file = path.join(tmp, 'c.jsonl');
  const flat = await WorkspaceIndex.build([file], { root: tmp, settings: { boost: { title: 0 } } });
  const boosted = await WorkspaceIndex.build([file], { root: tmp });
  assert.equal((await flat.search('Shirley Temple', { topK: 1 }))[0].id, 'mention');
  assert.equal((await boosted.search('Shirley Temple', { topK: 1 }))[0].id, 'about');
});

test('ties are broken by id, and topK bounds the results', async (t) => {
  const tmp = testDir(t);
  writeTree(tmp, { 'c.jsonl': jsonl(['z', 'm', 'a', 'q'].map((id) => ({ id, title: '', text: 'same words here' }))) });
  const index = await WorkspaceIndex.build([path.join(tmp, 'c.jsonl')], { root: tmp });
  assert.deepEqual((await index.search('same words', { topK: 3 })).map((d) => d.id), ['a', 'm', 'q']);
});
