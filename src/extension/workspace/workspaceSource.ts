/**
 * Finds the workspace file a recorded passage path names, in whichever folder of a multi-root workspace
 * it lives (see sourcePaths.ts). Used wherever a citation or a document link opens its source.
 */
import * as vscode from 'vscode';
import { sourceCandidates } from './sourcePaths';

function localFolders(): { name: string; fsPath: string }[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => ({ name: f.name, fsPath: f.uri.fsPath }));
}

/** The existing file a passage path names, or undefined when it is in no workspace folder. */
export async function findWorkspaceSource(docPath: string): Promise<vscode.Uri | undefined> {
  for (const abs of sourceCandidates(docPath, localFolders())) {
    const uri = vscode.Uri.file(abs);
    try {
      if ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.File) return uri;
    } catch {
      // not in this folder: try the next one
    }
  }
  return undefined;
}
