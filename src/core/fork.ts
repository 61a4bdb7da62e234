/**
 * Fork a trajectory at one of its search steps: "would a better query (or better documents) have
 * fixed it?". The model's context up to that step is rebuilt as the loop built it, the step's query is
 * replaced (and searched again) or its documents are, and the loop carries on from there with the same
 * template and endpoint. The steps before the fork point are the original's.
 */
import { errorMessage, InputError, RetrieverError } from './errors';
import type { LoopEvent } from './events';
import { runLoop, type LoopOptions } from './loop';
import { silentLogger, systemClock } from './ports';
import { cleanQuery, extractQuery, formatDocs, queryTagAt, renderPrompt, type ContextPart, type Template } from './templates';
import type { RetrievedDoc, RetrieverInfo, SearchStep, Step, Trajectory } from './trace';

export interface ForkEdit {
  /** A new query for the step: it is searched with the retriever. */
  query?: string;
  /** New documents for the step, spliced in as they are (the query stays). */
  docs?: RetrievedDoc[];
}

export type ForkOptions = Omit<LoopOptions, 'question' | 'gold' | 'goldDocs' | 'resume'>;

/** The context after the prompt up to and including the forked step's query, and the model calls it took. */
export interface ForkContext {
  parts: ContextPart[];
  turns: number;
  /** `raw`: rebuilt exactly from the recorded transcript; `steps`: re-assembled from the steps (imported trajectories). */
  from: 'raw' | 'steps';
}

export async function forkTrajectory(original: Trajectory, atStep: number, edit: ForkEdit, opts: ForkOptions): Promise<Trajectory> {
  const t = opts.template;
  const step = original.steps[atStep];
  if (!step || step.kind !== 'search') {
    throw new InputError(`step ${atStep + 1} of trajectory ${original.id} is not a search step`, undefined, undefined, 'fork from a search step');
  }
  const newQuery = edit.query?.trim();
  if (edit.docs === undefined && !newQuery) throw new InputError('a fork needs a new query or new documents');
  const log = opts.logger ?? silentLogger;
  const clock = opts.clock ?? systemClock;

  const ctx = forkContext(original, atStep, t, edit.docs === undefined ? newQuery : undefined);
  if (ctx.from === 'steps') log.warn(`fork of ${original.id}: its transcript does not match template ${t.name}; the context was re-assembled from its steps`);

  let forked: SearchStep;
  if (edit.docs !== undefined) {
    forked = { kind: 'search', query: step.query, docs: edit.docs.map((d, i) => ({ ...d, rank: i + 1 })), ms: 0, rewards: {} };
  } else {
    const query = cleanQuery(t, newQuery!);
    const t0 = clock.now();
    let docs: RetrievedDoc[];
    try {
      docs = await opts.retriever.search(query, { topK: opts.topK ?? t.topK, signal: opts.signal });
    } catch (e) {
      throw new RetrieverError(`searching the fork's query "${query}" failed: ${errorMessage(e)}`);
    }
    forked = { kind: 'search', query, docs, ms: clock.now() - t0, rewards: {} };
  }
  const parts: ContextPart[] = [...ctx.parts, { from: 'loop', text: formatDocs(t, forked.docs) }];
  const steps: Step[] = [...original.steps.slice(0, atStep), forked];

  // The loop announces only the steps it makes; a live view also needs the ones the fork starts with.
  const onEvent = opts.onEvent;
  const relay = onEvent
    ? (e: LoopEvent) => {
        onEvent(e);
        if (e.type === 'started') steps.forEach((s, i) => onEvent({ type: 'stepFinished', stepIndex: i, step: s }));
      }
    : undefined;

  const out = await runLoop({ ...opts, question: original.question, gold: original.gold, ...(original.goldDocs ? { goldDocs: original.goldDocs } : {}), onEvent: relay, resume: { parts, steps, turns: ctx.turns } });
  out.forkOf = { id: original.id, step: atStep };
  if (ctx.from === 'steps') out.forkOf.contextRebuilt = true;
  if (differentRetriever(original.retriever, out.retriever)) {
    const before = describeRetriever(original.retriever);
    const after = describeRetriever(out.retriever);
    out.forkOf.retriever = { original: before, fork: after };
    log.warn(`fork of ${original.id}: it searched the ${after}; the original searched ${before}`);
  }
  out.timing.retrievalMs = (out.timing.retrievalMs ?? 0) + (forked.ms ?? 0);
  if (original.dataset && !out.dataset) out.dataset = original.dataset;
  return out;
}

/**
 * The model's context after the prompt, as the loop built it, up to the end of step `atStep`'s query
 * (with `newQuery` in place of the old one when given). From the raw transcript when it is the
 * loop's own (prompt + the model's text + spliced document blocks), else re-assembled from the steps.
 */
export function forkContext(original: Trajectory, atStep: number, t: Template, newQuery?: string): ForkContext {
  return fromRaw(original, atStep, t, newQuery) ?? fromSteps(original, atStep, t, newQuery);
}

function rawPrefix(t: Template, question: string): string {
  const prompt = renderPrompt(t, question);
  return t.api === 'chat' ? `${t.system ? `${t.system}\n\n` : ''}User: ${prompt}\nAssistant: ` : prompt;
}

/** Model text of one or more turns; a template's invalid-action notice between them was the loop's. */
function modelParts(text: string, t: Template): ContextPart[] {
  if (!t.invalidAction) return text ? [{ from: 'model', text }] : [];
  const out: ContextPart[] = [];
  text.split(t.invalidAction).forEach((piece, i) => {
    if (i > 0) out.push({ from: 'loop', text: t.invalidAction! });
    if (piece) out.push({ from: 'model', text: piece });
  });
  return out;
}

/** The last turn's text with its query swapped, keeping the whitespace the model put around it. */
function withQuery(turn: string, t: Template, newQuery: string | undefined): string {
  if (newQuery === undefined) return turn;
  const at = queryTagAt(t, turn) + t.queryBegin.length;
  const old = extractQuery(t, turn) ?? '';
  const lead = /^\s*/.exec(old)?.[0] ?? '';
  const trail = /\s*$/.exec(old)?.[0] ?? '';
  return `${turn.slice(0, at)}${lead}${newQuery}${trail}${t.queryEnd}`;
}

function fromRaw(original: Trajectory, atStep: number, t: Template, newQuery: string | undefined): ForkContext | undefined {
  const prefix = rawPrefix(t, original.question);
  if (!original.raw.startsWith(prefix)) return undefined;
  const gen = original.raw.slice(prefix.length);
  const parts: ContextPart[] = [];
  let pos = 0;
  for (let i = 0; i < atStep; i++) {
    const s = original.steps[i];
    if (s.kind !== 'search') continue;
    const block = formatDocs(t, s.docs);
    const at = gen.indexOf(block, pos);
    if (at < 0) return undefined;
    parts.push(...modelParts(gen.slice(pos, at), t), { from: 'loop', text: block });
    pos = at + block.length;
  }
  const end = gen.indexOf(t.queryEnd, pos);
  if (end < 0) return undefined;
  const turn = gen.slice(pos, end + t.queryEnd.length);
  const step = original.steps[atStep] as SearchStep;
  // The turn must be the one that wrote this step's query, or the transcript is not this template's.
  if (cleanQuery(t, extractQuery(t, turn) ?? '') !== step.query) return undefined;
  const last = modelParts(turn, t);
  const tail = last.pop();
  if (!tail || tail.from !== 'model') return undefined;
  parts.push(...last, { from: 'model', text: withQuery(tail.text, t, newQuery) });
  return { parts, turns: parts.filter((p) => p.from === 'model').length, from: 'raw' };
}

/** For transcripts the loop did not write (imports): each search turn as the template would have it. */
function fromSteps(original: Trajectory, atStep: number, t: Template, newQuery: string | undefined): ForkContext {
  const parts: ContextPart[] = [];
  let thought: string[] = [];
  for (let i = 0; i <= atStep; i++) {
    const s = original.steps[i];
    switch (s.kind) {
      case 'reason':
        thought.push(s.text);
        break;
      case 'answer':
        break;
      case 'search': {
        const query = i === atStep && newQuery !== undefined ? newQuery : s.query;
        parts.push({ from: 'model', text: ` ${thought.join('\n')} ${t.queryBegin} ${query}${t.queryEnd}`.replace(/^ {2}/, ' ') });
        thought = [];
        if (i < atStep) parts.push({ from: 'loop', text: formatDocs(t, s.docs) });
        break;
      }
      default: {
        const never: never = s;
        throw new Error(`unknown step ${String(never)}`);
      }
    }
  }
  return { parts, turns: parts.filter((p) => p.from === 'model').length, from: 'steps' };
}

/**
 * Another kind of retriever, or the same kind over another index. An index recorded on one side only is not a
 * difference: it may just not have been recorded.
 */
function differentRetriever(a: RetrieverInfo | undefined, b: RetrieverInfo | undefined): boolean {
  if (!a || a.kind === 'imported') return true;
  if (!b) return false;
  return a.kind !== b.kind || (a.index !== undefined && b.index !== undefined && a.index !== b.index);
}

/** A retriever in words, for saying that a fork searched another one than its original. */
export function describeRetriever(r: RetrieverInfo | undefined): string {
  if (!r || r.kind === 'imported') return "the imported run's own retriever (not recorded)";
  return r.index ? `${r.kind} retriever ${r.index}` : `${r.kind} retriever`;
}
