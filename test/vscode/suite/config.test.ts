import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DEFAULTS, RESTRICTED_SETTINGS, resolveConfig, type ConfigSource } from '../../../src/extension/config';
import { hopscope, waitFor, withUserSettings } from './helpers';

/** A settings source with explicit layers, as inspect() reports them. */
function layers(values: Record<string, { defaultValue?: unknown; globalValue?: unknown; workspaceValue?: unknown; workspaceFolderValue?: unknown }>): ConfigSource {
  return { inspect: <T>(key: string) => values[key] as { defaultValue?: T; globalValue?: T; workspaceValue?: T } | undefined };
}

suite('Settings', () => {
  test('every contributed setting has a description and a default', () => {
    const ext = vscode.extensions.getExtension('hopscope.hopscope')!;
    const props = ext.packageJSON.contributes.configuration.properties as Record<string, { description?: string; markdownDescription?: string; default?: unknown }>;
    const keys = Object.keys(props);
    assert.ok(keys.length >= 12, `expected the full settings list, got ${keys.join(', ')}`);
    for (const [key, p] of Object.entries(props)) {
      assert.ok((p.description ?? p.markdownDescription ?? '').length > 20, `${key} has a description`);
      assert.ok('default' in p, `${key} has a default`);
    }
  });

  test('the typed config starts from the documented defaults', async () => {
    const { services } = await hopscope();
    const c = services.config();
    assert.equal(c.endpoint.baseUrl, DEFAULTS.endpoint.baseUrl);
    assert.equal(c.loop.template, 'r1-searcher');
    assert.equal(c.retriever.kind, 'workspace');
    assert.equal(c.traces.directory, '.hopscope/traces');
  });

  test('a changed user setting reaches services.config() and fires onDidChangeConfig', async () => {
    const { services } = await hopscope();
    let fired = 0;
    const sub = services.onDidChangeConfig(() => fired++);
    const restore = await withUserSettings({ 'hopscope.loop.topK': 3, 'hopscope.endpoint.model': 'R1-Searcher-7B' });
    try {
      await waitFor('the new topK', () => services.config().loop.topK === 3);
      assert.equal(services.config().endpoint.model, 'R1-Searcher-7B');
      assert.ok(fired > 0, 'onDidChangeConfig fired');
    } finally {
      sub.dispose();
      await restore();
    }
    await waitFor('topK restored', () => services.config().loop.topK === DEFAULTS.loop.topK);
  });

  test('out-of-range numbers are clamped and a trace folder outside the workspace is refused', () => {
    const { config } = resolveConfig(
      layers({
        'loop.topK': { defaultValue: 5, globalValue: 0 },
        'loop.maxTurns': { defaultValue: 9, globalValue: 1000 },
        'traces.directory': { defaultValue: '.hopscope/traces', globalValue: '../../etc' },
        'endpoint.baseUrl': { defaultValue: 'http://127.0.0.1:8000/v1', globalValue: 'http://gpu-box:8000/v1/' },
      }),
      true,
    );
    assert.equal(config.loop.topK, 1);
    assert.equal(config.loop.maxTurns, 50);
    assert.equal(config.traces.directory, '.hopscope/traces');
    assert.equal(config.endpoint.baseUrl, 'http://gpu-box:8000/v1', 'trailing slash dropped');
  });

  test('every contributed setting is a field of the typed config, with the same default', () => {
    const ext = vscode.extensions.getExtension('hopscope.hopscope')!;
    const props = ext.packageJSON.contributes.configuration.properties as Record<string, { default?: unknown }>;
    for (const [key, p] of Object.entries(props)) {
      let v: unknown = DEFAULTS;
      for (const part of key.replace(/^hopscope\./, '').split('.')) v = (v as Record<string, unknown> | undefined)?.[part];
      assert.notEqual(v, undefined, `${key} has a field in HopscopeConfig`);
      assert.deepEqual(v, p.default, `${key}: package.json and config.ts agree on the default`);
    }
  });

  test('index settings are read, validated and clamped by the one reader, with files.exclude', () => {
    const { config } = resolveConfig(
      layers({
        'index.exclude': { defaultValue: [], globalValue: ['  data/*.bin ', '', 42, 'build/'] },
        'index.maxFileKb': { defaultValue: 1024, globalValue: -5 },
        'index.bm25.k1': { defaultValue: 1.2, globalValue: 99 },
        'index.bm25.b': { defaultValue: 0.75, workspaceValue: 0.3 },
        'index.titleBoost': { defaultValue: 3, globalValue: 'lots' },
      }),
      true,
      { exclude: { '**/.git': true, '**/*.tmp': false, '**/*.js': { when: '$(basename).ts' } } },
    );
    assert.deepEqual(config.index.exclude, ['data/*.bin', 'build/']);
    assert.deepEqual(config.index.filesExclude, ['**/.git'], 'only globs that always apply');
    assert.equal(config.index.maxFileKb, 1);
    assert.equal(config.index.bm25.k1, 10);
    assert.equal(config.index.bm25.b, 0.3);
    assert.equal(config.index.titleBoost, DEFAULTS.index.titleBoost);
  });

  test('the live config carries VS Code\'s files.exclude, and follows it when it changes', async () => {
    const { services } = await hopscope();
    const restore = await withUserSettings({ 'files.exclude': { '**/.git': true, '**/hopscope-probe-*': true } });
    try {
      await waitFor('files.exclude in services.config()', () => services.config().index.filesExclude.includes('**/hopscope-probe-*'));
    } finally {
      await restore();
    }
    await waitFor('files.exclude restored', () => !services.config().index.filesExclude.includes('**/hopscope-probe-*'));
  });

  test('every command is in the Hopscope category, and those that need an argument or a state are hidden from the palette until then', () => {
    const ext = vscode.extensions.getExtension('hopscope.hopscope')!;
    const { commands, menus, keybindings } = ext.packageJSON.contributes as {
      commands: { command: string; category?: string }[];
      menus: { commandPalette: { command: string; when: string }[] };
      keybindings: { command: string; key: string; when?: string }[];
    };
    for (const c of commands) assert.equal(c.category, 'Hopscope', `${c.command} category`);
    const when = new Map(menus.commandPalette.map((m) => [m.command, m.when]));
    // Called from a comment thread, a tree item or a link with their arguments: meaningless from the palette.
    for (const c of ['hopscope.inline.cancel', 'hopscope.inline.reask', 'hopscope.inline.clear', 'hopscope.inline.openTrace', 'hopscope.inline.openSource', 'hopscope.traces.open', 'hopscope.traces.showMore', 'hopscope.traces.closeFile']) {
      assert.equal(when.get(c), 'false', `${c} is hidden from the palette`);
    }
    assert.equal(when.get('hopscope.cancelIndexing'), 'hopscope.indexing');
    assert.equal(when.get('hopscope.inline.clearAll'), 'hopscope.inline.hasAnswers');
    assert.equal(when.get('hopscope.askInline'), 'editorIsOpen');
    for (const c of ['hopscope.ask', 'hopscope.setApiKey', 'hopscope.testConnection', 'hopscope.showLog']) assert.equal(when.get(c), undefined, `${c} is always in the palette`);
    for (const k of keybindings) assert.ok(k.when, `${k.key} only applies in its context`);
  });

  test('every contributed command is registered by the extension', async () => {
    await hopscope();
    const ext = vscode.extensions.getExtension('hopscope.hopscope')!;
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const c of ext.packageJSON.contributes.commands as { command: string }[]) assert.ok(registered.has(c.command), `${c.command} is registered`);
  });

  test('package.json declares limited support for untrusted workspaces with the restricted settings', () => {
    const ext = vscode.extensions.getExtension('hopscope.hopscope')!;
    const u = ext.packageJSON.capabilities.untrustedWorkspaces;
    assert.equal(u.supported, 'limited');
    assert.deepEqual([...u.restrictedConfigurations].sort(), RESTRICTED_SETTINGS.map((k) => `hopscope.${k}`).sort());
  });

  test('the getting-started walkthrough opens a trace (works without a model server), indexes, connects and asks, each step with its page', async () => {
    const ext = vscode.extensions.getExtension('hopscope.hopscope')!;
    const [walk] = ext.packageJSON.contributes.walkthroughs as { steps: { id: string; description: string; media: { markdown: string } }[] }[];
    assert.deepEqual(walk.steps.map((s) => s.id), ['trace', 'index', 'connect', 'ask']);
    assert.match(walk.steps[2].description, /command:hopscope\.testConnection/);
    assert.match(walk.steps[3].description, /command:hopscope\.ask/);
    for (const step of walk.steps) {
      const page = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(ext.extensionUri, step.media.markdown));
      assert.ok(page.byteLength > 200, `${step.media.markdown} has content`);
    }
  });
});
