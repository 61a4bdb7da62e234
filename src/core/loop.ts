/**
 * The search-reasoning loop (DESIGN.md "The loop"): the model writes until a stop string; a query
 * is searched and its documents spliced back into the context; an answer ends the run. One code path
 * for every template. It never throws for model or retriever failures: the partial trajectory comes
 * back with `stopReason: "error"` and the error in words a user can act on.
 */
import { DEFAULT_CONTENT_LIMITS } from './contentLimits';
import type { CompletionResult, EndpointClient, SamplingParams } from './endpoint';
import type { LoopListener } from './events';
import { LoopRun } from './loopRun';
import type { Clock, Logger, Retriever } from './ports';
import { pyStrip } from './pyText';
import { chatMessages, cleanQuery, type ContextPart, extractAnswer, extractQuery, formatDocs, reasoningText, type Template } from './templates';
import type { RetrievedDoc, Step, Trajectory } from './trace';

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
  /** Over the template's own sampling (`Template.sampling`); a 512-token cap when neither sets one. */
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
  /**
   * Cap on the characters of one model turn, against runaway output (default: the content limit
   * `maxTurnChars`). The endpoint stops reading there, the turn ends as `length`, its step is marked truncated.
   */
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


/**
 * A query or an answer needs its opening tag in the turn's text, as in both upstream loops
 * (R1-Searcher: `"<|begin_of_query|>" in generated_text and stop_reason == "<|end_of_query|>"`).
 * A turn the server says ended elsewhere (EOS, another stop string) inside an open answer is an
 * answer only by the template's `unclosedAnswer` rule. When the server does not say how the text
 * ended (OpenAI, TGI), the open tags tell.
 */
export function turnEnd(t: Template, r: Pick<CompletionResult, 'text' | 'finishReason' | 'stopString' | 'eos'>): TurnEnd {
  if (r.finishReason === 'length') return 'length';
  const q = r.text.lastIndexOf(t.queryBegin);
  const a = r.text.lastIndexOf(t.answerBegin);
  if (r.stopString === t.queryEnd) return q >= 0 ? 'query' : 'eos';
  if (r.stopString === t.answerEnd) return a >= 0 ? 'answer' : 'eos';
  if (r.stopString !== undefined || r.eos) return a >= 0 && (t.unclosedAnswer ?? 'answer') === 'answer' ? 'answer' : 'eos';
  if (q >= 0 && q > a && r.text.indexOf(t.queryEnd, q) < 0) return 'query';
  if (a >= 0) return 'answer';
  return 'eos';
}

export async function runLoop(opts: LoopOptions): Promise<Trajectory> {
  const run = new LoopRun(opts);
  const maxTurns = opts.maxTurns ?? opts.template.maxSearches + 1;
  run.emit({ type: 'started', trajectoryId: run.id, question: opts.question });
  try {
    run.model = await opts.endpoint.resolveModel(opts.signal);
  } catch (e) {
    run.fail(e);
  }
  for (let turn = 1 + (opts.resume?.turns ?? 0); !run.stopped && turn <= maxTurns; turn++) {
    if (opts.signal?.aborted) run.stop('cancelled');
    const r = run.stopped ? undefined : await generate(run);
    if (r) await takeTurn(run, r, turn < maxTurns);
  }
  const trajectory = run.trajectory();
  run.emit({ type: 'finished', stopReason: trajectory.stopReason, trajectory });
  return trajectory;
}

/** One model call on the context so far; undefined when it failed (the run then has its stop reason). */
async function generate(run: LoopRun): Promise<CompletionResult | undefined> {
  const { opts, template: t } = run;
  const stepIndex = run.steps.length;
  run.emit({ type: 'stepStarted', stepIndex, kind: 'reason' });
  let shown = '';
  try {
    const r = await opts.endpoint.complete({
      ...(t.api === 'chat' ? { messages: chatMessages(t, opts.question, run.parts) } : { prompt: run.prompt + run.generated() }),
      stop: t.stops,
      params: run.params,
      stream: opts.stream ?? true,
      signal: opts.signal,
      maxChars: opts.maxCharsPerTurn ?? DEFAULT_CONTENT_LIMITS.maxTurnChars,
      onToken: (text) => {
        shown += text;
        run.emit({ type: 'token', stepIndex, text });
      },
    });
    run.countCall(r);
    return r;
  } catch (e) {
    run.fail(e, stepIndex);
    // A stream that broke after text was shown: that text and the error stay in the trajectory as the
    // failed step, as the user saw them (the endpoint does not retry once text was shown).
    if (shown && run.error !== undefined && !opts.signal?.aborted) run.push({ kind: 'reason', text: shown, rewards: {}, error: run.error });
    return undefined;
  }
}

async function takeTurn(run: LoopRun, r: CompletionResult, turnsLeft: boolean): Promise<void> {
  const t = run.template;
  const end = turnEnd(t, r);
  switch (end) {
    case 'query':
      return query(run, r);
    case 'answer':
      return answer(run, r);
    case 'length':
      return noAction(run, r, t.lengthCut === 'invalid-action' && turnsLeft ? t.invalidAction : undefined, 'length');
    case 'eos':
      return noAction(run, r, turnsLeft ? t.invalidAction : undefined, 'eos_no_answer');
    default: {
      const never: never = end;
      throw new Error(`unhandled turn end ${String(never)}`);
    }
  }
}

/** The turn's reasoning, when it has any, as a step. */
function reason(run: LoopRun, r: CompletionResult): string {
  const thought = reasoningText(run.template, r.text);
  if (thought) {
    run.push({
      kind: 'reason',
      text: thought,
      tokens: r.usage.completionTokens,
      ms: r.ms,
      rewards: {},
      ...(r.cappedFrom !== undefined ? { truncated: { originalChars: r.cappedFrom } } : {}),
    });
  }
  return thought;
}

async function query(run: LoopRun, r: CompletionResult): Promise<void> {
  const t = run.template;
  reason(run, r);
  // R1-Searcher's evaluation appends `<|end_of_query|>` to the stripped text (eval_search_loacl.py).
  const text = t.stripBeforeQueryEnd ? pyStrip(r.text) : r.text;
  if (run.searches >= t.maxSearches) {
    // The search budget is spent and the model still searches instead of answering: the run ends
    // unanswered, as in R1-Searcher's evaluation (evaluation/eval_search_loacl.py). There, a
    // question still open at the 10th model call is closed as `many_retrieve` with the prediction
    // "I don't know." and that call's output discarded; so its 9th search only ever feeds a
    // discarded call. With 8 searches and a 9th turn that must answer, the answers, scores and
    // stop are the same, without the wasted search and model call.
    run.addModel(text + t.queryEnd);
    run.stop('max_turns');
    return;
  }
  const q = cleanQuery(t, extractQuery(t, r.text) ?? '');
  const emptyRule = t.emptyQuery ?? 'no-docs';
  if (!q && emptyRule === 'stop') {
    // R1-Searcher's `query_inst_error`: the run ends unanswered (its prediction "I don't know."), the
    // stripped text kept without the query end.
    run.addModel(text);
    run.stop('empty_query');
    return;
  }
  run.addModel(text + t.queryEnd);
  await search(run, q, Boolean(q) || emptyRule === 'search');
}

async function search(run: LoopRun, q: string, searchIt: boolean): Promise<void> {
  const { opts, template: t } = run;
  const stepIndex = run.steps.length;
  run.emit({ type: 'stepStarted', stepIndex, kind: 'search' });
  const t0 = run.clock.now();
  let docs: RetrievedDoc[] = [];
  let error: string | undefined;
  if (!searchIt) {
    // Nothing to search: the model sees the template's "no documents" block and carries on.
    error = 'empty query: nothing was searched';
  } else {
    try {
      docs = await opts.retriever.search(q, { topK: opts.topK ?? t.topK, signal: opts.signal });
    } catch (e) {
      const ms = run.clock.now() - t0;
      run.totals.retrievalMs += ms;
      run.fail(e, stepIndex);
      run.push({ kind: 'search', query: q, docs: [], ms, rewards: {}, ...(run.error ? { error: run.error } : {}) });
      return;
    }
  }
  const ms = run.clock.now() - t0;
  run.totals.retrievalMs += ms;
  run.emit({ type: 'retrieval', stepIndex, query: q, docs, ms });
  run.push({ kind: 'search', query: q, docs, ms, rewards: {}, ...(error ? { error } : {}) });
  run.addLoop(formatDocs(t, docs));
}

async function answer(run: LoopRun, r: CompletionResult): Promise<void> {
  const t = run.template;
  const thought = reason(run, r);
  const a = extractAnswer(t, r.text) ?? '';
  run.addModel(r.text + (r.stopString === t.answerEnd ? t.answerEnd : ''));
  run.answer = a;
  run.emit({ type: 'stepStarted', stepIndex: run.steps.length, kind: 'answer' });
  run.push({ kind: 'answer', text: a, rewards: {}, ...(thought ? {} : { tokens: r.usage.completionTokens, ms: r.ms }) });
  run.emit({ type: 'answer', text: a });
  run.stop('finished');
}

/**
 * A turn that neither searched nor answered: with `nudge` (the template's invalid-action text, as
 * Search-R1 splices it) the loop goes on, else the run ends with `reasonIfLast`.
 */
async function noAction(run: LoopRun, r: CompletionResult, nudge: string | undefined, reasonIfLast: 'length' | 'eos_no_answer'): Promise<void> {
  run.addModel(r.text);
  reason(run, r);
  if (nudge) run.addLoop(nudge);
  else run.stop(reasonIfLast);
}
