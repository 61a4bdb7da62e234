/**
 * What Ask and Fork share around a run: the trace panel showing it live, a cancellable notification
 * reporting each step, one abort signal that both the panel's Stop and the notification's Cancel trip,
 * and a failure that reaches the panel and the notifier (with its hint).
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errors';
import type { LoopEvent, LoopListener } from '../../core/events';
import { showProblem } from '../notify';
import type { Services } from '../services';
import type { TracePanelHost } from '../traces/tracePanel';
import { short } from '../traces/labels';
import { settingsFor } from './runQuestion';

export interface LiveRunHandle {
  /** Aborted by the panel's Stop or the notification's Cancel. */
  signal: AbortSignal;
  /** Feeds the panel and the notification's progress line. */
  onEvent: LoopListener;
}

/**
 * Runs `run` live in the trace panel under a notification titled `title`. A throw is shown in the panel and
 * through the notifier, and gives undefined.
 */
export async function withLiveRun<T>(
  services: Services,
  panels: TracePanelHost,
  question: string,
  title: string,
  run: (live: LiveRunHandle) => Promise<T>,
): Promise<T | undefined> {
  const live = panels.showLive(question);
  const controller = new AbortController();
  const stop = () => controller.abort();
  live.stopRequested.addEventListener('abort', stop, { once: true });
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Hopscope: ${title}`, cancellable: true },
    async (progress, token) => {
      const cancel = token.onCancellationRequested(stop);
      try {
        return await run({
          signal: controller.signal,
          onEvent: (e) => {
            live.onEvent(e);
            const message = progressMessage(e);
            if (message) progress.report({ message });
          },
        });
      } catch (e) {
        live.onEvent({ type: 'error', message: errorMessage(e) });
        void showProblem(services.log, e, { settingsQuery: settingsFor(e) });
        return undefined;
      } finally {
        cancel.dispose();
        live.stopRequested.removeEventListener('abort', stop);
      }
    },
  );
}

function progressMessage(e: LoopEvent): string | undefined {
  switch (e.type) {
    case 'started':
      return 'starting…';
    case 'stepStarted':
      return e.kind === 'search' ? 'searching…' : e.kind === 'answer' ? 'answering…' : 'thinking…';
    case 'retrieval':
      return `searched "${short(e.query, 40)}" (${e.docs.length} docs)`;
    case 'answer':
      return `answer: ${short(e.text, 60)}`;
    case 'error':
      return e.message;
    case 'token':
    case 'stepFinished':
    case 'finished':
      return undefined;
    default: {
      const never: never = e;
      return never;
    }
  }
}
