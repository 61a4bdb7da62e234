import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { errorMessage, InputError } from '../../../../src/core/errors';
import type { Trajectory } from '../../../../src/core/trace';
import { TraceFileIndex } from '../../../../src/extension/traces/traceFileIndex';
import { describeFilter, filterAndSort, parseSearches } from '../../../../src/extension/traces/traceFilter';
import { makeTrajectory } from '../../../webview/sample';

const line = (t: Trajectory) => `${JSON.stringify(t)}\n`;
const tmp = () => join(mkdtempSync(join(tmpdir(), 'hopscope-index-')), 'traces.jsonl');

function variants(): Trajectory[] {
  const base = makeTrajectory();
  return [
    { ...base, id: 'ok', question: 'Who directed Indradhanura Chhai?' },
    { ...base, id: 'wrong', question: 'Où est Zürich — ünïcode?', answer: 'Bern', outcome: { em: 0, f1: 0.4 }, timing: { totalMs: 9000 }, labels: [{ label: 'ignored_gold', explanation: '' }] },
    { ...base, id: 'judged', gold: undefined, outcome: { judge: 1 }, stopReason: 'max_turns', steps: [...base.steps, ...base.steps], timing: { totalMs: 100 } },
  ];
}

test('indexes summaries with byte ranges, skips bad lines by number, and reads a trajectory on demand', async () => {
  const file = tmp();
  const [a, b, c] = variants();
  writeFileSync(file, line(a) + 'not json\n\n' + line(b) + '{"schema":"other"}\n' + line(c).trimEnd());
  const idx = new TraceFileIndex(file);
  const batches: number[] = [];
  assert.equal(await idx.update({ onBatch: (n) => batches.push(n) }), 3);
  assert.ok(batches.length >= 1);
  assert.deepEqual(idx.summaries.map((s) => [s.id, s.line, s.verdict, s.searches]), [['ok', 1, true, 1], ['wrong', 4, false, 1], ['judged', 6, true, 2]]);
  assert.deepEqual(idx.problems.map((p) => p.line), [2, 5]);
  assert.equal((await idx.read(idx.summaries[1])).question, 'Où est Zürich — ünïcode?');
  assert.deepEqual(await idx.find('judged'), JSON.parse(JSON.stringify(c)));
});

test('picks up lines appended later, and leaves a half-written last line for the next update', async () => {
  const file = tmp();
  const [a, b, c] = variants();
  writeFileSync(file, line(a));
  const idx = new TraceFileIndex(file);
  await idx.update();
  const half = line(b).slice(0, 50);
  appendFileSync(file, half);
  assert.equal(await idx.update(), 0);
  assert.equal(idx.problems.length, 0);
  appendFileSync(file, line(b).slice(50) + line(c));
  assert.equal(await idx.update(), 2);
  assert.deepEqual(idx.summaries.map((s) => s.id), ['ok', 'wrong', 'judged']);
  assert.equal((await idx.read(idx.summaries[2])).id, 'judged');
  // A rewritten (shorter) file is indexed again from the start.
  writeFileSync(file, line(c));
  await idx.update();
  assert.deepEqual(idx.summaries.map((s) => s.id), ['judged']);
});

test('filters and sorts what the Traces view shows', async () => {
  const file = tmp();
  writeFileSync(file, variants().map(line).join(''));
  const idx = new TraceFileIndex(file);
  await idx.update();
  const ids = (f: Parameters<typeof filterAndSort>[1], s: Parameters<typeof filterAndSort>[2] = 'file') => filterAndSort(idx.summaries, f, s).map((x) => x.id);
  assert.deepEqual(ids({ failedOnly: true }), ['wrong']);
  assert.deepEqual(ids({ stopReason: 'max_turns' }), ['judged']);
  assert.deepEqual(ids({ minSearches: 2 }), ['judged']);
  assert.deepEqual(ids({ text: 'zürich' }), ['wrong']);
  assert.deepEqual(ids({ label: 'ignored_gold' }), ['wrong']);
  assert.deepEqual(ids({}, 'f1-asc'), ['wrong', 'ok', 'judged']);
  assert.deepEqual(ids({}, 'searches-desc'), ['judged', 'ok', 'wrong']);
  assert.deepEqual(ids({}, 'latency-desc'), ['wrong', 'ok', 'judged']);
  assert.equal(describeFilter({ failedOnly: true, minSearches: 2, maxSearches: 2, text: 'x' }, 'f1-asc'), 'failed · searches=2 · “x” · by f1, lowest first');
});

test('a file rewritten with longer content is indexed again, not continued', async () => {
  const file = tmp();
  const [a, b, c] = variants();
  writeFileSync(file, line(a));
  const idx = new TraceFileIndex(file);
  await idx.update();
  writeFileSync(file, line(b) + line(c));
  await idx.update();
  assert.deepEqual(idx.summaries.map((s) => s.id), ['wrong', 'judged']);
  assert.equal((await idx.read(idx.summaries[0])).id, 'wrong');
});

test('the searches filter reads a number, a range, at least and at most', () => {
  assert.deepEqual(parseSearches('3'), { min: 3, max: 3 });
  assert.deepEqual(parseSearches(' 2 - 4 '), { min: 2, max: 4 });
  assert.deepEqual(parseSearches('5+'), { min: 5 });
  assert.deepEqual(parseSearches('<=1'), { max: 1 });
  assert.equal(parseSearches('many'), undefined);
});

test('a trajectory that can no longer be read names the file and line and says what to do', async () => {
  const file = tmp();
  const [a, b] = variants();
  writeFileSync(file, line(a) + line(b));
  const idx = new TraceFileIndex(file);
  await idx.update();
  // The file is overwritten behind the index's back: the second trajectory's byte range now holds other text.
  writeFileSync(file, line(a) + 'x'.repeat(line(b).length));
  await assert.rejects(idx.read(idx.summaries[1]), (e: unknown) => {
    assert.ok(e instanceof InputError);
    const shown = errorMessage(e);
    assert.ok(shown.startsWith(`${file}:2: cannot read the trajectory: `), shown);
    assert.ok(shown.endsWith(' (the file may have changed: refresh the Traces view)'), shown);
    return true;
  });
});
