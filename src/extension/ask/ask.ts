/**
 * "Hopscope: Ask Question…": asks for a question, runs the loop with the trace panel showing it live,
 * saves the trajectory and leaves the panel on it. Cancellable from the notification and the panel.
 * Called with a string argument (tests, other commands), it skips the input box and returns the trajectory.
 */
import * as vscode from 'vscode';
import type { LoopEvent } from '../../core/events';
import type { Trajectory } from '../../core/trace';
import { showProblem } from '../notify';
import { describeFailure, runQuestion, settingsFor } from './runQuestion';
import type { Services } from '../services';
import type { TracePanelHost } from '../traces/tracePanel';
import { COMMANDS } from '../commands';

export function registerAskCommand(context: vscode.ExtensionContext, services: Services, panels: TracePanelHost): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.ask, (preset?: unknown) =>
      ask(panels, services, typeof preset === 'string' ? preset : undefined),
    ),
  );
}

async function ask(panels: TracePanelHost, services: Services, preset?: string): Promise<Trajectory | undefined> {
  const question = preset?.trim() || (await promptForQuestion(services))?.trim();
  if (!question) return undefined;

  const live = panels.showLive(question);
  const controller = new AbortController();
  const stop = () => controller.abort();
  live.stopRequested.addEventListener('abort', stop, { once: true });

  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Hopscope: ${shorten(question, 60)}`, cancellable: true },
    async (progress, token) => {
      const cancel = token.onCancellationRequested(stop);
      try {
        const { trajectory } = await runQuestion(services, question, {
          signal: controller.signal,
          onEvent: (e) => {
            live.onEvent(e);
            const message = progressMessage(e);
            if (message) progress.report({ message });
          },
        });
        if (trajectory.stopReason === 'error') {
          void showProblem(services.log, describeFailure(services, trajectory), { settingsQuery: 'hopscope.endpoint' });
        }
        return trajectory;
      } catch (e) {
        live.onEvent({ type: 'error', message: e instanceof Error ? e.message : String(e) });
        void showProblem(services.log, e, { settingsQuery: settingsFor(e) });
        return undefined;
      } finally {
        cancel.dispose();
        live.stopRequested.removeEventListener('abort', stop);
      }
    },
  );
}

async function promptForQuestion(services: Services): Promise<string | undefined> {
  const c = services.config();
  const over = c.retriever.kind === 'remote' ? c.retriever.url : 'the workspace index';
  return vscode.window.showInputBox({
    title: 'Hopscope: Ask Question',
    prompt: `Runs ${c.endpoint.model || 'the endpoint model'} at ${c.endpoint.baseUrl} with search over ${over}`,
    placeHolder: 'e.g. Who designed the cathedral that Leonardo da Vinci contributed to?',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'Type a question'),
  });
}

function progressMessage(e: LoopEvent): string | undefined {
  switch (e.type) {
    case 'started':
      return 'starting…';
    case 'stepStarted':
      return e.kind === 'search' ? 'searching…' : e.kind === 'answer' ? 'answering…' : 'thinking…';
    case 'retrieval':
      return `searched "${shorten(e.query, 40)}" (${e.docs.length} docs)`;
    case 'answer':
      return `answer: ${shorten(e.text, 60)}`;
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

function shorten(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
