/**
 * The best k documents of a scored candidate list, best first. Ties go to the smaller id, so results
 * never depend on where a document sits (slot, segment): the in-memory scorer and the on-demand
 * segment search rank the same documents the same way.
 */
export function topK(candidates: readonly number[], k: number, scores: Float64Array, idOf: (d: number) => string): number[] {
  // Min-heap of the best k (worst on top).
  const heap: number[] = [];
  const worse = (a: number, b: number) => scores[a] < scores[b] || (scores[a] === scores[b] && idOf(a) > idOf(b));
  for (const d of candidates) {
    if (heap.length < k) {
      heap.push(d);
      siftUp(heap, heap.length - 1, worse);
    } else if (worse(heap[0], d)) {
      heap[0] = d;
      siftDown(heap, 0, worse);
    }
  }
  return heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
}

function siftUp(h: number[], i: number, worse: (a: number, b: number) => boolean): void {
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!worse(h[i], h[p])) return;
    [h[i], h[p]] = [h[p], h[i]];
    i = p;
  }
}

function siftDown(h: number[], i: number, worse: (a: number, b: number) => boolean): void {
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < h.length && worse(h[l], h[m])) m = l;
    if (r < h.length && worse(h[r], h[m])) m = r;
    if (m === i) return;
    [h[i], h[m]] = [h[m], h[i]];
    i = m;
  }
}
