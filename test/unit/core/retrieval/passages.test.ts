import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cutPassages, fileKind } from '../../../../src/core/retrieval/passages';

const lines = (text: string, p: { startLine: number; endLine: number }) => text.split('\n').slice(p.startLine - 1, p.endLine).join('\n');

test('Markdown is cut at headings, each passage titled by its heading, with exact line ranges', () => {
  const md = ['# Guide', 'Intro text.', '', '## Install', 'Run npm install.', '', '```sh', '# not a heading', '```', '## Use', 'Call it.'].join('\n');
  const ps = cutPassages('docs/guide.md', md, { minChars: 0, maxChars: 2000, maxLines: 100, overlapLines: 0 });
  assert.deepEqual(
    ps.map((p) => [p.title, p.startLine, p.endLine]),
    [
      ['guide.md › Guide', 1, 3],
      ['guide.md › Install', 4, 9],
      ['guide.md › Use', 10, 11],
    ],
  );
  for (const p of ps) assert.equal(p.text, lines(md, p));
});

test('code is cut at blank lines and top-level declarations, named after the declaration', () => {
  const code = [
    "import x from 'y';",
    '',
    '/** Adds. */',
    'export function add(a: number, b: number) {',
    '  return a + b;',
    '}',
    '',
    'export class Counter {',
    '  n = 0;',
    '}',
  ].join('\n');
  const ps = cutPassages('src/math.ts', code, { minChars: 400, maxChars: 2000, maxLines: 100, overlapLines: 0 });
  assert.deepEqual(
    ps.map((p) => [p.title, p.startLine, p.endLine]),
    [
      ['math.ts', 1, 1],
      ['math.ts › add', 3, 6],
      ['math.ts › Counter', 8, 10],
    ],
  );
});

test('plain text paragraphs are merged up to the minimum size', () => {
  const text = ['one', '', 'two', '', 'three'].join('\n');
  const ps = cutPassages('notes.txt', text, { minChars: 100, maxChars: 2000, maxLines: 100, overlapLines: 0 });
  assert.equal(ps.length, 1);
  assert.deepEqual([ps[0].startLine, ps[0].endLine], [1, 5]);
});

test('long passages become overlapping windows that cover every line', () => {
  const text = Array.from({ length: 95 }, (_, i) => `line ${i + 1}`).join('\n');
  const ps = cutPassages('long.txt', text, { minChars: 0, maxChars: 100_000, maxLines: 40, overlapLines: 5 });
  assert.deepEqual(
    ps.map((p) => [p.startLine, p.endLine]),
    [
      [1, 40],
      [36, 75],
      [71, 95],
    ],
  );
  for (const p of ps) assert.equal(p.text, lines(text, p));
});

test('file kinds come from the extension', () => {
  assert.equal(fileKind('a/README.md'), 'markdown');
  assert.equal(fileKind('x.py'), 'code');
  assert.equal(fileKind('LICENSE'), 'text');
});
