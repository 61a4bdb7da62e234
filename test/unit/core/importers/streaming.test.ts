import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { importFile } from '../../../../src/core/importers';
import { minimalTrajectory } from '../helpers';

const FIX = join(__dirname, '../../../fixtures/importers');
const MiB = 1024 * 1024;
let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'hopscope-import-stream-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('a trace record whose search step has no docs is reported by its line; the records around it import', async () => {
  const bad = { ...minimalTrajectory(1), steps: [{ kind: 'search', query: 'q' }] };
  const file = join(dir, 'three.jsonl');
  writeFileSync(file, [minimalTrajectory(0), bad, minimalTrajectory(2)].map((t) => JSON.stringify(t)).join('\n'));
  const r = await importFile(file);
  assert.deepEqual(r.trajectories.map((t) => t.id), ['t0', 't2']);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0]!.line, 2);
  assert.match(r.problems[0]!.reason, /step 0 \(search\) has no "docs" list/);
});

test('every malformed kind of record is one problem by line, never an abort', async () => {
  const good = JSON.stringify(minimalTrajectory(0));
  const cases = [
    '{"schema":"hopscope.trace/v1"}',
    JSON.stringify({ ...minimalTrajectory(1), steps: [null] }),
    JSON.stringify({ ...minimalTrajectory(1), steps: [{ kind: 'reason' }] }),
    JSON.stringify({ ...minimalTrajectory(1), steps: [{ kind: 'search', query: 'q', docs: [null] }] }),
    JSON.stringify({ ...minimalTrajectory(1), steps: 'none' }),
    JSON.stringify({ ...minimalTrajectory(1), outcome: 'x' }),
    JSON.stringify({ ...minimalTrajectory(1), answer: 42 }),
    '[1,2]',
    'null',
    '{"schema":"hopscope.trace/v1", "id": 1',
  ];
  const file = join(dir, 'malformed.jsonl');
  writeFileSync(file, [good, ...cases, good].join('\n'));
  const r = await importFile(file);
  assert.equal(r.trajectories.length, 2);
  assert.deepEqual(r.problems.map((p) => p.line), cases.map((_, i) => i + 2));
});

test('a BOM and CRLF file imports the same as a plain one, gzipped or not', async () => {
  const text = readFileSync(join(FIX, 'r1searcher/bamboogle_qwen.sample.jsonl'), 'utf8');
  const plain = join(dir, 'bamboogle_plain.jsonl');
  const windows = join(dir, 'bamboogle_win.jsonl');
  const zipped = join(dir, 'bamboogle_win.jsonl.gz');
  writeFileSync(plain, text);
  writeFileSync(windows, `\uFEFF${text.replace(/\n/g, '\r\n')}`);
  writeFileSync(zipped, gzipSync(readFileSync(windows)));
  const opts = { createdAt: '2026-01-01T00:00:00Z', runId: 'r' };
  const a = await importFile(plain, opts);
  const b = await importFile(windows, opts);
  const c = await importFile(zipped, opts);
  assert.ok(a.trajectories.length > 5);
  assert.deepEqual(b.problems, []);
  const strip = (ts: typeof a.trajectories) => ts.map((t) => ({ ...t, source: undefined }));
  assert.deepEqual(strip(b.trajectories), strip(a.trajectories));
  assert.deepEqual(strip(c.trajectories), strip(a.trajectories));
});

test('an .eval zip bomb: the oversized sample is reported by name, the real samples import', async () => {
  const real = readFileSync(join(FIX, 'inspect/log_read_sample.json'), 'utf8');
  const log = JSON.parse(real);
  const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
  const file = join(dir, 'bomb.eval');
  writeFileSync(
    file,
    zipSync(
      {
        'samples/1_epoch_1.json': enc(log.samples[0]),
        'samples/2_epoch_1.json': new Uint8Array(8 * MiB).fill(0x20),
        'samples/3_epoch_1.json': enc({ ...log.samples[0], id: 3 }),
        'header.json': enc({ eval: log.eval }),
      },
      { level: 9 },
    ),
  );
  const r = await importFile(file, { limits: { maxTotalBytes: 64 * MiB, maxEntryBytes: 1 * MiB } });
  assert.equal(r.format, 'inspect');
  assert.equal(r.trajectories.length, 2);
  assert.equal(r.trajectories[0]!.policy.model, log.eval.model, 'the header (last in the archive) still applies');
  assert.equal(r.problems.length, 1);
  assert.match(r.problems[0]!.reason, /^samples\/2_epoch_1\.json: decompresses to more than 1 MiB; skipped/);
});

test('a whole-JSON log past the per-entry cap is refused with the file named', async () => {
  await assert.rejects(
    importFile(join(FIX, 'inspect/log_images_tc.json'), { limits: { maxTotalBytes: 64 * MiB, maxEntryBytes: 1024 } }),
    /log_images_tc\.json: this whole-JSON file \(read at once\) decompresses to more than 1024 bytes/,
  );
});
