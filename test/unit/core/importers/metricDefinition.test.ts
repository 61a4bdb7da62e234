/**
 * Imports are scored with their source's own metric definition (R1-Searcher rollouts with
 * metric_calc_rule.py, Search-R1 rollouts with qa_em.py), name it, and keep scores the file recorded.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { importText } from '../../../../src/core/importers';
import { BUILTIN_TEMPLATES, renderPrompt } from '../../../../src/core/templates';

const r1Line = (o: Record<string, unknown>) =>
  JSON.stringify({ question: 'Q?', stop_reason_final: 'finished', gen_text_store: ' </think>\n\n<answer> acid house </answer>', ...o });

test('R1-Searcher rollouts: r1-searcher metrics of the recorded pred_ans, and the file’s own scores kept', () => {
  const { trajectories } = importText(
    [r1Line({ answer: 'acid-house', pred_ans: 'acid house' }), r1Line({ answer: 'yes', pred_ans: 'True', score: 0.25 })].join('\n'),
    { file: 'hotpotqa_qwen.jsonl', format: 'r1searcher' },
  );
  const [acid, bool] = trajectories;
  assert.equal(acid!.metricDefinition, 'r1-searcher');
  assert.deepEqual(acid!.outcome, { em: 1, f1: 1, coverEm: 1 }, 'the hyphen is a space to R1-Searcher');
  assert.deepEqual(bool!.outcome, { em: 1, f1: 1, coverEm: 1 }, 'pred_ans "True" reads as yes, whatever the text says');
  assert.deepEqual(bool!.recordedScores, { score: 0.25 });
  assert.equal(acid!.recordedScores, undefined);
});

test('Search-R1 rollouts: search-r1 metrics of extract_solution over prompt + output, no True/False mapping', () => {
  const resp = (answer: string) => `<think> x </think>\n<answer> ${answer} </answer>`;
  const lines = [
    { question: 'Q?', golden_answers: ['yes'], response: resp('True') },
    { question: 'Q?', golden_answers: ['acid-house'], response: resp('the acidhouse') },
    // No closed answer: the prompt's own example is the last closed one, as in Search-R1's reward.
    { question: 'Q?', golden_answers: ['Beijing'], response: '<think> x </think>\n<answer> Paris' },
    { question: 'Q?', golden_answers: ['Paris'], response: '<think> x </think>\n<answer> Paris', reward: 0 },
  ].map((o) => JSON.stringify(o));
  const { trajectories } = importText(lines.join('\n'), { file: 'rollouts.jsonl', format: 'search-r1' });
  assert.deepEqual(
    trajectories.map((t) => [t.metricDefinition, t.outcome]),
    [
      ['search-r1', { em: 0, subEm: 0 }],
      ['search-r1', { em: 1, subEm: 1 }],
      ['search-r1', { em: 1, subEm: 1 }],
      ['search-r1', { em: 0, subEm: 0 }],
    ],
  );
  assert.deepEqual(trajectories[3]!.recordedScores, { reward: 0 });
});

test('a Search-R1 sequences_str is scored whole: its prompt counts toward the two answers extract_solution needs', () => {
  const prompt = renderPrompt(BUILTIN_TEMPLATES['search-r1']!, 'Who directed it?');
  const seq = (p: string) =>
    JSON.stringify({
      sequences_str: `<|im_start|>user\n${p}<|im_end|>\n<|im_start|>assistant\n<think> x </think>\n<answer> Susant Misra </answer>`,
      reward_model: { ground_truth: { target: ['Susant Misra'] } },
    });
  const { trajectories } = importText([seq(prompt), seq('Question: Who directed it?\n')].join('\n'), { file: 'seq.jsonl', format: 'search-r1' });
  assert.deepEqual(trajectories[0]!.outcome, { em: 1, subEm: 1 });
  assert.deepEqual(trajectories[1]!.outcome, { em: 0, subEm: 0 }, 'one <answer> in the whole text: extract_solution returns None, score 0');
  assert.equal(trajectories[1]!.answer, 'Susant Misra', "Hopscope's own reading of the answer is unchanged");
});
