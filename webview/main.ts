/**
 * Trace viewer entry (browser bundle). Reads the first state embedded in the page, renders it, then
 * says `ready`; after that the host sends validated messages (src/protocol.ts). Everything untrusted is
 * rendered as text (see dom.ts).
 */
import type { RetrievedDoc } from '../src/core/trace';
import { INITIAL_STATE_ELEMENT_ID, isRestoreTarget, isViewState, parseHostMessage, trajectoryDefect, type RestoreTarget, type ViewState, type WebviewMessage } from '../src/protocol';
import { compareView } from './compareView';
import { clear, h } from './dom';
import { LiveView } from './liveView';
import { installKeyboard } from './keyboard';
import { cancelRendering } from './progressive';
import { focusStep, trajectoryView } from './trajectoryView';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

const app = document.getElementById('app') ?? document.body.appendChild(h('main', { attrs: { id: 'app' } }));
let live: LiveView | undefined;

const openDoc = (d: RetrievedDoc) => {
  if (d.path) vscode.postMessage({ type: 'openDoc', path: d.path, startLine: d.startLine, endLine: d.endLine });
};

const forkHooks = (trajectoryId: string) => ({ fork: (step: number) => vscode.postMessage({ type: 'fork', trajectoryId, step }) });

function notice(level: 'info' | 'error', message: string): void {
  const bar = document.getElementById('notice') ?? document.body.insertBefore(h('div', { attrs: { id: 'notice', role: 'status' } }), document.body.firstChild);
  bar.className = `notice ${level}`;
  bar.textContent = message;
}

function render(state: ViewState): void {
  const started = performance.now();
  const complete = () => {
    document.body.dataset.completeMs = (performance.now() - started).toFixed(1);
  };
  cancelRendering();
  delete document.body.dataset.completeMs;
  // A notice is about the view it was shown over.
  document.getElementById('notice')?.remove();
  live = undefined;
  clear(app);
  switch (state.view) {
    case 'trajectory':
      app.appendChild(trajectoryView(state.trajectory, { openDoc, onComplete: complete, ...forkHooks(state.trajectory.id) }));
      if (state.focusStep !== undefined) {
        const step = state.focusStep;
        requestAnimationFrame(() => focusStep(app, step));
      }
      break;
    case 'compare': {
      const { leftRef, rightRef } = state;
      app.appendChild(
        compareView(state.left, state.right, openDoc, {
          left: leftRef ? () => vscode.postMessage({ type: 'openRef', ref: leftRef }) : undefined,
          right: rightRef ? () => vscode.postMessage({ type: 'openRef', ref: rightRef }) : undefined,
        }),
      );
      complete();
      break;
    }
    case 'live':
      if (state.trajectory) {
        app.appendChild(trajectoryView(state.trajectory, { openDoc, onComplete: complete, ...forkHooks(state.trajectory.id) }));
      } else {
        live = new LiveView(state.question, state.steps, state.running, { openDoc, stop: () => vscode.postMessage({ type: 'stop' }) });
        app.appendChild(live.element);
        complete();
      }
      break;
    case 'message':
      app.appendChild(h('div', { class: 'message' }, h('h1', {}, state.title), h('p', {}, state.message)));
      complete();
      break;
    default: {
      const never: never = state;
      void never;
    }
  }
  document.body.dataset.view = state.view;
  document.body.dataset.renderMs = (performance.now() - started).toFixed(1);
}

/** Why a `show` message the protocol refused holds no trajectory the viewer can draw, if that is why. */
function malformedTrajectory(data: unknown): string | undefined {
  const state = (data as { state?: Record<string, unknown> } | null)?.state;
  if (!state || typeof state !== 'object') return undefined;
  for (const t of [state.trajectory, state.left, state.right]) {
    const why = t === undefined ? undefined : trajectoryDefect(t);
    if (why) return why;
  }
  return undefined;
}

function showMalformed(why: string): void {
  render({ view: 'message', title: 'This trajectory cannot be shown', message: `The trace holds a malformed trajectory: ${why}. Other trajectories of the file are not affected.` });
}

function show(state: ViewState, restore: RestoreTarget | undefined): void {
  try {
    render(state);
  } catch (e) {
    // A trajectory that passes the checks and still breaks a view: say so rather than leave the panel blank.
    render({ view: 'message', title: 'This trajectory cannot be shown', message: `Rendering failed: ${e instanceof Error ? e.message : String(e)}` });
  }
  // Always replace: a live run (no restore target) must not come back as the previous trajectory.
  vscode.setState({ restore });
}

window.addEventListener('message', (ev: MessageEvent) => {
  const msg = parseHostMessage(ev.data);
  if (!msg) {
    const why = (ev.data as { type?: unknown } | null)?.type === 'show' ? malformedTrajectory(ev.data) : undefined;
    if (why) showMalformed(why);
    else console.warn('hopscope: ignored a malformed message');
    return;
  }
  switch (msg.type) {
    case 'show':
      show(msg.state, msg.restore);
      break;
    case 'loopEvent':
      if (msg.event.type === 'finished') {
        show({ view: 'trajectory', trajectory: msg.event.trajectory }, { kind: 'trajectory', trajectory: msg.event.trajectory });
      } else {
        live?.apply(msg.event);
      }
      break;
    case 'focusStep':
      focusStep(app, msg.step);
      break;
    case 'notice':
      notice(msg.level, msg.message);
      break;
    default: {
      const never: never = msg;
      void never;
    }
  }
});

installKeyboard(document);

function initial(): void {
  const el = document.getElementById(INITIAL_STATE_ELEMENT_ID);
  if (!el?.textContent) return;
  try {
    const data = JSON.parse(el.textContent) as { state?: unknown; restore?: unknown };
    const why = malformedTrajectory(data);
    if (isViewState(data.state)) show(data.state, isRestoreTarget(data.restore) ? data.restore : undefined);
    else if (why) showMalformed(why);
    else notice('error', 'The trace panel received a state it cannot read.');
  } catch {
    notice('error', 'The trace panel could not read its initial state.');
  }
}

initial();
vscode.postMessage({ type: 'ready' });
