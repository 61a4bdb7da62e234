/**
 * Whether a run failed before the model produced anything (refused connection, bad URL, unknown model): such a
 * run holds no step, so saving it would only litter the trace folder with empty error trajectories (issue 14).
 */
import type { Trajectory } from './trace';

export function failedBeforeModel(t: Trajectory): boolean {
  return t.stopReason === 'error' && t.steps.length === 0 && !t.usage?.completionTokens;
}
