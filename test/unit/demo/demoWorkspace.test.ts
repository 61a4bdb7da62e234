/**
 * Issue 14, item 1: the demo's index holds documents only. Searching a rollout's own question must not return the
 * rollout record (which carries the gold answer), and the workspace's notes are not indexed either.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { WorkspaceIndex } from '../../../src/core/retrieval/workspaceIndex';
import { buildDemoWorkspace } from '../../demo/demoWorkspace';
import { ROOT } from '../../support/paths';
import { makeTempDir } from '../../support/tmp';

test("the demo index returns no rollout record when searched with a rollout's own question", async () => {
  const layout = buildDemoWorkspace(ROOT, makeTempDir('hopscope-demo-ws-'));
  assert.ok(layout.rollouts.length > 0);
  for (const r of layout.rollouts) assert.ok(relative(layout.workspace, r).startsWith('..'), `${r} is outside the workspace`);
  assert.equal(existsSync(join(layout.workspace, 'rollouts')), false);

  // What the extension indexes: the workspace folder, with its hopscope.index.exclude patterns.
  const index = await WorkspaceIndex.build([layout.workspace], {
    root: layout.workspace,
    exclude: layout.settings['hopscope.index.exclude'] as string[],
  });
  const questions = layout.rollouts.flatMap((f) => readFileSync(f, 'utf8').split('\n').filter(Boolean))
    .map((l) => (JSON.parse(l) as { question: string }).question);
  assert.ok(questions.length >= 40);
  let hits = 0;
  for (const q of questions) {
    for (const d of index.searchSync(q, 10)) {
      hits++;
      assert.match(d.path ?? '', /^docs\/[^/]+\.md$/, `"${q}" found ${d.path}, which is not a document`);
      assert.doesNotMatch(d.text, /gen_text_store|"question"\s*:/, `"${q}" found a rollout record`);
    }
  }
  assert.ok(hits > 0, 'the documents are searchable');
});

test('the demo workspace has sample questions ending in "?" (the CodeLens lines) and says what needs a model server', () => {
  const layout = buildDemoWorkspace(ROOT, makeTempDir('hopscope-demo-ws-'));
  const page = readFileSync(join(layout.workspace, 'QUESTIONS.md'), 'utf8');
  assert.ok(page.split('\n').filter((l) => l.trimEnd().endsWith('?')).length >= 3);
  const readme = readFileSync(join(layout.workspace, 'README.md'), 'utf8');
  assert.match(readme, /Works without a model server/);
  assert.match(readme, /Needs a model server/);
});
