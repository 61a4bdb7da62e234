/** A file argument of a command: a Uri (palette, tests, explorer) or a Traces-view file node (`{ file }`). */
import * as vscode from 'vscode';

export function fileArg(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  const file = (arg as { file?: unknown } | null | undefined)?.file;
  return typeof file === 'string' && file ? vscode.Uri.file(file) : undefined;
}
