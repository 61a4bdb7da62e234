import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeRewards, trajectoryRewards, trajectoryRewardsJson } from '../../../../src/core/rewards';
import { r1SearcherFormat, searchR1Structure } from '../../../../src/core/rewards/format';
import { redundancy } from '../../../../src/core/rewards/redundancy';
import { retrievalHit } from '../../../../src/core/rewards/retrievalHit';
import { tagsOf } from '../../../../src/core/rewards/tags';
import { answer, doc, reason, search, trajectory } from '../build';

const R1 = tagsOf('r1-searcher');
const SR1 = tagsOf('search-r1');

test('a well-formed R1-Searcher rollout passes every format rule', () => {
  const out =
    ' I need the director. <|begin_of_query|> film director<|end_of_query|>\n\n<|begin_of_documents|>\n(1)Title: A Text: b\n<|end_of_documents|>\n\n' +
    'So it is X. </think>\n\n<answer> Susant Misra </answer>';
  assert.deepEqual(r1SearcherFormat(out, R1), { score: 1, violations: [] });
});

test('each broken R1-Searcher rule is named (train/reward_server_qwen_zero.py @631167c)', () => {
  const out =
    '<|begin_of_query|> a <|begin_of_query|> b<|end_of_query|> <|begin_of_documents|> x ' +
    '</think> more </think> <answer> one </answer> <answer>x</answer>';
  const r = r1SearcherFormat(out, R1);
  assert.equal(r.score, 0);
  assert.deepEqual(
    r.violations.map((v) => v.rule),
    ['tag_counts', 'think', 'answer_count'],
  );
  const long = r1SearcherFormat('</think><answer> one two three four five six seven eight nine ten eleven </answer>', R1);
  assert.deepEqual(long.violations.map((v) => v.rule), ['answer_len']);
  assert.match(long.violations[0]!.detail, /11 words/);
  const tagged = r1SearcherFormat('</think><answer> x <|begin_of_query|> </answer>', R1);
  assert.deepEqual(tagged.violations.map((v) => v.rule), ['tag_counts', 'tags_in_answer']);
  const none = r1SearcherFormat('thinking only', R1);
  assert.deepEqual(none.violations.map((v) => v.rule), ['think', 'answer_count']);
  const assistant = r1SearcherFormat('As an assistant I say </think><answer> x </answer>', R1);
  assert.deepEqual(assistant.violations.map((v) => v.rule), ['assistant_word']);
});

test('a loop that stopped on </answer> is not penalised for the dropped closing tag', () => {
  assert.equal(r1SearcherFormat('x </think>\n<answer> Paris', R1, true).score, 1);
  assert.equal(r1SearcherFormat('x </think>\n<answer> Paris', R1, false).score, 0);
});

test('Search-R1 structure: think, search, information, think, answer', () => {
  const ok =
    '<think> need x </think>\n<search> x </search>\n\n<information>Doc 1(Title: X) y</information>\n\n<think> so y </think>\n<answer> y </answer>';
  assert.deepEqual(searchR1Structure(ok, SR1), { score: 1, violations: [] });
  const rule = (s: string) => searchR1Structure(s, SR1).violations.map((v) => v.rule);
  assert.deepEqual(rule('<think> a </think> hello <answer> y </answer>'), ['text_between_blocks']);
  assert.deepEqual(rule('<think> a </think><information> d </information><answer> y </answer>'), ['unexpected_tag']);
  assert.deepEqual(rule('<think> a </think><search> q </search>'), ['incomplete']);
  assert.deepEqual(rule('<think> a <answer> y </answer>'), ['unbalanced_tags']);
});

test('retrieval hit: the first search whose documents hold the normalised gold', () => {
  const t = trajectory({
    gold: ['The Beatles'],
    steps: [
      reason('r'),
      search('q1', [doc(1, 'A', 'nothing here'), doc(2, 'B', 'beetles are insects')]),
      search('q2', [doc(1, 'C', 'Formed by BEATLES, in Liverpool'), doc(2, 'D', 'the beatles.')]),
      answer('The Beatles'),
    ],
  });
  const hit = retrievalHit(t)!;
  assert.deepEqual(hit, { hitDocs: [0, 2], hit: true, firstHitSearch: 2, firstHitStep: 2 });
  // Word boundaries: a one-letter gold does not match inside words.
  const letter = trajectory({ gold: ['l'], steps: [search('q', [doc(1, 'Hello', 'world')])] });
  assert.equal(retrievalHit(letter)!.hit, false);
  assert.equal(retrievalHit(trajectory({ steps: [] })), undefined);
});

test('redundancy: repeated queries ignore case and punctuation; documents seen before are counted', () => {
  const a = doc(1, 'A', 'a');
  const b = doc(2, 'B', 'b');
  const r = redundancy(
    trajectory({ steps: [search('Who is X?', [a, b]), search('who is  x', [b, doc(3, 'C', 'c')]), search('other', [a])] }),
  );
  assert.deepEqual(r, { repeatedQuery: [0, 1, 0], repeatedDocs: [0, 1, 1], totalDocs: 5 });
});

test('computeRewards records per-step and per-trajectory rewards by name', () => {
  const raw =
    'I search. <|begin_of_query|> who<|end_of_query|>\n\n<|begin_of_documents|>\n(1)Title: Paris Text: Paris is the capital.\n<|end_of_documents|>\n\n' +
    '<|begin_of_query|> who<|end_of_query|>\n\n<|begin_of_documents|>\n(1)Title: Paris Text: Paris is the capital.\n<|end_of_documents|>\n\n' +
    '</think>\n<answer> Paris </answer>';
  const paris = doc(1, 'Paris', 'Paris is the capital.');
  const t = computeRewards(
    trajectory({
      gold: ['Paris'],
      answer: 'Paris',
      raw,
      usage: { completionTokens: 42 },
      rewards: { infoGain: 0.5 },
      steps: [reason('I search.'), search('who', [paris]), search('who', [paris]), answer('Paris')],
    }),
  );
  assert.deepEqual(t.steps[1]!.rewards, { retrievalHit: 1, hitDocs: 1, repeatedQuery: 0, repeatedDocs: 0 });
  assert.deepEqual(t.steps[2]!.rewards, { retrievalHit: 1, hitDocs: 1, repeatedQuery: 1, repeatedDocs: 1 });
  assert.deepEqual(t.steps[3]!.rewards, { answerInDocs: 1 });
  assert.deepEqual(t.rewards, {
    infoGain: 0.5,
    format: 1,
    formatR1Searcher: 1,
    searches: 2,
    retrievalHit: 1,
    firstHitSearch: 1,
    repeatedQueries: 1,
    repeatedDocs: 1,
    tokens: 42,
    answerInDocs: 1,
    r1SearcherReward: 1,
  });
});

test("a run row's rewards JSON is the trajectory rewards' JSON, whatever the trajectory holds", () => {
  const paris = doc(1, 'Paris', 'Paris is the capital.');
  const raw = 'I search. <|begin_of_query|> who<|end_of_query|>\n\n<|begin_of_documents|>\n(1)Title: Paris Text: Paris is the capital.\n<|end_of_documents|>\n\n</think>\n<answer> Paris </answer>';
  const steps = [reason('I search.'), search('who', [paris]), answer('Paris')];
  const searchR1 = { endpoint: '', model: 'm', template: 'search-r1', params: {} };
  const cases = [
    trajectory({ gold: ['Paris'], answer: 'Paris', raw, steps }),
    trajectory({ gold: ['Paris'], answer: 'Paris', raw, steps, rewards: { trainerScore: 0.25 }, usage: { completionTokens: 7 } }),
    trajectory({ gold: ['Lyon'], answer: 'Paris', raw, steps, rewards: { trainerScore: Number.NaN } }),
    trajectory({ answer: null, raw: 'no answer', steps: [reason('no answer')] }),
    trajectory({ gold: ['Paris'], answer: 'Paris', raw, steps, policy: searchR1 }),
    // Rewards of its own beside the trainer's score (an existing one named like a computed one keeps its place).
    trajectory({ gold: ['Paris'], answer: 'Paris', raw, steps, rewards: { infoGain: 0.5, firstHitSearch: 9, trainerScore: 1 } }),
    trajectory({ gold: ['Lyon'], answer: 'Paris', raw, steps, rewards: { firstHitSearch: 9 } }),
  ];
  for (const [i, t] of cases.entries()) assert.equal(trajectoryRewardsJson(t), JSON.stringify(trajectoryRewards(t)), `case ${i}`);
});

test("the papers' own rewards: R1-Searcher's F1 minus 2 on a format violation, Search-R1's gated retrieval-correct", () => {
  const r1 = (raw: string) =>
    computeRewards(trajectory({ gold: ['Paris'], answer: 'Paris France', raw, steps: [answer('Paris France')] })).rewards.r1SearcherReward;
  assert.equal(r1('x </think>\n<answer> Paris France </answer>'), 2 / 3);
  assert.equal(r1('my assistant says </think>\n<answer> Paris France </answer>'), 2 / 3 - 2);
  assert.equal(r1('x </think>\n<answer> Paris France'), 2 / 3, 'a finished run gets back the </answer> its stop string dropped');
  const sr1 = (response: string, gold: string) =>
    computeRewards(
      trajectory({
        gold: [gold],
        policy: { endpoint: '', model: 'm', template: 'search-r1', params: {} },
        raw: response,
        steps: [search('q', [doc(1, 'L', 'Lille is in France')]), answer('Lille')],
      }),
    ).rewards;
  const ok = '<think> a </think>\n<search> q </search>\n\n<information>Doc 1(Title: L) Lille is in France</information>\n\n<think> b </think>\n<answer> Lille </answer>';
  assert.equal(sr1(ok, 'ille').retrievalCorrectSearchR1, 1, 'a substring of the block counts upstream');
  assert.equal(sr1(ok, 'ille').retrievalHit, 0, "Hopscope's own hit wants whole words");
  assert.equal(sr1(ok, 'Lille').retrievalHit, 1);
  assert.equal(sr1(ok.replace('<think> b </think>\n', ''), 'Lille').retrievalCorrectSearchR1, 0, 'an invalid sequence gets none');
});

test('the format check skips the prompt when the raw transcript starts with it', () => {
  const prompt = 'The User asks'; // not the real prompt: the check must fall back to the whole text
  const t = computeRewards(trajectory({ raw: `${prompt} </think><answer> A </answer>`, answer: 'A', steps: [answer('A')] }));
  assert.equal(t.rewards.format, 1);
});
