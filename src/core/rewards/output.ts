/** The part of a trajectory's raw transcript the model wrote (with spliced documents), without the prompt. */
import { BUILTIN_TEMPLATES, renderPrompt, type Template } from '../templates';
import type { Trajectory } from '../trace';

const ASSISTANT_MARKERS = ['<|im_start|>assistant\n', '<|im_start|>assistant', '<|start_header_id|>assistant<|end_header_id|>'];
/** What every one of them holds: where it is absent, none is there. */
const MARKER_CORE = '|>assistant';

export function modelOutput(t: Pick<Trajectory, 'raw' | 'question' | 'policy'>, template?: Template): string {
  const tpl = template ?? BUILTIN_TEMPLATES[t.policy.template];
  // The format check, the upstream reward and the outcome each ask for the same trajectory's output,
  // and finding it scans the whole transcript several times: keep the last answer.
  // Keyed by the rendered prompt, not the template object, so an edited template is never stale.
  const prompt = tpl ? promptOf(tpl, t.question) : undefined;
  const last = lastOutput;
  if (last && last.raw === t.raw && last.prompt === prompt) return last.output;
  const output = findOutput(t.raw, prompt);
  lastOutput = { raw: t.raw, prompt, output };
  return output;
}

let lastOutput: { raw: string; prompt: string | undefined; output: string } | undefined;

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

function findOutput(raw: string, prompt: string | undefined): string {
  if (prompt !== undefined) {
    const at = raw.indexOf(prompt);
    // Chat runs record `User: <prompt>\nAssistant: <output>`.
    if (at >= 0) return raw.slice(at + prompt.length).replace(/^\s*Assistant:[ \t]?/, '');
  }
  // Most transcripts (a training run's outputs) hold none of the markers: one scan for what they all
  // hold tells, before looking for each in its order of preference.
  if (!raw.includes(MARKER_CORE)) return raw;
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
