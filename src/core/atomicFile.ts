/**
 * Writing an output file so that a failure (a full disk, a bad record, Ctrl-C) leaves the old file or
 * none, never a truncated one: the body goes to a temporary file in the same folder (same file system,
 * so the final rename is atomic), is fsynced, then renamed over the target. Writes are buffered, short
 * writes are retried until every byte is down, and the temporary file is created exclusively and
 * without following a symlink planted at its name.
 */
import { constants, promises as fs } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileError, InputError } from './errors';

const FLUSH_AT = 1 << 20;

export class AtomicFile {
  private pending: string[] = [];
  private pendingChars = 0;
  private done = false;
  /** Bytes written to the temporary file so far. */
  bytes = 0;

  private constructor(readonly target: string, readonly temp: string, private readonly handle: fs.FileHandle) {}

  static async create(target: string): Promise<AtomicFile> {
    const dir = dirname(target);
    const temp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      await fs.mkdir(dir, { recursive: true });
      const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
      return new AtomicFile(target, temp, await fs.open(temp, flags, 0o644));
    } catch (e) {
      throw fileError(e, target, 'write');
    }
  }

  /** Queues text; it reaches the disk in 1 MiB writes. */
  async write(text: string): Promise<void> {
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= FLUSH_AT) await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.pending.length) return;
    const buf = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingChars = 0;
    let off = 0;
    try {
      // A short write (a disk filling up) returns fewer bytes: write the rest, which then fails with ENOSPC.
      while (off < buf.length) off += (await this.handle.write(buf, off, buf.length - off)).bytesWritten;
    } catch (e) {
      throw writeError(e, this.target);
    }
    this.bytes += buf.length;
  }

  /** Flushes, fsyncs and renames the temporary file over the target. */
  async commit(): Promise<void> {
    if (this.done) return;
    try {
      await this.flush();
      await this.handle.sync().catch((e) => Promise.reject(writeError(e, this.target)));
    } catch (e) {
      await this.abort();
      throw e;
    }
    this.done = true;
    await this.handle.close();
    try {
      await fs.rename(this.temp, this.target);
    } catch (e) {
      await fs.rm(this.temp, { force: true });
      throw fileError(e, this.target, 'write');
    }
  }

  /** Drops the temporary file; the target is left as it was. */
  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.handle.close().catch(() => undefined);
    await fs.rm(this.temp, { force: true });
  }
}

function writeError(e: unknown, file: string): InputError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG') {
    return new InputError(`cannot write: ${code === 'EFBIG' ? 'the file grew past the size limit' : 'the disk is full'}; the file was left as it was`, file, undefined, 'free some space and run again');
  }
  return fileError(e, file, 'write');
}

/**
 * Runs `body` with a writer into a temporary file beside `target`, then renames it over `target`; if
 * `body` (or a write) fails, the temporary file is dropped and `target` is left as it was.
 */
export async function writeThrough<T>(target: string, body: (write: (text: string) => Promise<void>) => Promise<T>): Promise<T> {
  const out = await AtomicFile.create(target);
  let result: T;
  try {
    result = await body((text) => out.write(text));
  } catch (e) {
    await out.abort();
    throw e;
  }
  await out.commit();
  return result;
}

/** Writes `chunks` to `target` through a temporary file: all of it, or (on any failure) nothing. */
export function writeAtomically(target: string, chunks: AsyncIterable<string> | Iterable<string>): Promise<void> {
  return writeThrough(target, async (write) => {
    for await (const c of chunks) await write(c);
  });
}

/** Refuses an output that is the input (`import X --out X` would otherwise destroy X while reading it). */
export async function refuseOutputOverInput(input: string, output: string, option = '--out'): Promise<void> {
  const [a, b] = await Promise.all([identity(input), identity(output)]);
  if (a !== undefined && a === b) {
    throw new InputError(`${option} names the input file itself`, output, undefined, 'write to another file, then move it over the input if that is what you want');
  }
}

/** A file's identity: device and inode when it exists (catches links and other spellings), else its resolved path. */
async function identity(file: string): Promise<string | undefined> {
  try {
    const s = await fs.stat(file);
    return `${s.dev}:${s.ino}`;
  } catch {
    return `path:${resolve(file)}`;
  }
}
