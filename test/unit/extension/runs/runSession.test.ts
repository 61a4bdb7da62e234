/**
 * The extension's run session on plain Node: the store outside the run folder, progress while reading,
 * and the figures growing on their own when the trainer writes a new step file (the folder is watched).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { StoreHost } from '../../../../src/core/storeHost/client';
import { RunSession, type RunEvent } from '../../../../src/extension/runs/runSession';

const STORE_WORKER_TS = resolve(__dirname, '../../../../src/core/storeHost/worker.ts');
import { rng, stepRollouts, writeStep } from '../../core/runs/generatedRun';

function nextUpdate(session: RunSession): Promise<Extract<RunEvent, { kind: 'updated' }>> {
  return new Promise((resolve, reject) => {
    const sub = session.onChange((e) => {
      if (e.kind === 'updated') {
        sub.dispose();
        resolve(e);
      } else if (e.kind === 'failed') {
        sub.dispose();
        reject(e.error instanceof Error ? e.error : new Error(String(e.error)));
      }
    });
  });
}

for (const where of ['in this thread', 'on the store worker'] as const)
  test(`a run session reads the folder into a store outside it and follows new step files (store ${where})`, { timeout: 60_000 }, async (t) => {
    const root = mkdtempSync(join(tmpdir(), 'hopscope-run-session-'));
    t.after(() => rmSync(root, { recursive: true, force: true }));
    let host: StoreHost | undefined;
    if (where === 'on the store worker') {
      // As in the extension: the store worker (its TypeScript entry through tsx) hosts the run store.
      const boot = join(root, 'storeBoot.cjs');
      writeFileSync(boot, `require(${JSON.stringify(require.resolve('tsx/cjs'))});\nrequire(${JSON.stringify(STORE_WORKER_TS)});\n`);
      host = new StoreHost(boot);
      t.after(() => host!.close());
    }
    const dir = join(root, 'run');
    const storage = join(root, 'storage');
    const random = rng(4);
    writeStep(dir, 1, stepRollouts(1, 3, 2, random));
    writeStep(dir, 2, stepRollouts(2, 3, 2, random));

    const session = await RunSession.open(dir, storage, undefined, host);
    t.after(() => session.dispose());
    const progress: Array<[number, number]> = [];
    session.onChange((e) => e.kind === 'progress' && progress.push([e.progress.filesDone, e.progress.filesTotal]));
    const first = nextUpdate(session);
    await session.refresh();
    const { snapshot, report } = await first;
    assert.deepEqual(snapshot.steps.map((s) => [s.step, s.n]), [[1, 6], [2, 6]]);
    assert.equal(report.filesRead, 2);
    // Each file counts as it is read (its rows go in with the next commit: small files commit together).
    assert.deepEqual(progress, [[0, 2], [1, 2], [2, 2]]);
    assert.deepEqual(readdirSync(dir).sort(), ['1.jsonl', '2.jsonl'], 'nothing written into the run folder');
    assert.equal(readdirSync(storage).filter((f) => f.endsWith('.duckdb')).length, 1, 'the store is in the storage folder');

    session.watch();
    const grown = nextUpdate(session);
    writeStep(dir, 3, stepRollouts(3, 4, 2, random));
    const after = await grown;
    assert.deepEqual(after.snapshot.steps.map((s) => [s.step, s.n]), [[1, 6], [2, 6], [3, 8]], 'step 3 joins without a reload');
  });
