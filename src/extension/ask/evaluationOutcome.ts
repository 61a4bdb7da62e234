/**
 * What Run Evaluation tells the user when it ends short of a clean run: questions that ended in error
 * (the CLI says the same, "N of M question(s) ended in error") and questions a cancel left unrun. A
 * half-failed evaluation must not look finished, so errors are named even when nothing was cancelled.
 * Plain strings, no `vscode`, so the wording is unit-tested.
 */
export interface EvaluationOutcome {
  /** Questions asked for. */
  total: number;
  /** Trajectories written to the trace file. */
  written: number;
  /** Of those written, how many ended in error. */
  errors: number;
  /** Not run because the evaluation was cancelled. */
  cancelled: number;
  /** The trace file's name, as shown to the user. */
  traceFile: string;
  /** The first error message, for a hint at the cause. */
  firstError?: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The warning to show, or undefined when every question ran without error. */
export function evaluationWarning(o: EvaluationOutcome): string | undefined {
  const parts: string[] = [];
  if (o.errors > 0) {
    const first = o.firstError ? ` (first: ${o.firstError.length > 200 ? `${o.firstError.slice(0, 200)}…` : o.firstError})` : '';
    parts.push(`${o.errors} of ${plural(o.written, 'question')} ended in error${first}; they are in ${o.traceFile} with the error and count as unknown.`);
  }
  if (o.cancelled > 0) parts.unshift(`Evaluation stopped: ${o.written} of ${plural(o.total, 'question')} done, written to ${o.traceFile}.`);
  if (!parts.length) return undefined;
  return parts[0]!.startsWith('Evaluation') ? parts.join(' ') : `Evaluation: ${parts.join(' ')}`;
}
