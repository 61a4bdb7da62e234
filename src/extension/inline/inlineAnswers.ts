/**
 * Inline answers as comment threads under the question: one thread per question, each run with its
 * own cancel signal so several can stream at once. The thread re-renders (throttled) as loop events
 * arrive, and keeps the trajectory so "Open trace" and the source links work after the run.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errors';
import type { LoopEvent } from '../../core/events';
import type { StopReason, Trajectory } from '../../core/trace';
import { runQuestion } from '../ask/runQuestion';
import type { Services } from '../services';
import { openWorkspaceSource } from '../workspace/openSource';
import type { TracePanelHost } from '../traces/tracePanel';
import { INLINE_COMMANDS, renderInline, type InlineState } from './answerView';
import { pickCitations } from './citations';
import { questionAtLine, questionFromText } from './questionText';

const RENDER_EVERY_MS = 100;

interface InlineAsk {
  state: InlineState;
  uri: vscode.Uri;
  thread: vscode.CommentThread;
  /** Asked from a whole line (lens, cursor line) rather than a selection. */
  fromLine: boolean;
  abort: AbortController;
  /** Bumped on re-ask, so events from a superseded run are dropped. */
  generation: number;
  trajectory?: Trajectory;
  traceFile?: vscode.Uri;
  done: Promise<InlineState>;
  renderTimer?: ReturnType<typeof setTimeout>;
}

export class InlineAnswers implements vscode.Disposable {
  private readonly controller: vscode.CommentController;
  private readonly asks = new Map<string, InlineAsk>();
  private seq = 0;
  private readonly changed = new vscode.EventEmitter<InlineState>();
  /** Fires whenever an answer's state changes (tests and the CodeLens listen). */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly services: Services,
    private readonly panels: TracePanelHost,
  ) {
    this.controller = vscode.comments.createCommentController('hopscope.inline', 'Hopscope answers');
    this.controller.options = { placeHolder: 'Hopscope answers are read-only', prompt: 'Ask Hopscope' };
  }

  /** Starts answering `question` under `range` in the document; returns the answer's id. */
  ask(uri: vscode.Uri, range: vscode.Range, question: string, fromLine = false): string {
    const existing = [...this.asks.values()].find(
      (a) => a.uri.toString() === uri.toString() && a.thread.range?.end.line === range.end.line,
    );
    if (existing) this.clear(existing.state.id);

    const id = `q${++this.seq}`;
    const thread = this.controller.createCommentThread(uri, new vscode.Range(range.end.line, 0, range.end.line, 0), []);
    thread.canReply = false;
    thread.label = 'Hopscope';
    thread.collapsibleState = vscode.CommentThreadCollapsibleState.Expanded;
    const ask: InlineAsk = {
      state: freshState(id, question),
      uri,
      thread,
      fromLine,
      abort: new AbortController(),
      generation: 0,
      done: Promise.resolve(freshState(id, question)),
    };
    this.asks.set(id, ask);
    this.announceCount();
    this.start(ask);
    return id;
  }

  get(id: string): InlineState | undefined {
    return this.asks.get(id)?.state;
  }

  list(): InlineState[] {
    return [...this.asks.values()].map((a) => a.state);
  }

  /** The thread's rendered Markdown, as the editor shows it. */
  markdown(id: string): string | undefined {
    const body = this.asks.get(id)?.thread.comments[0]?.body;
    return typeof body === 'string' ? body : body?.value;
  }

  /** Resolves when the answer's current run has finished (any outcome). */
  whenDone(id: string): Promise<InlineState> {
    const a = this.asks.get(id);
    return a ? a.done : Promise.reject(new Error(`no inline answer ${id}`));
  }

  cancel(id: string): void {
    this.asks.get(id)?.abort.abort();
  }

  reask(id: string): void {
    const a = this.asks.get(id);
    if (!a) return;
    a.abort.abort();
    a.abort = new AbortController();
    a.generation++;
    a.state = freshState(id, this.currentQuestion(a) ?? a.state.question);
    a.trajectory = undefined;
    a.traceFile = undefined;
    this.start(a);
  }

  clear(id: string): void {
    const a = this.asks.get(id);
    if (!a) return;
    a.abort.abort();
    if (a.renderTimer) clearTimeout(a.renderTimer);
    a.thread.dispose();
    this.asks.delete(id);
    this.announceCount();
  }

  /** `hopscope.inline.hasAnswers` shows "Clear Inline Answers" in the palette only when there is one. */
  private announceCount(): void {
    void vscode.commands.executeCommand('setContext', 'hopscope.inline.hasAnswers', this.asks.size > 0);
  }

  clearAll(): void {
    for (const id of [...this.asks.keys()]) this.clear(id);
  }

  async openTrace(id: string): Promise<void> {
    const a = this.asks.get(id);
    if (!a?.trajectory) return;
    // From its file when it was saved, so the panel can come back after a reload.
    const target = a.traceFile?.scheme === 'file' ? { file: a.traceFile.fsPath, id: a.trajectory.id } : { trajectory: a.trajectory };
    await this.panels.show(target);
  }

  /** Opens a cited passage: the workspace file at its lines, or the passage text for remote documents. */
  async openSource(id: string, index: number): Promise<void> {
    const c = this.asks.get(id)?.state.citations[index];
    if (!c) return;
    if (c.doc.path) {
      try {
        if (await openWorkspaceSource(c.doc.path, c.doc.startLine, c.doc.endLine)) return;
        this.services.log.warn(`${c.doc.path} is in no workspace folder: showing the cited passage instead`);
      } catch (e) {
        this.services.log.warn(`could not open ${c.doc.path}: ${errorMessage(e)}`);
      }
    }
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: `# ${c.doc.title}\n\n${c.doc.text}\n` });
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }

  /**
   * A question asked from its line is re-read on re-ask, so editing the line and re-asking asks the
   * edited question (the thread's range follows edits). Selections are kept as first asked.
   */
  private currentQuestion(a: InlineAsk): string | undefined {
    if (!a.fromLine || !a.thread.range) return undefined;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === a.uri.toString());
    const line = a.thread.range.end.line;
    if (!doc || line >= doc.lineCount) return undefined;
    const text = doc.lineAt(line).text;
    return questionAtLine(text, doc.languageId) ?? questionFromText(text, doc.languageId);
  }

  /** Finds the answer a comment-thread menu action was invoked on. */
  idOf(arg: unknown): string | undefined {
    if (typeof arg === 'string') return arg;
    for (const [id, a] of this.asks) if (a.thread === arg) return id;
    return undefined;
  }

  dispose(): void {
    this.clearAll();
    this.controller.dispose();
    this.changed.dispose();
  }

  private start(a: InlineAsk): void {
    const generation = a.generation;
    const started = Date.now();
    const current = () => a.generation === generation && this.asks.get(a.state.id) === a;
    this.render(a, true);
    a.done = (async () => {
      try {
        const { trajectory, file } = await runQuestion(this.services, a.state.question, {
          signal: a.abort.signal,
          onEvent: (e) => {
            if (!current()) return;
            apply(a.state, e);
            this.render(a, false);
          },
        });
        if (current()) {
          a.trajectory = trajectory;
          a.traceFile = file;
          finish(a.state, trajectory, Date.now() - started);
        }
      } catch (e) {
        if (current()) {
          a.state.status = 'failed';
          a.state.problem = errorMessage(e);
          a.state.elapsedMs = Date.now() - started;
          this.services.log.error(`inline answer: ${a.state.problem}`);
        }
      }
      if (current()) this.render(a, true);
      return a.state;
    })();
  }

  private render(a: InlineAsk, now: boolean): void {
    if (!now) {
      a.renderTimer ??= setTimeout(() => this.render(a, true), RENDER_EVERY_MS);
      return;
    }
    if (a.renderTimer) clearTimeout(a.renderTimer);
    a.renderTimer = undefined;
    if (this.asks.get(a.state.id) !== a) return;
    const body = new vscode.MarkdownString(renderInline(a.state), true);
    body.isTrusted = { enabledCommands: Object.values(INLINE_COMMANDS) };
    a.thread.contextValue = a.state.status;
    a.thread.label = `Hopscope · ${statusLabel(a.state)}`;
    a.thread.comments = [
      {
        body,
        mode: vscode.CommentMode.Preview,
        author: { name: 'Hopscope' },
        contextValue: a.state.status,
      },
    ];
    this.changed.fire(a.state);
  }
}

function freshState(id: string, question: string): InlineState {
  return { id, question, status: 'running', activity: 'starting…', searches: [], live: '', citations: [], hasTrace: false };
}

function apply(s: InlineState, e: LoopEvent): void {
  switch (e.type) {
    case 'started':
      s.activity = 'starting…';
      return;
    case 'stepStarted':
      s.activity = e.kind === 'search' ? 'searching…' : e.kind === 'answer' ? 'answering…' : 'thinking…';
      s.live = '';
      return;
    case 'token':
      s.live = (s.live + e.text).slice(-2000);
      return;
    case 'retrieval':
      s.searches.push({ query: e.query, docs: e.docs.length, ms: e.ms });
      s.activity = `read ${e.docs.length} docs for "${e.query}", thinking…`;
      s.live = '';
      return;
    case 'answer':
      s.answer = e.text;
      return;
    case 'error':
      s.problem = e.message;
      return;
    case 'stepFinished':
    case 'finished':
      return;
    default: {
      const never: never = e;
      return never;
    }
  }
}

function finish(s: InlineState, t: Trajectory, elapsedMs: number): void {
  s.elapsedMs = t.timing.totalMs ?? elapsedMs;
  s.hasTrace = true;
  s.live = '';
  s.answer = t.answer ?? s.answer;
  s.citations = pickCitations(t);
  s.searches = t.steps.flatMap((st) => (st.kind === 'search' ? [{ query: st.query, docs: st.docs.length, ms: st.ms ?? 0 }] : []));
  const reason: StopReason = t.stopReason;
  switch (reason) {
    case 'finished':
      s.status = t.answer !== null ? 'done' : 'failed';
      if (t.answer === null) s.problem = 'the model finished without an answer';
      return;
    case 'cancelled':
      s.status = 'cancelled';
      return;
    case 'error':
      s.status = 'failed';
      s.problem = t.error ?? s.problem ?? 'the run failed';
      return;
    case 'max_turns':
    case 'length':
    case 'eos_no_answer':
    case 'empty_query':
      s.status = t.answer !== null ? 'done' : 'failed';
      if (t.answer === null) s.problem = `stopped (${reason}) before an answer`;
      return;
    default: {
      const never: never = reason;
      return never;
    }
  }
}

function statusLabel(s: InlineState): string {
  switch (s.status) {
    case 'running':
      return 'answering…';
    case 'done':
      return 'answered';
    case 'failed':
      return 'no answer';
    case 'cancelled':
      return 'cancelled';
    default: {
      const never: never = s.status;
      return never;
    }
  }
}
