/**
 * The Traces view and the run summary must agree on how many trajectories of a file failed: both ask the one
 * verdict (src/core/verdict.ts). Checked on the demo's Bamboogle rollouts, where the old tree rule (EM < 1)
 * said 20 failed and the old summary 12.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { HtmlReportBuilder } from '../../../../src/core/export/html';
import { importFile } from '../../../../src/core/importers';
import { summarize } from '../../../../src/core/summary';
import type { Trajectory } from '../../../../src/core/trace';
import { serializeTrajectory } from '../../../../src/core/traceStore';
import { failedCount, TraceFileIndex } from '../../../../src/extension/traces/traceFileIndex';
import { filterAndSort } from '../../../../src/extension/traces/traceFilter';

const DEMO_BAMBOOGLE = join(__dirname, '../../../../test/fixtures/sample-workspace/rollouts/bamboogle_qwen.r1searcher.jsonl');

async function indexed(trajectories: Trajectory[]): Promise<TraceFileIndex> {
  const dir = mkdtempSync(join(tmpdir(), 'hopscope-failed-'));
  const file = join(dir, 'bamboogle.jsonl');
  writeFileSync(file, trajectories.map((t) => serializeTrajectory(t)).join(''));
  const idx = new TraceFileIndex(file);
  await idx.update();
  rmSync(dir, { recursive: true, force: true });
  return idx;
}

test("the Traces view's failed count on the demo's Bamboogle file equals the run summary's wrong count", async () => {
  const { trajectories } = await importFile(DEMO_BAMBOOGLE, { format: 'r1searcher' });
  const idx = await indexed(trajectories);
  assert.equal(idx.summaries.length, 40);
  const summary = summarize(trajectories);
  assert.equal(failedCount(idx.summaries), summary.failedCount);
  // The exact number is pinned by test/unit/core/verdictCounts.test.ts; here, only that it is not zero.
  assert.ok(summary.failedCount > 0);
  // "Failed only" shows exactly those rows.
  assert.equal(filterAndSort(idx.summaries, { failedOnly: true }, 'file').length, summary.failedCount);
  // No row with F1 1 is marked ✗.
  for (const s of idx.summaries) if (s.f1 === 1) assert.notEqual(s.verdict, false, s.question);
  // The run summary panel's HTML says the same.
  const b = new HtmlReportBuilder({ title: 'summary', nonce: 'n' });
  for (const t of trajectories) b.add(t);
  assert.match(b.result(), new RegExp(` ${summary.failedCount} wrong `));
});

test('a run that ended in error or was cancelled is neither correct nor failed in the tree', async () => {
  const { trajectories } = await importFile(DEMO_BAMBOOGLE, { format: 'r1searcher' });
  const wrong = trajectories.find((t) => t.outcome.em === 0 && t.outcome.coverEm === 0)!;
  const faults: Trajectory[] = [
    { ...wrong, id: 'err', stopReason: 'error', error: 'connection refused' },
    { ...wrong, id: 'cancel', stopReason: 'cancelled' },
  ];
  const idx = await indexed(faults);
  assert.deepEqual(idx.summaries.map((s) => s.verdict), [undefined, undefined]);
  assert.equal(failedCount(idx.summaries), 0);
  assert.match(idx.summaries[0].verdictWhy, /connection refused/);
});
