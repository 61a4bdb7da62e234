import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lineText } from '../../../../src/core/fileRange';
import { parseBuffer, type RangeRequest } from '../../../../src/core/runs/parseRange';

const bytes = (...parts: Array<string | number[]>): Buffer => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

test("a line's text is what Node's UTF-8 decode gives, whatever its bytes", () => {
  const lines = [
    bytes('{"output": "plain ASCII"}'),
    bytes('{"input": "Question: who – café …", "output": "naïve 中文 Ελληνικά"}'),
    bytes('{"output": "an astral 😀 and a BOM \uFEFF inside"}'),
    bytes('\uFEFF{"output": "a BOM first"}'),
    bytes('{"output": "a lone continuation ', [0x80], ' byte"}'),
    bytes('{"output": "a cut sequence ', [0xe2, 0x80], '"}'),
    bytes('{"output": "an overlong ', [0xc0, 0xaf], ' slash"}'),
    bytes('{"output": "an encoded surrogate ', [0xed, 0xa0, 0x80], '"}'),
    bytes('{"output": "a byte never in UTF-8 ', [0xff], '"}'),
    bytes('é'),
  ];
  for (const line of lines) {
    // Inside a larger buffer, as a range's line is, at an odd offset.
    const buf = Buffer.concat([Buffer.from('x\n'), line, Buffer.from('\n')]);
    assert.equal(lineText(buf, 2, 2 + line.length), buf.toString('utf8', 2, 2 + line.length), line.toString('hex'));
  }
});

test('a range reads malformed UTF-8 and a BOM as the plain decode did: the same rows and the same problems', () => {
  const req: RangeRequest = { file: 'f.jsonl', fileId: 1, fileStep: 3, start: 0, length: 0, firstLine: 1, runId: 'r', createdAt: 'c' };
  const buf = bytes(
    '{"question": "q", "output": "<answer>caf', [0xc3, 0xa9], '</answer>", "gts": "caf', [0xc3, 0xa9], '"}\n',
    '{"question": "q", "output": "<answer>a', [0xff], '</answer>", "gts": "a"}\n',
    '\uFEFF{"question": "q", "output": "x"}\n',
    '{"question": "q", "output": "<answer>', [0xe2, 0x80, 0x93], '</answer>"}\n',
  );
  const r = parseBuffer(buf, { ...req, length: buf.length });
  assert.equal(r.rows.n, 3);
  assert.deepEqual(r.rows.answer, ['café', 'a\uFFFD', '–']);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0]!.line, 3);
  assert.match(r.problems[0]!.reason, /^not valid JSON/);
});
