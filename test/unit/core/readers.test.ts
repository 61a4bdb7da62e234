/**
 * Every reader (dataset, corpus, trace file, import) reads a file saved with a UTF-8 BOM and CRLF line
 * ends exactly as the plain file, and reports a bad record by line while keeping the rest.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { readDataset } from '../../../src/core/batch';
import type { BadLine } from '../../../src/core/lineReader';
import { looksLikeCorpus, readCorpus, type CorpusProblem } from '../../../src/core/retrieval/corpus';
import { readTrajectories } from '../../../src/core/traceStore';
import { minimalTrajectory } from './helpers';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'hopscope-readers-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** The same lines as a Windows editor saves them: BOM first, CRLF after each line. */
const windows = (lines: string[]) => `\uFEFF${lines.join('\r\n')}\r\n`;

test('a dataset with a BOM and CRLF keeps its first question; a bad line is named and skipped', async () => {
  const file = join(dir, 'dataset.jsonl');
  writeFileSync(file, windows(['{"question":"Q1?","answer":"A1"}', '{"nope":1}', 'not json', '{"question":"Q4?","golden_answers":["A4"]}']));
  const bad: BadLine[] = [];
  const items = await readDataset(file, { onBadLine: (b) => bad.push(b) });
  assert.deepEqual(items.map((i) => [i.line, i.question, i.gold]), [
    [1, 'Q1?', ['A1']],
    [4, 'Q4?', ['A4']],
  ]);
  assert.deepEqual(bad.map((b) => b.line), [2, 3]);
});

test('a corpus with a BOM and CRLF is recognised as a corpus and reads every record', async () => {
  const lines = ['{"id":"1","contents":"\\"Paris\\"\\nCapital of France."}', '{"id":"2","title":"Berlin","text":"Capital of Germany."}', '{"id":"1","text":"dup"}'];
  const file = join(dir, 'corpus.jsonl');
  writeFileSync(file, windows(lines));
  assert.equal(looksLikeCorpus(file, Buffer.from(windows(lines))), true, 'the BOM does not make it "one text passage"');
  const gz = join(dir, 'corpus.jsonl.gz');
  writeFileSync(gz, gzipSync(windows(lines)));
  for (const f of [file, gz]) {
    const problems: CorpusProblem[] = [];
    const got: string[] = [];
    for await (const batch of readCorpus(f, (p) => problems.push(p))) got.push(...batch.map((r) => `${r.line}:${r.id}:${r.title}:${r.text}`));
    assert.deepEqual(got, ['1:1:Paris:Capital of France.', '2:2:Berlin:Capital of Germany.']);
    assert.deepEqual(problems.map((p) => [p.line, p.reason]), [[3, 'duplicate id "1"']]);
  }
});

test('a trace file with a BOM and CRLF reads every trajectory; a malformed one is reported by line', async () => {
  const file = join(dir, 'traces.jsonl');
  const bad = { ...minimalTrajectory(1), steps: [{ kind: 'search', query: 'q' }] };
  writeFileSync(file, windows([JSON.stringify(minimalTrajectory(0)), JSON.stringify(bad), JSON.stringify(minimalTrajectory(2))]));
  const lines: BadLine[] = [];
  const ids: string[] = [];
  for await (const t of readTrajectories(file, { onBadLine: (b) => lines.push(b) })) ids.push(t.id);
  assert.deepEqual(ids, ['t0', 't2']);
  assert.deepEqual(lines.map((b) => b.line), [2]);
  assert.match(lines[0]!.reason, /step 0 \(search\) has no "docs" list/);
});
