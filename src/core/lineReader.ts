/**
 * The one line reader behind every JSONL reader (datasets, corpora, queries, trace files, imports):
 * bytes in, numbered lines out, a chunk's worth at a time. A UTF-8 byte-order mark is dropped and CRLF
 * reads like LF, so a file saved by an editor on Windows reads the same as one written here. A line
 * longer than `maxLineChars` is skipped and reported instead of growing one string without bound.
 */
import { StringDecoder } from 'node:string_decoder';

export interface TextLine {
  /** 1-based line number in the (decompressed) input. */
  line: number;
  text: string;
}

/** A line that could not be read: its 1-based number and why. */
export interface BadLine {
  line: number;
  reason: string;
}

export interface LineReaderOptions {
  /** Longest line kept, in characters (default 256 Mi: a V8 string tops out near 512 Mi). */
  maxLineChars?: number;
  /** Called for each line skipped for its length. */
  onBadLine?: (bad: BadLine) => void;
}

export const DEFAULT_MAX_LINE_CHARS = 256 * 1024 * 1024;

/**
 * Splits text fed in pieces into numbered lines: the synchronous core of the reader, so a string held in
 * memory (`importText`) and a file streamed from disk are cut into lines by the same rules.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private readonly max: number;
  private rest = '';
  private n = 0;
  private first = true;
  // Set while skipping the remainder of an over-long line, so its pieces are not read as lines.
  private skipping = false;

  constructor(private readonly options: LineReaderOptions = {}) {
    this.max = options.maxLineChars ?? DEFAULT_MAX_LINE_CHARS;
  }

  /** The lines completed by this chunk. */
  push(chunk: Uint8Array | string): TextLine[] {
    let text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk as Buffer);
    if (this.first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.first = false;
    }
    const parts = text.split('\n');
    const out: TextLine[] = [];
    for (let i = 0; i < parts.length - 1; i++) {
      const whole = this.rest + parts[i]!;
      this.rest = '';
      this.n++;
      if (this.skipping) this.skipping = false;
      else out.push({ line: this.n, text: stripCr(whole) });
    }
    const tail = parts[parts.length - 1]!;
    if (!this.skipping) {
      if (this.rest.length + tail.length > this.max) {
        this.options.onBadLine?.({ line: this.n + 1, reason: `longer than ${this.max} characters; skipped` });
        this.skipping = true;
        this.rest = '';
      } else this.rest += tail;
    }
    return out;
  }

  /** The last line, when the input does not end with a newline. */
  end(): TextLine[] {
    const last = this.skipping ? '' : this.rest + this.decoder.end();
    this.rest = '';
    return last === '' ? [] : [{ line: this.n + 1, text: stripCr(last) }];
  }
}

/** Lines of a byte stream in batches (one per input chunk); blank lines included, the last line even without a newline. */
export async function* lineBatches(input: AsyncIterable<Uint8Array | string>, options: LineReaderOptions = {}): AsyncGenerator<TextLine[]> {
  const splitter = new LineSplitter(options);
  for await (const chunk of input) {
    const batch = splitter.push(chunk);
    if (batch.length) yield batch;
  }
  const last = splitter.end();
  if (last.length) yield last;
}

/** Lines of a string held in memory, by the same rules as a stream. */
export function linesOfText(text: string, options: LineReaderOptions = {}): TextLine[] {
  const splitter = new LineSplitter(options);
  return [...splitter.push(text), ...splitter.end()];
}

/** The JSON value of one line, or the reason it has none; undefined for a blank line. */
export function parseJsonLine(text: string): { value: unknown } | { problem: string } | undefined {
  if (!text.trim()) return undefined;
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { problem: `not valid JSON (${(e as Error).message})` };
  }
}

/** Lines one at a time (see lineBatches). */
export async function* lines(input: AsyncIterable<Uint8Array | string>, options: LineReaderOptions = {}): AsyncGenerator<TextLine> {
  for await (const batch of lineBatches(input, options)) yield* batch;
}

/** Each parsed JSON line with its number; blank lines skipped, unparseable ones reported and skipped. */
export async function* jsonLines(input: AsyncIterable<Uint8Array | string>, options: LineReaderOptions = {}): AsyncGenerator<{ line: number; value: unknown }> {
  for await (const batch of lineBatches(input, options)) {
    for (const { line, text } of batch) {
      const parsed = parseJsonLine(text);
      if (!parsed) continue;
      if ('problem' in parsed) {
        options.onBadLine?.({ line, reason: parsed.problem });
        continue;
      }
      const value = parsed.value;
      yield { line, value };
    }
  }
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
