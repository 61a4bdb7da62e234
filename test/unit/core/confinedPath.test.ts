import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { assertReadableInside, fileInside } from '../../../src/core/confinedPath';
import { InputError } from '../../../src/core/errors';
import { appendTrajectory, readTrajectories } from '../../../src/core/traceStore';
import { minimalTrajectory } from './helpers';

let base: string;
let ws: string;
let outside: string;

before(() => {
  base = mkdtempSync(join(tmpdir(), 'hopscope-confined-'));
  ws = join(base, 'workspace');
  outside = join(base, 'home');
  mkdirSync(ws);
  mkdirSync(outside);
});
after(() => rmSync(base, { recursive: true, force: true }));

const refused = (pattern: RegExp) => (e: unknown) => e instanceof InputError && pattern.test(e.message) && /remove the link/.test(e.describe());

test('a committed .hopscope/traces symlink does not redirect trace writes out of the workspace', async () => {
  const repo = join(ws, 'repo1');
  mkdirSync(join(repo, '.hopscope'), { recursive: true });
  symlinkSync(outside, join(repo, '.hopscope', 'traces'));
  const file = join(repo, '.hopscope', 'traces', '2026-11-28.jsonl');
  await assert.rejects(appendTrajectory(file, minimalTrajectory(0), { root: repo }), refused(/\.hopscope\/traces: is a symbolic link; not following it/));
  assert.equal(existsSync(join(outside, '2026-11-28.jsonl')), false, 'nothing was written where the link points');
});

test('a symlinked .hopscope folder is refused too', async () => {
  const repo = join(ws, 'repo2');
  mkdirSync(repo);
  symlinkSync(outside, join(repo, '.hopscope'));
  await assert.rejects(appendTrajectory(join(repo, '.hopscope', 'traces', 'a.jsonl'), minimalTrajectory(0), { root: repo }), refused(/repo2\/\.hopscope: is a symbolic link/));
  assert.equal(existsSync(join(outside, 'traces')), false, 'no folder was created through the link');
});

test('the day\'s trace file committed as a symlink (e.g. to ~/.bashrc) is not appended to', async () => {
  const repo = join(ws, 'repo3');
  mkdirSync(join(repo, '.hopscope', 'traces'), { recursive: true });
  const bashrc = join(outside, '.bashrc');
  writeFileSync(bashrc, 'export PATH=/usr/bin\n');
  symlinkSync(bashrc, join(repo, '.hopscope', 'traces', '2026-11-28.jsonl'));
  await assert.rejects(appendTrajectory(join(repo, '.hopscope', 'traces', '2026-11-28.jsonl'), minimalTrajectory(0), { root: repo }), refused(/2026-11-28\.jsonl: is a symbolic link/));
  // Even without a workspace root, a trace file is never opened through a link.
  await assert.rejects(appendTrajectory(join(repo, '.hopscope', 'traces', '2026-11-28.jsonl'), minimalTrajectory(0)), refused(/is a symbolic link/));
  assert.equal(readFileSync(bashrc, 'utf8'), 'export PATH=/usr/bin\n');
});

test('a folder outside the workspace is refused; a real one inside is created and written', async () => {
  const repo = join(ws, 'repo4');
  mkdirSync(repo);
  await assert.rejects(appendTrajectory(join(repo, '..', 'elsewhere', 'a.jsonl'), minimalTrajectory(0), { root: repo }), refused(/is outside the workspace/));
  const file = join(repo, '.hopscope', 'traces', 'a.jsonl');
  await appendTrajectory(file, minimalTrajectory(0), { root: repo });
  await appendTrajectory(file, minimalTrajectory(1), { root: repo });
  const ids: string[] = [];
  for await (const t of readTrajectories(file)) ids.push(t.id);
  assert.deepEqual(ids, ['t0', 't1']);
});

test('a template file must lie inside the workspace: relative paths resolve there, links out and absolute paths elsewhere are refused', () => {
  const repo = join(ws, 'repo5');
  mkdirSync(join(repo, 'templates'), { recursive: true });
  writeFileSync(join(repo, 'templates', 't.json'), '{}');
  writeFileSync(join(outside, 'secret.json'), '{}');
  symlinkSync(join(outside, 'secret.json'), join(repo, 'templates', 'link.json'));
  assert.equal(fileInside([repo], 'templates/t.json', 'template'), realpathSync(join(repo, 'templates', 't.json')));
  assert.throws(() => fileInside([repo], join(outside, 'secret.json'), 'template'), /secret\.json: the template file lies outside the workspace/);
  assert.throws(() => fileInside([repo], 'templates/link.json', 'template'), /link\.json: the template file lies outside the workspace/);
  assert.throws(() => fileInside([repo], 'templates/none.json', 'template'), /none\.json: no such template file/);
  assert.throws(() => fileInside([], 't.json', 'template'), /needs an open workspace folder/);
});

test('reading a workspace trace: a linked folder or file is refused, a real one inside is read', async () => {
  const repo = join(ws, 'repo6');
  mkdirSync(join(repo, '.hopscope', 'traces'), { recursive: true });
  writeFileSync(join(repo, '.hopscope', 'traces', 'real.jsonl'), '');
  writeFileSync(join(outside, 'private.jsonl'), 'secret\n');
  symlinkSync(join(outside, 'private.jsonl'), join(repo, '.hopscope', 'traces', 'link.jsonl'));
  await assertReadableInside([repo], join(repo, '.hopscope', 'traces'));
  await assertReadableInside([repo], join(repo, '.hopscope', 'traces', 'real.jsonl'));
  const readRefused = (pattern: RegExp) => (e: unknown) => e instanceof InputError && pattern.test(e.message) && /Open Trace File/.test(e.describe());
  await assert.rejects(assertReadableInside([repo], join(repo, '.hopscope', 'traces', 'link.jsonl')), readRefused(/link\.jsonl: is a symbolic link; not following it/));
  await assert.rejects(assertReadableInside([repo], join(outside, 'private.jsonl')), readRefused(/private\.jsonl: is outside the workspace/));

  // The whole folder committed as a link: refused at the link, and so is every file below it.
  const repo2 = join(ws, 'repo7');
  mkdirSync(join(repo2, '.hopscope'), { recursive: true });
  symlinkSync(outside, join(repo2, '.hopscope', 'traces'));
  await assert.rejects(assertReadableInside([repo2], join(repo2, '.hopscope', 'traces')), readRefused(/\.hopscope\/traces: is a symbolic link/));
  await assert.rejects(assertReadableInside([repo2], join(repo2, '.hopscope', 'traces', 'private.jsonl')), readRefused(/\.hopscope\/traces: is a symbolic link/));
  // A missing folder is the file system's ENOENT (no traces yet), not a refusal.
  await assert.rejects(assertReadableInside([repo], join(repo, 'none')), (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT');
});
