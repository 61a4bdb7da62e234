import assert from 'node:assert/strict';
import { test } from 'node:test';
import { htmlReport } from '../../../src/core/export/html';
import { importFile } from '../../../src/core/importers';
import { summarize } from '../../../src/core/summary';
import { verdict } from '../../../src/core/verdict';

// The demo's Bamboogle file: the R1-Searcher rollouts `npm run demo` imports as traces.
const DEMO_BAMBOOGLE = 'test/fixtures/sample-workspace/rollouts/bamboogle_qwen.r1searcher.jsonl';

test("on the demo's Bamboogle file the run summary's wrong count is the number of verdict 'wrong' (what the tree shows)", async () => {
  const { trajectories } = await importFile(DEMO_BAMBOOGLE, { format: 'r1searcher' });
  assert.equal(trajectories.length, 40);
  const byVerdict = { correct: 0, wrong: 0, unknown: 0 };
  for (const t of trajectories) byVerdict[verdict(t).verdict]++;
  const s = summarize(trajectories);
  assert.equal(s.failedCount, byVerdict.wrong);
  assert.deepEqual(s.verdicts, byVerdict);
  assert.equal(byVerdict.correct + byVerdict.wrong + byVerdict.unknown, 40);
  // Every one of these rollouts has a gold answer and a score: none is unknown.
  assert.equal(byVerdict.unknown, 0);
  // EM 1 or cover-EM 1 (R1-Searcher's ACC_R) on 25 of 40; the tree's old EM < 1 rule said 20 failed, the old summary 12.
  // (24 under the SQuAD normaliser: R1-Searcher's own turns "Titan IIIE/Centaur" into words, so gold "Titan IIIE" is covered.)
  assert.deepEqual(byVerdict, { correct: 25, wrong: 15, unknown: 0 });
  // A row with F1 1 is never counted wrong (the old tree marked ✗ whenever EM < 1).
  for (const t of trajectories) if (t.outcome.f1 === 1) assert.equal(verdict(t).verdict, 'correct', t.question);
  const html = htmlReport(trajectories);
  assert.match(html, new RegExp(`40 trajectories · ${byVerdict.correct} correct · ${byVerdict.wrong} wrong · 0 unknown`));
});
