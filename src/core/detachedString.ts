/**
 * A copy of `s` that does not keep the text it was cut from alive. V8 represents a substring of 13 or
 * more characters as a view of its parent, so a query or an answer cut from a rollout's output and
 * kept (in a cache, in a batch of rows) holds the whole output, several KB, in memory: a training run's
 * ingest then spent a large share of its time copying those outputs from one garbage-collector space
 * to the next. Prepending a character and cutting it off makes V8 copy the characters into a string of
 * their own (the concatenation is flattened before it is sliced); shorter strings are copies already.
 */
export function detachedString(s: string): string {
  return s.length < 13 ? s : ` ${s}`.slice(1);
}
