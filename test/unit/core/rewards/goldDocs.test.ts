import { validateTrajectory } from '../../../../src/core/traceSchema';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readDataset } from '../../../../src/core/batch';
import { diagnose } from '../../../../src/core/diagnosis';
import { computeRewards } from '../../../../src/core/rewards';
import { goldDocRecall } from '../../../../src/core/rewards/goldDocs';
import { metricMean, summarize } from '../../../../src/core/summary';
import type { RetrievedDoc } from '../../../../src/core/trace';
import { answer, doc, reason, search, trajectory } from '../build';

const IRCOT = join(__dirname, '../../../fixtures/evalsets/hotpotqa_ircot.jsonl');
const GOLD = ['Shirley Temple', 'Kiss and Tell (1945 film)'];
const names = (labels: { label: string }[]) => labels.map((l) => l.label).sort();

test('readDataset takes the supporting paragraphs of an IRCoT HotpotQA line as goldDocs', async () => {
  const items = await readDataset(IRCOT);
  assert.equal(items.length, 2);
  assert.equal(items[0]!.question, 'What government position was held by the woman who portrayed Corliss Archer in the film Kiss and Tell?');
  assert.deepEqual(items[0]!.gold, ['Chief of Protocol']);
  assert.equal(items[0]!.id, '5a8c7595554299585d9e36b6');
  assert.deepEqual(items[0]!.goldDocs, GOLD);
  assert.deepEqual(items[1]!.goldDocs, ['Adriana Trigiani', 'Big Stone Gap (film)']);
});

test('readDataset reads gold_docs, goldDocs and both supporting_facts shapes; lines without them have none', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hopscope-golddocs-'));
  try {
    const file = join(dir, 'd.jsonl');
    const lines = [
      { question: 'q1', answer: 'a', gold_docs: ['wiki:1', 'Paris'] },
      { question: 'q2', answer: 'a', goldDocs: ['Lyon'] },
      { question: 'q3', answer: 'a', supporting_facts: { title: ['A', 'A', 'B'], sent_id: [0, 1, 0] } },
      { question: 'q4', answer: 'a', supporting_facts: [['C', 0], ['D', 2], ['C', 1]] },
      { question: 'q5', answer: 'a' },
    ];
    await writeFile(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const items = await readDataset(file);
    assert.deepEqual(
      items.map((i) => i.goldDocs),
      [['wiki:1', 'Paris'], ['Lyon'], ['A', 'B'], ['C', 'D'], undefined],
    );
    assert.equal('goldDocs' in items[4]!, false);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('goldDocHit counts distinct gold paragraphs per search; recall is over all searches', () => {
  const t = trajectory({
    goldDocs: GOLD,
    steps: [
      reason('r'),
      search('Corliss Archer actress', [doc(1, 'Meet Corliss Archer', 'radio'), doc(2, 'shirley  temple', 'actress')]),
      search('Shirley Temple', [doc(1, 'Shirley Temple', 'diplomat'), doc(2, 'Janet Waldo', 'voice')]),
      search('Kiss and Tell', [doc(1, 'Kiss and Tell (play)', 'play')]),
      answer('Ambassador'),
    ],
  });
  const r = computeRewards(t);
  // Search 1: "shirley  temple" normalises to the gold title → 1. Search 2: Shirley Temple again → 1.
  // Search 3: "Kiss and Tell (play)" is not "Kiss and Tell (1945 film)" → 0. Recall: 1 of 2 = 0.5.
  assert.deepEqual(r.steps.filter((s) => s.kind === 'search').map((s) => s.rewards.goldDocHit), [1, 1, 0]);
  assert.equal(r.rewards.goldDocRecall, 0.5);
  assert.equal(r.rewards.firstGoldDocSearch, 1);
});

test('a gold entry matches a document by id as well as by title, punctuation aside', () => {
  const byId: RetrievedDoc = { id: 'wiki:123', rank: 2, score: 3, title: 'Unrelated', text: '' };
  const t = trajectory({
    goldDocs: ['wiki:123', 'Paris', 'Paris'],
    steps: [search('nothing', [doc(1, 'Lyon', 'x')]), search('q', [doc(1, '"Paris"', 'x'), byId]), answer('x')],
  });
  const r = goldDocRecall(t)!;
  assert.deepEqual(r.hits, [0, 2]);
  assert.equal(r.recall, 1);
  assert.equal(r.firstSearch, 2);
  assert.equal(r.firstStep, 1);
  const rewarded = computeRewards(t);
  assert.equal(rewarded.rewards.firstGoldDocSearch, 2);
});

test('no gold paragraph retrieved: recall 0, no first search; without goldDocs no such rewards', () => {
  const t = trajectory({ goldDocs: GOLD, steps: [search('q', [doc(1, 'Janet Waldo', 'x')]), answer('x')] });
  const r = computeRewards(t);
  assert.equal(r.rewards.goldDocRecall, 0);
  assert.equal(r.steps[0]!.rewards.goldDocHit, 0);
  assert.equal('firstGoldDocSearch' in r.rewards, false);
  const plain = computeRewards(trajectory({ steps: [search('q', [doc(1, 'Shirley Temple', 'x')]), answer('x')] }));
  assert.equal('goldDocRecall' in plain.rewards, false);
  assert.equal('goldDocHit' in plain.steps[0]!.rewards, false);
});

test('diagnosis uses gold paragraphs over the answer-string proxy: answer string present, paragraphs never retrieved', () => {
  const t = trajectory({
    gold: ['Chief of Protocol'],
    goldDocs: GOLD,
    answer: 'Ambassador',
    outcome: { em: 0, f1: 0, coverEm: 0 },
    raw: '</think><answer> Ambassador </answer>',
    steps: [reason('r'), search('Chief of Protocol', [doc(1, 'Chief of Protocol (United States)', 'The Chief of Protocol is …'), doc(2, 'Janet Waldo', 'x')]), answer('Ambassador')],
  });
  const labels = diagnose(t).filter((l) => l.label.startsWith('gold_'));
  assert.deepEqual(names(labels), ['gold_never_retrieved']);
  assert.equal(
    labels[0]!.explanation,
    'none of the 2 documents from 1 search(es) is a gold paragraph ("Shirley Temple", "Kiss and Tell (1945 film)")',
  );
});

test('diagnosis: a gold paragraph came back but the answer is wrong names the paragraph, its search and the missing one', () => {
  const t = trajectory({
    gold: ['Chief of Protocol'],
    goldDocs: GOLD,
    answer: 'Actress',
    outcome: { em: 0, f1: 0, coverEm: 0 },
    raw: '</think><answer> Actress </answer>',
    steps: [
      reason('r'),
      search('Corliss Archer', [doc(1, 'Meet Corliss Archer', 'x')]),
      search('Kiss and Tell actress', [doc(1, 'Janet Waldo', 'x'), doc(2, 'Kiss and Tell (play)', 'x'), doc(3, 'Shirley Temple', 'an actress')]),
      answer('Actress'),
    ],
  });
  const labels = diagnose(t).filter((l) => l.label.startsWith('gold_'));
  assert.deepEqual(names(labels), ['gold_retrieved_not_used']);
  assert.equal(labels[0]!.step, 2);
  assert.equal(
    labels[0]!.explanation,
    'search 2 (step 3) returned the gold paragraph "Shirley Temple" (rank 3); 1 of 2 gold paragraphs retrieved ("Shirley Temple"); ' +
      'never retrieved: "Kiss and Tell (1945 film)", but the answer "Actress" is wrong',
  );
  // Right answer with a gold paragraph retrieved: no gold label.
  const right = { ...t, answer: 'Chief of Protocol', outcome: { em: 1, f1: 1, coverEm: 1 } };
  assert.deepEqual(diagnose(right).filter((l) => l.label.startsWith('gold_')), []);
});

test('an IRCoT line run end to end: contexts as documents give the hand-computed recall, and the trajectory validates', async () => {
  const [item] = await readDataset(IRCOT);
  const record = JSON.parse(readFileSync(IRCOT, 'utf8').split('\n')[0]!) as { contexts: { id: string; title: string; paragraph_text: string }[] };
  const docs = record.contexts.map((c, i) => ({ id: `ctx${c.id}`, rank: i + 1, score: 1, title: c.title, text: c.paragraph_text }));
  // Contexts 0-4 hold "Shirley Temple" (context 1) but not "Kiss and Tell (1945 film)" (context 6 or later).
  const kissAt = record.contexts.findIndex((c) => c.title === 'Kiss and Tell (1945 film)');
  assert.ok(kissAt >= 5, 'fixture: Kiss and Tell is not among the first five contexts');
  const t = computeRewards(
    trajectory({
      question: item!.question,
      gold: item!.gold,
      goldDocs: item!.goldDocs!,
      answer: 'Chief of Protocol',
      outcome: { em: 1, f1: 1, coverEm: 1 },
      steps: [search('Corliss Archer', docs.slice(0, 5)), search('Kiss and Tell', docs.slice(5)), answer('Chief of Protocol')],
    }),
  );
  assert.deepEqual(t.steps.filter((s) => s.kind === 'search').map((s) => s.rewards.goldDocHit), [1, 1]);
  assert.equal(t.rewards.goldDocRecall, 1);
  assert.equal(t.rewards.firstGoldDocSearch, 1);

  const checked = validateTrajectory(JSON.parse(JSON.stringify(t)));
  assert.ok(checked.ok, checked.ok ? '' : checked.errors.join('; '));
  assert.equal(validateTrajectory({ ...t, goldDocs: [1, 2] }).ok, false, 'goldDocs must be strings');
});

test('the run summary reports gold paragraph recall when the dataset names gold paragraphs, and omits it otherwise', () => {
  const steps = [search('Shirley Temple', [doc(1, 'Shirley Temple', 'diplomat')]), answer('Ambassador')];
  const withGold = [trajectory({ goldDocs: GOLD, steps }), trajectory({ goldDocs: GOLD, steps: [answer("x")] })].map((t) => computeRewards(t));
  assert.equal(metricMean(summarize(withGold), 'gold paragraph recall'), 0.25);
  assert.equal(metricMean(summarize([computeRewards(trajectory({ steps }))]), 'gold paragraph recall'), undefined);
});
