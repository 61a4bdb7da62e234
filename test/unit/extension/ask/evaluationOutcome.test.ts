/** The Run Evaluation closing warning: errors and cancels are named with counts and the trace file. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluationWarning } from '../../../../src/extension/ask/evaluationOutcome';

const base = { total: 10, written: 10, errors: 0, cancelled: 0, traceFile: 'eval-nq-1.jsonl' };

test('a clean evaluation shows no warning', () => {
  assert.equal(evaluationWarning(base), undefined);
});

test('questions that ended in error are counted, with the trace file and the first error', () => {
  const msg = evaluationWarning({ ...base, errors: 3, firstError: 'connect ECONNREFUSED 127.0.0.1:8000' });
  assert.equal(
    msg,
    'Evaluation: 3 of 10 questions ended in error (first: connect ECONNREFUSED 127.0.0.1:8000); they are in eval-nq-1.jsonl with the error and count as unknown.',
  );
});

test('one question in error reads in the singular', () => {
  assert.match(evaluationWarning({ ...base, total: 1, written: 1, errors: 1 }) ?? '', /^Evaluation: 1 of 1 question ended in error; they are in eval-nq-1\.jsonl/);
});

test('a cancel names what was done; errors among those done are named too', () => {
  assert.equal(evaluationWarning({ ...base, written: 4, cancelled: 6 }), 'Evaluation stopped: 4 of 10 questions done, written to eval-nq-1.jsonl.');
  assert.equal(
    evaluationWarning({ ...base, written: 4, cancelled: 6, errors: 2 }),
    'Evaluation stopped: 4 of 10 questions done, written to eval-nq-1.jsonl. 2 of 4 questions ended in error; they are in eval-nq-1.jsonl with the error and count as unknown.',
  );
});

test('a very long first error is shortened', () => {
  const msg = evaluationWarning({ ...base, errors: 1, firstError: 'x'.repeat(5000) }) ?? '';
  assert.ok(msg.length < 400, `message is ${msg.length} characters`);
  assert.match(msg, /x…\)/);
});
