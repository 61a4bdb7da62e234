import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { DecompressLimitError, fileBytes, zipEntries, type ZipEntry } from '../../../src/core/decompress';
import { InputError } from '../../../src/core/errors';

const MiB = 1024 * 1024;
let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'hopscope-decompress-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A small file that expands enormously: `mib` MiB of one byte, deflated. */
function zeros(mib: number): Uint8Array {
  return new Uint8Array(mib * MiB).fill(0x20);
}

test('a gzip bomb stops at the total cap with an error naming the file, without expanding it all', async () => {
  const bomb = join(dir, 'bomb.jsonl.gz');
  writeFileSync(bomb, gzipSync(zeros(64), { level: 9 }));
  let seen = 0;
  await assert.rejects(
    (async () => {
      for await (const c of fileBytes(bomb, { maxTotalBytes: 4 * MiB, maxEntryBytes: MiB })) seen += c.length;
    })(),
    (e: unknown) => e instanceof DecompressLimitError && e.message.startsWith(`${bomb}: the gzip stream decompresses to more than 4 MiB`) && /--max-decompressed-mb/.test(e.describe()),
  );
  assert.ok(seen <= 4 * MiB, `only what fits under the cap was handed on (${seen} bytes)`);
});

test('a gzip file under the cap reads whole; a plain file is passed through; a broken gzip is named', async () => {
  const ok = join(dir, 'ok.gz');
  writeFileSync(ok, gzipSync(Buffer.from('{"a":1}\n')));
  const parts: Buffer[] = [];
  for await (const c of fileBytes(ok)) parts.push(c);
  assert.equal(Buffer.concat(parts).toString(), '{"a":1}\n');
  const broken = join(dir, 'broken.gz');
  writeFileSync(broken, Buffer.concat([gzipSync(Buffer.from('x'.repeat(1000))).subarray(0, 12), Buffer.from('garbage!!')]));
  await assert.rejects(
    (async () => {
      for await (const _ of fileBytes(broken)) void _;
    })(),
    (e: unknown) => e instanceof InputError && e.message.startsWith(`${broken}: not a readable gzip file`),
  );
});

async function entries(file: string, limits = { maxTotalBytes: 8 * MiB, maxEntryBytes: 2 * MiB }): Promise<ZipEntry[]> {
  const out: ZipEntry[] = [];
  for await (const e of zipEntries(file, (n) => n.startsWith('samples/'), limits)) out.push(e);
  return out;
}

test('a zip entry past the per-entry cap is reported by name and skipped; the others read', async () => {
  const file = join(dir, 'bomb.eval');
  writeFileSync(
    file,
    zipSync({ 'samples/1_epoch_1.json': new TextEncoder().encode('{"id":1}'), 'samples/2_epoch_1.json': zeros(8), 'samples/3_epoch_1.json': new TextEncoder().encode('{"id":3}') }, { level: 9 }),
  );
  const got = await entries(file);
  assert.deepEqual(got.map((e) => e.name), ['samples/1_epoch_1.json', 'samples/2_epoch_1.json', 'samples/3_epoch_1.json']);
  assert.ok('bytes' in got[0]! && new TextDecoder().decode(got[0].bytes) === '{"id":1}');
  assert.ok('problem' in got[1]! && /decompresses to more than 2 MiB; skipped/.test(got[1].problem));
  assert.ok('bytes' in got[2]!);
});

test('zip entries together past the total cap stop the read, naming the archive and the entry', async () => {
  const file = join(dir, 'many.eval');
  const files: Record<string, Uint8Array> = {};
  for (let i = 1; i <= 6; i++) files[`samples/${i}_epoch_1.json`] = zeros(1);
  writeFileSync(file, zipSync(files, { level: 9 }));
  await assert.rejects(entries(file, { maxTotalBytes: 3 * MiB, maxEntryBytes: 2 * MiB }), (e: unknown) => e instanceof DecompressLimitError && e.message.startsWith(`${file}: the archive (at samples/4_epoch_1.json) decompresses to more than 3 MiB`));
});
