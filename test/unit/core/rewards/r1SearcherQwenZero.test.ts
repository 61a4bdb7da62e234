/** R1-Searcher's qwen-zero reward (train/reward_server_qwen_zero.py @631167c), rule by rule. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { r1SearcherF1 } from '../../../../src/core/metrics/r1Searcher';
import {
  r1SearcherReward,
  r1SearcherSolution,
  r1SearcherViolations,
} from '../../../../src/core/rewards/r1SearcherQwenZero';
import { formatCheck } from '../../../../src/core/rewards/formatCheck';
import { upstreamRewards } from '../../../../src/core/rewards/upstream';
import { trajectory } from '../build';
import { rng } from '../../../support/random';

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

/**
 * The solution and the rules are computed without building the server's joined text and with one walk
 * over the tags; here they are checked against the server's steps written out literally (prompt marker
 * + response with trailing EOS runs stripped + EOS, split on the marker, stripped; each rule with
 * Python's count and the documents-block regex), over random responses made of the pieces where the two
 * could part.
 */
describe('R1-Searcher qwen-zero solution and rules, against the literal server steps', () => {
  const MARKER = '\nAssistant: <think>';
  const EOS = '<|endoftext|>';
  const count = (s: string, sub: string) => s.split(sub).length - 1;
  const strip = (s: string) => s.replace(/^[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g, '');
  const literalSolution = (response: string, eos = EOS) => {
    const joined = MARKER + response;
    const esc = eos.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const query = joined.replace(new RegExp(`(?:${esc})+(?=\\n?$)`, 'g'), '') + eos;
    const parts = query.split(MARKER);
    return strip(parts[parts.length - 1]!);
  };
  const literalRules = (s: string) => {
    const v: string[] = [];
    const counts = [
      count(s, '<|begin_of_documents|>\n'),
      count(s, '<|end_of_documents|>\n\n'),
      count(s, '<|begin_of_query|>'),
      count(s, '<|end_of_query|>'),
      count(s, '<|begin_of_documents|>'),
      count(s, '<|end_of_documents|>'),
      count(s, '<|begin_of_documents|>\n(1)'),
    ];
    if (counts.some((c) => c !== counts[0])) v.push('tag_counts');
    if (s.includes('Assistant') || s.includes('assistant')) v.push('assistant_word');
    if (!(!s.includes('<think>') && count(s, '</think>') === 1)) v.push('think');
    if (!(count(s, '<answer>') === 1 && count(s, '</answer>') === 1)) v.push('answer_count');
    const answerParts = s.split('<answer>');
    const answer = strip(answerParts[answerParts.length - 1]!.split('</answer>')[0]!);
    if (answer.includes('begin_of_query') || answer.includes('begin_of_documents')) v.push('tags_in_answer');
    if (answer.split(/[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/).filter((w) => w).length > 10) v.push('answer_len');
    if (/[\u4e00-\u9fff]/.test(s.replace(/<\|begin_of_documents\|>[\s\S]*?<\|end_of_documents\|>/g, ''))) v.push('chinese');
    return v;
  };
  /** The numbers a violation's detail tells, counted on the solution with Python's count. */
  const literalDetailNumbers = (rule: string, s: string): number[] => {
    const answerParts = s.split('<answer>');
    const answer = strip(answerParts[answerParts.length - 1]!.split('</answer>')[0]!);
    switch (rule) {
      case 'tag_counts':
        return [count(s, '<|begin_of_query|>'), count(s, '<|end_of_query|>'), count(s, '<|begin_of_documents|>'), count(s, '<|end_of_documents|>'), 1];
      case 'assistant_word':
        return [count(s, 'Assistant') + count(s, 'assistant')];
      case 'think':
        return [count(s, '<think>'), count(s, '</think>')];
      case 'answer_count':
        return [count(s, '<answer>'), count(s, '</answer>')];
      case 'answer_len':
        return [answer.split(/[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/).filter((w) => w).length, 10];
      default:
        return [];
    }
  };
  const PIECES = [
    '<|begin_of_documents|>', '<|end_of_documents|>', '<|begin_of_query|>', '<|end_of_query|>', '\n(1)', '\n', '\n\n', '(1)',
    '<think>', '</think>', '<answer>', '</answer>', '<', '<|', 'Assistant', 'assistant', MARKER, '\nAssistant:', EOS, EOS, ' ', '\t',
    'word', 'two words', '北京', 'x', 'begin_of_query', 'Assis', 'tant', '\u3000', '\x1c', '<|begin_of_documents|>\n(1)', '<|end_of_documents|>\n\n',
  ];
  const randomResponse = (random: () => number) => {
    let response = '';
    for (let k = Math.floor(random() * 16); k > 0; k--) response += PIECES[Math.floor(random() * PIECES.length)];
    return response;
  };

  it('gives the literal solution, rules and reward on random responses', () => {
    const random = rng(7);
    for (let i = 0; i < 5000; i++) {
      const response = randomResponse(random);
      const solution = r1SearcherSolution(response);
      assert.equal(solution, literalSolution(response), JSON.stringify(response));
      assert.deepEqual(r1SearcherViolations(solution), literalRules(solution), JSON.stringify(solution));
      const answerParts = solution.split('<answer>');
      const answer = strip(answerParts[answerParts.length - 1]!.split('</answer>')[0]!);
      const answered = solution.includes('<answer>') && solution.includes('</answer>');
      const rules = literalRules(solution);
      assert.deepEqual(r1SearcherReward(solution, ['two words']), {
        reward: (answered ? r1SearcherF1(answer, 'two words') : 0) - (rules.length ? 2 : 0),
        format: rules.length ? 0 : 1,
        violations: rules,
        answer,
      });
    }
  });

  it('document blocks: CJK inside, between and after several blocks, unclosed and nested begins, tags inside documents', () => {
    const B = '<|begin_of_documents|>';
    const E = '<|end_of_documents|>';
    const cases = [
      `${B}北京${E} x ${B}y${E}`,
      `${B}北京${E} 京 ${B}y${E}`,
      `${B}x${E}${B}北京${E}京`,
      `${B}x ${B}北京${E} y`,
      `${B}x ${B}y${E}北京`,
      `${E}北京${B}y${E}`,
      `${B}北京`,
      `北京${B}`,
      `x${B}北京${E}${B}北京`,
      `${B}<answer>北京</answer>${E}</think>`,
      `${B}\n(1)<|begin_of_query|>q<|end_of_query|>\n${E}\n\n</think><answer> a </answer>`,
      `<|begin_of_documents<|end_of_documents|>|>${B}${E}`,
    ];
    for (const response of cases) {
      const solution = r1SearcherSolution(response);
      assert.deepEqual(r1SearcherViolations(solution), literalRules(solution), JSON.stringify(response));
    }
  });

  it("gives the literal rules and reward through a trajectory's format check and upstream reward, finished or not", () => {
    // The format check closes a finished output's open answer when it counts more <answer> than </answer>;
    // the upstream reward when its last <answer> has no </answer> after it (rewards/format.ts, output.ts).
    const random = rng(11);
    for (let i = 0; i < 4000; i++) {
      const raw = randomResponse(random);
      const finished = random() < 0.6;
      const t = trajectory({ raw, gold: ['two words'], stopReason: finished ? 'finished' : 'eos_no_answer', steps: [] });
      const counted = finished && count(raw, '<answer>') > count(raw, '</answer>') ? `${raw}</answer>` : raw;
      const open = raw.lastIndexOf('<answer>');
      const stopped = finished && open >= 0 && raw.indexOf('</answer>', open) < 0 ? `${raw}</answer>` : raw;
      const format = formatCheck(t)!;
      const checked = literalSolution(counted);
      assert.deepEqual(
        format.violations.map((v) => v.rule),
        literalRules(checked),
        JSON.stringify([raw, finished]),
      );
      for (const v of format.violations) assert.deepEqual(v.detail.match(/\d+/g)?.map(Number) ?? [], literalDetailNumbers(v.rule, checked), JSON.stringify([raw, v]));
      const solution = literalSolution(stopped);
      const answerParts = solution.split('<answer>');
      const answer = strip(answerParts[answerParts.length - 1]!.split('</answer>')[0]!);
      const answered = solution.includes('<answer>') && solution.includes('</answer>');
      const penalty = literalRules(solution).length ? 2 : 0;
      assert.equal(upstreamRewards(t).r1SearcherReward, (answered ? r1SearcherF1(answer, 'two words') : 0) - penalty, JSON.stringify([raw, finished]));
    }
  });

  it('takes the literal route for an EOS the shortcut does not hold for', () => {
    for (const eos of ['<think>', '\n', ' eos', 'k>']) {
      for (const response of ['a', 'a<think>', `x${MARKER}y`, 'Assistant: <thin', 'b\n', '']) {
        assert.equal(r1SearcherSolution(response, eos), literalSolution(response, eos), JSON.stringify([response, eos]));
      }
    }
  });
});
