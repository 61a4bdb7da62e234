/**
 * First start: a new user should see Hopscope without hunting for an unlabelled activity-bar icon, so the
 * first activation in a profile opens the Hopscope view and the getting-started walkthrough, once.
 * Skipped outside a packaged install (extension-host tests) and when `hopscope.welcome.onFirstStart` is off
 * (the code-server test profiles turn it off so every scenario starts from the same screen).
 */
import * as vscode from 'vscode';
import { readConfig } from './config';

const WELCOMED = 'hopscope.welcomed';
export const WALKTHROUGH_ID = 'gettingStarted';

export function registerWelcome(context: vscode.ExtensionContext): void {
  if (context.extensionMode !== vscode.ExtensionMode.Production) return;
  if (!readConfig().config.welcome.onFirstStart) return;
  if (context.globalState.get<boolean>(WELCOMED)) return;
  void context.globalState.update(WELCOMED, true);
  void (async () => {
    await vscode.commands.executeCommand('workbench.view.extension.hopscope');
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#${WALKTHROUGH_ID}`, false);
  })();
}
