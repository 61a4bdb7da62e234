import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { sourceCandidates, workspacePathOf } from '../../../../src/extension/workspace/sourcePaths';

const docs = { name: 'docs', fsPath: path.resolve('/ws/docs-repo') };
const api = { name: 'api', fsPath: path.resolve('/elsewhere/api-repo') };

test('one folder: passage paths are relative to it, and open from it', () => {
  assert.equal(workspacePathOf(path.join(docs.fsPath, 'guide', 'install.md'), [docs]), 'guide/install.md');
  assert.deepEqual(sourceCandidates('guide/install.md', [docs]), [path.join(docs.fsPath, 'guide', 'install.md')]);
});

test('several folders: a path names its folder, and opens in that folder first', () => {
  assert.equal(workspacePathOf(path.join(api.fsPath, 'src', 'server.ts'), [docs, api]), 'api/src/server.ts');
  assert.equal(workspacePathOf(path.join(docs.fsPath, 'README.md'), [docs, api]), 'docs/README.md');
  assert.equal(workspacePathOf(path.resolve('/tmp/other.md'), [docs, api]), undefined);
  const [first] = sourceCandidates('api/src/server.ts', [docs, api]);
  assert.equal(first, path.join(api.fsPath, 'src', 'server.ts'));
});

test('paths recorded with one folder open (or by the CLI) are still found in any folder', () => {
  assert.deepEqual(sourceCandidates('src/server.ts', [docs, api]), [path.join(docs.fsPath, 'src', 'server.ts'), path.join(api.fsPath, 'src', 'server.ts')]);
  assert.deepEqual(sourceCandidates(path.join(api.fsPath, 'src', 'server.ts'), [docs, api]), [path.join(api.fsPath, 'src', 'server.ts')], 'absolute paths inside a folder');
});

test('a trace cannot open files outside the workspace folders', () => {
  assert.deepEqual(sourceCandidates('../../etc/passwd', [docs, api]), []);
  assert.deepEqual(sourceCandidates('api/../../../etc/passwd', [docs, api]), []);
  assert.deepEqual(sourceCandidates(path.resolve('/etc/passwd'), [docs, api]), []);
  assert.deepEqual(sourceCandidates('guide.md', []), []);
});
