/**
 * Format rewards, each broken rule named, as the papers' own reward code decides them.
 *
 * R1-Searcher: the qwen-zero reward server's format penalty (r1SearcherQwenZero.ts, from
 * RUCAIBox/R1-Searcher train/reward_server_qwen_zero.py @631167c): equal counts of the seven query and
 * document tag forms, no "assistant" anywhere (retrieved documents included), no `<think>` and one
 * `</think>`, exactly one `<answer>` and `</answer>`, no query/document tags in the answer, at most 10
 * answer words, no CJK outside document blocks. The tags are R1-Searcher's own, whatever the template.
 *
 * Search-R1: `is_valid_sequence` (searchR1Sequence.ts, from PeterGriffinJin/Search-R1
 * verl/utils/reward_score/qa_em_format.py @a14dc3a) over the text after the assistant marker: balanced
 * think/search/information/answer tags, then `<think>…</think>` followed by either
 * `<search>…</search><information>…</information>` and another think, or `<answer>…</answer>` at the end,
 * with only whitespace between blocks.
 */
import { r1SearcherSeen, r1SearcherSolution, r1SearcherViolations, type R1SearcherViolation } from './r1SearcherQwenZero';
import { answerTagCounts } from './r1SearcherTags';
import { validContent } from './searchR1Sequence';
import { countOf, type TagSet } from './tags';
import { pySplit } from '../metrics/python';

export interface FormatViolation {
  /** Stable rule name, e.g. `think` (R1-Searcher) or `text_between_blocks` (Search-R1). */
  rule: string;
  /** What was seen, for a user. */
  detail: string;
}

export interface FormatResult {
  /** 1 when every rule holds, else 0. */
  score: number;
  violations: FormatViolation[];
}

/**
 * `finished` tells that the run ended on the answer's stop string, which the loop drops from the
 * text while upstream generation keeps it: a missing final `</answer>` is then put back.
 */
export function r1SearcherFormat(output: string, tags: TagSet, finished = false): FormatResult {
  const solution = r1SearcherSolution(closeStoppedAnswer(output, tags, finished));
  const v = r1SearcherViolations(solution).map((rule) => ({ rule, detail: r1SearcherDetail(rule, solution) }));
  return { score: v.length ? 0 : 1, violations: v };
}

function r1SearcherDetail(rule: R1SearcherViolation, solution: string): string {
  // Counted by the rules' own walk over the solution (r1SearcherSeen), not by a search per tag.
  const seen = r1SearcherSeen(solution);
  const n = seen.tags;
  switch (rule) {
    case 'tag_counts':
      return `${n.beginQuery} <|begin_of_query|>, ${n.endQuery} <|end_of_query|>, ${n.beginDocs} <|begin_of_documents|>, ${n.endDocs} <|end_of_documents|> (each query needs one documents block opening "\n(1)" and closing with a blank line)`;
    case 'assistant_word':
      return `"Assistant" or "assistant" appears ${seen.assistantWords()} times (retrieved documents count too)`;
    case 'think':
      return `${n.think} <think> and ${n.thinkEnd} </think>: the prompt opens <think>, the output must close it exactly once`;
    case 'answer_count':
      return `${n.answerOpen} <answer> and ${n.answerClose} </answer>, exactly one answer expected`;
    case 'tags_in_answer':
      return 'the answer contains a query or documents tag';
    case 'answer_len':
      return `the answer has ${pySplit(seen.answer).length} words, at most 10 allowed`;
    case 'chinese':
      return 'a CJK character outside the retrieved documents';
    default: {
      const never: never = rule;
      return never;
    }
  }
}

/** Search-R1's `is_valid_sequence` over the model's output; one violation naming where it broke. */
export function searchR1Structure(output: string, tags: TagSet, finished = false): FormatResult {
  const check = validContent(closeStoppedAnswer(output, tags, finished));
  return check.valid ? { score: 1, violations: [] } : { score: 0, violations: [{ rule: check.rule!, detail: check.reason }] };
}

function closeStoppedAnswer(text: string, tags: TagSet, finished: boolean): string {
  if (!finished) return text;
  // R1-Searcher's answer tags (Search-R1's too) are counted by the walk the rules take of the same text next.
  const [open, close] =
    tags.answerBegin === '<answer>' && tags.answerEnd === '</answer>' ? answerTagCounts(text) : [countOf(text, tags.answerBegin), countOf(text, tags.answerEnd)];
  return open > close ? text + tags.answerEnd : text;
}
