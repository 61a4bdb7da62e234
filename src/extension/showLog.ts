/** "Hopscope: Show Log": the extension's one log channel. */
import * as vscode from 'vscode';
import type { Services } from './services';
import { COMMANDS } from './commands';

export function registerShowLogCommand(context: vscode.ExtensionContext, services: Services): void {
  context.subscriptions.push(vscode.commands.registerCommand(COMMANDS.showLog, () => services.log.show(true)));
}
