/**
 * The trace panel host: one webview panel (viewType `hopscope.trace`) showing a trajectory, a
 * comparison or a live run. The first state is embedded in the HTML; after each `ready` the panel
 * gets the current state again if it changed (the webview reloads when hidden). Messages both ways are
 * typed and validated (src/protocol.ts). A serializer brings the panel back after a window reload.
 *
 * `TracePanelHost` is made once at activation and handed to every feature that shows a trace; it owns the
 * one panel (`TracePanel`) and the serializer.
 */
import * as vscode from 'vscode';
import { errorMessage, InputError } from '../../core/errors';
import type { LoopEvent } from '../../core/events';
import type { Step, Trajectory } from '../../core/trace';
import { isRestoreTarget, parseWebviewMessage, TRACE_VIEW_TYPE, type HostMessage, type RestoreTarget, type TraceRef, type ViewState } from '../../protocol';
import { short } from './labels';
import { panelHtml } from './panelHtml';
import { traceRowsFor } from './traceRows';
import type { ViewerServices } from './viewerServices';
import { openWorkspaceSource } from '../workspace/openSource';
import { COMMANDS } from '../commands';
import { showProblem } from '../notify';

export type TraceTarget = { trajectory: Trajectory } | { file: string; id: string; focusStep?: number };

/** What the panel's "Fork from here" hands the Fork command (COMMANDS.forkFromStep). */
export interface ForkTarget {
  trajectory: Trajectory;
  ref?: TraceRef;
  step: number;
}

/** The fork targets this panel handed out, so the Fork command knows one from any other argument. */
const forkTargets = new WeakSet<object>();

/** The panel's "Fork from here" target, when `arg` is one. */
export function panelForkTarget(arg: unknown): ForkTarget | undefined {
  return typeof arg === 'object' && arg !== null && forkTargets.has(arg) ? (arg as ForkTarget) : undefined;
}

export interface LiveRun {
  onEvent(e: LoopEvent): void;
  stopRequested: AbortSignal;
}

/** Loads a trajectory from a trace file through its shared rows (read by offset). */
export async function loadTrajectory(ref: TraceRef): Promise<Trajectory> {
  const t = await traceRowsFor(ref.file).find(ref.id);
  if (!t) throw new InputError(`no trajectory with id ${ref.id}`, ref.file, undefined, 'the file may have been rewritten since; refresh the Traces view');
  return t;
}

async function resolveTarget(target: TraceTarget | TraceRef | Trajectory): Promise<{ trajectory: Trajectory; ref?: TraceRef; focusStep?: number }> {
  if ('trajectory' in target) return { trajectory: target.trajectory };
  if ('schema' in target || 'steps' in target) return { trajectory: target as Trajectory };
  const ref = { file: target.file, id: target.id };
  return { trajectory: await loadTrajectory(ref), ref, focusStep: 'focusStep' in target ? target.focusStep : undefined };
}

/** The trace panel as features see it: made once in extension.ts, it shows trajectories, comparisons and live runs. */
export class TracePanelHost {
  private current: TracePanel | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly services: ViewerServices,
  ) {
    context.subscriptions.push(
      vscode.window.registerWebviewPanelSerializer(TRACE_VIEW_TYPE, {
        deserializeWebviewPanel: (panel, state) => this.revive(panel, state),
      }),
    );
  }

  /**
   * Opens (or reuses and reveals) the trace panel on a trajectory, given whole or by file and id. `beside`: a new
   * panel opens in the next editor column (the trajectories table stays in view).
   */
  async show(target: TraceTarget, { beside = false }: { beside?: boolean } = {}): Promise<void> {
    const { trajectory, ref, focusStep } = await resolveTarget(target);
    const state: ViewState = { view: 'trajectory', trajectory, ref, focusStep };
    const restore: RestoreTarget = ref ? { kind: 'ref', ref, focusStep } : { kind: 'trajectory', trajectory };
    this.showState(state, restore, beside ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active);
  }

  /**
   * Two trajectories side by side, steps aligned. When the panel shows a trajectory, the comparison opens in a
   * new panel beside it rather than replacing what is being read.
   */
  async compare(left: TraceTarget, right: TraceTarget): Promise<void> {
    const [a, b] = await Promise.all([resolveTarget(left), resolveTarget(right)]);
    const state: ViewState = { view: 'compare', left: a.trajectory, right: b.trajectory, leftRef: a.ref, rightRef: b.ref };
    const restore: RestoreTarget = { kind: 'compare', left: a.ref ?? a.trajectory, right: b.ref ?? b.trajectory };
    const reading = this.current?.shownTrajectory() !== undefined;
    this.showState(state, restore, reading ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active, reading);
  }

  /**
   * A live run: the returned `onEvent` streams the loop's events into the panel; `stopRequested`
   * aborts when the user presses Stop. A later show() replaces the run's view (the run goes on).
   */
  showLive(question: string): LiveRun {
    const controller = new AbortController();
    const token = {};
    this.showState({ view: 'live', question, steps: [], running: true }, undefined).startLive(controller, token);
    return {
      stopRequested: controller.signal,
      onEvent: (e) => this.current?.onLoopEvent(e, token),
    };
  }

  /** The trajectory the panel shows now, if it shows one (for commands run from the palette). */
  shownTrajectory(): { trajectory: Trajectory; ref?: TraceRef } | undefined {
    return this.current?.shownTrajectory();
  }

  private showState(state: ViewState, restore: RestoreTarget | undefined, column = vscode.ViewColumn.Active, fresh = false): TracePanel {
    const existing = this.current;
    if (existing && !fresh) {
      existing.reveal(state, restore);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(TRACE_VIEW_TYPE, 'Hopscope Trace', column, { ...webviewOptions(this.context), enableFindWidget: true });
    return this.attach(panel, state, restore);
  }

  private attach(panel: vscode.WebviewPanel, state: ViewState, restore: RestoreTarget | undefined): TracePanel {
    const p: TracePanel = new TracePanel(panel, this.context, this.services, this, state, restore, () => {
      if (this.current === p) this.current = undefined;
    });
    this.current = p;
    return p;
  }

  /** Re-attaches a panel VS Code restored after a reload. */
  private async revive(panel: vscode.WebviewPanel, saved: unknown): Promise<void> {
    const restore = (saved as { restore?: unknown } | undefined)?.restore;
    let state: ViewState = { view: 'message', title: 'Nothing to show', message: 'A run shown here was interrupted by the reload. Open a trajectory from the Traces view.' };
    let target: RestoreTarget | undefined;
    if (isRestoreTarget(restore)) {
      target = restore;
      try {
        state = await stateFor(restore);
      } catch (e) {
        state = { view: 'message', title: 'Cannot restore this trace', message: errorMessage(e) };
      }
    }
    this.current?.close();
    this.attach(panel, state, target);
  }
}

function webviewOptions(context: vscode.ExtensionContext): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist'), vscode.Uri.joinPath(context.extensionUri, 'media')],
  };
}

async function stateFor(r: RestoreTarget): Promise<ViewState> {
  switch (r.kind) {
    case 'ref':
      return { view: 'trajectory', trajectory: await loadTrajectory(r.ref), ref: r.ref, focusStep: r.focusStep };
    case 'trajectory':
      return { view: 'trajectory', trajectory: r.trajectory };
    case 'compare': {
      const side = async (s: TraceRef | Trajectory) => ('steps' in s ? { trajectory: s } : { trajectory: await loadTrajectory(s), ref: s });
      const [a, b] = await Promise.all([side(r.left), side(r.right)]);
      return { view: 'compare', left: a.trajectory, right: b.trajectory, leftRef: a.ref, rightRef: b.ref };
    }
    default: {
      const never: never = r;
      return never;
    }
  }
}

/** The one webview panel: its state, its HTML and the messages to and from its webview. */
class TracePanel {
  private state: ViewState;
  private restore: RestoreTarget | undefined;
  /** Bumped on every state change; compared with what the HTML embeds to skip a needless re-send. */
  private version = 0;
  private embeddedVersion = 0;
  private ready = false;
  private live: { controller: AbortController; token: object } | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    private readonly services: ViewerServices,
    private readonly host: TracePanelHost,
    state: ViewState,
    restore: RestoreTarget | undefined,
    private readonly onDisposed: () => void,
  ) {
    this.state = state;
    this.restore = restore;
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'hopscope.svg');
    panel.webview.options = webviewOptions(context);
    panel.onDidDispose(() => this.dispose(), null, this.disposables);
    panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m), null, this.disposables);
    this.setHtml();
  }

  reveal(state: ViewState, restore: RestoreTarget | undefined): void {
    this.setState(state, restore);
    this.panel.reveal(undefined, false);
  }

  startLive(controller: AbortController, token: object): void {
    this.live = { controller, token };
  }

  shownTrajectory(): { trajectory: Trajectory; ref?: TraceRef } | undefined {
    const s = this.state;
    if (s.view === 'trajectory') return { trajectory: s.trajectory, ref: s.ref };
    if (s.view === 'live' && s.trajectory) return { trajectory: s.trajectory };
    return undefined;
  }

  close(): void {
    this.panel.dispose();
  }

  private title(): string {
    const s = this.state;
    switch (s.view) {
      case 'trajectory':
        return `Trace: ${short(s.trajectory.question, 40)}`;
      case 'compare':
        return `Compare: ${short(s.left.question, 36)}`;
      case 'live':
        return `${s.running ? 'Running' : 'Run'}: ${short(s.question, 40)}`;
      case 'message':
        return 'Hopscope Trace';
      default: {
        const never: never = s;
        return never;
      }
    }
  }

  private setHtml(): void {
    const webview = this.panel.webview;
    const media = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, ...p)).toString();
    this.ready = false;
    this.embeddedVersion = this.version;
    this.panel.title = this.title();
    webview.html = panelHtml({ cspSource: webview.cspSource, scriptUri: media('dist', 'webview.js'), styleUri: media('media', 'trace.css'), state: this.state, restore: this.restore });
  }

  private setState(state: ViewState, restore: RestoreTarget | undefined): void {
    if (this.live && state.view !== 'live') this.live = undefined;
    this.state = state;
    this.restore = restore;
    this.version++;
    this.panel.title = this.title();
    if (this.ready) this.post({ type: 'show', state, restore });
  }

  private post(msg: HostMessage): void {
    void this.panel.webview.postMessage(msg).then(undefined, (e: unknown) => this.services.log.warn(`trace panel: could not post ${msg.type}: ${String(e)}`));
  }

  /** A loop event of the live run `token`; dropped once the panel shows something else. */
  onLoopEvent(e: LoopEvent, token: object): void {
    if (this.live?.token !== token) return;
    const s = this.state;
    if (s.view !== 'live') return;
    // The host keeps only what a reloaded webview needs to redraw the run (its steps so far, then the
    // finished trajectory); every event, these included, goes on to the webview, which draws the rest.
    const steps: Step[] = s.steps;
    if (e.type === 'stepFinished') steps[e.stepIndex] = e.step;
    else if (e.type === 'retrieval') steps[e.stepIndex] = { kind: 'search', query: e.query, docs: e.docs, ms: e.ms, rewards: {} };
    else if (e.type === 'finished') {
      // The finished view persists the trajectory itself, so a reload shows the run's result.
      this.live = undefined;
      this.state = { view: 'trajectory', trajectory: e.trajectory };
      this.restore = { kind: 'trajectory', trajectory: e.trajectory };
      this.version++;
      this.panel.title = this.title();
    }
    if (e.type !== 'finished' && e.type !== 'token') this.version++;
    // On `finished` the webview swaps in the trajectory view and saves it for restore by itself.
    if (this.ready) this.post({ type: 'loopEvent', event: e });
  }

  private onMessage(raw: unknown): void {
    const msg = parseWebviewMessage(raw);
    if (!msg) {
      this.services.log.warn('trace panel: dropped a malformed message from the webview');
      return;
    }
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        if (this.version !== this.embeddedVersion) this.post({ type: 'show', state: this.state, restore: this.restore });
        // Later reloads of the webview (after being hidden) start from the embedded state again.
        this.embeddedVersion = -1;
        break;
      case 'stop':
        if (this.live) {
          this.services.log.info('trace panel: stop requested');
          this.live.controller.abort();
        }
        break;
      case 'openDoc':
        void this.openDoc(msg.path, msg.startLine, msg.endLine);
        break;
      case 'openRef':
        void this.host.show(msg.ref).catch((e: unknown) => showProblem(this.services.log, e));
        break;
      case 'fork': {
        const s = this.state;
        const shown = s.view === 'trajectory' ? s.trajectory : s.view === 'live' ? s.trajectory : undefined;
        // Only the trajectory on screen, and only a search step of it: the message names them, the host checks.
        if (!shown || shown.id !== msg.trajectoryId || shown.steps[msg.step]?.kind !== 'search') {
          this.services.log.warn(`trace panel: fork request for ${msg.trajectoryId} step ${msg.step} does not match the shown trajectory`);
          break;
        }
        const target: ForkTarget = { trajectory: shown, ref: s.view === 'trajectory' ? s.ref : undefined, step: msg.step };
        forkTargets.add(target);
        void vscode.commands.executeCommand(COMMANDS.forkFromStep, target).then(undefined, (e: unknown) => this.services.log.error(`fork: ${String(e)}`));
        break;
      }
      default: {
        const never: never = msg;
        void never;
      }
    }
  }

  /** Opens a workspace document at its line range; only paths inside a workspace folder. */
  private async openDoc(rel: string, startLine?: number, endLine?: number): Promise<void> {
    if (await openWorkspaceSource(rel, startLine, endLine)) return;
    this.post({ type: 'notice', level: 'error', message: `${rel} is not in this workspace (it may have moved since the trace was recorded).` });
  }

  private dispose(): void {
    this.onDisposed();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
