/** The part of a trajectory's raw transcript the model wrote (with spliced documents), without the prompt. */
import { BUILTIN_TEMPLATES, renderPrompt, type Template } from '../templates';
import type { Trajectory } from '../trace';

const ASSISTANT_MARKERS = ['<|im_start|>assistant\n', '<|im_start|>assistant', '<|start_header_id|>assistant<|end_header_id|>'];

export function modelOutput(t: Pick<Trajectory, 'raw' | 'question' | 'policy'>, template?: Template): string {
  const tpl = template ?? BUILTIN_TEMPLATES[t.policy.template];
  if (tpl) {
    const prompt = renderPrompt(tpl, t.question);
    const at = t.raw.indexOf(prompt);
    // Chat runs record `User: <prompt>\nAssistant: <output>`.
    if (at >= 0) return t.raw.slice(at + prompt.length).replace(/^\s*Assistant:[ \t]?/, '');
  }
  for (const m of ASSISTANT_MARKERS) {
    const at = t.raw.indexOf(m);
    if (at >= 0) return t.raw.slice(at + m.length);
  }
  return t.raw;
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
