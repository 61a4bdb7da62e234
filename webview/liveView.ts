/**
 * The live view: a question's steps as they happen. Applies LoopEvents one by one; the Stop button
 * asks the host to cancel. When the run finishes, the owner swaps in the full trajectory view.
 */
import { button } from './controls';
import type { LoopEvent } from '../src/core/events';
import type { RetrievedDoc, Step } from '../src/core/trace';
import { h } from './dom';
import { stepView } from './steps';

export interface LiveHooks {
  stop(): void;
  openDoc(doc: RetrievedDoc): void;
}

export class LiveView {
  readonly element: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly status: HTMLElement;
  private readonly stopButton: HTMLElement;
  private readonly errors: HTMLElement;

  constructor(question: string, steps: readonly Step[], running: boolean, private readonly hooks: LiveHooks) {
    this.list = h('ol', { class: 'timeline', attrs: { 'aria-label': 'steps', 'aria-live': 'polite' } });
    this.status = h('span', { class: 'live-status', attrs: { role: 'status' } });
    this.stopButton = button('secondary', { class: 'stop', attrs: { title: 'Stop this run' }, on: { click: () => this.requestStop() } }, 'Stop');
    this.errors = h('div', { class: 'live-errors' });
    this.element = h(
      'div',
      { class: 'trajectory live' },
      h('header', { class: 'traj-header' }, h('h1', { class: 'question' }, question), h('div', { class: 'live-bar' }, this.status, this.stopButton)),
      this.errors,
      this.list,
    );
    steps.forEach((s, i) => this.setStep(i, s));
    this.setRunning(running);
  }

  private requestStop(): void {
    this.stopButton.setAttribute('disabled', '');
    this.status.textContent = 'Stopping…';
    this.hooks.stop();
  }

  private setRunning(running: boolean, text?: string): void {
    this.status.textContent = text ?? (running ? 'Running…' : 'Stopped');
    if (running) this.status.prepend(h('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }));
    if (!running) this.stopButton.setAttribute('disabled', '');
  }

  private slot(i: number): HTMLElement | null {
    return this.list.querySelector<HTMLElement>(`:scope > [data-step="${i}"]`);
  }

  private put(i: number, el: HTMLElement): void {
    const old = this.slot(i);
    if (old) old.replaceWith(el);
    else this.list.appendChild(el);
  }

  private setStep(i: number, step: Step): void {
    this.put(i, stepView(step, i, { golds: [], openDoc: this.hooks.openDoc }));
  }

  private pending(i: number, kind: Step['kind']): HTMLElement {
    const existing = this.slot(i);
    if (existing?.classList.contains('pending')) return existing;
    const el = h(
      'li',
      { class: `step step-${kind} pending`, attrs: { tabindex: 0 }, dataset: { step: String(i) } },
      h('div', { class: 'step-head' }, h('span', { class: 'step-index' }, String(i + 1)), h('span', { class: 'step-kind' }, kind === 'search' ? 'Search' : kind === 'answer' ? 'Answer' : 'Reasoning'), h('span', { class: 'step-meta' }, '…')),
      h('div', { class: 'reason-text streaming' }),
    );
    this.put(i, el);
    return el;
  }

  apply(e: LoopEvent): void {
    switch (e.type) {
      case 'started':
        this.setRunning(true);
        break;
      case 'stepStarted':
        this.pending(e.stepIndex, e.kind);
        break;
      case 'token': {
        const el = this.pending(e.stepIndex, 'reason').querySelector('.streaming');
        el?.appendChild(document.createTextNode(e.text));
        break;
      }
      case 'retrieval':
        this.setStep(e.stepIndex, { kind: 'search', query: e.query, docs: e.docs, ms: e.ms, rewards: {} });
        break;
      case 'stepFinished':
        this.setStep(e.stepIndex, e.step);
        break;
      case 'answer':
        break;
      case 'error':
        this.errors.appendChild(h('div', { class: 'traj-error', attrs: { role: 'alert' } }, e.message));
        break;
      case 'finished':
        this.setRunning(false, `Finished: ${e.stopReason}`);
        break;
      default: {
        const never: never = e;
        void never;
      }
    }
  }
}
