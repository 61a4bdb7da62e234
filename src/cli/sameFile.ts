/** Whether two paths name the same file (through symlinks and `..`), for refusing to write over an input. */
import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export function sameFile(a: string, b: string): boolean {
  const ra = canonical(a);
  const rb = canonical(b);
  if (ra === rb) return true;
  try {
    const sa = statSync(a);
    const sb = statSync(b);
    // Hard links and case-insensitive file systems: the same inode is the same file.
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

/** The real path, or for a file not yet written, its folder's real path and its name. */
function canonical(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    try {
      return join(realpathSync(dirname(resolve(p))), basename(p));
    } catch {
      return resolve(p);
    }
  }
}
