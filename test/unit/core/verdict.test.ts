import assert from 'node:assert/strict';
import { test } from 'node:test';
import { verdict } from '../../../src/core/verdict';
import { answer, trajectory } from './build';

const t = (fields: Parameters<typeof trajectory>[0]) => trajectory(fields);

test('with gold: EM 1 is correct by EM', () => {
  assert.equal(verdict(t({ gold: ['Paris'], answer: 'Paris', outcome: { em: 1, f1: 1, coverEm: 1 }, steps: [answer('Paris')] })).verdict, 'correct');
  assert.equal(verdict(t({ gold: ['Paris'], answer: 'Paris', outcome: { em: 1, f1: 1, coverEm: 1 }, steps: [] })).by, 'em');
});

test('with gold: EM 0 but cover-EM 1 is correct (R1-Searcher ACC_R)', () => {
  const v = verdict(t({ gold: ['Paris'], answer: 'Paris, France', outcome: { em: 0, f1: 0.67, coverEm: 1 }, steps: [] }));
  assert.equal(v.verdict, 'correct');
  assert.equal(v.by, 'coverEm');
  assert.match(v.why, /cover-EM 1/);
});

test('with gold: EM 0 and cover-EM 0 is wrong, whatever a judge said', () => {
  const v = verdict(t({ gold: ['Paris'], answer: 'Lyon', outcome: { em: 0, f1: 0, coverEm: 0, judge: 1 }, steps: [] }));
  assert.equal(v.verdict, 'wrong');
  assert.equal(v.by, 'coverEm');
});

test('a run without an answer (max turns, EOS) is wrong when gold is given', () => {
  assert.equal(verdict(t({ gold: ['Paris'], answer: null, stopReason: 'max_turns', outcome: { em: 0, f1: 0, coverEm: 0 }, steps: [] })).verdict, 'wrong');
});

test('a fault is never a wrong answer: error and cancelled are unknown, with the error in why', () => {
  const e = verdict(t({ gold: ['Paris'], answer: null, stopReason: 'error', error: 'connection refused at http://127.0.0.1:8000/v1', outcome: { em: 0, f1: 0, coverEm: 0 }, steps: [] }));
  assert.deepEqual(e, { verdict: 'unknown', why: 'the run ended in error: connection refused at http://127.0.0.1:8000/v1', by: 'none' });
  assert.equal(verdict(t({ gold: ['Paris'], stopReason: 'cancelled', outcome: { em: 0 }, steps: [] })).verdict, 'unknown');
});

test('without gold: the judge decides at 0.5, else unknown', () => {
  assert.equal(verdict(t({ outcome: { judge: 1 }, steps: [] })).verdict, 'correct');
  assert.equal(verdict(t({ outcome: { judge: 0.5 }, steps: [] })).verdict, 'correct');
  assert.equal(verdict(t({ outcome: { judge: 0.4 }, steps: [] })).verdict, 'wrong');
  assert.equal(verdict(t({ outcome: { judge: 0 }, steps: [] })).by, 'judge');
  assert.deepEqual(verdict(t({ outcome: {}, steps: [] })), { verdict: 'unknown', why: 'no gold answer and no judge verdict', by: 'none' });
});

test('gold given but nothing scored is unknown, not wrong', () => {
  assert.equal(verdict(t({ gold: ['Paris'], outcome: {}, steps: [] })).verdict, 'unknown');
});

test('the search-r1 metric definition uses sub-EM when the outcome records it, else cover-EM', () => {
  const base = { gold: ['Paris'], answer: 'the city of Paris', steps: [] };
  const sr1 = { ...t({ ...base, outcome: { em: 0, coverEm: 0, subEm: 1 } }), metricDefinition: 'search-r1' };
  assert.deepEqual(verdict(sr1).by, 'subEm');
  assert.equal(verdict(sr1).verdict, 'correct');
  const noSub = { ...t({ ...base, outcome: { em: 0, coverEm: 1 } }), metricDefinition: 'search-r1' };
  assert.equal(verdict(noSub).by, 'coverEm');
  // Under R1-Searcher's definition sub-EM is not what decides.
  const r1 = { ...t({ ...base, outcome: { em: 0, coverEm: 0, subEm: 1 } }), metricDefinition: 'r1-searcher' };
  assert.equal(verdict(r1).verdict, 'wrong');
});
