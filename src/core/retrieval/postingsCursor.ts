/**
 * A query term's compressed postings in one segment, walked in document order with one block decoded
 * at a time, and the bounds block-max pruning reads without decoding: the most the term can add to
 * any document of a block (from its max tf and min length, see postingsCodec.ts).
 */
import { BLOCK, type BlockPostings } from './postingsCodec';

/** No document: a cursor past its last posting. */
export const NONE = 0xffffffff;

export class BlockCursor {
  /** The current document (NONE when exhausted) and its tf. */
  doc = NONE;
  tf = 0;
  /** The last document this term was found in by the search, and its tf there. */
  hitDoc = -1;
  hitTf = 0;
  /** The most this term adds to any document of the list. */
  readonly ub: number;
  /** The block being read. */
  private block = -1;
  private pos = 0;
  private n = 0;
  /** Where the last `shallow` call stopped (never behind `block`). */
  private shallowAt = 0;
  private readonly docs = new Uint32Array(BLOCK);
  private readonly tfs = new Float32Array(BLOCK);

  /**
   * @param w the term's weight (score = w·tf / (tf + norm))
   * @param bounds per block, tf/(tf + norm) at its max tf and smallest norm, with a margin for rounding
   */
  constructor(
    readonly w: number,
    private readonly list: BlockPostings,
    private readonly bounds: Float64Array,
  ) {
    let max = 0;
    for (let b = 0; b < bounds.length; b++) if (bounds[b] > max) max = bounds[b];
    this.ub = w * max;
    this.load(0);
  }

  /** The current block's last document and bound (when not exhausted). */
  blockLast = 0;
  blockUb = 0;

  next(): void {
    if (++this.pos < this.n) {
      this.doc = this.docs[this.pos];
      this.tf = this.tfs[this.pos];
    } else this.load(this.block + 1);
  }

  /** Moves to the first posting at or after `target` (decoding only the block that holds it). */
  advance(target: number): void {
    if (this.doc >= target) return;
    if (this.blockLast < target) {
      const b = this.blockFrom(this.block + 1, target);
      this.load(b);
      if (this.doc === NONE) return;
    }
    let p = this.pos;
    while (this.docs[p] < target) p++;
    this.pos = p;
    this.doc = this.docs[p];
    this.tf = this.tfs[p];
  }

  /**
   * The block that would hold `target` (the first, from the current one on, whose last document is at
   * or after it), without decoding anything: -1 when there is none. Targets must not decrease.
   */
  shallow(target: number): number {
    if (this.doc === NONE) return -1;
    const b = this.blockFrom(Math.max(this.shallowAt, this.block), target);
    this.shallowAt = b;
    return b < this.list.blocks ? b : -1;
  }

  /** The bound of block b (from `shallow`), and its last document. */
  ubOf(b: number): number {
    return this.w * this.bounds[b];
  }

  lastOf(b: number): number {
    return this.list.last(b);
  }

  /** The first block at or after `from` whose last document is at least `target` (blocks when none). */
  private blockFrom(from: number, target: number): number {
    const list = this.list;
    const end = list.blocks;
    let lo = from;
    let hi = from;
    let step = 1;
    while (hi < end && list.last(hi) < target) {
      lo = hi + 1;
      hi += step;
      step *= 2;
    }
    if (hi > end) hi = end;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list.last(mid) < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private load(b: number): void {
    this.block = b;
    this.pos = 0;
    if (b >= this.list.blocks) {
      this.n = 0;
      this.doc = NONE;
      return;
    }
    this.n = this.list.decode(b, this.docs, this.tfs);
    this.blockLast = this.list.last(b);
    this.blockUb = this.w * this.bounds[b];
    this.doc = this.docs[0];
    this.tf = this.tfs[0];
  }
}
