/**
 * "Hopscope: Ask Question…": asks for a question, runs the loop with the trace panel showing it live,
 * saves the trajectory and leaves the panel on it. Cancellable from the notification and the panel.
 * Called with a string argument (tests, other commands), it skips the input box and returns the trajectory.
 */
import * as vscode from 'vscode';
import type { Trajectory } from '../../core/trace';
import { showProblem } from '../notify';
import { withLiveRun } from './liveRun';
import { describeFailure, runQuestion } from './runQuestion';
import type { Services } from '../services';
import { short } from '../traces/labels';
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
  return withLiveRun(services, panels, question, short(question, 60), async ({ signal, onEvent }) => {
    const { trajectory } = await runQuestion(services, question, { signal, onEvent });
    if (trajectory.stopReason === 'error') {
      void showProblem(services.log, describeFailure(services, trajectory), { settingsQuery: 'hopscope.endpoint' });
    }
    return trajectory;
  });
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
