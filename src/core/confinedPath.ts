/**
 * Writing inside a workspace without being redirected out of it. A repository can commit
 * `.hopscope/traces` (or the day's trace file) as a symlink to anywhere, e.g. `~/.bashrc`; following it
 * would let a cloned repository make Hopscope append model output to a file of its choosing. So each
 * folder on the way is checked with lstat (never followed) and created one level at a time, the result
 * must resolve inside the workspace, and files are opened with O_NOFOLLOW.
 */
import { constants, promises as fs, realpathSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InputError } from './errors';

const HINT = 'Hopscope writes traces only to real folders inside the workspace; remove the link or set hopscope.traces.directory';

/** Whether `path` is `root` or below it (both absolute and normalised). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * Makes sure `dir` exists as a real folder below `root`: no component between them may be a symlink
 * (missing ones are created), and its real path must lie inside the root's real path.
 */
export async function ensureFolderInside(root: string, dir: string): Promise<void> {
  const absRoot = resolve(root);
  const absDir = resolve(dir);
  if (!isInside(absRoot, absDir)) throw new InputError('is outside the workspace', absDir, undefined, HINT);
  let at = absRoot;
  for (const part of relative(absRoot, absDir).split(sep).filter(Boolean)) {
    at = join(at, part);
    let st;
    try {
      st = await fs.lstat(at);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new InputError(`cannot check folder: ${(e as Error).message}`, at);
      try {
        await fs.mkdir(at);
      } catch (m) {
        if ((m as NodeJS.ErrnoException).code !== 'EEXIST') throw new InputError(`cannot create folder: ${(m as Error).message}`, at);
      }
      st = await fs.lstat(at);
    }
    if (st.isSymbolicLink()) throw new InputError('is a symbolic link; not following it', at, undefined, HINT);
    if (!st.isDirectory()) throw new InputError('is not a folder', at, undefined, HINT);
  }
  const [realRoot, realDir] = await Promise.all([fs.realpath(absRoot), fs.realpath(absDir)]);
  if (!isInside(realRoot, realDir)) throw new InputError('resolves outside the workspace', absDir, undefined, HINT);
}

/** Flags for appending to a file that may be read back, never through a symlink at its name. */
export const APPEND_NO_FOLLOW = constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0);

/** The error for a file opened with O_NOFOLLOW that turned out to be a symlink (ELOOP), in words. */
export function symlinkRefused(e: unknown, file: string): InputError | undefined {
  return (e as NodeJS.ErrnoException).code === 'ELOOP' ? new InputError('is a symbolic link; not following it', file, undefined, HINT) : undefined;
}

/**
 * `file` (relative paths against the first root) as a real path that lies inside one of `roots`, e.g. a
 * template file named in settings: a workspace must not make Hopscope read a file outside itself.
 */
export function fileInside(roots: readonly string[], file: string, what: string): string {
  if (!roots.length) throw new InputError(`a ${what} file needs an open workspace folder`, file);
  const abs = resolve(roots[0]!, file);
  let real: string;
  try {
    real = realpathSync(abs);
  } catch {
    throw new InputError(`no such ${what} file`, abs);
  }
  if (!roots.some((r) => isInside(realpathOr(r), real))) {
    throw new InputError(`the ${what} file lies outside the workspace`, abs, undefined, `put the ${what} file inside the workspace folder`);
  }
  return real;
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

const READ_HINT = 'Hopscope reads workspace traces only from real files and folders inside the workspace; remove the link, or open the file yourself with "Hopscope: Open Trace File"';

/** Flags for reading a file, never through a symlink at its name. */
export const READ_NO_FOLLOW = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

/**
 * Before reading `path` (a trace file or folder found in the workspace, not one the user picked): it
 * must lie below one of `roots`, no component from that root down may be a symlink (a cloned
 * repository could commit `.hopscope/traces` as a link to anywhere), and its real path must lie inside
 * the root's. Throws an InputError naming the path; a missing path throws the file system's ENOENT error.
 */
export async function assertReadableInside(roots: readonly string[], path: string): Promise<void> {
  const abs = resolve(path);
  const root = roots.map((r) => resolve(r)).find((r) => isInside(r, abs));
  if (root === undefined) throw new InputError('is outside the workspace; not reading it', abs, undefined, READ_HINT);
  let at = root;
  for (const part of relative(root, abs).split(sep).filter(Boolean)) {
    at = join(at, part);
    if ((await fs.lstat(at)).isSymbolicLink()) throw new InputError('is a symbolic link; not following it', at, undefined, READ_HINT);
  }
  const [realRoot, real] = await Promise.all([fs.realpath(root), fs.realpath(abs)]);
  if (!isInside(realRoot, real)) throw new InputError('resolves outside the workspace; not reading it', abs, undefined, READ_HINT);
}
