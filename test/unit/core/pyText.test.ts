import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { dropLeadingNumber, PY_WHITESPACE, pyStrip } from '../../../src/core/pyText';

test("pyStrip strips what Python's str.strip() strips, not JavaScript's trim() set", () => {
  assert.equal(pyStrip(' \t\n a b \r\n'), 'a b');
  assert.equal(pyStrip('\x1c\x1f\x85x\u3000'), 'x', 'U+001C–U+001F and U+0085 are whitespace to Python');
  assert.equal(pyStrip('\ufeffx\ufeff'), '\ufeffx\ufeff', 'U+FEFF is not');
  assert.equal(pyStrip('   '), '');
});

test("dropLeadingNumber is re.sub(r'^\\d+\\s+', '', s) on a str", () => {
  assert.equal(dropLeadingNumber('12\tTitle: X'), 'Title: X');
  assert.equal(dropLeadingNumber('١٢ X'), 'X', 'Unicode digits count');
  assert.equal(dropLeadingNumber('12X'), '12X', 'a number must be followed by whitespace');
  assert.equal(dropLeadingNumber('Title 12 X'), 'Title 12 X', 'only at the start');
});

test('pyStrip walking in from both ends strips exactly what the ^\\s+|\\s+$ regex strips', () => {
  const regex = new RegExp(`^[${PY_WHITESPACE}]+|[${PY_WHITESPACE}]+$`, 'g');
  const chars = [' ', '\t', '\n', '\x1c', '\x85', '\u3000', '\ufeff', 'a', 'é', '😀', '\u2028', 'b'];
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...chars), { maxLength: 24 }), (parts) => {
      const s = parts.join('');
      assert.equal(pyStrip(s), s.replace(regex, ''));
    }),
    { numRuns: 2000 },
  );
});
