/**
 * Search-R1 rollouts (PeterGriffinJin/Search-R1): text with `<search>…</search>` queries,
 * `<information>Doc 1(Title: T) text…</information>` results and a final `<answer>`. Records are JSONL
 * objects; the text is in `response`, `output`, `sequences_str`, `completion`, `generated_text` or `text`
 * (a `sequences_str` that includes the chat prompt is cut at `<|im_start|>assistant`), the question in
 * `question` (else after "Question:" in the prompt), the gold in `golden_answers`, `answer`,
 * `ground_truth` or `reward_model.ground_truth`.
 */
import { InputError } from '../errors';
import { tagsOf } from '../rewards/tags';
import type { RetrievedDoc, Trajectory } from '../trace';
import { extractSolution, searchR1Text } from '../rewards/searchR1Sequence';
import { BUILTIN_TEMPLATES, renderPrompt } from '../templates';
import { asRecord, goldList, importedTrajectory, recordedScoresOf, shortHash } from './record';
import { splitNumbered, splitRollout, type RolloutTags } from './tagged';
import type { ImportContext } from './types';

export const SEARCH_R1_TAGS: RolloutTags = { ...tagsOf('search-r1'), parseDocs: parseSearchR1Docs };

const TEXT_FIELDS = ['response', 'output', 'sequences_str', 'completion', 'generated_text', 'text', 'solution_str'];
const PROMPT_FIELDS = ['prompt', 'input', 'question_text'];
const ASSISTANT = /<\|im_start\|>assistant\s*/;

/** `Doc 1(Title: T) text`, one per item. */
export function parseSearchR1Docs(block: string, searchIndex: number): RetrievedDoc[] {
  return splitNumbered(block, /^\s*Doc (\d+)/).map(([rank, body]) => {
    const m = /^\(Title:\s*([\s\S]*?)\)\s*([\s\S]*)$/.exec(body);
    const title = m ? m[1]!.trim().replace(/^"|"$/g, '') : '';
    const text = m ? m[2]!.trim() : body;
    return { id: `${title || `search${searchIndex + 1}`}#${shortHash(text)}`, rank, score: 0, title, text };
  });
}

/**
 * The rollout text of a record, the prompt it may carry, and the whole decoded sequence Search-R1's
 * reward functions read (prompt, assistant marker, output), rebuilt when the record splits it.
 */
function rolloutText(o: Record<string, unknown>): { text: string; prompt?: string; whole?: string } {
  for (const k of TEXT_FIELDS) {
    const v = o[k];
    if (typeof v !== 'string') continue;
    const m = ASSISTANT.exec(v);
    if (m) return { text: v.slice(m.index + m[0].length), prompt: v.slice(0, m.index), whole: v };
    const prompt = PROMPT_FIELDS.map((p) => o[p]).find((p): p is string => typeof p === 'string');
    return { text: v, prompt, whole: prompt === undefined ? undefined : searchR1Text(prompt, v) };
  }
  throw new InputError(`no rollout text: expected one of ${TEXT_FIELDS.join(', ')}`);
}

function closedAnswer(text: string): boolean {
  const open = text.lastIndexOf('<answer>');
  return open >= 0 && text.indexOf('</answer>', open) >= 0;
}

/** The question: a `question` field, else the text after the last "Question:" of the prompt. */
export function questionOf(o: Record<string, unknown>, prompt: string | undefined): string {
  if (typeof o.question === 'string') return o.question;
  if (prompt) {
    const at = prompt.lastIndexOf('Question:');
    const q = (at >= 0 ? prompt.slice(at + 'Question:'.length) : prompt).replace(/<\|im_end\|>[\s\S]*$/, '').trim();
    if (q) return q;
  }
  throw new InputError('no question: expected a "question" field or "Question:" in the prompt');
}

export function goldOf(o: Record<string, unknown>): string[] | undefined {
  const rm = o.reward_model as Record<string, unknown> | undefined;
  return goldList(o.golden_answers ?? o.answer ?? o.ground_truth ?? o.gold ?? rm?.ground_truth);
}

export function searchR1Record(value: unknown, line: number, ctx: ImportContext): Trajectory {
  const o = asRecord(value);
  const { text, prompt, whole } = rolloutText(o);
  const question = questionOf(o, prompt);
  const { steps, answer } = splitRollout(text, SEARCH_R1_TAGS);
  return importedTrajectory('search-r1', ctx, line, {
    question,
    gold: goldOf(o),
    steps,
    answer,
    // An answer the text never closes was cut off (Search-R1's generation keeps `</answer>`): not finished.
    stopReason: answer === null ? 'eos_no_answer' : closedAnswer(text) ? 'finished' : 'length',
    raw: text,
    template: 'search-r1',
    model: typeof o.model === 'string' ? o.model : undefined,
    // Search-R1 scores extract_solution over the whole decoded sequence (qa_em.py @a14dc3a); without the
    // prompt in the record, it is rebuilt from the built-in Search-R1 prompt and the question.
    metricDefinition: 'search-r1',
    prediction: extractSolution(whole ?? searchR1Text(renderPrompt(BUILTIN_TEMPLATES['search-r1']!, question), text)),
    recordedScores: recordedScoresOf(o),
  });
}
