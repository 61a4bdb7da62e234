/**
 * The search-reasoning loop: the model writes until a stop string; a query
 * is searched and its documents spliced back into the context; an answer ends the run. One code path
 * for every template. It never throws for model or retriever failures: the partial trajectory comes
 * back with `stopReason: "error"` and the error in words a user can act on.
 */
import { randomUUID } from 'node:crypto';
import type { CompletionResult, EndpointClient, SamplingParams } from './endpoint';
import { CancelledError, errorMessage } from './errors';
import type { LoopEvent, LoopListener } from './events';
import { definitionForTemplate, trajectoryOutcome } from './metrics/outcome';
import { silentLogger, systemClock, type Clock, type Logger, type Retriever } from './ports';
import {
  chatMessages,
  cleanQuery,
  type ContextPart,
  extractAnswer,
  extractQuery,
  formatDocs,
  reasoningText,
  renderPrompt,
  type Template,
} from './templates';
import { TRACE_SCHEMA, type RetrievedDoc, type Step, type StopReason, type Trajectory } from './trace';

export interface LoopOptions {
  question: string;
  gold?: string[];
  /** Gold paragraphs (ids or titles), recorded on the trajectory for goldDocRecall. */
  goldDocs?: string[];
  template: Template;
  endpoint: EndpointClient;
  retriever: Retriever;
  /** Documents per search; the template's when unset. */
  topK?: number;
  /** Model calls allowed; the template's searches + 1 when unset. */
  maxTurns?: number;
  params?: SamplingParams;
  runId?: string;
  signal?: AbortSignal;
  onEvent?: LoopListener;
  clock?: Clock;
  logger?: Logger;
  /** The trajectory id; a random UUID when unset. */
  id?: string;
  /** Stream tokens (default) or ask for whole completions. */
  stream?: boolean;
  /** Cap on the characters of one model turn, against runaway output (default 32,000). */
  maxCharsPerTurn?: number;
  /** The dataset the question came from, copied into the trajectory. */
  dataset?: string;
  /**
   * Continue a run rather than start one (a fork, src/core/fork.ts): the context after the prompt and
   * the steps so far, as this loop built them, and how many model calls they took (they count against maxTurns).
   */
  resume?: { parts: readonly ContextPart[]; steps: readonly Step[]; turns: number };
}

/** What a turn's output ended on, decided from the stop string or, when the server didn't say, from open tags. */
type TurnEnd = 'query' | 'answer' | 'eos' | 'length';

const DEFAULT_MAX_CHARS_PER_TURN = 32_000;
/** Completion tokens per turn when the caller sets none: a cap against runaway generation. */
const DEFAULT_MAX_TOKENS = 1024;

export function turnEnd(t: Template, r: Pick<CompletionResult, 'text' | 'finishReason' | 'stopString'>): TurnEnd {
  if (r.finishReason === 'length') return 'length';
  if (r.stopString === t.queryEnd) return 'query';
  if (r.stopString === t.answerEnd) return 'answer';
  const q = r.text.lastIndexOf(t.queryBegin);
  const a = r.text.lastIndexOf(t.answerBegin);
  // The server didn't report a known stop string (OpenAI, TGI): an open tag tells which one it hit.
  if (q >= 0 && q > a && r.text.indexOf(t.queryEnd, q) < 0) return 'query';
  if (a >= 0) return 'answer';
  return 'eos';
}

export async function runLoop(opts: LoopOptions): Promise<Trajectory> {
  const clock = opts.clock ?? systemClock;
  const log = opts.logger ?? silentLogger;
  const t = opts.template;
  const topK = opts.topK ?? t.topK;
  const maxTurns = opts.maxTurns ?? t.maxSearches + 1;
  const params: SamplingParams = { maxTokens: DEFAULT_MAX_TOKENS, ...opts.params };
  const id = opts.id ?? randomUUID();
  const started = clock.now();
  const createdAt = clock.isoNow();
  const emit = (e: LoopEvent) => {
    try {
      opts.onEvent?.(e);
    } catch (err) {
      log.warn(`a loop listener failed: ${errorMessage(err)}`);
    }
  };

  const prompt = renderPrompt(t, opts.question);
  /** Everything after the prompt, by who wrote it. */
  const parts: ContextPart[] = [...(opts.resume?.parts ?? [])];
  const addModel = (text: string) => text && parts.push({ from: 'model', text });
  const addLoop = (text: string) => text && parts.push({ from: 'loop', text });
  const generated = () => parts.map((p) => p.text).join('');
  const steps: Step[] = [...(opts.resume?.steps ?? [])];
  let model = '';
  let answer: string | null = null;
  let stopReason: StopReason | undefined;
  let error: string | undefined;
  let searches = steps.filter((s) => s.kind === 'search').length;
  let modelMs = 0;
  let retrievalMs = 0;
  let promptTokens = 0;
  let completionTokens = 0;

  const push = (step: Step) => {
    steps.push(step);
    emit({ type: 'stepFinished', stepIndex: steps.length - 1, step });
  };
  const fail = (e: unknown, stepIndex?: number) => {
    if (e instanceof CancelledError || opts.signal?.aborted) {
      stopReason = 'cancelled';
      return;
    }
    stopReason = 'error';
    error = errorMessage(e);
    log.error(error);
    emit({ type: 'error', message: error, stepIndex });
  };

  emit({ type: 'started', trajectoryId: id, question: opts.question });
  try {
    model = await opts.endpoint.resolveModel(opts.signal);
  } catch (e) {
    fail(e);
  }

  for (let turn = 1 + (opts.resume?.turns ?? 0); stopReason === undefined && turn <= maxTurns; turn++) {
    if (opts.signal?.aborted) {
      stopReason = 'cancelled';
      break;
    }
    const stepIndex = steps.length;
    emit({ type: 'stepStarted', stepIndex, kind: 'reason' });
    let r: CompletionResult;
    try {
      r = await opts.endpoint.complete({
        ...(t.api === 'chat' ? { messages: chatMessages(t, opts.question, parts) } : { prompt: prompt + generated() }),
        stop: t.stops,
        params,
        stream: opts.stream ?? true,
        signal: opts.signal,
        maxChars: opts.maxCharsPerTurn ?? DEFAULT_MAX_CHARS_PER_TURN,
        onToken: (text) => emit({ type: 'token', stepIndex, text }),
      });
    } catch (e) {
      fail(e, stepIndex);
      break;
    }
    model = r.model || model;
    modelMs += r.ms;
    promptTokens += r.usage.promptTokens ?? 0;
    completionTokens += r.usage.completionTokens ?? 0;
    const out = r.text;
    const end = turnEnd(t, r);
    const thought = reasoningText(t, out);
    const reason = (): void => {
      if (thought) push({ kind: 'reason', text: thought, tokens: r.usage.completionTokens, ms: r.ms, rewards: {} });
    };

    switch (end) {
      case 'query': {
        reason();
        addModel(out + t.queryEnd);
        if (searches >= t.maxSearches) {
          // The search budget is spent and the model still searches instead of answering: the run ends
          // unanswered, as in R1-Searcher's evaluation (evaluation/eval_search_loacl.py). There, a
          // question still open at the 10th model call is closed as `many_retrieve` with the prediction
          // "I don't know." and that call's output discarded; so its 9th search only ever feeds a
          // discarded call. With 8 searches and a 9th turn that must answer, the answers, scores and
          // stop are the same, without the wasted search and model call.
          stopReason = 'max_turns';
          break;
        }
        const query = cleanQuery(t, extractQuery(t, out) ?? '');
        const searchIndex = steps.length;
        emit({ type: 'stepStarted', stepIndex: searchIndex, kind: 'search' });
        let docs: RetrievedDoc[] = [];
        const t0 = clock.now();
        let stepError: string | undefined;
        if (!query) {
          // Nothing to search: the model sees no documents, as R1-Searcher's "None", and carries on.
          stepError = 'empty query: nothing was searched';
        } else {
          try {
            docs = await opts.retriever.search(query, { topK, signal: opts.signal });
          } catch (e) {
            const ms = clock.now() - t0;
            retrievalMs += ms;
            fail(e, searchIndex);
            push({ kind: 'search', query, docs: [], ms, rewards: {}, ...(error ? { error } : {}) });
            break;
          }
        }
        const ms = clock.now() - t0;
        retrievalMs += ms;
        searches++;
        emit({ type: 'retrieval', stepIndex: searchIndex, query, docs, ms });
        push({ kind: 'search', query, docs, ms, rewards: {}, ...(stepError ? { error: stepError } : {}) });
        addLoop(formatDocs(t, docs));
        break;
      }
      case 'answer': {
        reason();
        const a = extractAnswer(t, out) ?? '';
        addModel(out + (r.stopString === t.answerEnd ? t.answerEnd : ''));
        answer = a;
        emit({ type: 'stepStarted', stepIndex: steps.length, kind: 'answer' });
        push({ kind: 'answer', text: a, rewards: {}, ...(thought ? {} : { tokens: r.usage.completionTokens, ms: r.ms }) });
        emit({ type: 'answer', text: a });
        stopReason = 'finished';
        break;
      }
      case 'length':
        addModel(out);
        reason();
        stopReason = 'length';
        break;
      case 'eos':
        addModel(out);
        reason();
        if (t.invalidAction && turn < maxTurns) {
          addLoop(t.invalidAction);
          break;
        }
        stopReason = 'eos_no_answer';
        break;
      default: {
        const never: never = end;
        throw new Error(`unhandled turn end ${String(never)}`);
      }
    }
  }
  stopReason ??= 'max_turns';

  const raw = t.api === 'chat' ? `${t.system ? `${t.system}\n\n` : ''}User: ${prompt}\nAssistant: ${generated()}` : prompt + generated();
  const trajectory: Trajectory = {
    schema: TRACE_SCHEMA,
    id,
    runId: opts.runId ?? id,
    createdAt,
    question: opts.question,
    ...(opts.gold?.length ? { gold: [...opts.gold] } : {}),
    ...(opts.goldDocs?.length ? { goldDocs: [...opts.goldDocs] } : {}),
    policy: { endpoint: opts.endpoint.baseUrl, model, template: t.name, params: { ...params } },
    retriever: { kind: opts.retriever.info.kind, topK, ...(opts.retriever.info.index ? { index: opts.retriever.info.index } : {}) },
    steps,
    answer,
    stopReason,
    outcome: {},
    rewards: {},
    labels: [],
    usage: { promptTokens, completionTokens },
    timing: { totalMs: clock.now() - started, modelMs, retrievalMs },
    raw,
    ...(error ? { error } : {}),
    ...(opts.dataset ? { dataset: opts.dataset } : {}),
  };
  // Scored by the template's own paper's metric functions (core/metrics), named on the trajectory.
  const scored = trajectoryOutcome(trajectory, definitionForTemplate(t), t);
  if (scored) Object.assign(trajectory, scored);
  emit({ type: 'finished', stopReason, trajectory });
  return trajectory;
}
