/**
 * Rule-based diagnosis: why a trajectory went wrong, as labels with an explanation a user can check
 * against the steps, read off the trajectory's facts (facts.ts); "wrong" is the verdict's (verdict.ts).
 * Each label is independent; a trajectory can carry several.
 */
import { trajectoryFacts, type TrajectoryFacts } from './facts';
import { goldDocsIn } from './rewards/goldDocs';
import { queryKey } from './rewards/redundancy';
import { docHasGold } from './rewards/retrievalHit';
import { searchSteps, type DiagnosisLabel, type SearchStep, type Trajectory } from './trace';

export const DIAGNOSIS_LABELS = [
  'gold_never_retrieved',
  'gold_retrieved_not_used',
  'repeated_query',
  'format_error',
  'max_turns',
  'no_search',
  'answer_not_in_docs',
] as const;
export type DiagnosisName = (typeof DIAGNOSIS_LABELS)[number];

/** What each label means, for legends, filters and the HTML report. */
export const LABEL_MEANINGS: Readonly<Record<DiagnosisName, string>> = {
  gold_never_retrieved: 'no retrieved document is a gold paragraph (or, without gold paragraphs, contains a gold answer)',
  gold_retrieved_not_used: 'a gold paragraph (or a document holding the gold answer) came back, but the final answer is wrong',
  repeated_query: 'the agent issued the same query more than once',
  format_error: 'the output breaks the template’s format rules',
  max_turns: 'the run hit the search limit before answering',
  no_search: 'the agent answered (or stopped) without searching',
  answer_not_in_docs: 'the answer appears in no retrieved document: possibly from memory or invented',
};

/**
 * The labels of `t`; its facts are computed here unless given (pass them for a template that is not
 * built in). `explain: false` leaves every explanation empty: a run's row keeps the labels alone, and
 * writing the sentences (quoting queries, titles, answers) was most of the diagnosis' time there.
 */
export function diagnose(t: Trajectory, facts: TrajectoryFacts = trajectoryFacts(t), explain = true): DiagnosisLabel[] {
  const labels: DiagnosisLabel[] = [];
  const searches = searchSteps(t);
  const add = (label: DiagnosisName, explanation: () => string, step?: number) => {
    const text = explain ? explanation() : '';
    labels.push(step === undefined ? { label, explanation: text } : { label, explanation: text, step });
  };
  const wrong = facts.verdict.verdict === 'wrong';

  const fmt = facts.format;
  if (fmt?.violations.length) {
    add('format_error', () => `${fmt.check} format: ${fmt.violations.map((v) => `${v.rule} (${v.detail})`).join('; ')}`);
  }

  if (t.stopReason === 'max_turns') add('max_turns', () => `stopped after ${searches.length} searches without an answer (the search limit)`);

  if (!searches.length) {
    add('no_search', () => (t.answer !== null ? `answered "${clip(t.answer)}" without any search` : 'stopped without any search or answer'));
  }

  const firstRepeat = facts.redundancy.repeatedQuery.indexOf(1);
  if (firstRepeat >= 0) {
    const s = searches[firstRepeat]!;
    add(
      'repeated_query',
      () => {
        const key = queryKey(s.query);
        const earlier = searches.findIndex((q) => queryKey(q.query) === key);
        const repeats = searches.filter((q, j) => j > earlier && queryKey(q.query) === key).length;
        return (
          `${searchAt(t, s, firstRepeat + 1)} repeats "${clip(s.query)}" from ${searchAt(t, searches[earlier]!, earlier + 1)}` +
          (repeats > 1 ? ` (${repeats} repeats in all)` : '')
        );
      },
      t.steps.indexOf(s),
    );
  }

  // The dataset's gold paragraphs, when it names them, answer the question directly; the
  // answer-string proxy (retrievalHit) is the fallback.
  const goldDocs = facts.goldDocs;
  const hit = goldDocs ? undefined : facts.hit;
  if (goldDocs && searches.length) {
    const docs = searches.reduce((n, s) => n + s.docs.length, 0);
    if (!goldDocs.found.length) {
      add('gold_never_retrieved', () => `none of the ${docs} documents from ${searches.length} search(es) is a gold paragraph (${titles(goldDocs.missing)})`);
    } else if (wrong) {
      add(
        'gold_retrieved_not_used',
        () => {
          const step = t.steps[goldDocs.firstStep!] as SearchStep;
          const doc = step.docs.find((d) => goldDocsIn(d, goldDocs.found).length > 0);
          const missing = goldDocs.missing.length ? `; never retrieved: ${titles(goldDocs.missing)}` : '';
          return (
            `${searchAt(t, step, goldDocs.firstSearch!)} returned the gold paragraph "${clip(doc?.title || doc?.id || '')}" (rank ${doc?.rank}); ` +
            `${goldDocs.found.length} of ${goldDocs.found.length + goldDocs.missing.length} gold paragraphs retrieved (${titles(goldDocs.found)})${missing}, ` +
            `but the answer ${t.answer === null ? 'is missing' : `"${clip(t.answer)}" is wrong`}`
          );
        },
        goldDocs.firstStep,
      );
    }
  }
  if (hit && searches.length) {
    if (!hit.hit) {
      const docs = searches.reduce((n, s) => n + s.docs.length, 0);
      add('gold_never_retrieved', () => `none of the ${docs} documents from ${searches.length} search(es) contains ${goldText(t.gold!)}`);
    } else if (wrong) {
      add(
        'gold_retrieved_not_used',
        () => {
          const step = t.steps[hit.firstHitStep!] as SearchStep;
          const doc = step.docs.find((d) => docHasGold(d, t.gold!));
          return (
            `${searchAt(t, step, hit.firstHitSearch!)} returned ${doc?.title ? `"${clip(doc.title)}" (rank ${doc.rank})` : 'a document'} containing ` +
            `${goldText(t.gold!)}, but the answer ${t.answer === null ? 'is missing' : `"${clip(t.answer)}" is wrong`}`
          );
        },
        hit.firstHitStep,
      );
    }
  }

  if (facts.answerInDocs === 0) {
    const answerStep = t.steps.findIndex((s) => s.kind === 'answer');
    add(
      'answer_not_in_docs',
      () =>
        `the answer "${clip(t.answer!)}" appears in none of the retrieved documents` +
        (facts.verdict.verdict === 'correct' ? ': it is right, so it likely came from the model’s own knowledge' : ': it may be invented (a possible hallucination)'),
      answerStep >= 0 ? answerStep : undefined,
    );
  }
  return labels;
}

function titles(names: readonly string[]): string {
  return names.map((n) => `"${clip(n)}"`).join(', ');
}

function goldText(gold: readonly string[]): string {
  return gold.length === 1 ? `the gold answer "${clip(gold[0]!)}"` : `a gold answer (${gold.slice(0, 3).map((g) => `"${clip(g)}"`).join(', ')})`;
}

/**
 * "search 2 (step 4)": the search's own count and the step number the panel and its link show (steps are
 * numbered from 1 over all steps), so the sentence and the link name the same place.
 */
function searchAt(t: Pick<Trajectory, 'steps'>, s: SearchStep, searchNumber: number): string {
  return `search ${searchNumber} (step ${t.steps.indexOf(s) + 1})`;
}

function clip(s: string, n = 80): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}
