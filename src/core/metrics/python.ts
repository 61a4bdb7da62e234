/**
 * Python 3 string semantics that the upstream metric and reward code relies on, so a TypeScript port
 * returns what the Python returns on every input, not only on ASCII:
 * - `str.split()` / `str.strip()` and `re`'s `\s` use Python's whitespace (Py_UNICODE_ISSPACE), which
 *   includes U+001C–U+001F and U+0085 but not U+FEFF; JavaScript's `\s` and `trim()` differ on those.
 * - `re`'s `\b` on a str pattern is Unicode-aware: word characters are those for which
 *   `str.isalnum()` holds, plus `_`. That is the letters and numbers of the Unicode database
 *   (`\p{L}`, `\p{N}`); combining marks are not word characters in either. JavaScript's own `\b` is
 *   ASCII-only, hence the look-arounds below.
 * - `str.lower()` applies the full Unicode lower-case mapping (e.g. `İ` → `i̇`, final sigma), as
 *   `String.prototype.toLowerCase` does.
 * - `string.punctuation` is the 32 ASCII punctuation characters.
 * Python iterates strings by code point; every character class here is within the BMP or handled with
 * the `u` flag, so surrogate pairs never split.
 * The one difference left is the Unicode database version: Node's ICU knows characters assigned after
 * the version a given Python was built with (Python 3.11: Unicode 14). Over every assigned Unicode 14
 * code point the classes and the lower-case mapping agree.
 */

import { PY_WHITESPACE, pyStrip } from '../pyText';

/** Python's `string.punctuation`. */
export const PY_PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/** One Python whitespace character, for use inside a RegExp source (`re`'s `\s`). */
export const PY_SPACE_CLASS = `[${PY_WHITESPACE}]`;
const SPLIT = new RegExp(`${PY_SPACE_CLASS}+`);

/** `s.split()`: runs of whitespace separate, no empty strings. */
export function pySplit(s: string): string[] {
  return s.split(SPLIT).filter((w) => w !== '');
}

/** `s.strip()` with no argument (pyText.ts, shared with the loop). */
export { pyStrip };

/** `" ".join(s.split())`: SQuAD's white_space_fix. */
export function pyWhitespaceFix(s: string): string {
  return pySplit(s).join(' ');
}

/** `str.lower()`. */
export function pyLower(s: string): string {
  return s.toLowerCase();
}

/** `re.sub(r"\b(a|an|the)\b", " ", s)` with Python's Unicode word boundaries. */
export function pyRemoveArticles(s: string): string {
  return s.replace(/(?<![\p{L}\p{N}_])(?:a|an|the)(?![\p{L}\p{N}_])/gu, ' ');
}

/** `s.count(sub)`: non-overlapping occurrences; an empty `sub` counts len(s) + 1, as Python does. */
export function pyCount(s: string, sub: string): number {
  if (sub === '') return [...s].length + 1;
  let n = 0;
  for (let i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length)) n++;
  return n;
}

/**
 * `s.split(sep)[-1]` for a non-empty separator: the text after the last `sep` found scanning from the
 * left without overlaps (which differs from `lastIndexOf` for a separator that overlaps itself).
 */
export function pyLastPart(s: string, sep: string): string {
  let end = -1;
  for (let i = s.indexOf(sep); i >= 0; i = s.indexOf(sep, i + sep.length)) end = i + sep.length;
  return end < 0 ? s : s.slice(end);
}

/** `s.split(sep)[0]` for a non-empty separator: the text before the first `sep`, or all of `s`. */
export function pyFirstPart(s: string, sep: string): string {
  const at = s.indexOf(sep);
  return at < 0 ? s : s.slice(0, at);
}

/** `sum((Counter(a) & Counter(b)).values())`: tokens the two lists share, with multiplicity. */
export function commonTokenCount(a: readonly string[], b: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const w of b) counts.set(w, (counts.get(w) ?? 0) + 1);
  let same = 0;
  for (const w of a) {
    const c = counts.get(w) ?? 0;
    if (c > 0) {
      same++;
      counts.set(w, c - 1);
    }
  }
  return same;
}
