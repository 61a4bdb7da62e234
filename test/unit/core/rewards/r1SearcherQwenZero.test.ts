/** R1-Searcher's qwen-zero reward (train/reward_server_qwen_zero.py @631167c), rule by rule. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  r1SearcherReward,
  r1SearcherSolution,
  r1SearcherViolations,
} from '../../../../src/core/rewards/r1SearcherQwenZero';

const docs = (body: string) => `<|begin_of_query|> q<|end_of_query|>\n\n<|begin_of_documents|>\n(1)${body}\n<|end_of_documents|>\n\n`;
const ok = (answer: string, before = docs('Title: Paris Text: capital')) => `I search. ${before}So </think>\n\n<answer> ${answer} </answer>`;
const rules = (response: string) => r1SearcherViolations(r1SearcherSolution(response));

describe('R1-Searcher qwen-zero format rules and reward', () => {
  it('a well-formed rollout passes and earns its F1', () => {
    assert.deepEqual(rules(ok('Paris')), []);
    assert.deepEqual(r1SearcherReward(r1SearcherSolution(ok('Paris France')), ['Paris']), {
      reward: 2 / 3,
      format: 1,
      violations: [],
      answer: 'Paris France',
    });
  });

  it('"assistant" inside retrieved documents is penalised, as upstream does', () => {
    assert.deepEqual(rules(ok('Paris', docs('Title: Siri Text: a voice assistant'))), ['assistant_word']);
    assert.equal(r1SearcherReward(r1SearcherSolution(ok('Paris', docs('x Assistant y'))), ['Paris']).reward, 1 - 2);
  });

  it('CJK inside document blocks is allowed, outside it is not', () => {
    assert.deepEqual(rules(ok('Paris', docs('Title: 巴黎 Text: 法国首都'))), []);
    assert.deepEqual(rules(ok('巴黎')), ['chinese']);
    assert.deepEqual(rules(`思考 ${ok('Paris')}`), ['chinese']);
  });

  it('at most 10 answer words: 10 pass, 11 fail', () => {
    assert.deepEqual(rules(ok('one two three four five six seven eight nine ten')), []);
    assert.deepEqual(rules(ok('one two three four five six seven eight nine ten eleven')), ['answer_len']);
  });

  it('an unclosed answer breaks answer_count and scores 0 before the penalty', () => {
    const r = r1SearcherReward(r1SearcherSolution('So </think>\n\n<answer> Paris'), ['Paris']);
    assert.deepEqual(r.violations, ['answer_count']);
    assert.equal(r.reward, -2);
    assert.equal(r.answer, 'Paris<|endoftext|>', 'the EOS the server appends is part of the unclosed answer text');
  });

  it('query or document tags inside the answer', () => {
    assert.deepEqual(rules('So </think><answer> x <|begin_of_query|> y<|end_of_query|> </answer>'), ['tag_counts', 'tags_in_answer']);
  });

  it('the seven tag counts must agree: a missing end of documents, a document block without (1)', () => {
    assert.deepEqual(rules(ok('Paris', '<|begin_of_query|> q<|end_of_query|>\n\n<|begin_of_documents|>\n(1)x\n\n')), ['tag_counts']);
    assert.deepEqual(rules(ok('Paris', '<|begin_of_query|> q<|end_of_query|>\n\n<|begin_of_documents|>\n1. x\n<|end_of_documents|>\n\n')), ['tag_counts']);
  });

  it('think: no <think> (the prompt has it) and exactly one </think>', () => {
    assert.deepEqual(rules(`<think> ${ok('Paris')}`), ['think']);
    assert.deepEqual(rules(ok('Paris').replace('</think>', '')), ['think']);
  });

  it('the solution is the text after the last "\\nAssistant: <think>", trailing EOS runs collapsed to one', () => {
    assert.equal(r1SearcherSolution('a </think><answer> x </answer><|endoftext|><|endoftext|>'), 'a </think><answer> x </answer><|endoftext|>');
    assert.equal(r1SearcherSolution('a<|endoftext|>\n'), 'a\n<|endoftext|>', "Python's $ also matches before a final newline");
    assert.equal(r1SearcherSolution('old\nAssistant: <think> new </think>'), 'new </think><|endoftext|>');
  });
});
