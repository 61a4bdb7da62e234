/**
 * The state of one loop run (src/core/loop.ts): the context after the prompt, the steps, the totals,
 * and how the run ended; and how that becomes a Trajectory. The loop's turn helpers change it only
 * through these methods, so each rule about events and errors lives in one place.
 */
import { RUN_DEFAULTS } from './defaults';
import { randomUUID } from 'node:crypto';
import type { CompletionResult, SamplingParams } from './endpoint';
import { CancelledError, errorMessage } from './errors';
import type { LoopEvent } from './events';
import type { LoopOptions } from './loop';
import { definitionForTemplate, trajectoryOutcome } from './metrics/outcome';
import { silentLogger, systemClock, type Clock, type Logger } from './ports';
import { renderPrompt, type ContextPart, type Template } from './templates';
import { TRACE_SCHEMA, type Step, type StopReason, type Trajectory } from './trace';

/** Completion tokens per call when neither the caller nor the template sets any (the extension's default too). */
const DEFAULT_MAX_TOKENS = RUN_DEFAULTS.maxTokens;

interface Totals {
  modelMs: number;
  retrievalMs: number;
  promptTokens: number;
  completionTokens: number;
}

/** The caller's parameters over the template's own, over the default cap; unset values never erase one. */
export function samplingFor(t: Template, given: SamplingParams = {}): SamplingParams {
  const out: SamplingParams = { maxTokens: DEFAULT_MAX_TOKENS };
  for (const layer of [t.sampling ?? {}, given]) {
    for (const [k, v] of Object.entries(layer)) if (v !== undefined) out[k as keyof SamplingParams] = v;
  }
  return out;
}

export class LoopRun {
  readonly id: string;
  readonly template: Template;
  readonly params: SamplingParams;
  readonly prompt: string;
  readonly clock: Clock;
  readonly log: Logger;
  /** Everything after the prompt, by who wrote it. */
  readonly parts: ContextPart[];
  readonly steps: Step[];
  readonly totals: Totals = { modelMs: 0, retrievalMs: 0, promptTokens: 0, completionTokens: 0 };
  model = '';
  answer: string | null = null;
  stopReason?: StopReason;
  error?: string;
  private readonly started: number;
  private readonly createdAt: string;

  constructor(readonly opts: LoopOptions) {
    this.clock = opts.clock ?? systemClock;
    this.log = opts.logger ?? silentLogger;
    this.template = opts.template;
    this.params = samplingFor(opts.template, opts.params);
    this.id = opts.id ?? randomUUID();
    this.started = this.clock.now();
    this.createdAt = this.clock.isoNow();
    this.prompt = renderPrompt(opts.template, opts.question);
    this.parts = [...(opts.resume?.parts ?? [])];
    this.steps = [...(opts.resume?.steps ?? [])];
  }

  get searches(): number {
    return this.steps.filter((s) => s.kind === 'search').length;
  }

  get stopped(): boolean {
    return this.stopReason !== undefined;
  }

  emit(e: LoopEvent): void {
    try {
      this.opts.onEvent?.(e);
    } catch (err) {
      this.log.warn(`a loop listener failed: ${errorMessage(err)}`);
    }
  }

  push(step: Step): void {
    this.steps.push(step);
    this.emit({ type: 'stepFinished', stepIndex: this.steps.length - 1, step });
  }

  addModel(text: string): void {
    if (text) this.parts.push({ from: 'model', text });
  }

  addLoop(text: string): void {
    if (text) this.parts.push({ from: 'loop', text });
  }

  generated(): string {
    return this.parts.map((p) => p.text).join('');
  }

  stop(reason: StopReason): void {
    this.stopReason ??= reason;
  }

  /** A failure ends the run with `error`, or `cancelled` when the caller aborted. */
  fail(e: unknown, stepIndex?: number): void {
    if (e instanceof CancelledError || this.opts.signal?.aborted) {
      this.stop('cancelled');
      return;
    }
    this.error = errorMessage(e);
    this.stop('error');
    this.log.error(this.error);
    this.emit({ type: 'error', message: this.error, stepIndex });
  }

  countCall(r: CompletionResult): void {
    this.model = r.model || this.model;
    this.totals.modelMs += r.ms;
    this.totals.promptTokens += r.usage.promptTokens ?? 0;
    this.totals.completionTokens += r.usage.completionTokens ?? 0;
  }

  trajectory(): Trajectory {
    const trajectory = this.unscored();
    // Scored by the template's own paper's metric functions (core/metrics), named on the trajectory.
    const scored = trajectoryOutcome(trajectory, definitionForTemplate(this.template), this.template);
    return scored ? Object.assign(trajectory, scored) : trajectory;
  }

  private unscored(): Trajectory {
    const o = this.opts;
    const t = this.template;
    const raw = t.api === 'chat' ? `${t.system ? `${t.system}\n\n` : ''}User: ${this.prompt}\nAssistant: ${this.generated()}` : this.prompt + this.generated();
    const { promptTokens, completionTokens, modelMs, retrievalMs } = this.totals;
    const stopReason = this.stopReason ?? 'max_turns';
    const trajectory: Trajectory = {
      schema: TRACE_SCHEMA,
      id: this.id,
      runId: o.runId ?? this.id,
      createdAt: this.createdAt,
      question: o.question,
      ...(o.gold?.length ? { gold: [...o.gold] } : {}),
      ...(o.goldDocs?.length ? { goldDocs: [...o.goldDocs] } : {}),
      policy: { endpoint: o.endpoint.baseUrl, model: this.model, template: t.name, params: { ...this.params } },
      retriever: { kind: o.retriever.info.kind, topK: o.topK ?? t.topK, ...(o.retriever.info.index ? { index: o.retriever.info.index } : {}) },
      steps: this.steps,
      answer: this.answer,
      stopReason,
      outcome: {},
      rewards: {},
      labels: [],
      usage: { promptTokens, completionTokens },
      timing: { totalMs: this.clock.now() - this.started, modelMs, retrievalMs },
      raw,
      ...(this.error ? { error: this.error } : {}),
      ...(o.dataset ? { dataset: o.dataset } : {}),
    };
    // Scored by the template's own paper's metric functions (core/metrics), named on the trajectory.
    const scored = trajectoryOutcome(trajectory, definitionForTemplate(t), t);
    return scored ? { ...trajectory, ...scored } : trajectory;
  }
}
