import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SETTINGS } from '../../../../src/core/retrieval/settings';
import { indexConfigChanged, indexConfigOf } from '../../../../src/extension/index/indexSettings';

const base = { exclude: ['*.log'], filesExclude: ['**/.DS_Store', '**/*.log'], maxFileKb: 1024, bm25: { k1: 1.2, b: 0.75 }, titleBoost: 3 };

test('the worker gets files.exclude and hopscope.index.exclude together, and the scoring settings', () => {
  const c = indexConfigOf(base);
  assert.deepEqual(c.exclude, ['**/.DS_Store', '**/*.log', '*.log']);
  assert.equal(c.settings.maxFileBytes, 1024 * 1024);
  assert.deepEqual(c.settings.bm25, { k1: 1.2, b: 0.75 });
  assert.deepEqual(c.settings.boost, { title: 3 });
});

test('the default BM25 settings are the retriever\'s own defaults', () => {
  const c = indexConfigOf(base);
  assert.deepEqual(c.settings.bm25, DEFAULT_SETTINGS.bm25);
  assert.equal(c.settings.boost?.title, DEFAULT_SETTINGS.boost.title);
});

test('only a change of what is indexed or how it scores asks for another pass', () => {
  const a = indexConfigOf(base);
  assert.equal(indexConfigChanged(a, indexConfigOf({ ...base })), false);
  assert.equal(indexConfigChanged(a, indexConfigOf({ ...base, bm25: { k1: 0.9, b: 0.75 } })), true);
  assert.equal(indexConfigChanged(a, indexConfigOf({ ...base, filesExclude: [] })), true);
  assert.equal(indexConfigChanged(a, indexConfigOf({ ...base, maxFileKb: 64 })), true);
});
