import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const CORE = resolve('src/core');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/**
 * The src/core modules a file imports or re-exports at run time. `import type` is left out: it is
 * erased by the compiler, so it cannot make one module load half-initialised for another.
 */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s(?!type\s)[^;]*?from\s+'(\.[^']+)'/gms)) {
    const base = resolve(dirname(file), m[1]!);
    for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
      try {
        if (statSync(candidate).isFile() && candidate.startsWith(CORE)) {
          out.push(candidate);
          break;
        }
      } catch {
        // not this one
      }
    }
  }
  return out;
}

/** Every import cycle among the files, each as the list of files around it. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'active');
    stack.push(f);
    for (const g of graph.get(f) ?? []) {
      if (state.get(g) === 'active') found.push([...stack.slice(stack.indexOf(g)), g]);
      else if (!state.has(g)) visit(g);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of graph.keys()) if (!state.has(f)) visit(f);
  return found;
}

test('the cycle finder finds a two-file cycle (as rewards/index.ts ↔ diagnosis.ts once were)', () => {
  const g = new Map([['rewards/index.ts', ['diagnosis.ts']], ['diagnosis.ts', ['rewards/index.ts']], ['facts.ts', []]]);
  assert.deepEqual(cycles(g), [['rewards/index.ts', 'diagnosis.ts', 'rewards/index.ts']]);
});

test('no import cycle among the modules of src/core', () => {
  const graph = new Map(files(CORE).map((f) => [f, importsOf(f)]));
  assert.ok(graph.size > 40, 'the walk found the core modules');
  assert.ok((graph.get(join(CORE, 'rewards/index.ts')) ?? []).includes(join(CORE, 'diagnosis.ts')), 'imports are read');
  const found = cycles(graph).map((c) => c.map((f) => relative(CORE, f)).join(' → '));
  assert.deepEqual(found, []);
});
