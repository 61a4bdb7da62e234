/**
 * "Hopscope: Set API Key": stores the endpoint's key in SecretStorage. An empty entry removes it.
 */
import * as vscode from 'vscode';
import type { Services } from '../services';
import { COMMANDS } from '../commands';

export function registerSetApiKeyCommand(context: vscode.ExtensionContext, services: Services): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.setApiKey, async (preset?: unknown) => {
      const had = await services.apiKey.hasStoredKey();
      const key =
        typeof preset === 'string'
          ? preset
          : await vscode.window.showInputBox({
              title: 'Hopscope: Set API Key',
              prompt: `Key sent as "Authorization: Bearer …" to ${services.config().endpoint.baseUrl}. Stored in VS Code's secret storage, never in settings.${had ? ' Leave empty to remove the stored key.' : ''}`,
              password: true,
              ignoreFocusOut: true,
              placeHolder: 'sk-…',
            });
      if (key === undefined) return;
      if (key.trim() === '') {
        if (had) {
          await services.apiKey.clear();
          services.log.info('API key removed from secret storage');
          void vscode.window.showInformationMessage('Hopscope: API key removed.');
        }
        return;
      }
      await services.apiKey.set(key.trim());
      services.log.info('API key stored in secret storage');
      void vscode.window.showInformationMessage('Hopscope: API key stored in VS Code secret storage.');
    }),
  );
}
