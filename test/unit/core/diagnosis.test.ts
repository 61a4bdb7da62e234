import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { diagnose, DIAGNOSIS_LABELS } from '../../../src/core/diagnosis';
import { importFile } from '../../../src/core/importers';
import { computeRewards } from '../../../src/core/rewards';
import { answer, doc, reason, search, trajectory } from './build';

const FULL = join(__dirname, '../../fixtures/importers/r1searcher/full');
const names = (labels: { label: string }[]) => labels.map((l) => l.label).sort();

test('gold retrieved but a wrong answer points at the search that found it', () => {
  const t = trajectory({
    gold: ['Paris'],
    answer: 'Lyon',
    outcome: { em: 0, f1: 0, coverEm: 0 },
    raw: '</think><answer> Lyon </answer>',
    steps: [reason('r'), search('capital of France', [doc(1, 'Lyon', 'Lyon is big'), doc(2, 'France', 'Its capital is Paris.')]), answer('Lyon')],
  });
  const labels = diagnose(t);
  assert.deepEqual(names(labels), ['gold_retrieved_not_used']);
  assert.equal(labels[0]!.step, 1);
  assert.match(labels[0]!.explanation, /search 1 \(step 2\) returned "France" \(rank 2\) containing the gold answer "Paris", but the answer "Lyon" is wrong/);
});

test('gold never retrieved, answer unsupported, query repeated, search limit hit', () => {
  const t = trajectory({
    gold: ['Paris'],
    answer: 'Rome',
    stopReason: 'max_turns',
    outcome: { em: 0, f1: 0, coverEm: 0 },
    raw:
      '<|begin_of_query|> q<|end_of_query|>\n\n<|begin_of_documents|>\n(1)A nothing\n<|end_of_documents|>\n\n' +
      '<|begin_of_query|> Q?<|end_of_query|>\n\n<|begin_of_documents|>\n(1)B still nothing\n<|end_of_documents|>\n\n</think><answer> Rome </answer>',
    steps: [search('q', [doc(1, 'A', 'nothing')]), search('Q?', [doc(1, 'B', 'still nothing')]), answer('Rome')],
  });
  const labels = diagnose(t);
  assert.deepEqual(names(labels), ['answer_not_in_docs', 'gold_never_retrieved', 'max_turns', 'repeated_query']);
  const repeated = labels.find((l) => l.label === 'repeated_query')!;
  assert.equal(repeated.step, 1);
  // Unexplained (a run's row keeps the names alone): the same labels at the same steps.
  assert.deepEqual(
    diagnose(t, undefined, false),
    labels.map((l) => ({ ...l, explanation: '' })),
  );
  assert.match(repeated.explanation, /search 2 \(step 2\) repeats "Q\?" from search 1 \(step 1\)/);
  assert.match(labels.find((l) => l.label === 'gold_never_retrieved')!.explanation, /none of the 2 documents from 2 search/);
});

test('no search and a format error are explained', () => {
  const t = trajectory({
    gold: ['yes'],
    answer: 'yes',
    outcome: { em: 1, f1: 1, coverEm: 1 },
    raw: 'I know this. <answer> yes </answer>',
    steps: [reason('I know this.'), answer('yes')],
  });
  const labels = diagnose(t);
  assert.deepEqual(names(labels), ['format_error', 'no_search']);
  assert.match(labels.find((l) => l.label === 'format_error')!.explanation, /R1-Searcher format: think \(0 <think> and 0 <\/think>/);
  assert.match(labels.find((l) => l.label === 'no_search')!.explanation, /answered "yes" without any search/);
});

test('a right answer with the gold retrieved gets no label', () => {
  const t = computeRewards(
    trajectory({
      gold: ['Paris'],
      answer: 'Paris',
      outcome: { em: 1, f1: 1, coverEm: 1 },
      raw: '<|begin_of_query|> q<|end_of_query|>\n\n<|begin_of_documents|>\n(1)Title: P Text: Paris\n<|end_of_documents|>\n\n</think><answer> Paris </answer>',
      steps: [search('q', [doc(1, 'P', 'Paris')]), answer('Paris')],
    }),
  );
  assert.deepEqual(diagnose(t), []);
});

test('real R1-Searcher rollouts get the labels their text shows', async () => {
  const wiki = await importFile(join(FULL, '2wiki_qwen.jsonl.gz'));
  const byLine = (n: number) => wiki.trajectories.find((t) => t.source?.line === n)!;
  // Line 17: search 2 returned "Julia Livia", whose text names Drusus Julius Caesar; the model answered Tiberius.
  assert.ok(names(byLine(17).labels).includes('gold_retrieved_not_used'));
  // Line 319: the third query is the second one again.
  assert.ok(names(byLine(319).labels).includes('repeated_query'));
  const hotpot = await importFile(join(FULL, 'hotpotqa_llama.jsonl.gz'));
  const long = hotpot.trajectories.find((t) => t.source?.line === 217)!;
  assert.match(long.labels.find((l) => l.label === 'format_error')!.explanation, /answer_len \(the answer has 17 words/);
  for (const t of [...wiki.trajectories, ...hotpot.trajectories]) {
    for (const l of t.labels) assert.ok((DIAGNOSIS_LABELS as readonly string[]).includes(l.label));
  }
});
