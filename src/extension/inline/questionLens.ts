/**
 * "Ask Hopscope" CodeLenses: on every line that is a question (ends in `?`; in code, a comment line),
 * and on the current selection once the selection settles.
 */
import * as vscode from 'vscode';
import type { Services } from '../services';
import { questionAtLine } from './questionText';
import { COMMANDS } from '../commands';

const MAX_LINES = 20_000;
const SELECTION_SETTLE_MS = 300;

export class QuestionLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer?: ReturnType<typeof setTimeout>;

  constructor(private readonly services: Services) {
    this.subscriptions.push(
      services.onDidChangeConfig(() => this.changed.fire()),
      vscode.window.onDidChangeTextEditorSelection(() => {
        if (this.timer) clearTimeout(this.timer);
        this.timer = setTimeout(() => this.changed.fire(), SELECTION_SETTLE_MS);
      }),
    );
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!this.services.config().inline.codeLens) return [];
    const lenses: vscode.CodeLens[] = [];
    const editor = vscode.window.activeTextEditor;
    const selection = editor?.document === document && !editor.selection.isEmpty ? editor.selection : undefined;
    if (selection && document.getText(selection).trim()) {
      lenses.push(
        new vscode.CodeLens(new vscode.Range(selection.start.line, 0, selection.start.line, 0), {
          title: '$(comment-discussion) Ask Hopscope about the selection',
          command: COMMANDS.askInline,
          arguments: [document.uri, selection],
        }),
      );
    }
    const lines = Math.min(document.lineCount, MAX_LINES);
    for (let i = 0; i < lines; i++) {
      const line = document.lineAt(i);
      if (!line.text.trimEnd().endsWith('?') && !/\?\s*(\*\/|-->)\s*$/.test(line.text)) continue;
      if (questionAtLine(line.text, document.languageId) === undefined) continue;
      lenses.push(
        new vscode.CodeLens(line.range, {
          title: '$(comment-discussion) Ask Hopscope',
          tooltip: 'Answer this question from the workspace, inline',
          command: COMMANDS.askInline,
          arguments: [document.uri, line.range],
        }),
      );
    }
    return lenses;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.changed.dispose();
    for (const d of this.subscriptions) d.dispose();
  }
}
