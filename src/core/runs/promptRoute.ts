/**
 * Which ingest worker parses each line of a step file: every rollout of a prompt goes to the worker
 * that met that prompt first. A worker remembers what it has analysed (documents blocks parsed,
 * documents and answers normalised, queries keyed: rollout.ts, rewards/goldMatch.ts, boundedMemo.ts),
 * and a prompt comes back with the same gold answers and mostly the same searches in every epoch. With
 * whole files handed out, each worker met every prompt and did that work again: on the bench's run,
 * two workers parsing alternate files spent 0.27 s more CPU than two parsing the lines of their own
 * prompts (4.1 vs 3.8 s).
 *
 * A prompt seen for the first time goes to the worker with the fewest bytes routed so far, and a
 * prompt stays with its worker unless that worker is ahead of the lightest by more than IMBALANCE_BYTES
 * (then the prompt moves): the workers finish together, which is what the wall time depends on.
 *
 * The prompt is read from the line's bytes, before anything is decoded: the value of its first field
 * when that is the prompt (`input`, `prompt` or `query` as a JSON string, the order verl and OpenRLHF
 * write); other lines go where the balance says, and are not remembered. A prompt is keyed by a hash of its
 * length and the bytes at both ends (a chat prompt ends with the question and the template's short
 * assistant header); two prompts that share a key share a worker, which costs balance, never a result.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** Bytes of the prompt hashed from each end. */
const HEAD = 32;
const TAIL = 96;
/** How far one worker may be ahead of the lightest before a prompt it holds moves. */
const IMBALANCE_BYTES = 4 << 20;

const PROMPT_KEYS = ['input', 'prompt', 'query'].map((k) => Buffer.from(`"${k}"`));

function skipSpace(buf: Buffer, at: number, end: number): number {
  while (at < end) {
    const b = buf[at];
    if (b !== 0x20 && b !== 0x09 && b !== 0x0d && b !== 0x0a) break;
    at++;
  }
  return at;
}

/** Where the JSON string opened at `open` closes (the index of its closing quote), or -1 before `end`. */
function stringEnd(buf: Buffer, open: number, end: number): number {
  for (let q = buf.indexOf(QUOTE, open + 1); q >= 0 && q < end; q = buf.indexOf(QUOTE, q + 1)) {
    let slashes = 0;
    while (buf[q - 1 - slashes] === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return q;
  }
  return -1;
}

/** The bytes [from, to) of the prompt when the line opens with it as a JSON string, else the whole line. */
function promptSpan(buf: Buffer, start: number, end: number): [number, number] {
  let at = skipSpace(buf, start, end);
  if (buf[at] !== 0x7b) return [start, end];
  at = skipSpace(buf, at + 1, end);
  const key = PROMPT_KEYS.find((k) => at + k.length <= end && buf.compare(k, 0, k.length, at, at + k.length) === 0);
  if (!key) return [start, end];
  at = skipSpace(buf, at + key.length, end);
  if (buf[at] !== 0x3a) return [start, end];
  at = skipSpace(buf, at + 1, end);
  if (buf[at] !== QUOTE) return [start, end];
  const close = stringEnd(buf, at, end);
  return close < 0 ? [start, end] : [at + 1, close];
}

/**
 * A 32-bit key for the prompt of the line at bytes [start, end), or undefined when the line does not
 * open with its prompt (no affinity to keep: such lines go wherever the balance says, unremembered).
 */
export function promptKey(buf: Buffer, start: number, end: number): number | undefined {
  const [from, to] = promptSpan(buf, start, end);
  if (from === start) return undefined;
  // FNV-1a over the length and the sampled bytes, then murmur3's finaliser (FNV's low bits are weak).
  let h = Math.imul(0x811c9dc5 ^ (to - from), 16777619);
  const headEnd = Math.min(to, from + HEAD);
  for (let i = from; i < headEnd; i++) h = Math.imul(h ^ buf[i]!, 16777619);
  for (let i = Math.max(headEnd, to - TAIL); i < to; i++) h = Math.imul(h ^ buf[i]!, 16777619);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Routes the lines of every range of one ingest; one router per ingest, so prompts keep their worker across files. */
export class PromptRouter {
  private readonly workerOf = new Map<number, number>();
  private readonly load: number[];

  constructor(readonly ways: number) {
    this.load = new Array<number>(ways).fill(0);
  }

  /** The worker of a line of `bytes` bytes whose prompt has `key` (undefined: no prompt known, the lightest worker). */
  route(key: number | undefined, bytes: number): number {
    let lightest = 0;
    for (let w = 1; w < this.ways; w++) if (this.load[w]! < this.load[lightest]!) lightest = w;
    let w = key === undefined ? lightest : this.workerOf.get(key);
    if (w === undefined || this.load[w]! - this.load[lightest]! > IMBALANCE_BYTES) this.workerOf.set(key!, (w = lightest));
    this.load[w]! += bytes;
    return w;
  }
}
