/**
 * The template the settings name: a built-in one by name, or a template JSON file, which must lie inside
 * the workspace (relative paths resolve against its first folder). `hopscope.loop.template` is a
 * restricted setting, so an untrusted workspace cannot name one at all.
 */
import * as vscode from 'vscode';
import { fileInside } from '../../core/confinedPath';
import { BUILTIN_TEMPLATES, getTemplate, type Template } from '../../core/templates';

export function configuredTemplate(name: string): Template {
  if (BUILTIN_TEMPLATES[name]) return getTemplate(name);
  const roots = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  return getTemplate(fileInside(roots, name, 'template'));
}
