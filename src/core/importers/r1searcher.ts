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
import { splitRollout, type RolloutTags } from './tagged';
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
  const docs: RetrievedDoc[] = [];
  const items = itemMarkers(block);
  for (let k = 0; k < items.length; k += 3) {
    const end = k + 3 < items.length ? items[k + 3]! : block.length;
    let item = block.slice(items[k + 1]!, end).trim();
    if (item.startsWith('"Title: ')) {
      item = item.slice(1);
      if (item.endsWith('"')) item = item.slice(0, -1);
      item = item.replace(/""/g, '"');
    }
    let title = '';
    let text = item;
    const titled = item.startsWith('Title:') ? /^Title:\s*([\s\S]*?)\s+Text:\s*([\s\S]*)$/.exec(item) : null;
    if (titled) {
      title = titled[1]!.trim();
      text = titled[2]!.trim();
    } else {
      // `^(.*?) {3,}([\s\S]*)$`: the title runs to the first three spaces, if no line ends before them.
      const gap = item.indexOf('   ');
      if (gap >= 0 && !endsLine(item, gap)) {
        title = item.slice(0, gap).trim();
        text = item.slice(gap).trim();
      }
    }
    docs.push({ id: `${title || `search${searchIndex + 1}`}#${shortHash(text)}`, rank: items[k + 2]!, score: 0, title, text });
  }
  return docs;
}

/** Whether `s` holds a line terminator (what a regular expression's `.` stops at) before `end`. */
function endsLine(s: string, end: number): boolean {
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029) return true;
  }
  return false;
}

/**
 * The item markers of a documents block, as `splitNumbered(block, /^\((\d+)\)/)` finds them (a line
 * start is the block's start or a place after \n, \r, U+2028 or U+2029), without a regular
 * expression's match objects: per marker, where it starts, where its body starts and its number.
 */
function itemMarkers(block: string): number[] {
  const out: number[] = [];
  for (let at = block.indexOf('('); at >= 0; at = block.indexOf('(', at + 1)) {
    if (at > 0) {
      const p = block.charCodeAt(at - 1);
      if (p !== 0x0a && p !== 0x0d && p !== 0x2028 && p !== 0x2029) continue;
    }
    let j = at + 1;
    for (let c = block.charCodeAt(j); c >= 0x30 && c <= 0x39; c = block.charCodeAt(++j));
    if (j === at + 1 || block.charCodeAt(j) !== 0x29) continue;
    out.push(at, j + 1, Number(block.slice(at + 1, j)));
  }
  return out;
}
