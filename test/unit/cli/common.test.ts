import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseIntOption, parseNumberOption, UsageError } from '../../../src/cli/common';

describe('CLI option values', () => {
  it('whole numbers below the minimum are usage errors naming the option and the bound', () => {
    assert.equal(parseIntOption('-k', 1)('5'), 5);
    assert.equal(parseIntOption('--retries')('0'), 0);
    assert.throws(() => parseIntOption('-k', 1)('0'), (e: unknown) => e instanceof UsageError && e.message === '-k takes a whole number of at least 1, got "0"');
    assert.throws(() => parseIntOption('--seed')('1.5'), /--seed takes a whole number, got "1.5"/);
  });
  it('numbers outside their range, or not numbers, are usage errors', () => {
    assert.equal(parseNumberOption('--top-p', { above: 0, max: 1 })('0.95'), 0.95);
    assert.equal(parseNumberOption('--temperature', { min: 0 })('0'), 0);
    for (const [value, range, message] of [
      ['0', { above: 0, max: 1 }, '--x takes a number above 0 and at most 1, got "0"'],
      ['1.5', { above: 0, max: 1 }, '--x takes a number above 0 and at most 1, got "1.5"'],
      ['-1', { min: 0 }, '--x takes a number at least 0, got "-1"'],
      ['', {}, '--x takes a number, got ""'],
      ['abc', {}, '--x takes a number, got "abc"'],
    ] as const) {
      assert.throws(() => parseNumberOption('--x', range)(value), (e: unknown) => e instanceof UsageError && e.message === message);
    }
  });
});
