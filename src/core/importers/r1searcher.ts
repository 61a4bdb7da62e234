/**
 * R1-Searcher rollouts (RUCAIBox/R1-Searcher, data/eval_results/*.jsonl): one JSON object per line with
 * `question`, `answer` (gold), `pred_ans`, `stop_reason_final`, `gen_text_store` (the whole model output
 * with `<|begin_of_query|>…<|end_of_query|>` and `<|begin_of_documents|>…<|end_of_documents|>` blocks)
 * and optionally `gpt4o_output`, an LLM judge's "True"/"False".
 */
import { basename } from 'node:path';
import { tagsOf } from '../rewards/tags';
import type { RetrievedDoc, StopReason, Trajectory } from '../trace';
import { asRecord, goldList, importedTrajectory, judgeVerdict, recordedScoresOf, requireString, shortHash } from './record';
import { splitNumbered, splitRollout, type RolloutTags } from './tagged';
import type { ImportContext } from './types';

export const R1_TAGS: RolloutTags = { ...tagsOf('r1-searcher'), parseDocs: parseR1Docs };

export function r1SearcherRecord(value: unknown, line: number, ctx: ImportContext): Trajectory {
  const o = asRecord(value);
  const question = requireString(o, 'question');
  const text = requireString(o, 'gen_text_store');
  const { steps, answer: tagged } = splitRollout(text, R1_TAGS);
  const predAns = typeof o.pred_ans === 'string' ? o.pred_ans.trim() : null;
  const answer = tagged ?? (predAns || null);
  const judge = judgeVerdict(o.gpt4o_output);
  return importedTrajectory('r1searcher', ctx, line, {
    question,
    gold: goldList(o.answer),
    steps,
    answer,
    stopReason: r1StopReason(o.stop_reason_final, answer !== null),
    raw: text,
    outcome: judge === undefined ? undefined : { judge },
    template: 'r1-searcher',
    model: r1Model(ctx.file),
    // R1-Searcher's metric script scores `pred_ans` as recorded (evaluation/metric_calc_rule.py @631167c).
    metricDefinition: 'r1-searcher',
    ...(typeof o.pred_ans === 'string' ? { prediction: o.pred_ans } : {}),
    recordedScores: recordedScoresOf(o),
  });
}

/**
 * R1-Searcher names its result files `<dataset>_<qwen|llama>.jsonl`, after the paper's two released
 * models (Qwen-2.5-7B-base and Llama-3.1-8B-instruct, each trained with its RAG RL).
 */
function r1Model(file: string): string | undefined {
  const words = basename(file).toLowerCase().split(/[^a-z0-9]+/);
  if (words.includes('qwen')) return 'Qwen-2.5-7B-base-RAG-RL';
  if (words.includes('llama')) return 'Llama-3.1-8B-RAG-RL';
  return undefined;
}

/**
 * The `stop_reason_final` values R1-Searcher's evaluation writes (evaluation/eval_search_loacl.py @631167c)
 * as Hopscope's stop reasons: `many_retrieve` (the 10th call) is max_turns, `query_inst_error` (an empty
 * query) empty_query, `retrieve_error` error, `shot_down` (EOS, a length cut or an unclosed answer: the
 * script cannot tell them apart) eos_no_answer. Other values map to the nearest reason.
 */
function r1StopReason(value: unknown, answered: boolean): StopReason {
  const v = typeof value === 'string' ? value.toLowerCase() : '';
  const exact: Record<string, StopReason> = { many_retrieve: 'max_turns', query_inst_error: 'empty_query', retrieve_error: 'error', shot_down: 'eos_no_answer' };
  if (exact[v]) return exact[v]!;
  if (v.includes('retrieve') || v.includes('turn')) return 'max_turns';
  if (v.includes('length') || v.includes('shot')) return 'length';
  if (v.includes('error')) return 'error';
  return answered ? 'finished' : 'eos_no_answer';
}

/**
 * Items are `(i)Title: T Text: body` (sometimes CSV-quoted as `(i)"Title: T Text: ""x"" …"`) or the
 * KILT form `(i)T   body`, the title followed by three spaces.
 */
export function parseR1Docs(block: string, searchIndex: number): RetrievedDoc[] {
  return splitNumbered(block, /^\((\d+)\)/).map(([rank, body]) => {
    let item = body;
    if (item.startsWith('"Title: ')) {
      item = item.slice(1);
      if (item.endsWith('"')) item = item.slice(0, -1);
      item = item.replace(/""/g, '"');
    }
    let title = '';
    let text = item;
    const titled = /^Title:\s*([\s\S]*?)\s+Text:\s*([\s\S]*)$/.exec(item);
    const kilt = titled ? null : /^(.*?) {3,}([\s\S]*)$/.exec(item);
    if (titled) [title, text] = [titled[1]!.trim(), titled[2]!.trim()];
    else if (kilt) [title, text] = [kilt[1]!.trim(), kilt[2]!.trim()];
    return { id: `${title || `search${searchIndex + 1}`}#${shortHash(text)}`, rank, score: 0, title, text };
  });
}
