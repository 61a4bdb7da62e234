/**
 * Splits document text into runs marked as query terms or gold answers, for rendering as separate
 * text nodes. Pure (no DOM), so it is tested on plain Node.
 */
export type Mark = 'term' | 'gold';
export interface Segment {
  text: string;
  mark?: Mark;
}

// Words that match nearly every document and would drown the useful highlights.
const STOPWORDS = new Set(
  'a an and are as at be by did do does for from has have he her his how in is it its of on or she that the their them they this to was were what when where which who whom whose why will with'.split(' '),
);

const WORD = /[\p{L}\p{N}]+/gu;

/** The distinct lower-cased words of a query worth highlighting. */
export function queryTerms(query: string): string[] {
  const out = new Set<string>();
  for (const m of query.toLowerCase().matchAll(WORD)) {
    const w = m[0];
    if (w.length >= 2 && !STOPWORDS.has(w)) out.add(w);
  }
  return [...out];
}

const WORD_CHAR = /[\p{L}\p{N}]/u;
const isWordChar = (c: string | undefined) => c !== undefined && WORD_CHAR.test(c);

const NONE = 0;
const TERM = 1;
const GOLD = 2;

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const termRegexes = new Map<string, RegExp>();

/** One regex per set of terms (cached: every document of a search shares its query's terms). */
function termRegex(terms: readonly string[]): RegExp | undefined {
  if (terms.length === 0) return undefined;
  const key = terms.join('\u0000');
  let re = termRegexes.get(key);
  if (!re) {
    if (termRegexes.size > 500) termRegexes.clear();
    re = new RegExp(`(?<![\\p{L}\\p{N}])(?:${[...terms].sort((a, b) => b.length - a.length).map(escapeRe).join('|')})(?![\\p{L}\\p{N}])`, 'gu');
    termRegexes.set(key, re);
  }
  return re;
}

/** Start offsets of whole-word (where the needle starts/ends with a word character) occurrences. */
function goldHits(lower: string, needle: string, each: (at: number) => void): void {
  for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, at + 1)) {
    const end = at + needle.length;
    if (isWordChar(lower[at - 1]) && isWordChar(needle[0])) continue;
    if (isWordChar(lower[end]) && isWordChar(needle[needle.length - 1])) continue;
    each(at);
  }
}

/** How much of a text is searched for marks, and how many marks at most: past these the text stays plain. */
export interface HighlightLimits {
  maxChars: number;
  maxMarks: number;
}

/**
 * Bounds that keep a huge document cheap to render: a 2.4 MB document once became 375,000 <mark>
 * elements and froze the panel for 10 s. Its head, where a reader looks, is still highlighted.
 */
export const HIGHLIGHT_LIMITS: HighlightLimits = { maxChars: 50_000, maxMarks: 500 };

/**
 * Gold answers win over query terms where they overlap. Matching is case-insensitive and on word
 * boundaries, so a gold answer "1" does not light up every "1990". Only the first `limits.maxChars`
 * characters are searched and at most `limits.maxMarks` runs marked; the rest comes back as plain text.
 */
export function highlight(text: string, terms: readonly string[], golds: readonly string[], limits: HighlightLimits = HIGHLIGHT_LIMITS): Segment[] {
  if (text.length === 0) return [];
  if (text.length > limits.maxChars) {
    const head = highlight(text.slice(0, limits.maxChars), terms, golds, limits);
    return [...head, { text: text.slice(limits.maxChars) }];
  }
  const lower = text.toLowerCase();
  // Lower-casing can change lengths for a few scripts; fall back to no marks rather than misplace them.
  if (lower.length !== text.length) return [{ text }];
  let marks: Uint8Array | undefined;
  const re = termRegex(terms);
  if (re) {
    re.lastIndex = 0;
    for (const m of lower.matchAll(re)) (marks ??= new Uint8Array(text.length)).fill(TERM, m.index, m.index + m[0].length);
  }
  for (const g of golds) {
    const needle = g.trim().toLowerCase();
    if (needle) goldHits(lower, needle, (at) => (marks ??= new Uint8Array(text.length)).fill(GOLD, at, at + needle.length));
  }
  if (!marks) return [{ text }];
  const out: Segment[] = [];
  let start = 0;
  let marked = 0;
  for (let i = 1; i <= text.length; i++) {
    if (i === text.length || marks[i] !== marks[start]) {
      const m = marks[start];
      if (m !== NONE && marked >= limits.maxMarks) {
        out.push({ text: text.slice(start) });
        return out;
      }
      const piece = text.slice(start, i);
      if (m !== NONE) marked++;
      out.push(m === NONE ? { text: piece } : { text: piece, mark: m === GOLD ? 'gold' : 'term' });
      start = i;
    }
  }
  return out;
}

/** True when the text contains one of the gold answers (same matching as `highlight`). */
export function containsGold(text: string, golds: readonly string[]): boolean {
  if (golds.length === 0) return false;
  const lower = text.toLowerCase();
  let found = false;
  for (const g of golds) {
    const needle = g.trim().toLowerCase();
    if (needle && !found) goldHits(lower, needle, () => (found = true));
  }
  return found;
}
