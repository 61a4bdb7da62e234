import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { discoverTraceFiles } from '../../../src/extension/traces/traceDiscovery';
import { describeIgnored, parseJsonc, readConfig, resolveConfig, restrictedValuesInWorkspaceFiles, type ConfigSource } from '../../../src/extension/config';

const WORKSPACE_URL = 'http://attacker.example:9999/v1';
const USER_URL = 'http://127.0.0.1:8123/v1';

function source(values: Record<string, object>): ConfigSource {
  return { inspect: <T>(key: string) => values[key] as { globalValue?: T } | undefined };
}

suite('Workspace trust', () => {
  test('untrusted: URLs, model, template, judge and info gain come from user settings, the workspace values are reported', () => {
    const { config, ignored } = resolveConfig(
      source({
        'endpoint.baseUrl': { defaultValue: 'http://127.0.0.1:8000/v1', globalValue: USER_URL, workspaceValue: WORKSPACE_URL },
        'retriever.url': { defaultValue: '', workspaceFolderValue: 'http://attacker.example/retrieve' },
        'endpoint.model': { defaultValue: '', workspaceValue: 'workspace-model' },
        'loop.template': { defaultValue: 'r1-searcher', workspaceValue: '/home/user/.ssh/id_rsa' },
        'rewards.judge': { defaultValue: false, workspaceValue: true },
        'rewards.infoGain': { defaultValue: false, workspaceValue: true },
        'loop.topK': { defaultValue: 5, workspaceValue: 7 },
      }),
      false,
    );
    assert.equal(config.endpoint.baseUrl, USER_URL);
    assert.equal(config.retriever.url, '');
    assert.equal(config.endpoint.model, '', 'the model spends the user\'s endpoint: restricted');
    assert.equal(config.loop.template, 'r1-searcher', 'a template may name any file: restricted');
    assert.equal(config.rewards.judge, false);
    assert.equal(config.rewards.infoGain, false);
    assert.equal(config.loop.topK, 7, 'harmless settings still come from the workspace');
    assert.deepEqual(ignored.map((i) => i.key).sort(), [
      'hopscope.endpoint.baseUrl',
      'hopscope.endpoint.model',
      'hopscope.loop.template',
      'hopscope.retriever.url',
      'hopscope.rewards.infoGain',
      'hopscope.rewards.judge',
    ]);
    const told = describeIgnored(ignored)!;
    assert.match(told, /not trusted/);
    assert.ok(told.includes(WORKSPACE_URL), 'the message names the ignored URL');
  });

  test('trusted: the workspace value wins, nothing is reported', () => {
    const { config, ignored } = resolveConfig(
      source({ 'endpoint.baseUrl': { defaultValue: 'http://127.0.0.1:8000/v1', globalValue: USER_URL, workspaceValue: WORKSPACE_URL } }),
      true,
    );
    assert.equal(config.endpoint.baseUrl, WORKSPACE_URL);
    assert.deepEqual(ignored, []);
  });

  test('the live reader ignores a URL written to this workspace\'s .vscode/settings.json when untrusted', async () => {
    const config = vscode.workspace.getConfiguration('hopscope');
    await config.update('endpoint.baseUrl', WORKSPACE_URL, vscode.ConfigurationTarget.Workspace);
    try {
      assert.equal(readConfig(true).config.endpoint.baseUrl, WORKSPACE_URL, 'a trusted workspace may set it');
      const untrusted = readConfig(false);
      assert.notEqual(untrusted.config.endpoint.baseUrl, WORKSPACE_URL);
      assert.equal(untrusted.ignored[0]?.workspaceValue, WORKSPACE_URL);
    } finally {
      await config.update('endpoint.baseUrl', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('workspace settings files are read (comments and trailing commas allowed) to report what was ignored', async () => {
    assert.deepEqual(parseJsonc('{\n // a comment with "quotes"\n "a": "http://x/v1", /* block */ "b": [1, 2,],\n}'), { a: 'http://x/v1', b: [1, 2] });
    const config = vscode.workspace.getConfiguration('hopscope');
    await config.update('retriever.url', 'http://attacker.example/retrieve', vscode.ConfigurationTarget.Workspace);
    try {
      const found = await restrictedValuesInWorkspaceFiles(readConfig(false).config);
      const hit = found.find((f) => f.key === 'hopscope.retriever.url');
      assert.equal(hit?.workspaceValue, 'http://attacker.example/retrieve');
      assert.equal(hit?.usedValue, '');
    } finally {
      await config.update('retriever.url', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('a workspace whose .hopscope/traces is a symlink out of it: no trace file is read through it, and the reason is given', async () => {
    const base = mkdtempSync(join(tmpdir(), 'hopscope-trust-'));
    try {
      const outside = join(base, 'home');
      mkdirSync(outside);
      writeFileSync(join(outside, 'private.jsonl'), '{}\n');
      const root = join(base, 'cloned');
      mkdirSync(join(root, '.hopscope'), { recursive: true });
      symlinkSync(outside, join(root, '.hopscope', 'traces'));
      const found = await discoverTraceFiles([root], [join(root, '.hopscope', 'traces')]);
      assert.deepEqual(found.files, []);
      assert.match(found.refused[0]?.describe() ?? '', /traces: is a symbolic link; not following it/);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
