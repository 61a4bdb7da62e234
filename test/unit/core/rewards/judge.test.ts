import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CompletionRequest, EndpointClient } from '../../../../src/core/endpoint';
import { judgePrompt, parseVerdict, withJudge } from '../../../../src/core/rewards/judge';
import { answer, trajectory } from '../build';

test('the ACC_L prompt carries question, golds and prediction', () => {
  const p = judgePrompt('Who?', ['A', 'B'], 'A.');
  assert.match(p, /^Given a Question and its Golden Answer, verify whether the Predicted Answer is correct\./);
  assert.match(p, /Question: Who\?\nGolden Answer: A \| B\nPredicted Answer: A\.$/);
});

test('verdicts: True, False, or unclear', () => {
  assert.equal(parseVerdict('True'), 1);
  assert.equal(parseVerdict(' false.'), 0);
  assert.equal(parseVerdict('It is true and false'), undefined);
  assert.equal(parseVerdict('maybe'), undefined);
});

test('withJudge asks the endpoint once and records outcome.judge', async () => {
  const asked: CompletionRequest[] = [];
  const endpoint = {
    baseUrl: 'http://x/v1',
    complete: async (req: CompletionRequest) => {
      asked.push(req);
      return { text: 'True', finishReason: 'stop', model: 'm', usage: {}, ms: 1, attempts: 1 };
    },
  } as unknown as EndpointClient;
  const t = trajectory({ question: 'Q', gold: ['Paris'], answer: 'Paris, France', outcome: { em: 0 }, steps: [answer('Paris, France')] });
  const judged = await withJudge(t, endpoint);
  assert.equal(asked.length, 1);
  assert.equal(asked[0]!.messages![0]!.content.includes('Predicted Answer: Paris, France'), true);
  assert.deepEqual(judged.outcome, { em: 0, judge: 1 });
  const noGold = trajectory({ steps: [] });
  assert.equal(await withJudge(noGold, endpoint), noGold);
  assert.equal(asked.length, 1, 'no request without a gold answer');
});

test('probeJudge tells whether the endpoint answers the judge question with True/False', async () => {
  const { probeJudge } = await import('../../../../src/core/rewards/probes');
  const reply = (text: string) =>
    ({ baseUrl: 'http://x/v1', complete: async () => ({ text, finishReason: 'stop', model: 'm', usage: {}, ms: 1, attempts: 1 }) }) as unknown as EndpointClient;
  assert.deepEqual(await probeJudge(reply('True')), { understood: true, reply: 'True' });
  assert.equal((await probeJudge(reply('Let me think about step 1.'))).understood, false);
});
