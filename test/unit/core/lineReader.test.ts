import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonLines, lines, linesOfText, type BadLine } from '../../../src/core/lineReader';

async function* chunks(...parts: Array<string | Buffer>): AsyncGenerator<Buffer> {
  for (const p of parts) yield typeof p === 'string' ? Buffer.from(p, 'utf8') : p;
}

async function collect<T>(g: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of g) out.push(x);
  return out;
}

test('a UTF-8 BOM and CRLF line ends read exactly like plain LF text', async () => {
  const plain = await collect(lines(chunks('{"a":1}\n{"b":2}\n')));
  const windows = await collect(lines(chunks('\uFEFF{"a":1}\r\n{"b":2}\r\n')));
  assert.deepEqual(windows, plain);
  assert.deepEqual(plain, [
    { line: 1, text: '{"a":1}' },
    { line: 2, text: '{"b":2}' },
  ]);
});

test('a BOM split across chunks and a character split across chunks still decode', async () => {
  const bom = Buffer.from('\uFEFF{"q":"é"}\n', 'utf8');
  const got = await collect(lines(chunks(bom.subarray(0, 2), bom.subarray(2, 9), bom.subarray(9))));
  assert.deepEqual(got, [{ line: 1, text: '{"q":"é"}' }]);
});

test('the last line counts without a final newline; blank lines keep the numbering', async () => {
  assert.deepEqual(linesOfText('a\r\n\r\nb'), [
    { line: 1, text: 'a' },
    { line: 2, text: '' },
    { line: 3, text: 'b' },
  ]);
});

test('a line past the length cap is reported by number and skipped; the next line reads', async () => {
  const bad: BadLine[] = [];
  const got = await collect(lines(chunks('ok\n', 'x'.repeat(30), 'y'.repeat(30), '\nnext\n'), { maxLineChars: 40, onBadLine: (b) => bad.push(b) }));
  assert.deepEqual(got, [
    { line: 1, text: 'ok' },
    { line: 3, text: 'next' },
  ]);
  assert.equal(bad.length, 1);
  assert.equal(bad[0]!.line, 2);
  assert.match(bad[0]!.reason, /longer than 40 characters/);
});

test('jsonLines reports an unparseable line by number and keeps the others', async () => {
  const bad: BadLine[] = [];
  const got = await collect(jsonLines(chunks('\uFEFF{"a":1}\r\nnot json\r\n\r\n{"a":3}'), { onBadLine: (b) => bad.push(b) }));
  assert.deepEqual(got, [
    { line: 1, value: { a: 1 } },
    { line: 4, value: { a: 3 } },
  ]);
  assert.deepEqual(bad.map((b) => b.line), [2]);
  assert.match(bad[0]!.reason, /not valid JSON/);
});
