/** Stop strings matched as plain text, for servers that don't honour `stop`, and the character cap. */

/**
 * The text up to the first stop string (excluded), for servers that don't honour `stop`, and the
 * character cap. `from` skips text already searched.
 */
export function cutAtStop(text: string, stops: string[], maxChars?: number, from = 0): { text: string; stop?: string; capped: boolean } {
  let first = -1;
  let which: string | undefined;
  for (const s of stops) {
    if (!s) continue;
    const i = text.indexOf(s, from);
    if (i >= 0 && (first < 0 || i < first)) {
      first = i;
      which = s;
    }
  }
  let out = which !== undefined ? text.slice(0, first) : text;
  let capped = false;
  if (maxChars !== undefined && out.length > maxChars) {
    out = out.slice(0, maxChars);
    which = undefined;
    capped = true;
  }
  return { text: out, stop: which, capped };
}
