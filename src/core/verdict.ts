/**
 * The one answer to "was this trajectory right?": every count of correct or wrong answers (the tree's
 * ✓/✗ and failed count, the panel header, filters, the run summary, the HTML report, diagnosis) asks
 * here, so two views of one file never disagree.
 *
 * The rule:
 * - A run that stopped with `error` or `cancelled` is **unknown**: a fault is never a wrong answer.
 * - With gold answers: **correct** when EM = 1; else correct when cover-EM = 1 (R1-Searcher's ACC_R,
 *   `cover_exact_match`; under the `search-r1` metric definition, sub-EM, Search-R1's `subem_check`,
 *   when the trajectory records it); else **wrong** (a missing answer scores 0, so it is wrong).
 *   With gold answers but no recorded EM or cover-EM, the verdict is unknown (nothing was scored).
 * - Without gold answers: an LLM judge's verdict when one was recorded (≥ 0.5 correct, < 0.5 wrong),
 *   else **unknown**.
 */
import type { Trajectory } from './trace';

export type VerdictName = 'correct' | 'wrong' | 'unknown';
/** The measure that decided the verdict. */
export type VerdictBy = 'em' | 'coverEm' | 'subEm' | 'judge' | 'none';

export interface Verdict {
  verdict: VerdictName;
  /** One sentence a user can check against the numbers shown beside it. */
  why: string;
  by: VerdictBy;
}

/** What the verdict reads; `metricDefinition` is recorded by metric-aware runs and imports. */
export type VerdictInput = Pick<Trajectory, 'outcome' | 'gold' | 'stopReason' | 'error'> & { metricDefinition?: string };

/** The judge's threshold: R1-Searcher's judge answers True (1) or False (0); a mean of votes is read at one half. */
export const JUDGE_THRESHOLD = 0.5;

export function verdict(t: VerdictInput): Verdict {
  if (t.stopReason === 'error') return { verdict: 'unknown', why: `the run ended in error: ${t.error ?? 'no message recorded'}`, by: 'none' };
  if (t.stopReason === 'cancelled') return { verdict: 'unknown', why: 'the run was cancelled before it finished', by: 'none' };
  const o = t.outcome ?? {};
  if (t.gold?.length) {
    const second = t.metricDefinition === 'search-r1' && num(o.subEm) !== undefined ? 'subEm' : 'coverEm';
    const secondName = second === 'subEm' ? 'sub-EM' : 'cover-EM';
    const em = num(o.em);
    const other = num(o[second]);
    if (em === undefined && other === undefined) return { verdict: 'unknown', why: 'gold answers are given but no EM or cover-EM was recorded', by: 'none' };
    if (em !== undefined && em >= 1) return { verdict: 'correct', why: 'the answer matches a gold answer exactly (EM 1)', by: 'em' };
    if (other !== undefined && other >= 1) {
      return { verdict: 'correct', why: `EM 0, but ${second === 'subEm' ? 'a gold answer is contained in the answer' : 'the answer covers every word of a gold answer'} (${secondName} 1)`, by: second };
    }
    return { verdict: 'wrong', why: `neither EM nor ${secondName} is 1`, by: other !== undefined ? second : 'em' };
  }
  const judge = num(o.judge);
  if (judge !== undefined) {
    return judge >= JUDGE_THRESHOLD
      ? { verdict: 'correct', why: `no gold answer; the LLM judge said correct (${judge})`, by: 'judge' }
      : { verdict: 'wrong', why: `no gold answer; the LLM judge said wrong (${judge})`, by: 'judge' };
  }
  return { verdict: 'unknown', why: 'no gold answer and no judge verdict', by: 'none' };
}

/** Shorthand for counting: true when the verdict is `wrong`. */
export function isWrong(t: VerdictInput): boolean {
  return verdict(t).verdict === 'wrong';
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
