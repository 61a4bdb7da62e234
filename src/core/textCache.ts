/**
 * A bounded cache keyed by long texts (retrieved-documents blocks, prompts) that recur across a run's
 * rollouts. A Map keyed by the text itself hashes every looked-up text whole (a few KB, a fresh string
 * per rollout); the key here is a number from the text's length and both ends, and a hit is confirmed
 * by comparing the whole text (a memory compare, far cheaper than a hash). Cleared when full.
 */
import { detachedString } from './detachedString';

/** Characters of each end of a text that, with its length, key the cache. */
const KEY_ENDS = 40;

/** A number from a text's length and the characters at both ends (FNV-1a): the cache's key, never its proof. */
function textKey(text: string): number {
  let h = (0x811c9dc5 ^ text.length) >>> 0;
  const n = text.length;
  const head = Math.min(KEY_ENDS, n);
  for (let i = 0; i < head; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  for (let i = Math.max(head, n - KEY_ENDS); i < n; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  // 30 bits: a small integer to V8, which a Map hashes and compares without boxing it as a heap number.
  return h & 0x3fffffff;
}

interface Entry<V> {
  text: string;
  tag: number;
  value: V;
}

/** Lookups over which the hit rate is judged, and keys of texts seen once remembered at most. */
const WINDOW = 1024;
const SEEN_LIMIT = 65_536;

export class TextCache<V> {
  private readonly map = new Map<number, Array<Entry<V>>>();
  private size = 0;
  private lookups = 0;
  private hits = 0;
  /**
   * Fewer than a quarter of the last window's lookups were hits (a run whose rollouts and documents are
   * all new): a text is kept from its second sighting on. Keeping every new text (a copy of its own and
   * what is made from it) only for the garbage collector to copy it along and drop it later cost more
   * than making a recurring text's value twice.
   */
  private selective = false;
  private readonly seenOnce = new Set<number>();

  constructor(private readonly limit: number) {}

  /**
   * The value kept for `text` (and `tag`, a small number the value also depends on), else `make(own)`
   * kept: `own` is a copy of the text of its own (detachedString.ts), so values cut from it keep no
   * rollout's whole output alive. While few lookups hit (see `selective`), a text met for the first
   * time (as far as its key tells) gets `make(text)`, not kept.
   */
  get(text: string, make: (own: string) => V, tag = 0): V {
    const key = (textKey(text) + tag) & 0x3fffffff;
    const bucket = this.map.get(key);
    if (++this.lookups >= WINDOW) {
      this.selective = this.hits * 4 < this.lookups;
      this.lookups = this.hits = 0;
    }
    if (bucket) {
      for (const e of bucket) {
        if (e.tag === tag && e.text === text) {
          this.hits++;
          return e.value;
        }
      }
    }
    if (this.selective && !this.seenOnce.has(key)) {
      if (this.seenOnce.size >= SEEN_LIMIT) this.seenOnce.clear();
      this.seenOnce.add(key);
      return make(text);
    }
    if (this.size >= this.limit) {
      this.map.clear();
      this.size = 0;
    }
    const own = detachedString(text);
    const value = make(own);
    const list = this.map.get(key);
    if (list) list.push({ text: own, tag, value });
    else this.map.set(key, [{ text: own, tag, value }]);
    this.size++;
    return value;
  }
}
