/** Range reads into reused buffers: the same bytes as a fresh read, and only the pool's own memory is reused. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { RangeBuffers, readFileRange } from '../../../src/core/fileRange';

test('a range read into a reused buffer holds the same bytes as a fresh read, however long the last one was', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hopscope-range-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const big = join(dir, 'big');
  const small = join(dir, 'small');
  writeFileSync(big, Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251)));
  writeFileSync(small, 'short\n');
  const buffers = new RangeBuffers(1);
  const first = await readFileRange(big, 100, 4000, 'r', buffers.take(4000));
  assert.deepEqual(first, await readFileRange(big, 100, 4000));
  buffers.give(first);
  // The same memory comes back for a shorter read, and holds only that read's bytes.
  const again = buffers.take(6);
  assert.equal(again.buffer, first.buffer);
  assert.equal((await readFileRange(small, 0, 6, 'r', again)).toString(), 'short\n');
  // A read past the end of the file returns what there is.
  assert.equal((await readFileRange(small, 2, 100, 'r', buffers.take(100))).toString(), 'ort\n');
});

test('buffers not made by the pool are never taken back (Node shares small ones between callers)', () => {
  const buffers = new RangeBuffers(2);
  const pooled = Buffer.allocUnsafe(16);
  buffers.give(pooled);
  assert.notEqual(buffers.take(8).buffer, pooled.buffer);
});
