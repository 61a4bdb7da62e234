/**
 * `runs summary` figures on generated verl runs, checked against figures computed from how each rollout
 * was written; incremental ingest; a step file read while the trainer writes it; unreadable lines.
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { openRun } from '../../../../src/core/runs/open';
import { readRollout, stepGroups, stepRollouts as storedRollouts } from '../../../../src/core/runs/queries';
import { runProblems, runSummary, type StepSummary } from '../../../../src/core/runs/summary';
import { expectedSummary, goldOf, rng, stepRollouts, writeStep, type GenRollout } from './generatedRun';

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'hopscope-runs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function close(actual: number | null, expected: number, what: string): void {
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9, `${what}: got ${actual}, expected ${expected}`);
}

function assertFigures(actual: StepSummary[], rollouts: readonly GenRollout[]): void {
  const expected = expectedSummary(rollouts);
  assert.deepEqual(actual.map((s) => s.step), expected.map((e) => e.step), 'one line per step, in step order');
  actual.forEach((s, i) => {
    const e = expected[i]!;
    const at = `step ${e.step}`;
    assert.equal(s.n, e.n, `${at} n`);
    close(s.meanScore, e.meanScore, `${at} meanScore`);
    close(s.meanSearches, e.meanSearches, `${at} meanSearches`);
    assert.equal(s.groups, e.groups, `${at} groups`);
    assert.equal(s.uniformGroups, e.uniformGroups, `${at} uniformGroups`);
    close(s.formatErrorRate, e.formatErrorRate, `${at} formatErrorRate`);
    for (const [label, rate] of Object.entries(e.labels)) close(s.labels[label as keyof StepSummary['labels']], rate, `${at} ${label} rate`);
  });
}

function generate(dir: string, seed: number, steps: number[], prompts = 6, per = 4): GenRollout[] {
  const random = rng(seed);
  const all: GenRollout[] = [];
  for (const step of steps) {
    const rs = stepRollouts(step, prompts, per, random);
    writeStep(dir, step, rs);
    all.push(...rs);
  }
  return all;
}

for (const seed of [1, 7, 2024]) {
  test(`runs summary gives the exact per-step figures of a generated run (seed ${seed})`, async (t) => {
    const root = tempDir(t);
    const dir = join(root, 'run');
    // Steps out of name order (2 before 10) and not starting at 1, as a resumed trainer writes them.
    const rollouts = generate(dir, seed, [10, 2, 3, 11], 5 + (seed % 4), 3 + (seed % 3));
    const { store } = await openRun({ dir, store: join(root, 'store.duckdb') });
    try {
      assertFigures(await runSummary(store), rollouts);
    } finally {
      store.close();
    }
  });
}

test('a repeat reads nothing; a new step file is read alone and joins the summary', async (t) => {
  const root = tempDir(t);
  const dir = join(root, 'run');
  const storeFile = join(root, 'store.duckdb');
  const random = rng(5);
  const first = generate(dir, 5, [1, 2, 3]);
  let opened = await openRun({ dir, store: storeFile });
  assert.equal(opened.report.filesRead, 3);
  opened.store.close();

  opened = await openRun({ dir, store: storeFile });
  assert.deepEqual(opened.report, { filesRead: 0, rowsAdded: 0, problemsAdded: 0, filesRemoved: 0 }, 'nothing changed, nothing read');
  opened.store.close();

  const step4 = stepRollouts(4, 6, 4, random);
  writeStep(dir, 4, step4);
  opened = await openRun({ dir, store: storeFile });
  try {
    assert.equal(opened.report.filesRead, 1, 'only the new step file is read');
    assert.equal(opened.report.rowsAdded, step4.length);
    assertFigures(await runSummary(opened.store), [...first, ...step4]);
  } finally {
    opened.store.close();
  }

  // The trainer rewrites step 2 with fewer rollouts: it is read again, not appended to.
  const step2 = stepRollouts(2, 3, 2, random);
  writeStep(dir, 2, step2);
  rmSync(join(dir, '3.jsonl'));
  opened = await openRun({ dir, store: storeFile });
  try {
    assert.equal(opened.report.filesRemoved, 1);
    assertFigures(await runSummary(opened.store), [...first.filter((r) => r.step === 1), ...step2, ...step4]);
  } finally {
    opened.store.close();
  }
});

test('a step file being written is read up to its last complete line, the rest on the next ingest', async (t) => {
  const root = tempDir(t);
  const dir = join(root, 'run');
  const storeFile = join(root, 'store.duckdb');
  const rs = stepRollouts(7, 3, 2, rng(9));
  const text = rs.map((r) => r.line).join('\n') + '\n';
  const cut = text.indexOf('\n', text.indexOf('\n', text.indexOf('\n') + 1) + 1) + 1 + 40; // three lines and 40 bytes of the fourth
  writeStep(dir, 7, []);
  writeFileSync(join(dir, '7.jsonl'), text.slice(0, cut));

  let opened = await openRun({ dir, store: storeFile });
  try {
    assert.equal(opened.report.rowsAdded, 3, 'the three complete lines');
    assert.equal(opened.report.problemsAdded, 0, 'the unfinished line is not a problem, it is not there yet');
  } finally {
    opened.store.close();
  }

  appendFileSync(join(dir, '7.jsonl'), text.slice(cut));
  opened = await openRun({ dir, store: storeFile });
  try {
    assert.equal(opened.report.rowsAdded, rs.length - 3);
    assertFigures(await runSummary(opened.store), rs);
    const stored = await storedRollouts(opened.store, 7);
    assert.deepEqual(stored.map((r) => r.line).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6], 'lines numbered as in the file');
    const fourth = stored.find((r) => r.line === 4)!;
    const traj = await readRollout(opened.store, fourth.fileId, 4);
    assert.deepEqual(traj.gold, [goldOf(rs[3]!.prompt)], 'the fourth line, read on demand from its offset');
    assert.equal(traj.training?.step, 7);
    assert.equal(traj.training?.trainerScore, rs[3]!.score);
    assert.equal(traj.rewards.trainerScore, rs[3]!.score);
    assert.deepEqual(traj.training?.extras, { acc: rs[3]!.score === 1 ? 1 : 0 }, 'the reward function extras are kept');
  } finally {
    opened.store.close();
  }

  // A finished file with no final newline: its last line counts once it parses whole.
  writeFileSync(join(dir, '8.jsonl'), rs.map((r) => r.line.replace('"step":7', '"step":8')).join('\n'));
  opened = await openRun({ dir, store: storeFile });
  try {
    assert.equal(opened.report.rowsAdded, rs.length);
  } finally {
    opened.store.close();
  }
  appendFileSync(join(dir, '8.jsonl'), '\n' + rs[0]!.line.replace('"step":7', '"step":8') + '\n');
  opened = await openRun({ dir, store: storeFile });
  try {
    assert.equal(opened.report.rowsAdded, 1);
    const lines = (await storedRollouts(opened.store, 8)).map((r) => r.line).sort((a, b) => a - b);
    assert.deepEqual(lines, [1, 2, 3, 4, 5, 6, 7]);
  } finally {
    opened.store.close();
  }
});

test('lines that are not rollouts are reported by file and line; the others are read', async (t) => {
  const root = tempDir(t);
  const dir = join(root, 'run');
  const rs = stepRollouts(1, 2, 2, rng(3));
  const file = writeStep(dir, 1, []);
  writeFileSync(file, [rs[0]!.line, '{"input": "Question: x", "output": ', rs[1]!.line, '{"input": "Question: y", "score": 1}', '', rs[2]!.line, '[1, 2]'].join('\n') + '\n');
  const { store } = await openRun({ dir, store: join(root, 'store.duckdb') });
  try {
    const { problems, total } = await runProblems(store);
    assert.equal(total, 3);
    assert.deepEqual(problems.map((p) => [p.file, p.line]), [[file, 2], [file, 4], [file, 7]]);
    assert.match(problems[0]!.reason, /not valid JSON/);
    assert.match(problems[1]!.reason, /no rollout text/);
    assert.match(problems[2]!.reason, /expected a JSON object/);
    const [s] = await runSummary(store);
    assert.equal(s!.n, 3, 'the three good lines');
  } finally {
    store.close();
  }
});

test("a step's groups come widest spread first, then all-zero, then all-one", async (t) => {
  const root = tempDir(t);
  const dir = join(root, 'run');
  const line = (prompt: number, score: number) =>
    JSON.stringify({ input: `Question: q${prompt}?`, output: 'No search.</think><answer> a </answer>', gts: 'a', score, step: 3 });
  writeStep(dir, 3, []);
  writeFileSync(
    join(dir, '3.jsonl'),
    [line(1, 1), line(1, 1), line(2, 0), line(2, 0), line(3, 0), line(3, 0.5), line(4, 0), line(4, 1)].join('\n') + '\n',
  );
  const { store } = await openRun({ dir, store: join(root, 'store.duckdb') });
  try {
    const groups = await stepGroups(store, 3);
    assert.deepEqual(
      groups.map((g) => [g.question, g.kind]),
      [
        ['q4?', 'spread'],
        ['q3?', 'spread'],
        ['q2?', 'all-zero'],
        ['q1?', 'all-one'],
      ],
    );
  } finally {
    store.close();
  }
});

test('OpenRLHF-style dumps (prompt, response, label, reward) and Hopscope trace files with a step read as runs', async (t) => {
  const root = tempDir(t);
  const openrlhf = join(root, 'openrlhf');
  const rs = stepRollouts(4, 3, 2, rng(17));
  writeStep(openrlhf, 4, []);
  writeFileSync(
    join(openrlhf, 'step_4.jsonl'),
    rs.map((r) => { const o = JSON.parse(r.line) as Record<string, unknown>; return JSON.stringify({ prompt: o.input, response: o.output, label: o.gts, reward: o.score }); }).join('\n') + '\n',
  );
  rmSync(join(openrlhf, '4.jsonl'));
  let opened = await openRun({ dir: openrlhf, store: join(root, 'a.duckdb') });
  try {
    assertFigures(await runSummary(opened.store), rs);
  } finally {
    opened.store.close();
  }

  // Hopscope trajectories (the rollouts above, read once) written as a trace file whose lines carry `step`.
  const traces = join(root, 'traces');
  opened = await openRun({ dir: openrlhf, store: join(root, 'a.duckdb') });
  const trajectories = await Promise.all((await storedRollouts(opened.store, 4)).map((r) => readRollout(opened.store, r.fileId, r.line)));
  opened.store.close();
  writeStep(traces, 1, []);
  rmSync(join(traces, '1.jsonl'));
  writeFileSync(join(traces, 'eval-run.jsonl'), trajectories.map((tr) => JSON.stringify({ ...tr, training: undefined, step: 9 })).join('\n') + '\n');
  opened = await openRun({ dir: traces, store: join(root, 'b.duckdb') });
  try {
    const [s] = await runSummary(opened.store);
    assert.equal(s!.step, 9);
    assert.equal(s!.n, rs.length);
    assert.equal(s!.meanScore, rs.reduce((n, r) => n + r.score, 0) / rs.length, "the trainer's score, kept in rewards.trainerScore");
    assert.equal(s!.groups, new Set(rs.map((r) => r.prompt)).size);
  } finally {
    opened.store.close();
  }
});
