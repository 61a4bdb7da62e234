/**
 * One trajectory as spans both conventions read, on every span at once:
 *  - GenAI semantic conventions (open-telemetry/semantic-conventions, docs/gen-ai/, Development status;
 *    now in open-telemetry/semantic-conventions-genai): `invoke_agent` for the trajectory,
 *    `chat`/`text_completion` per model call, `retrieval` per search, `gen_ai.evaluation.result` events
 *    for scores.
 *  - OpenInference (Arize-ai/openinference, spec/semantic_conventions.md), which Phoenix and Langfuse
 *    read: `openinference.span.kind` AGENT / LLM / RETRIEVER, `input.*`/`output.*`, `llm.*`,
 *    `retrieval.documents.*`, `session.id`, `tag.tags`, `metadata`.
 *  - `hopscope.*`: the few things neither has a key for (trajectory id, run id, step indices).
 * Every attribute has one type wherever it appears (AttrList), and the source of each is named beside it.
 */
import { createHash } from 'node:crypto';
import type { Rewards, Step, Trajectory } from '../trace';
import { verdict } from '../verdict';
import { AttrList } from './otelAttrs';
import { callInput, callOutput, genAiMessages, modelCalls, openInferenceMessages, type ModelCall } from './otelMessages';
import type { OtelOptions, OtlpEvent, OtlpSpan } from './otel';

/** OTLP SpanKind and StatusCode (opentelemetry-proto, trace/v1/trace.proto). */
const SPAN_KIND = { internal: 1, client: 3 } as const;
const STATUS_ERROR = 2;

/** Before this a `createdAt` is a placeholder (an epoch default, a parse of garbage), not a run's time. */
const PLAUSIBLE_SINCE_MS = Date.UTC(2000, 0, 1);

function hexId(seed: string, bytes: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, bytes * 2);
}

/** The trace id of a trajectory: a hash of its run and id, so sending a file twice sends the same trace. */
export function traceIdOf(t: Pick<Trajectory, 'runId' | 'id'>): string {
  return hexId(`hopscope:${t.runId}:${t.id}`, 16);
}

const nanos = (ms: number) => `${BigInt(Math.round(ms)) * 1_000_000n}`;

/** When the trajectory started: its own time, else the fallback (the file's), else now; never 1970 or before. */
export function startMs(t: Pick<Trajectory, 'createdAt'>, fallbackMs?: number): number {
  const own = Date.parse(t.createdAt);
  if (Number.isFinite(own) && own >= PLAUSIBLE_SINCE_MS) return own;
  if (fallbackMs !== undefined && Number.isFinite(fallbackMs) && fallbackMs >= PLAUSIBLE_SINCE_MS) return fallbackMs;
  return Date.now();
}

/** `server.address` and `server.port` (OpenTelemetry server.* conventions): the port defaults by scheme. */
function serverAttrs(attrs: AttrList, url: string | undefined): void {
  if (!url) return;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return;
  }
  if (!u.hostname) return;
  const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : u.protocol === 'http:' ? 80 : undefined;
  if (port === undefined) return;
  attrs.str('server.address', u.hostname.replace(/^\[|\]$/g, '')).int('server.port', port);
}

/**
 * `error.type` (OpenTelemetry error.* conventions): low-cardinality, so an HTTP status or `timeout`
 * where the message names one, else `_OTHER` as the convention's fallback.
 */
export function errorType(message: string): string {
  const status = /\b(?:HTTP|status)\s*(\d{3})\b/i.exec(message) ?? /\b([45]\d\d)\b/.exec(message);
  if (status) return status[1]!;
  if (/timed? ?out|timeout/i.test(message)) return 'timeout';
  return '_OTHER';
}

function markError(span: OtlpSpan, message: string): void {
  span.status = { code: STATUS_ERROR, message };
  span.attributes.push({ key: 'error.type', value: { stringValue: errorType(message) } });
}

/** GenAI `gen_ai.evaluation.result` event: `gen_ai.evaluation.name` and a double `gen_ai.evaluation.score.value`. */
function evaluationEvents(rewards: Rewards | Record<string, number | undefined>, at: string): OtlpEvent[] {
  const out: OtlpEvent[] = [];
  for (const [name, v] of Object.entries(rewards)) {
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    out.push({ timeUnixNano: at, name: 'gen_ai.evaluation.result', attributes: new AttrList().str('gen_ai.evaluation.name', name).double('gen_ai.evaluation.score.value', v).list });
  }
  return out;
}

function numberParam(params: Record<string, unknown>, ...keys: string[]): number | undefined {
  for (const k of keys) if (typeof params[k] === 'number') return params[k] as number;
  return undefined;
}

/** Request settings every model-call span (and the agent span) carries. */
function requestAttrs(attrs: AttrList, t: Trajectory, model: string | undefined): void {
  const p = t.policy.params;
  // GenAI: gen_ai.provider.name is the API flavour the client speaks (OpenAI-compatible), known only for live runs.
  if (t.policy.endpoint) attrs.str('gen_ai.provider.name', 'openai');
  attrs
    .str('gen_ai.request.model', model) // GenAI
    .double('gen_ai.request.temperature', numberParam(p, 'temperature')) // GenAI (double)
    .double('gen_ai.request.top_p', numberParam(p, 'topP', 'top_p')) // GenAI (double)
    .int('gen_ai.request.max_tokens', numberParam(p, 'maxTokens', 'max_tokens')) // GenAI (int)
    .int('gen_ai.request.seed', numberParam(p, 'seed')); // GenAI (int)
  serverAttrs(attrs, t.policy.endpoint); // OpenTelemetry server.* (server.port whenever server.address)
}

interface SpanFrame {
  traceId: string;
  rootId: string;
  sessionId: string;
  content: boolean;
}

function modelCallSpan(t: Trajectory, calls: ModelCall[], i: number, frame: SpanFrame, startedMs: number, endedMs: number): OtlpSpan {
  const call = calls[i]!;
  const chat = t.policy.template === 'search-r1' || t.policy.template === 'openai-chat' || t.policy.template === 'inspect';
  const op = chat ? 'chat' : 'text_completion'; // GenAI gen_ai.operation.name well-known values
  const model = t.policy.model && t.policy.model !== 'unknown' ? t.policy.model : undefined;
  const last = i === calls.length - 1;
  const finish = !call.search && last && t.stopReason === 'length' ? 'length' : 'stop';
  const tokens = call.steps.reduce((n, s) => n + (s.step.tokens ?? 0), 0);
  const a = new AttrList()
    .str('gen_ai.operation.name', op) // GenAI
    .str('openinference.span.kind', 'LLM'); // OpenInference
  requestAttrs(a, t, model);
  a.strs('gen_ai.response.finish_reasons', [finish]) // GenAI (string[])
    .int('gen_ai.usage.output_tokens', tokens || undefined) // GenAI (int)
    .str('llm.model_name', model) // OpenInference
    .str('llm.system', t.policy.endpoint ? 'openai' : undefined) // OpenInference: the API the client speaks, known for live runs
    .int('llm.token_count.completion', tokens || undefined) // OpenInference (int)
    .str('session.id', frame.sessionId); // OpenInference
  if (Object.keys(t.policy.params).length) a.json('llm.invocation_parameters', t.policy.params); // OpenInference (JSON string)
  if (frame.content) {
    const input = callInput(t, calls, i);
    const output = [callOutput(call)];
    a.json('gen_ai.input.messages', genAiMessages(input)) // GenAI (JSON string: structured form is not encodable here)
      .json('gen_ai.output.messages', genAiMessages(output, finish)); // GenAI
    openInferenceMessages(a, 'llm.input_messages', input); // OpenInference
    openInferenceMessages(a, 'llm.output_messages', output); // OpenInference
    // No OpenInference input.value/output.value here: they would repeat the messages a third time (each call's
    // input holds every earlier document, so it is the bulk of the export) and Phoenix shows llm.*_messages.
  }
  a.strs('hopscope.step.indices', call.steps.map((s) => String(s.index))); // Hopscope: which steps this call wrote
  const end = nanos(endedMs);
  const span: OtlpSpan = {
    traceId: frame.traceId,
    spanId: hexId(`${frame.traceId}:call:${i}`, 8),
    parentSpanId: frame.rootId,
    name: model ? `${op} ${model}` : op, // GenAI span name `{gen_ai.operation.name} {gen_ai.request.model}`
    kind: SPAN_KIND.client, // GenAI: inference spans are CLIENT
    startTimeUnixNano: nanos(startedMs),
    endTimeUnixNano: end,
    attributes: a.list,
    events: call.steps.flatMap((s) => evaluationEvents(s.step.rewards, end)),
    status: { code: 0 },
  };
  const errors = call.steps.map((s) => s.step.error).filter((e): e is string => !!e);
  if (errors.length) markError(span, errors.join('; '));
  return span;
}

function retrievalSpan(t: Trajectory, call: ModelCall, frame: SpanFrame, startedMs: number, endedMs: number): OtlpSpan {
  const { step: s, index } = call.search!;
  const source = t.retriever.kind;
  const a = new AttrList()
    .str('gen_ai.operation.name', 'retrieval') // GenAI retrieval span
    .str('gen_ai.data_source.id', source) // GenAI
    .double('gen_ai.request.top_k', t.retriever.topK || undefined) // GenAI (double, as the convention types it)
    .str('openinference.span.kind', 'RETRIEVER') // OpenInference
    .str('session.id', frame.sessionId); // OpenInference
  if (/^https?:\/\//.test(t.retriever.index ?? '')) serverAttrs(a, t.retriever.index);
  // GenAI gen_ai.retrieval.documents: [{id, score}] (JSON string: structured form is not encodable here).
  a.json('gen_ai.retrieval.documents', s.docs.map((d) => ({ id: d.id, score: d.score })));
  if (frame.content) {
    a.str('gen_ai.retrieval.query.text', s.query) // GenAI
      .str('input.value', s.query) // OpenInference
      .str('input.mime_type', 'text/plain'); // OpenInference
  }
  s.docs.forEach((d, n) => {
    // OpenInference retrieval.documents.N.document.{id,score,content,metadata}; metadata is a JSON string.
    const at = `retrieval.documents.${n}.document`;
    a.str(`${at}.id`, d.id).double(`${at}.score`, d.score);
    if (frame.content) a.str(`${at}.content`, d.text);
    const meta: Record<string, unknown> = { rank: d.rank };
    if (frame.content) meta.title = d.title;
    if (d.path !== undefined) meta.path = d.path;
    if (d.startLine !== undefined) meta.startLine = d.startLine;
    if (d.endLine !== undefined) meta.endLine = d.endLine;
    a.json(`${at}.metadata`, meta);
  });
  a.int('hopscope.step.index', index); // Hopscope: the step this search is
  const end = nanos(endedMs);
  const span: OtlpSpan = {
    traceId: frame.traceId,
    spanId: hexId(`${frame.traceId}:tool:${index}`, 8),
    parentSpanId: frame.rootId,
    name: `retrieval ${source}`, // GenAI span name `{gen_ai.operation.name} {gen_ai.data_source.id}`
    kind: t.retriever.kind === 'remote' ? SPAN_KIND.client : SPAN_KIND.internal,
    startTimeUnixNano: nanos(startedMs),
    endTimeUnixNano: end,
    attributes: a.list,
    events: evaluationEvents(s.rewards, end),
    status: { code: 0 },
  };
  if (s.error) markError(span, s.error);
  return span;
}

function agentSpan(t: Trajectory, frame: SpanFrame, startedMs: number, endedMs: number): OtlpSpan {
  const agent = t.policy.template || 'hopscope';
  const model = t.policy.model && t.policy.model !== 'unknown' ? t.policy.model : undefined;
  const a = new AttrList()
    .str('gen_ai.operation.name', 'invoke_agent') // GenAI agent span
    .str('gen_ai.agent.name', agent) // GenAI
    .str('openinference.span.kind', 'AGENT') // OpenInference
    .str('agent.name', agent); // OpenInference
  requestAttrs(a, t, model);
  a.int('gen_ai.usage.input_tokens', t.usage.promptTokens) // GenAI (int)
    .int('gen_ai.usage.output_tokens', t.usage.completionTokens) // GenAI (int)
    .str('session.id', frame.sessionId) // OpenInference: the run groups its trajectories; no conversation id is made up
    .strs('tag.tags', [...new Set(t.labels.map((l) => l.label))]); // OpenInference (string[]): diagnosis labels
  if (frame.content) {
    a.json('gen_ai.input.messages', genAiMessages([{ role: 'user', text: t.question }])) // GenAI
      .str('input.value', t.question) // OpenInference
      .str('input.mime_type', 'text/plain'); // OpenInference
    if (t.answer !== null) {
      a.json('gen_ai.output.messages', genAiMessages([{ role: 'assistant', text: t.answer }], 'stop')) // GenAI
        .str('output.value', t.answer) // OpenInference
        .str('output.mime_type', 'text/plain'); // OpenInference
    }
  }
  const meta: Record<string, unknown> = { trajectory_id: t.id, run_id: t.runId, stop_reason: t.stopReason, template: t.policy.template, retriever: t.retriever.kind, top_k: t.retriever.topK };
  if (t.dataset) meta.dataset = t.dataset;
  if (frame.content && t.gold) meta.gold = t.gold;
  if (t.source?.format) meta.source_format = t.source.format;
  a.json('metadata', meta) // OpenInference (JSON string)
    .str('hopscope.trajectory.id', t.id) // Hopscope
    .str('hopscope.run.id', t.runId); // Hopscope
  const end = nanos(endedMs);
  const events = [...evaluationEvents(t.outcome, end), ...evaluationEvents(t.rewards, end)];
  // The one verdict (src/core/verdict.ts) as a labelled evaluation, so a backend can filter correct / wrong runs.
  const v = verdict(t);
  events.push({
    timeUnixNano: end,
    name: 'gen_ai.evaluation.result',
    attributes: new AttrList().str('gen_ai.evaluation.name', 'verdict').str('gen_ai.evaluation.score.label', v.verdict).str('gen_ai.evaluation.explanation', v.why).list,
  });
  for (const l of t.labels) {
    // A diagnosis is an evaluation with a label and no score (GenAI gen_ai.evaluation.score.label, .explanation).
    events.push({
      timeUnixNano: end,
      name: 'gen_ai.evaluation.result',
      attributes: new AttrList().str('gen_ai.evaluation.name', 'diagnosis').str('gen_ai.evaluation.score.label', l.label).str('gen_ai.evaluation.explanation', l.explanation).list,
    });
  }
  const span: OtlpSpan = {
    traceId: frame.traceId,
    spanId: frame.rootId,
    name: `invoke_agent ${agent}`, // GenAI span name `invoke_agent {gen_ai.agent.name}`
    kind: SPAN_KIND.internal, // GenAI: an agent run in-process is INTERNAL
    startTimeUnixNano: nanos(startedMs),
    endTimeUnixNano: end,
    attributes: a.list,
    events,
    status: { code: 0 }, // success stays UNSET (OpenTelemetry: instrumentation leaves OK to the application)
  };
  if (t.stopReason === 'error') markError(span, t.error ?? 'the run stopped with an error');
  return span;
}

/** Milliseconds a step took; imported rollouts carry none, and 1 ms keeps the order visible on a timeline. */
const took = (steps: Step[]) => Math.max(1, steps.reduce((n, s) => n + (s.ms ?? 0), 0));

export function trajectorySpans(t: Trajectory, options: OtelOptions = {}): OtlpSpan[] {
  const traceId = traceIdOf(t);
  const frame: SpanFrame = { traceId, rootId: hexId(`${traceId}:root`, 8), sessionId: t.runId, content: options.content !== false };
  const start = startMs(t, options.fallbackTimeMs);
  const calls = modelCalls(t.steps);
  const children: OtlpSpan[] = [];
  let clock = start;
  calls.forEach((call, i) => {
    const callStart = clock;
    clock += took(call.steps.map((s) => s.step));
    children.push(modelCallSpan(t, calls, i, frame, callStart, clock));
    if (call.search) {
      const searchStart = clock;
      clock += took([call.search.step]);
      children.push(retrievalSpan(t, call, frame, searchStart, clock));
    }
  });
  const end = Math.max(clock, start + (t.timing.totalMs ?? 0));
  return [agentSpan(t, frame, start, end), ...children];
}
