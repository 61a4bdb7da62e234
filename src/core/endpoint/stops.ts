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

/**
 * vLLM always sends `stop_reason` with a finished choice: the matched stop string, or null (or a stop
 * token's id) when the model ended on EOS. `stopReason` undefined means the server has no such field
 * (OpenAI, TGI): then nobody can tell, and this says false.
 */
export function endedOnEos(finish: string | null | undefined, stopReason: unknown, cut: { stop?: string; capped: boolean }): boolean {
  return !cut.stop && !cut.capped && finish === 'stop' && stopReason !== undefined && typeof stopReason !== 'string';
}
