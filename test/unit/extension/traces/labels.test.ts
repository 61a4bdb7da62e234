import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fmt, short } from '../../../../src/extension/traces/labels';

test('tree and quick-pick texts are one line, cut with an ellipsis, and never turn into codicons', () => {
  assert.equal(short('Who  directed\n the film?', 100), 'Who directed the film?');
  assert.equal(short('abcdefghij', 5), 'abcd…');
  assert.doesNotMatch(short('press $(alert) now', 100), /\$\(/);
  assert.equal(fmt(undefined), '–');
  assert.equal(fmt(1), '1');
  assert.equal(fmt(0.666), '0.67');
});
