/**
 * Opens a recorded passage's workspace file beside the current editor with its lines selected. The trace
 * panel's document links and inline answers' citations both open sources this way.
 */
import * as vscode from 'vscode';
import { findWorkspaceSource } from './workspaceSource';

/**
 * Opens `docPath` (a passage path as traces record it) at lines `startLine`..`endLine` (1-based, inclusive;
 * both optional). Returns false, opening nothing, when the path is in no workspace folder: a trace file must
 * not open arbitrary files. Errors from opening the document (binary file, no permission) propagate.
 */
export async function openWorkspaceSource(docPath: string, startLine?: number, endLine?: number): Promise<boolean> {
  const uri = await findWorkspaceSource(docPath);
  if (!uri) return false;
  const editor = await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  const last = Math.max(0, editor.document.lineCount - 1);
  const start = Math.min(last, Math.max(0, (startLine ?? 1) - 1));
  const end = Math.min(last, Math.max(start, (endLine ?? startLine ?? 1) - 1));
  const range = new vscode.Range(start, 0, end, editor.document.lineAt(end).text.length);
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return true;
}
