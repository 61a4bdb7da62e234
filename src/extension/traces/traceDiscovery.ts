/**
 * Finding the workspace's trace files (`<folder>/.hopscope/traces/*.jsonl` and the configured trace
 * folder) without following symlinks: a cloned repository may commit the folder or a file in it as a
 * link to anywhere on the disk, and the Traces view would then read, index and show that file. Such a
 * folder or file is refused, with the reason, instead of listed. (Files the user opens through "Open
 * Trace File" are their own choice and do not pass through here.) No `vscode`: unit-tested on Node.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { assertReadableInside } from '../../core/confinedPath';
import { InputError } from '../../core/errors';

export interface DiscoveredTraces {
  /** Real `.jsonl` files inside the workspace, sorted. */
  files: string[];
  /** Folders and files not read, each error naming the path and why. */
  refused: InputError[];
}

export async function discoverTraceFiles(roots: readonly string[], dirs: Iterable<string>): Promise<DiscoveredTraces> {
  const files: string[] = [];
  const refused: InputError[] = [];
  for (const dir of dirs) {
    try {
      await assertReadableInside(roots, dir);
    } catch (e) {
      if (e instanceof InputError) refused.push(e);
      // Otherwise (ENOENT): no trace folder yet.
      continue;
    }
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (!/\.jsonl$/i.test(entry.name)) continue;
      const file = join(dir, entry.name);
      if (entry.isSymbolicLink()) refused.push(new InputError('is a symbolic link; not following it', file, undefined, 'open the file yourself with "Hopscope: Open Trace File" if you trust where it points'));
      else if (entry.isFile()) files.push(file);
    }
  }
  return { files: files.sort(), refused };
}
