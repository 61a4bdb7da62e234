/**
 * Python's string rules where upstream code (R1-Searcher, Search-R1) relies on them, so a loop rule
 * taken from that code matches it on every input: `str.strip()` and the regex `\s` of a `str`
 * pattern strip the characters `str.isspace()` accepts, which are not JavaScript's `trim()` set
 * (Python adds U+001C–U+001F and U+0085; JavaScript adds U+FEFF).
 */
export const PY_WHITESPACE = '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

const SPACE = new RegExp(`[${PY_WHITESPACE}]`);

/**
 * Python's `s.strip()`. Walks in from both ends: a `^\s+|\s+$` regex tries the second branch at every
 * whitespace run of the string, which made stripping a long model output a noticeable share of analysing it.
 */
export function pyStrip(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && SPACE.test(s[start]!)) start++;
  while (end > start && SPACE.test(s[end - 1]!)) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** Python's `s.lstrip()` with no argument. */
export function pyLstrip(s: string): string {
  let start = 0;
  while (start < s.length && SPACE.test(s[start]!)) start++;
  return start === 0 ? s : s.slice(start);
}

/** Python's `re.sub(r'^\d+\s+', '', s)` on a `str`: Unicode digits, then Python whitespace. */
const LEADING_NUMBER = new RegExp(`^\\p{Nd}+[${PY_WHITESPACE}]+`, 'u');

export function dropLeadingNumber(s: string): string {
  return s.replace(LEADING_NUMBER, '');
}
