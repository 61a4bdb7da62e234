/**
 * A trajectory's model calls and the messages around each: what the model was given (the prompt, its own
 * earlier turns and the documents spliced after each query) and what it wrote (reasoning, then a query
 * or an answer). Rendered once as GenAI JSON messages and once as OpenInference flattened attributes.
 */
import { BUILTIN_TEMPLATES, formatDocs, renderPrompt } from '../templates';
import type { SearchStep, Step, Trajectory } from '../trace';
import type { AttrList } from './otelAttrs';

export interface IndexedStep<S extends Step = Step> {
  step: S;
  index: number;
}

/** One model call: the reason/answer steps it wrote, and the search its query started, if any. */
export interface ModelCall {
  steps: IndexedStep[];
  search?: IndexedStep<SearchStep>;
}

/** A message in a model call's input or output, independent of either convention's encoding. */
export interface Turn {
  role: 'system' | 'user' | 'assistant' | 'tool';
  text?: string;
  reasoning?: string;
  /** The search the assistant asked for (a tool call named `search`). */
  call?: { id: string; query: string };
  /** The documents a search returned, as spliced into the context. */
  result?: { id: string; content: string };
}

/** Each model call ends with the query it wrote, with the answer, or with the trajectory. */
export function modelCalls(steps: readonly Step[]): ModelCall[] {
  const calls: ModelCall[] = [];
  let current: IndexedStep[] = [];
  steps.forEach((step, index) => {
    if (step.kind === 'search') {
      calls.push({ steps: current, search: { step, index } });
      current = [];
      return;
    }
    current.push({ step, index });
    if (step.kind === 'answer') {
      calls.push({ steps: current });
      current = [];
    }
  });
  if (current.length) calls.push({ steps: current });
  return calls;
}

export const toolCallId = (searchIndex: number) => `search-${searchIndex}`;

/** What the model wrote in one call. */
export function callOutput(call: ModelCall): Turn {
  const reasoning = call.steps.filter((s) => s.step.kind === 'reason').map((s) => (s.step as { text: string }).text);
  const answer = call.steps.find((s) => s.step.kind === 'answer')?.step as { text: string } | undefined;
  const turn: Turn = { role: 'assistant' };
  if (reasoning.length) turn.reasoning = reasoning.join('\n\n');
  if (answer) turn.text = answer.text;
  if (call.search) turn.call = { id: toolCallId(call.search.index), query: call.search.step.query };
  return turn;
}

/** The documents as the model read them: the template's splice when it is a built-in one, else a plain list. */
function splicedDocs(t: Trajectory, s: SearchStep): string {
  const template = Object.hasOwn(BUILTIN_TEMPLATES, t.policy.template) ? BUILTIN_TEMPLATES[t.policy.template] : undefined;
  if (template) return formatDocs(template, s.docs);
  return s.docs.map((d) => `(${d.rank}) ${d.title}\n${d.text}`).join('\n');
}

/** What call `i` was given: the prompt, then every earlier call's output and the documents it got back. */
export function callInput(t: Trajectory, calls: readonly ModelCall[], i: number): Turn[] {
  const template = Object.hasOwn(BUILTIN_TEMPLATES, t.policy.template) ? BUILTIN_TEMPLATES[t.policy.template] : undefined;
  const turns: Turn[] = [];
  if (template?.system) turns.push({ role: 'system', text: template.system });
  turns.push({ role: 'user', text: template ? renderPrompt(template, t.question) : t.question });
  for (const call of calls.slice(0, i)) {
    turns.push(callOutput(call));
    if (call.search) turns.push({ role: 'tool', result: { id: toolCallId(call.search.index), content: splicedDocs(t, call.search.step) } });
  }
  return turns;
}

/**
 * GenAI semantic conventions, `gen_ai.input.messages` / `gen_ai.output.messages` JSON schema
 * (open-telemetry/semantic-conventions, docs/gen-ai/gen-ai-input-messages.json and
 * gen-ai-output-messages.json): `{role, parts: [{type: text|reasoning|tool_call|tool_call_response}]}`,
 * output messages with `finish_reason`.
 */
export function genAiMessages(turns: readonly Turn[], finishReason?: string): unknown[] {
  return turns.map((m) => {
    const parts: unknown[] = [];
    if (m.reasoning !== undefined) parts.push({ type: 'reasoning', content: m.reasoning });
    if (m.text !== undefined) parts.push({ type: 'text', content: m.text });
    if (m.call) parts.push({ type: 'tool_call', id: m.call.id, name: 'search', arguments: { query: m.call.query } });
    if (m.result) parts.push({ type: 'tool_call_response', id: m.result.id, response: m.result.content });
    return finishReason === undefined ? { role: m.role, parts } : { role: m.role, parts, finish_reason: finishReason };
  });
}

/**
 * OpenInference semantic conventions (Arize-ai/openinference, spec/semantic_conventions.md):
 * `<prefix>.N.message.role`, `.message.content`, `.message.tool_calls.K.tool_call.{id,function.name,
 * function.arguments}`, and `.message.tool_call_id` on a tool's reply. Reasoning and text share
 * `message.content`, reasoning first, as the model wrote them.
 */
export function openInferenceMessages(attrs: AttrList, prefix: 'llm.input_messages' | 'llm.output_messages', turns: readonly Turn[]): void {
  turns.forEach((m, n) => {
    const at = `${prefix}.${n}.message`;
    attrs.str(`${at}.role`, m.role);
    const content = [m.reasoning, m.text, m.result?.content].filter((x): x is string => x !== undefined).join('\n\n');
    if (content) attrs.str(`${at}.content`, content);
    if (m.call) {
      attrs.str(`${at}.tool_calls.0.tool_call.id`, m.call.id);
      attrs.str(`${at}.tool_calls.0.tool_call.function.name`, 'search');
      attrs.json(`${at}.tool_calls.0.tool_call.function.arguments`, { query: m.call.query });
    }
    if (m.result) attrs.str(`${at}.tool_call_id`, m.result.id).str(`${at}.name`, 'search');
  });
}
