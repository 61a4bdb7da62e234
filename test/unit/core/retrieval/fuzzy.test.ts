import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkspaceIndex } from '../../../../src/core/retrieval/workspaceIndex';
import { testDir, writeTree } from './helpers';

test('fuzzy search forgives typos and prefixes, and follows updates once built', async (t) => {
  const tmp = testDir(t);
  writeTree(tmp, { 'a.md': '# Retrieval\n\nThe retriever ranks passages.\n', 'b.md': '# Cooking\n\nBoil the pasta.\n' });
  const index = await WorkspaceIndex.build(['.'], { root: tmp });
  assert.deepEqual(await index.search('retreiver', { topK: 5 }), [], 'BM25 matches whole terms only');
  assert.equal(index.searchFuzzy('retreiver', 5)[0]?.path, 'a.md');
  assert.equal(index.searchFuzzy('past', 5)[0]?.path, 'b.md');
  assert.ok(index.suggest('retr').some((s) => s.startsWith('retr')));

  writeTree(tmp, { 'b.md': '# Cooking\n\nRoast the vegetables.\n' });
  await index.update('b.md');
  assert.deepEqual(index.searchFuzzy('pasta', 5), []);
  assert.equal(index.searchFuzzy('vegetabels', 5)[0]?.path, 'b.md');
});
