/**
 * What each recorded reward is called on screen and what it means, in one table: the panel's chips and chart
 * show `label` and give `definition` on hover. Each definition restates the doc comment of the module that
 * computes the value (named in brackets), so the two must change together.
 */
export interface RewardName {
  label: string;
  definition: string;
}

export const REWARD_NAMES: Readonly<Record<string, RewardName>> = {
  retrievalHit: { label: 'Answer retrieved', definition: "1 when a retrieved document contains a gold answer as whole words (Hopscope's own measure; per trajectory: any search did) [rewards/retrievalHit.ts]" },
  hitDocs: { label: 'Docs with answer', definition: "How many of the search's documents contain a gold answer as whole words [rewards/retrievalHit.ts]" },
  firstHitSearch: { label: 'First hit at search', definition: 'Number (from 1) of the first search whose documents contain a gold answer [rewards/retrievalHit.ts]' },
  repeatedQuery: { label: 'Repeated query', definition: '1 when this query was already issued (compared lower-cased, without punctuation and extra spaces) [rewards/redundancy.ts]' },
  repeatedQueries: { label: 'Repeated queries', definition: 'How many searches repeated an earlier query [rewards/redundancy.ts]' },
  repeatedDocs: { label: 'Repeated docs', definition: 'Documents that already came back in an earlier search (same id, or same title and text) [rewards/redundancy.ts]' },
  answerInDocs: { label: 'Answer in docs', definition: '1 when the final answer appears in a retrieved document (SQuAD-normalised, on word boundaries); not set for yes/no answers [rewards/answerSupport.ts]' },
  searches: { label: 'Searches', definition: 'Number of search steps [rewards/efficiency.ts]' },
  tokens: { label: 'Tokens', definition: 'Completion tokens the model spent [rewards/efficiency.ts]' },
  format: { label: 'Format', definition: "1 when the output follows the template's format rules as the paper's reward code checks them [rewards/format.ts]" },
  formatR1Searcher: { label: 'Format (R1-Searcher)', definition: "R1-Searcher's format check (reward_server_qwen_zero.py): balanced query and document tags, one answer block, at most 10 answer words, no CJK outside documents [rewards/format.ts]" },
  formatSearchR1: { label: 'Format (Search-R1)', definition: "Search-R1's is_valid_sequence: balanced think/search/information/answer tags in the required order [rewards/format.ts]" },
  r1SearcherReward: { label: 'R1-Searcher reward', definition: "The paper's reward server value: F1 of the answer, 0 without both answer tags, minus 2 for a format violation [rewards/upstream.ts]" },
  retrievalCorrectSearchR1: { label: 'Retrieval correct (Search-R1)', definition: "Search-R1's is_retrieval_correct gated by is_valid_sequence: a normalised gold answer is a substring of a whole <information> block [rewards/upstream.ts]" },
  goldDocHit: { label: 'Gold paragraphs', definition: "How many distinct gold (supporting) paragraphs are among this search's documents [rewards/goldDocs.ts]" },
  goldDocRecall: { label: 'Gold recall', definition: "Fraction of the question's gold paragraphs retrieved over all searches (IRCoT's retrieval recall) [rewards/goldDocs.ts]" },
  firstGoldDocSearch: { label: 'First gold search', definition: 'Number (from 1) of the first search returning a gold paragraph [rewards/goldDocs.ts]' },
  infoGain: { label: 'Info gain', definition: "Change in the policy model's probability of the gold answer after this search: p_t − p_(t−1) [rewards/infoGain.ts]" },
  igpoOutcome: { label: 'IGPO outcome', definition: "The outcome reward IGPO's rollout recorded for the final turn [importers/igpo.ts]" },
};

/** The on-screen name of a reward (its key when it has none) and its definition, if known. */
export function rewardName(key: string): RewardName {
  return REWARD_NAMES[key] ?? { label: key, definition: '' };
}
