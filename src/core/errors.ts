/**
 * Typed errors from core. Each carries a message a user can act on (what failed, where, what to check),
 * so the CLI and the extension can show it as-is instead of a stack trace.
 */
export class HopscopeError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = new.target.name;
  }
  /** One line for a user: the message and, where known, what to check. */
  describe(): string {
    return this.hint ? `${this.message} (${this.hint})` : this.message;
  }
}

/** The endpoint could not be reached or answered with an error. */
export class EndpointError extends HopscopeError {
  constructor(message: string, readonly url: string, readonly status?: number, hint?: string) {
    super(message, hint);
  }
}

/** The retriever (local index or remote server) failed. */
export class RetrieverError extends HopscopeError {}

/** A file a user gave us holds something we cannot read; names the file and line. */
export class InputError extends HopscopeError {
  constructor(message: string, readonly file?: string, readonly line?: number, hint?: string) {
    super(file ? `${file}${line !== undefined ? `:${line}` : ''}: ${message}` : message, hint);
  }
}

/** The run was cancelled by its caller. */
export class CancelledError extends HopscopeError {
  constructor() {
    super('cancelled');
  }
}

export function errorMessage(e: unknown): string {
  if (e instanceof HopscopeError) return e.describe();
  if (e instanceof Error) return e.message;
  return String(e);
}

/** A file that cannot be read or written, in words: what is wrong with it rather than the system call that failed. */
export function fileError(e: unknown, file: string, action: 'read' | 'write'): InputError {
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT' ? (action === 'read' ? 'no such file' : 'its folder does not exist')
    : code === 'EISDIR' ? 'a directory, not a file'
    : code === 'ENOTDIR' || code === 'EEXIST' ? 'a part of its path is a file, not a folder'
    : code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'permission denied'
    : code === 'ENOSPC' || code === 'EDQUOT' ? 'the disk is full'
    : (e as Error).message;
  return new InputError(`cannot ${action}: ${why}`, file);
}

/** A URL Hopscope was given that it will not use (not a URL, or not http/https). The message holds it redacted. */
export class UrlError extends HopscopeError {}
