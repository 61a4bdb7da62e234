/**
 * The best k documents, best first. Ties go to the smaller id, so results never depend on where a
 * document sits (slot, segment) or in which order it was offered: the in-memory scorer, the exhaustive
 * and the pruned segment search rank the same documents the same way.
 */
export class TopK {
  /** Min-heap of the best k (worst on top). */
  private readonly heap: number[] = [];
  private readonly score: number[] = [];

  constructor(
    private readonly k: number,
    private readonly idOf: (d: number) => string,
  ) {}

  get full(): boolean {
    return this.heap.length >= this.k;
  }

  /** The score a document must reach to enter (when full): the worst kept score, else -Infinity. */
  get threshold(): number {
    return this.full ? this.score[0] : -Infinity;
  }

  offer(d: number, s: number): void {
    if (this.k <= 0) return;
    if (!this.full) {
      this.heap.push(d);
      this.score.push(s);
      this.up(this.heap.length - 1);
    } else if (this.worse(0, d, s)) {
      this.heap[0] = d;
      this.score[0] = s;
      this.down(0);
    }
  }

  /** Documents and scores, best first. */
  sorted(): Array<{ d: number; score: number }> {
    const all = this.heap.map((d, i) => ({ d, score: this.score[i] }));
    return all.sort((a, b) => (b.score !== a.score ? b.score - a.score : this.idOf(a.d) < this.idOf(b.d) ? -1 : this.idOf(a.d) > this.idOf(b.d) ? 1 : 0));
  }

  /** Whether heap entry i ranks below document d with score s. */
  private worse(i: number, d: number, s: number): boolean {
    return this.score[i] < s || (this.score[i] === s && this.idOf(this.heap[i]) > this.idOf(d));
  }

  private swap(i: number, j: number): void {
    [this.heap[i], this.heap[j]] = [this.heap[j], this.heap[i]];
    [this.score[i], this.score[j]] = [this.score[j], this.score[i]];
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.worse(i, this.heap[p], this.score[p])) return;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    const n = this.heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.worse(l, this.heap[m], this.score[m])) m = l;
      if (r < n && this.worse(r, this.heap[m], this.score[m])) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}

/** The best k of scored candidates, best first. */
export function topK(candidates: readonly number[], k: number, scores: Float64Array, idOf: (d: number) => string): number[] {
  const top = new TopK(k, idOf);
  for (const d of candidates) top.offer(d, scores[d]);
  return top.sorted().map((e) => e.d);
}
