import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_TIMEOUT_SECONDS, parseIntOption, parseNumberOption, parseTimeoutOption, UsageError } from '../../../src/cli/common';

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
  it('whole numbers above the maximum, empty values and timeouts past Node\'s timer range are usage errors', () => {
    assert.throws(() => parseIntOption('--port', 0, 65535)('70000'), (e: unknown) => e instanceof UsageError && e.message === '--port takes a whole number of at most 65535, got "70000"');
    assert.throws(() => parseIntOption('-k', 1)(''), /-k takes a whole number of at least 1, got ""/);
    assert.throws(() => parseIntOption('-k', 1)('1e400'), /-k takes a whole number of at most/);
    assert.equal(parseTimeoutOption('--timeout')(String(MAX_TIMEOUT_SECONDS)), MAX_TIMEOUT_SECONDS);
    assert.throws(() => parseTimeoutOption('--timeout')('3000000'), (e: unknown) => e instanceof UsageError && /--timeout is at most 2147483 seconds/.test(e.message));
    assert.throws(() => parseTimeoutOption('--timeout')('0'), /--timeout takes a number above 0/);
    assert.throws(() => parseIntOption('-k', 1)('\u001b]52;c;ZXZpbA==\u0007'), (e: Error) => !e.message.includes('\u001b'));
  });
});
