/**
 * OTLP traces of agents instrumented with the GenAI semantic conventions or OpenInference (Phoenix,
 * Langfuse and OpenLLMetry exports, collector file dumps, Hopscope's own export) as trajectories, one
 * per trace: the agent span (`invoke_agent` / AGENT) gives the question and the answer; each model call
 * (`chat`, `text_completion`, `generate_content` / LLM) gives reasoning (and the answer when the agent
 * span has none); each retrieval (`retrieval` / RETRIEVER, or a search tool's `execute_tool` / TOOL) a
 * search with its documents. Files are OTLP/JSON (one request, or one per line as the collector's file
 * exporter writes) or a binary ExportTraceServiceRequest.
 */
import { InputError } from '../errors';
import { decodeTraces } from '../otel/protobuf';
import type { RetrievedDoc, Step, Trajectory } from '../trace';
import { byTrace, collectSpans, type ReadSpan } from './otlpSpans';
import { goldList, importedTrajectory, judgeVerdict } from './record';
import type { ImportContext, ImportProblem, Parsed } from './types';

type Kind = 'agent' | 'llm' | 'retrieval' | 'other';

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function parseJson(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return undefined;
  }
}

const SEARCH_TOOL = /search|retriev|lookup|wiki/i;

function kindOf(s: ReadSpan): Kind {
  const oi = str(s.attrs.get('openinference.span.kind'))?.toUpperCase();
  const op = str(s.attrs.get('gen_ai.operation.name'));
  if (oi === 'AGENT' || op === 'invoke_agent') return 'agent';
  if (oi === 'LLM' || op === 'chat' || op === 'text_completion' || op === 'generate_content') return 'llm';
  if (oi === 'RETRIEVER' || op === 'retrieval') return 'retrieval';
  const tool = str(s.attrs.get('gen_ai.tool.name')) ?? str(s.attrs.get('tool.name'));
  if ((op === 'execute_tool' || oi === 'TOOL') && tool && SEARCH_TOOL.test(tool)) return 'retrieval';
  return 'other';
}

interface Message {
  role: string;
  texts: string[];
  reasoning: string[];
}

/** GenAI `gen_ai.{input,output}.messages`: `[{role, parts: [{type, content}]}]`, as JSON text or structured. */
function genAiMessages(v: unknown): Message[] | undefined {
  const list = parseJson(v);
  if (!Array.isArray(list)) return undefined;
  return list
    .filter((m): m is Record<string, unknown> => !!m && typeof m === 'object')
    .map((m) => {
      const parts = Array.isArray(m.parts) ? (m.parts as Array<Record<string, unknown>>) : [];
      const of = (type: string) => parts.filter((p) => p && p.type === type && typeof p.content === 'string').map((p) => p.content as string);
      // Older producers put a plain `content` on the message.
      const texts = of('text');
      if (!texts.length && typeof m.content === 'string') texts.push(m.content);
      return { role: str(m.role) ?? '', texts, reasoning: of('reasoning') };
    });
}

/** OpenInference `llm.{input,output}_messages.N.message.{role,content}` (flattened). */
function openInferenceMessages(s: ReadSpan, prefix: string): Message[] | undefined {
  const out: Message[] = [];
  for (let n = 0; s.attrs.has(`${prefix}.${n}.message.role`) || s.attrs.has(`${prefix}.${n}.message.content`); n++) {
    const at = `${prefix}.${n}.message`;
    const content = str(s.attrs.get(`${at}.content`));
    const texts = content ? [content] : [];
    const reasoning: string[] = [];
    // Multi-part messages: `message.contents.K.message_content.{type,text}`, reasoning as type "reasoning".
    for (let k = 0; !content && s.attrs.has(`${at}.contents.${k}.message_content.type`); k++) {
      const text = str(s.attrs.get(`${at}.contents.${k}.message_content.text`));
      if (text === undefined) continue;
      if (s.attrs.get(`${at}.contents.${k}.message_content.type`) === 'reasoning') reasoning.push(text);
      else texts.push(text);
    }
    out.push({ role: str(s.attrs.get(`${at}.role`)) ?? '', texts, reasoning });
  }
  return out.length ? out : undefined;
}

/** A plain `input.value` / `output.value`, or the text inside a JSON one. */
function valueText(s: ReadSpan, key: 'input.value' | 'output.value', role: 'user' | 'assistant'): string | undefined {
  const v = str(s.attrs.get(key));
  if (v === undefined) return undefined;
  const mime = str(s.attrs.get(key.replace('value', 'mime_type')));
  // Instrumentations often leave the mime type out on JSON values: a JSON object or array is read as JSON.
  if (mime !== 'application/json' && !(mime === undefined && /^\s*[[{]/.test(v))) return v;
  const parsed = parseJson(v);
  if (parsed === undefined) return v;
  const asMessages = genAiMessages(parsed);
  if (asMessages?.length) return lastText(asMessages, role);
  if (parsed && typeof parsed === 'object') {
    const o = parsed as Record<string, unknown>;
    for (const k of ['question', 'query', 'input', 'output', 'answer', 'text', 'content']) if (typeof o[k] === 'string') return o[k] as string;
  }
  return v;
}

function lastText(messages: Message[], role: string): string | undefined {
  const m = [...messages].reverse().find((x) => x.role === role && x.texts.length);
  return m ? m.texts.join('\n') : undefined;
}

function firstText(messages: Message[], role: string): string | undefined {
  const m = messages.find((x) => x.role === role && x.texts.length);
  return m ? m.texts.join('\n') : undefined;
}

function outputOf(s: ReadSpan): Message | undefined {
  const ms = genAiMessages(s.attrs.get('gen_ai.output.messages')) ?? openInferenceMessages(s, 'llm.output_messages');
  const m = ms?.find((x) => x.role === 'assistant') ?? ms?.[0];
  if (m) return m;
  const text = valueText(s, 'output.value', 'assistant');
  return text !== undefined ? { role: 'assistant', texts: [text], reasoning: [] } : undefined;
}

/** A search's query: GenAI `gen_ai.retrieval.query.text`, OpenInference `input.value`, or a tool call's arguments. */
function queryOf(s: ReadSpan): string {
  const q = str(s.attrs.get('gen_ai.retrieval.query.text')) ?? valueText(s, 'input.value', 'user');
  if (q !== undefined) return q;
  const args = parseJson(s.attrs.get('gen_ai.tool.call.arguments') ?? s.attrs.get('tool_call.function.arguments'));
  if (args && typeof args === 'object') {
    const o = args as Record<string, unknown>;
    for (const k of ['query', 'q', 'search', 'input']) if (typeof o[k] === 'string') return o[k] as string;
  }
  return typeof args === 'string' ? args : '';
}

function docFrom(n: number, id: unknown, score: unknown, content: unknown, metadata: unknown): RetrievedDoc {
  const meta = (parseJson(metadata) ?? {}) as Record<string, unknown>;
  const d: RetrievedDoc = {
    id: id === undefined || id === null ? `doc-${n + 1}` : String(id),
    rank: num(meta.rank) ?? n + 1,
    score: num(score) ?? 0,
    title: str(meta.title) ?? '',
    text: str(content) ?? '',
  };
  if (typeof meta.path === 'string') d.path = meta.path;
  if (num(meta.startLine) !== undefined) d.startLine = num(meta.startLine);
  if (num(meta.endLine) !== undefined) d.endLine = num(meta.endLine);
  return d;
}

/**
 * The documents of a search: OpenInference `retrieval.documents.N.document.*` first (they carry the
 * content), else GenAI `gen_ai.retrieval.documents` (ids and scores), else a search tool's JSON result.
 */
function docsOf(s: ReadSpan): RetrievedDoc[] {
  const docs: RetrievedDoc[] = [];
  for (let n = 0; [...['id', 'content', 'score']].some((f) => s.attrs.has(`retrieval.documents.${n}.document.${f}`)); n++) {
    const at = `retrieval.documents.${n}.document`;
    docs.push(docFrom(n, s.attrs.get(`${at}.id`), s.attrs.get(`${at}.score`), s.attrs.get(`${at}.content`), s.attrs.get(`${at}.metadata`)));
  }
  if (docs.length) return docs;
  const list = parseJson(s.attrs.get('gen_ai.retrieval.documents') ?? s.attrs.get('gen_ai.tool.call.result'));
  if (!Array.isArray(list)) return [];
  return list.map((d, n) => {
    const o = (d && typeof d === 'object' ? d : { content: d }) as Record<string, unknown>;
    return docFrom(n, o.id, o.score, o.content ?? o.text ?? o.contents, { ...o, rank: o.rank });
  });
}

function attrOf(spans: ReadSpan[], key: string): unknown {
  for (const s of spans) if (s.attrs.has(key)) return s.attrs.get(key);
  return undefined;
}

function msBetween(a: bigint, b: bigint): number | undefined {
  return b > a ? Number((b - a) / 1_000_000n) : undefined;
}

function traceTrajectory(spans: ReadSpan[], ctx: ImportContext, record: number): Trajectory {
  const ids = new Set(spans.map((s) => s.spanId));
  const kinds = new Map(spans.map((s) => [s, kindOf(s)]));
  const agent = spans.find((s) => kinds.get(s) === 'agent') ?? spans.find((s) => !s.parentSpanId || !ids.has(s.parentSpanId));
  const llms = spans.filter((s) => kinds.get(s) === 'llm');
  const work = spans.filter((s) => s !== agent && (kinds.get(s) === 'llm' || kinds.get(s) === 'retrieval'));
  if (!llms.length && !work.length && (!agent || kinds.get(agent) !== 'agent')) {
    throw new InputError(`trace ${spans[0]!.traceId} has no agent, model-call or retrieval span (GenAI or OpenInference)`);
  }
  const agentInput = agent ? genAiMessages(agent.attrs.get('gen_ai.input.messages')) : undefined;
  const firstLlmInput = llms[0] ? genAiMessages(llms[0].attrs.get('gen_ai.input.messages')) ?? openInferenceMessages(llms[0], 'llm.input_messages') : undefined;
  const question =
    (agentInput && lastText(agentInput, 'user')) ?? (agent && valueText(agent, 'input.value', 'user')) ?? (firstLlmInput && firstText(firstLlmInput, 'user'));
  if (question === undefined) throw new InputError(`trace ${spans[0]!.traceId} has no question: no user input on its agent or first model call`);
  const agentOut = agent && agent !== llms[llms.length - 1] ? outputOf(agent) : undefined;
  let answer: string | null = agentOut?.texts.length ? agentOut.texts.join('\n') : null;

  const steps: Step[] = [];
  const lastLlm = llms[llms.length - 1];
  for (const s of work) {
    const ms = msBetween(s.startNs, s.endNs);
    const error = s.statusCode === 2 ? s.statusMessage ?? 'failed' : undefined;
    // The span's time and error go on the first step it made, so a call's time is counted once.
    let extra: Pick<Step, 'ms' | 'error'> = { ...(ms !== undefined ? { ms } : {}), ...(error ? { error } : {}) };
    const push = (step: Step) => {
      steps.push({ ...step, ...extra } as Step);
      extra = {};
    };
    if (kinds.get(s) === 'retrieval') {
      push({ kind: 'search', query: queryOf(s), docs: docsOf(s), rewards: {} });
      continue;
    }
    const out = outputOf(s);
    for (const r of out?.reasoning ?? []) push({ kind: 'reason', text: r, rewards: {} });
    const text = out?.texts.join('\n');
    if (text === undefined || text === '') continue;
    if (s === lastLlm && (answer === null || answer === text)) {
      answer = text;
      push({ kind: 'answer', text, rewards: {} });
    } else push({ kind: 'reason', text, rewards: {} });
  }
  if (answer !== null && !steps.some((s) => s.kind === 'answer')) steps.push({ kind: 'answer', text: answer, rewards: {} });

  const meta = (agent ? parseJson(agent.attrs.get('metadata')) : undefined) as Record<string, unknown> | undefined;
  const judge = agent?.events.find((e) => e.name === 'gen_ai.evaluation.result' && e.attrs.get('gen_ai.evaluation.name') === 'judge');
  const judged = judge ? judgeVerdict(judge.attrs.get('gen_ai.evaluation.score.value')) : undefined;
  const model = str(attrOf(llms, 'gen_ai.request.model')) ?? str(attrOf(llms, 'llm.model_name')) ?? str(attrOf(llms, 'gen_ai.response.model'));
  const sumOf = (key: string) => llms.reduce<number | undefined>((n, s) => (num(s.attrs.get(key)) === undefined ? n : (n ?? 0) + num(s.attrs.get(key))!), undefined);
  const promptTokens = num(agent?.attrs.get('gen_ai.usage.input_tokens')) ?? sumOf('gen_ai.usage.input_tokens') ?? sumOf('llm.token_count.prompt');
  const completionTokens = num(agent?.attrs.get('gen_ai.usage.output_tokens')) ?? sumOf('gen_ai.usage.output_tokens') ?? sumOf('llm.token_count.completion');
  const first = agent ?? spans[0]!;
  const failed = agent?.statusCode === 2;
  const t = importedTrajectory('otlp', ctx, record, {
    key: spans[0]!.traceId,
    question,
    gold: goldList(meta?.gold),
    steps,
    answer,
    stopReason: answer !== null ? 'finished' : failed ? 'error' : 'eos_no_answer',
    raw: transcript(question, steps),
    template: 'otlp',
    model,
    outcome: judged !== undefined ? { judge: judged } : undefined,
    usage: { ...(promptTokens !== undefined ? { promptTokens } : {}), ...(completionTokens !== undefined ? { completionTokens } : {}) },
    timing: { ...(msBetween(first.startNs, first.endNs) !== undefined ? { totalMs: msBetween(first.startNs, first.endNs) } : {}) },
  });
  if (failed) t.error = agent!.statusMessage ?? 'the agent span ended in an error';
  if (first.startNs > 0n) t.createdAt = new Date(Number(first.startNs / 1_000_000n)).toISOString();
  // A trajectory Hopscope exported comes back under its own ids, so exporting it again gives the same trace.
  const ownId = str(meta?.trajectory_id) ?? str(agent?.attrs.get('hopscope.trajectory.id'));
  const session = str(agent?.attrs.get('session.id')) ?? str(meta?.run_id);
  if (session) t.runId = session;
  if (ownId) t.id = ownId;
  else if (session) t.id = `${session}:${spans[0]!.traceId}`;
  if (typeof meta?.dataset === 'string') t.dataset = meta.dataset;
  return t;
}

function transcript(question: string, steps: Step[]): string {
  const lines = [`user: ${question}`];
  for (const s of steps) {
    if (s.kind === 'search') lines.push(`search: ${s.query}\n${s.docs.map((d) => `  [${d.rank}] ${d.title}${d.title ? ': ' : ''}${d.text}`).join('\n')}`);
    else lines.push(`${s.kind === 'answer' ? 'answer' : 'assistant'}: ${s.text}`);
  }
  return lines.join('\n\n');
}

function toTrajectories(spans: ReadSpan[], ctx: ImportContext, problems: ImportProblem[]): Trajectory[] {
  const out: Trajectory[] = [];
  byTrace(spans).forEach((trace, i) => {
    try {
      out.push(traceTrajectory(trace, ctx, i + 1));
    } catch (e) {
      problems.push({ line: i + 1, reason: e instanceof InputError ? e.message : `unexpected error while reading it (${(e as Error).message})` });
    }
  });
  return out;
}

/**
 * OTLP/JSON text: one request (possibly pretty-printed), or one request per line. Problems are by line
 * for unreadable lines and by trace number (in order of appearance) for traces that are not agents.
 */
export function otlpJson(text: string, ctx: ImportContext): Parsed {
  const spans: ReadSpan[] = [];
  const problems: ImportProblem[] = [];
  let whole: unknown;
  try {
    whole = JSON.parse(text);
  } catch {
    whole = undefined;
  }
  if (whole !== undefined) collectSpans(whole, spans, ctx.file);
  else {
    text.split('\n').forEach((raw, i) => {
      if (!raw.trim()) return;
      try {
        collectSpans(JSON.parse(raw), spans);
      } catch (e) {
        problems.push({ line: i + 1, reason: e instanceof InputError ? e.message : `not valid JSON (${(e as Error).message})` });
      }
    });
  }
  return { trajectories: toTrajectories(spans, ctx, problems), problems };
}

/** A binary ExportTraceServiceRequest (what an OTLP/HTTP protobuf exporter sends). */
export function otlpProtobuf(bytes: Uint8Array, ctx: ImportContext): Parsed {
  const spans: ReadSpan[] = [];
  collectSpans(decodeTraces(bytes, ctx.file), spans, ctx.file);
  const problems: ImportProblem[] = [];
  return { trajectories: toTrajectories(spans, ctx, problems), problems };
}

/** A whole OTLP file, binary or JSON. */
export function otlpBytes(bytes: Uint8Array, ctx: ImportContext): Parsed {
  return looksLikeOtlpProtobuf(bytes) ? otlpProtobuf(bytes, ctx) : otlpJson(new TextDecoder().decode(bytes).replace(/^\uFEFF/, ''), ctx);
}

/** Whether bytes open a binary OTLP request: field 1 (resource_spans) first, and protobuf tags no text has. */
export function looksLikeOtlpProtobuf(head: Uint8Array): boolean {
  if (head.length < 4 || head[0] !== 0x0a) return false;
  const n = Math.min(head.length, 512);
  for (let i = 1; i < n; i++) {
    const b = head[i]!;
    if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) return true;
  }
  return false;
}
