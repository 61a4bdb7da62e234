/**
 * Command ids live in src/extension/commands.ts; package.json contributes them. A command registered but not
 * contributed has no title in the palette, and a contributed one that is not registered fails when clicked,
 * so the two lists must be the same, and every menu, keybinding and walkthrough link must name one of them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { COMMANDS, INTERNAL_COMMANDS } from '../../../src/extension/commands';

interface Manifest {
  contributes: {
    commands: { command: string }[];
    menus: Record<string, { command?: string }[]>;
    keybindings: { command: string }[];
    views: Record<string, { id: string }[]>;
    walkthroughs: unknown;
    viewsWelcome: unknown;
  };
}

const manifest = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as Manifest;
const contributed = manifest.contributes.commands.map((c) => c.command);
const ids = Object.values(COMMANDS) as string[];
const viewIds = new Set(Object.values(manifest.contributes.views).flat().map((v) => v.id));
const sorted = (xs: Iterable<string>) => [...xs].sort();

test('package.json contributes exactly the command ids of commands.ts, each once', () => {
  assert.deepEqual(sorted(contributed), sorted(ids));
  assert.equal(new Set(contributed).size, contributed.length, 'a command is contributed twice');
  assert.equal(new Set(ids).size, ids.length, 'two names in COMMANDS share an id');
});

test('commands reached only through command: links are registered ids but not contributed', () => {
  for (const id of Object.values(INTERNAL_COMMANDS)) {
    assert.match(id, /^hopscope\./);
    assert.ok(!contributed.includes(id), `${id} is contributed`);
  }
});

test('every menu, keybinding, walkthrough and welcome link names a known command or view', () => {
  const { menus, keybindings, walkthroughs, viewsWelcome } = manifest.contributes;
  const referenced = [
    ...Object.values(menus).flat().flatMap((m) => (m.command ? [m.command] : [])),
    ...keybindings.map((k) => k.command),
    ...[...JSON.stringify([walkthroughs, viewsWelcome]).matchAll(/command:(hopscope\.[\w.]+)/g)].map((m) => m[1]),
  ].filter((c) => c.startsWith('hopscope.'));
  assert.ok(referenced.length > 0);
  for (const c of referenced) {
    // `<view id>.focus` is a command VS Code makes for every view.
    const known = ids.includes(c) || (c.endsWith('.focus') && viewIds.has(c.slice(0, -'.focus'.length)));
    assert.ok(known, `package.json refers to ${c}, which commands.ts does not define`);
  }
});
