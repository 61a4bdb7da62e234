/** The part of a trajectory's raw transcript the model wrote (with spliced documents), without the prompt. */
import { BUILTIN_TEMPLATES, renderPrompt, type Template } from '../templates';
import type { Trajectory } from '../trace';
import { ASSISTANT_WORD, hasAssistantWord } from './assistantWord';

const ASSISTANT_MARKERS = ['<|im_start|>assistant\n', '<|im_start|>assistant', '<|start_header_id|>assistant<|end_header_id|>'];
/** What every one of them holds: where it is absent, none is there. */
const MARKER_CORE = '|>assistant';

export function modelOutput(t: Pick<Trajectory, 'raw' | 'question' | 'policy'>, template?: Template): string {
  const tpl = template ?? BUILTIN_TEMPLATES[t.policy.template];
  // The format check, the upstream reward and the outcome each ask for the same trajectory's output,
  // and finding it scans the whole transcript: keep the last answer. Keyed by the prompt's template
  // text and the question, what the rendered prompt is made of, so an edited template is never stale.
  const last = lastOutput;
  if (last && last.raw === t.raw && last.template === tpl?.prompt && last.question === t.question) return last.output;
  const output = findOutput(t.raw, tpl, t.question);
  lastOutput = { raw: t.raw, template: tpl?.prompt, question: t.question, output };
  return output;
}

let lastOutput: { raw: string; template: string | undefined; question: string; output: string } | undefined;

/**
 * The rendered prompt, kept for the last template text and question: the format check, the upstream
 * reward and the outcome each render it for the same trajectory (a KB or more each time).
 */
function promptOf(tpl: Template, question: string): string {
  const last = lastPrompt;
  if (last && last.template === tpl.prompt && last.question === question) return last.prompt;
  const prompt = renderPrompt(tpl, question);
  lastPrompt = { template: tpl.prompt, question, prompt };
  return prompt;
}

let lastPrompt: { template: string; question: string; prompt: string } | undefined;

/**
 * Whether every prompt rendered from this template text holds "Assistant" or "assistant" (R1-Searcher's
 * do): a text of the template's own, around the question, holds it. Kept for the last template text.
 */
function promptHoldsWord(template: string): boolean {
  if (template !== lastTemplate) {
    lastTemplateHolds = template.split(QUESTION).some((part) => ASSISTANT_WORD.test(part));
    lastTemplate = template;
  }
  return lastTemplateHolds;
}

/** What renderPrompt replaces (templates.ts). */
const QUESTION = '{question}';
let lastTemplate: string | undefined;
let lastTemplateHolds = false;

function findOutput(raw: string, tpl: Template | undefined, question: string): string {
  // A training run's output holds neither its prompt nor a marker, and mostly not the word either: one
  // scan for the word (which the R1-Searcher rules ask of the same text next, assistantWord.ts) rules
  // out every marker, and the prompt where it holds the word, instead of a scan for each.
  const wordless = !hasAssistantWord(raw);
  if (tpl && !(wordless && promptHoldsWord(tpl.prompt))) {
    const prompt = promptOf(tpl, question);
    const at = raw.indexOf(prompt);
    // Chat runs record `User: <prompt>\nAssistant: <output>`.
    if (at >= 0) return raw.slice(at + prompt.length).replace(/^\s*Assistant:[ \t]?/, '');
  }
  // Every marker holds what they all hold, and that holds the word: where either is absent, none is there.
  if (wordless || !raw.includes(MARKER_CORE)) return raw;
  for (const m of ASSISTANT_MARKERS) {
    const at = raw.indexOf(m);
    if (at >= 0) return raw.slice(at + m.length);
  }
  return raw;
}

/**
 * The model output as the source's reward code sees it: a loop that stopped on the answer's stop string
 * drops `</answer>` from its text, while upstream generation keeps it, so a finished run with an open
 * last answer gets it back.
 */
export function stoppedOutput(t: Pick<Trajectory, 'raw' | 'question' | 'policy' | 'stopReason'>, template?: Template): string {
  const output = modelOutput(t, template);
  const tpl = template ?? BUILTIN_TEMPLATES[t.policy.template];
  if (t.stopReason !== 'finished' || !tpl) return output;
  const open = output.lastIndexOf(tpl.answerBegin);
  return open >= 0 && output.indexOf(tpl.answerEnd, open) < 0 ? output + tpl.answerEnd : output;
}
