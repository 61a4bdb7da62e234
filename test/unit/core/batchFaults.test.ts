/**
 * Issue 12, runs: a trajectory that ended in error is redone by --resume; a full disk or a short write
 * cuts the file back to its last whole line, stops the run and names the file; progress counts only
 * lines that are whole in the file.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finishedQuestions, runBatch, type DatasetItem } from '../../../src/core/batch';
import { InputError } from '../../../src/core/errors';
import { TraceWriter, type TraceFileHandle } from '../../../src/core/traceStore';
import { minimalTrajectory } from './helpers';

const items = (n: number): DatasetItem[] => Array.from({ length: n }, (_, i) => ({ question: `question ${i}`, gold: ['a'], line: i + 1 }));

/**
 * A real file whose `failAt`-th trajectory write fails as a full disk does: `half` writes part of the
 * line and then fails with ENOSPC; `short` writes part and then nothing (0 bytes), as a short write.
 */
async function failingFile(file: string, failAt: number, mode: 'half' | 'short'): Promise<(f: string) => Promise<TraceFileHandle>> {
  return async (f) => {
    const real = await fs.open(f, 'a+');
    let writes = 0;
    let failing = false;
    const write = (async (buffer: Buffer, offset = 0, length = buffer.length - offset) => {
      if (!failing && ++writes === failAt) {
        failing = true;
        const part = Math.floor(length / 2);
        await real.write(buffer, offset, part);
        if (mode === 'half') throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        return { bytesWritten: part, buffer };
      }
      if (failing) return { bytesWritten: 0, buffer };
      return real.write(buffer, offset, length);
    }) as TraceFileHandle['write'];
    return {
      write,
      read: real.read.bind(real),
      truncate: real.truncate.bind(real),
      stat: real.stat.bind(real),
      sync: real.sync.bind(real),
      close: real.close.bind(real),
    };
  };
}

describe('runs: errors, resume and a full disk', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hopscope-batch-faults-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('--resume redoes the questions that ended in error or were cancelled', async () => {
    const out = join(dir, 'resume.jsonl');
    const w = await TraceWriter.open(out);
    await w.write(minimalTrajectory(1));
    await w.write(minimalTrajectory(2, { stopReason: 'error', error: 'cannot reach http://x/v1' }));
    await w.write(minimalTrajectory(3, { stopReason: 'cancelled' }));
    await w.close();
    assert.deepEqual([...(await finishedQuestions(out))], ['question 1']);
  });

  it('counts the trajectories that ended in error', async () => {
    const writer = await TraceWriter.open(join(dir, 'errors.jsonl'));
    const r = await runBatch({
      items: items(5),
      concurrency: 2,
      writer,
      run: async (item) => minimalTrajectory(item.line, { question: item.question, ...(item.line % 2 ? { stopReason: 'error' as const, error: `boom ${item.line}` } : {}) }),
    });
    await writer.close();
    assert.equal(r.errors, 3);
    assert.match(r.firstError ?? '', /^boom \d$/);
  });

  for (const mode of ['half', 'short'] as const) {
    it(`a ${mode === 'half' ? 'full disk (ENOSPC)' : 'short write'}: the partial line is cut off, the run stops, and the error names the file`, async () => {
      const out = join(dir, `full-${mode}.jsonl`);
      await writeFile(out, `${JSON.stringify(minimalTrajectory(100))}\n`);
      const writer = await TraceWriter.open(out, { openFile: await failingFile(out, 4, mode) });
      const progress: number[] = [];
      const err = await runBatch({
        items: items(20),
        concurrency: 1,
        writer,
        run: async (item) => minimalTrajectory(item.line, { question: item.question }),
        onResult: (_t, sofar) => progress.push(sofar.result().count),
      }).then(() => undefined, (e: unknown) => e);
      await writer.close().catch(() => undefined);
      assert.ok(err instanceof InputError, String(err));
      assert.ok(err.message.startsWith(`${out}: cannot write: `), err.message);
      if (mode === 'half') assert.match(err.message, /the disk is full/);
      assert.match(err.message, /the run stopped after 3 whole trajectories/);
      assert.match(err.describe(), /--resume/);
      const text = await readFile(out, 'utf8');
      assert.ok(text.endsWith('\n'), 'no half line at the end');
      const lines = text.trimEnd().split('\n');
      assert.equal(lines.length, 4, 'the line that was there and the three whole ones');
      for (const l of lines) JSON.parse(l);
      assert.deepEqual(progress, [1, 2, 3], 'progress counted only whole lines');
    });
  }
});
