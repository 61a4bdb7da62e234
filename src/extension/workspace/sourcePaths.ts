/**
 * Passage paths and workspace folders. In a multi-root workspace the index names files
 * `folder name/relative path` (see core/retrieval/fileKeys.ts); with one folder, plain relative paths.
 * Pure (no vscode), so the mapping is unit-tested on Node.
 */
import * as path from 'node:path';
import { FileKeys, type NamedFolder } from '../../core/retrieval/fileKeys';

/** The part of a vscode.WorkspaceFolder this needs. */
export interface FolderLike {
  name: string;
  fsPath: string;
}

/** The folders as the index names them: the workspace's, with one folder none (plain relative paths). */
export function indexFolders(folders: readonly FolderLike[]): NamedFolder[] {
  return folders.map((f) => ({ name: f.name, path: f.fsPath }));
}

/** The key the index gives a file of the workspace (what traces record as a passage's path). */
export function workspacePathOf(abs: string, folders: readonly FolderLike[]): string | undefined {
  if (folders.length === 0) return undefined;
  const keys = new FileKeys(folders[0].fsPath, indexFolders(folders));
  return keys.locate(abs) ? keys.key(abs) : undefined;
}

/**
 * Where a recorded passage path may be, best first, and only inside a workspace folder (a trace file
 * must not open arbitrary files): the folder it names (`folder/path`, multi-root), then the path under
 * each folder in turn (traces recorded with one folder open, or by the CLI), or an absolute path that
 * lies in a folder (older multi-root traces).
 */
export function sourceCandidates(docPath: string, folders: readonly FolderLike[]): string[] {
  if (folders.length === 0 || docPath.trim() === '') return [];
  const keys = new FileKeys(folders[0].fsPath, indexFolders(folders));
  const inside = (abs: string) => folders.some((f) => isInside(f.fsPath, abs));
  const out: string[] = [];
  const add = (abs: string) => {
    const resolved = path.resolve(abs);
    if (inside(resolved) && !out.includes(resolved)) out.push(resolved);
  };
  if (path.isAbsolute(docPath)) {
    add(docPath);
    return out;
  }
  const rel = docPath.replace(/\\/g, '/');
  if (keys.multi) add(keys.abs(rel));
  for (const f of folders) add(path.resolve(f.fsPath, ...rel.split('/')));
  return out;
}

function isInside(dir: string, abs: string): boolean {
  const rel = path.relative(path.resolve(dir), abs);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}
