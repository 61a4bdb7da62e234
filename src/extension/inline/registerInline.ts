/**
 * Inline question answering: the CodeLens, the "Ask Hopscope" command (context menu, keybinding,
 * palette) and the commands behind the answer's links and thread actions.
 */
import * as vscode from 'vscode';
import type { Services } from '../services';
import type { TracePanelHost } from '../traces/tracePanel';
import { INLINE_COMMANDS } from './answerView';
import { InlineAnswers } from './inlineAnswers';
import { QuestionLensProvider } from './questionLens';
import { questionAtLine, questionFromText } from './questionText';
import { COMMANDS } from '../commands';

const DOCUMENTS: vscode.DocumentSelector = [{ scheme: 'file' }, { scheme: 'untitled' }, { scheme: 'vscode-remote' }, { scheme: 'vscode-vfs' }];

export function registerInline(context: vscode.ExtensionContext, services: Services, panels: TracePanelHost): InlineAnswers {
  const answers = new InlineAnswers(services, panels);
  const lenses = new QuestionLensProvider(services);
  const byId = (run: (id: string) => unknown) => (arg: unknown) => {
    const id = answers.idOf(arg);
    return id === undefined ? undefined : run(id);
  };

  context.subscriptions.push(
    answers,
    lenses,
    vscode.languages.registerCodeLensProvider(DOCUMENTS, lenses),
    vscode.commands.registerCommand(COMMANDS.askInline, (uri?: unknown, range?: unknown) => askInline(answers, uri, range)),
    vscode.commands.registerCommand(INLINE_COMMANDS.cancel, byId((id) => answers.cancel(id))),
    vscode.commands.registerCommand(INLINE_COMMANDS.reask, byId((id) => answers.reask(id))),
    vscode.commands.registerCommand(INLINE_COMMANDS.clear, byId((id) => answers.clear(id))),
    vscode.commands.registerCommand(INLINE_COMMANDS.openTrace, byId((id) => answers.openTrace(id))),
    vscode.commands.registerCommand(INLINE_COMMANDS.openSource, (id: unknown, index: unknown) =>
      typeof id === 'string' && typeof index === 'number' ? answers.openSource(id, index) : undefined,
    ),
    vscode.commands.registerCommand(COMMANDS.inlineClearAll, () => answers.clearAll()),
  );
  return answers;
}

/**
 * From a CodeLens: (uri, range). From the context menu: (uri). From the keybinding or palette: nothing,
 * so the active editor's selection, or its cursor line, is the question. Returns the answer's id.
 */
async function askInline(answers: InlineAnswers, uriArg: unknown, rangeArg: unknown): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  let document: vscode.TextDocument | undefined;
  if (uriArg instanceof vscode.Uri) {
    document =
      vscode.workspace.textDocuments.find((d) => d.uri.toString() === uriArg.toString()) ??
      (await vscode.workspace.openTextDocument(uriArg));
  } else {
    document = editor?.document;
  }
  if (!document) {
    void vscode.window.showInformationMessage('Hopscope: open a file and select a question, or put the cursor on a line ending in "?".');
    return undefined;
  }
  let range: vscode.Range;
  if (rangeArg instanceof vscode.Range) {
    range = rangeArg;
  } else if (editor && editor.document === document) {
    range = editor.selection.isEmpty ? document.lineAt(editor.selection.active.line).range : editor.selection;
  } else {
    return undefined;
  }
  const text = document.getText(range);
  const wholeLine = range.isSingleLine && range.start.character === 0 && range.end.character === document.lineAt(range.end.line).text.length;
  const question = wholeLine
    ? (questionAtLine(text, document.languageId) ?? questionFromText(text, document.languageId))
    : questionFromText(text, document.languageId);
  if (!question) {
    void vscode.window.showInformationMessage('Hopscope: there is no question here. Select some text, or put the cursor on a line ending in "?".');
    return undefined;
  }
  return answers.ask(document.uri, range, question, wholeLine);
}
