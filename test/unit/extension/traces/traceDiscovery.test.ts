/**
 * The Traces view lists a workspace's trace files without following links out of it (issue 12): a
 * cloned repository's `.hopscope/traces` symlink or a linked `.jsonl` is refused with the reason, and a
 * listed file that is swapped for a link afterwards is not read through it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { discoverTraceFiles } from '../../../../src/extension/traces/traceDiscovery';
import { TraceFileIndex } from '../../../../src/extension/traces/traceFileIndex';
import { makeTrajectory } from '../../../webview/sample';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'hopscope-discovery-')));
after(() => rmSync(base, { recursive: true, force: true }));
const outside = join(base, 'home');
mkdirSync(outside);
const secret = join(outside, 'private.jsonl');
writeFileSync(secret, `${JSON.stringify({ ...makeTrajectory(), id: 'secret' })}\n`);

function workspace(name: string): { root: string; traces: string } {
  const root = join(base, name);
  const traces = join(root, '.hopscope', 'traces');
  mkdirSync(join(root, '.hopscope'), { recursive: true });
  return { root, traces };
}

test('real trace files are listed; a linked .jsonl is refused by name', async () => {
  const { root, traces } = workspace('ws1');
  mkdirSync(traces);
  writeFileSync(join(traces, 'b.jsonl'), '');
  writeFileSync(join(traces, 'a.jsonl'), '');
  writeFileSync(join(traces, 'notes.txt'), '');
  symlinkSync(secret, join(traces, 'link.jsonl'));
  const found = await discoverTraceFiles([root], [traces]);
  assert.deepEqual(found.files, [join(traces, 'a.jsonl'), join(traces, 'b.jsonl')]);
  assert.deepEqual(found.refused.map((e) => e.message), [`${join(traces, 'link.jsonl')}: is a symbolic link; not following it`]);
});

test('a .hopscope/traces folder committed as a link lists nothing and says why', async () => {
  const { root, traces } = workspace('ws2');
  symlinkSync(outside, traces);
  const found = await discoverTraceFiles([root], [traces]);
  assert.deepEqual(found.files, []);
  assert.equal(found.refused.length, 1);
  assert.match(found.refused[0]!.describe(), /\.hopscope\/traces: is a symbolic link; not following it \(.*Open Trace File/);
});

test('no trace folder yet: nothing listed, nothing refused', async () => {
  const { root, traces } = workspace('ws3');
  assert.deepEqual(await discoverTraceFiles([root], [traces]), { files: [], refused: [] });
});

test('a listed workspace file swapped for a link is not read through it; the same path opened by the user is', async () => {
  const { root, traces } = workspace('ws4');
  mkdirSync(traces);
  const file = join(traces, 'day.jsonl');
  writeFileSync(file, `${JSON.stringify({ ...makeTrajectory(), id: 'mine' })}\n`);
  const confined = new TraceFileIndex(file);
  confined.confine([root]);
  assert.equal(await confined.update(), 1);
  assert.equal(confined.summaries[0]!.id, 'mine');
  unlinkSync(file);
  symlinkSync(secret, file);
  await assert.rejects(confined.update(), /day\.jsonl: is a symbolic link; not following it/);
  await assert.rejects(confined.read(confined.summaries[0]!), /is a symbolic link/);
  await assert.rejects(confined.readAll(), /is a symbolic link/, 'the table search reads through the index too');
  // Open Trace File: the user's choice, followed.
  const picked = new TraceFileIndex(file);
  assert.equal(await picked.update(), 1);
  assert.equal(picked.summaries[0]!.id, 'secret');
});
