import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { minimalTrajectory } from '../core/helpers';

const ROOT = join(__dirname, '../../..');
const FIX = join(ROOT, 'test/fixtures/importers');
let dir: string;

/** The CLI in a child process; `fileLimitBlocks` caps the size of files it may write (ulimit -f, 512-byte blocks). */
function cli(args: string[], fileLimitBlocks?: number): Promise<{ code: number; out: string; err: string }> {
  const node = [process.execPath, '--import', 'tsx', join(ROOT, 'src/cli.ts'), ...args];
  // Ignoring SIGXFSZ makes a write past the limit fail with EFBIG, as a full disk fails with ENOSPC.
  const [cmd, argv] = fileLimitBlocks === undefined ? [node[0]!, node.slice(1)] : ['bash', ['-c', `ulimit -f ${fileLimitBlocks}; trap '' XFSZ; exec "$@"`, 'bash', ...node]];
  return new Promise((resolve, reject) => {
    execFile(cmd, argv, { cwd: ROOT, maxBuffer: 64 << 20 }, (e, out, err) => {
      if (e && typeof e.code !== 'number') return reject(e);
      resolve({ code: e ? (e.code as number) : 0, out, err });
    });
  });
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'hopscope-cli-import-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const leftovers = (folder: string) => readdirSync(folder).filter((n) => n.endsWith('.tmp'));

test('three records with a malformed one in the middle: the other two are written and line 2 is named', async () => {
  const file = join(dir, 'three.jsonl');
  const bad = { ...minimalTrajectory(1), steps: [{ kind: 'search', query: 'q' }] };
  writeFileSync(file, [minimalTrajectory(0), bad, minimalTrajectory(2)].map((t) => JSON.stringify(t)).join('\n'));
  const out = join(dir, 'three.out.jsonl');
  const r = await cli(['import', file, '--out', out]);
  assert.equal(r.code, 0, r.err);
  const written = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l).id);
  assert.deepEqual(written, ['t0', 't2']);
  assert.match(r.err, /three\.jsonl:2: step 0 \(search\) has no "docs" list/);
  assert.match(r.err, /imported 2 trajectories .*; 1 record\(s\) could not be read/);
});

test('import X --out X is refused (also through a symlink to X) and X is untouched', async () => {
  const file = join(dir, 'same.jsonl');
  const body = `${JSON.stringify(minimalTrajectory(0))}\n`;
  writeFileSync(file, body);
  const link = join(dir, 'link-to-same.jsonl');
  symlinkSync(file, link);
  for (const out of [file, link]) {
    const r = await cli(['import', file, '--out', out]);
    assert.equal(r.code, 1);
    assert.match(r.err, /--out names the input file itself/);
  }
  assert.equal(readFileSync(file, 'utf8'), body);
});

test('a failed import leaves the previous output as it was and no temporary file', async () => {
  const input = join(dir, 'junk.jsonl');
  writeFileSync(input, 'not json\n{"schema":"hopscope.trace/v1"}\n');
  const out = join(dir, 'kept.jsonl');
  writeFileSync(out, 'OLD\n');
  const r = await cli(['import', input, '--out', out, '--format', 'hopscope']);
  assert.equal(r.code, 1);
  assert.match(r.err, /no record could be read/);
  assert.equal(readFileSync(out, 'utf8'), 'OLD\n');
  assert.deepEqual(leftovers(dir), []);
});

test('a full disk mid-import: the message names the output, the old file stays whole, no partial file is left', async () => {
  const out = join(dir, 'full.jsonl');
  writeFileSync(out, 'OLD\n');
  // The import writes megabytes; the limit allows 64 KiB.
  const r = await cli(['import', join(FIX, 'r1searcher/full/bamboogle_qwen.jsonl.gz'), '--out', out], 128);
  assert.equal(r.code, 1, r.err);
  assert.match(r.err, new RegExp(`full\\.jsonl: cannot write: the file grew past the size limit; the file was left as it was`));
  assert.equal(readFileSync(out, 'utf8'), 'OLD\n');
  assert.deepEqual(leftovers(dir), []);
});

test('export streams OTLP and JSONL to --out through a temporary file; export X --out X is refused', async () => {
  const file = join(dir, 'exp.jsonl');
  writeFileSync(file, `\uFEFF${[0, 1, 2].map((i) => JSON.stringify(minimalTrajectory(i))).join('\r\n')}\r\n`);
  const otel = join(dir, 'exp.otel.json');
  const r = await cli(['export', file, '--format', 'otel', '--out', otel]);
  assert.equal(r.code, 0, r.err);
  const doc = JSON.parse(readFileSync(otel, 'utf8'));
  const spans = doc.resourceSpans[0].scopeSpans[0].spans as Array<{ traceId: string }>;
  assert.equal(new Set(spans.map((s) => s.traceId)).size, 3, 'one trace per trajectory');
  const jsonl = join(dir, 'exp.out.jsonl');
  assert.equal((await cli(['export', file, '--format', 'jsonl', '--out', jsonl])).code, 0);
  assert.deepEqual(readFileSync(jsonl, 'utf8').trim().split('\n').map((l) => JSON.parse(l).id), ['t0', 't1', 't2']);
  const same = await cli(['export', file, '--format', 'jsonl', '--out', file]);
  assert.equal(same.code, 1);
  assert.match(same.err, /--out names the input file itself/);
  assert.deepEqual(leftovers(dir), []);
});
