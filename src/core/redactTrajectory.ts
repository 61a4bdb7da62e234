/**
 * A trajectory as it may be stored or exported: the URLs and error texts in it pass through the one
 * redaction rule (src/core/endpoint/url.ts). Trajectories the loop makes are clean already; this also
 * covers trace files written by older versions or other tools, before they are copied anywhere.
 */
import { redactText, redactUrl } from './endpoint/url';
import type { Trajectory } from './trace';

export function redactTrajectory(t: Trajectory): Trajectory {
  const endpoint = t.policy?.endpoint;
  const index = t.retriever?.index;
  const cleanEndpoint = typeof endpoint === 'string' ? redactUrl(endpoint) : endpoint;
  // A local index is a folder path: only URLs are rewritten.
  const cleanIndex = typeof index === 'string' && index.includes('://') ? redactUrl(index) : index;
  const cleanError = typeof t.error === 'string' ? redactText(t.error) : t.error;
  const steps = Array.isArray(t.steps) ? t.steps : [];
  const stepsChanged = steps.some((s) => typeof s?.error === 'string' && redactText(s.error) !== s.error);
  if (cleanEndpoint === endpoint && cleanIndex === index && cleanError === t.error && !stepsChanged) return t;
  return {
    ...t,
    ...(t.policy ? { policy: { ...t.policy, endpoint: cleanEndpoint as string } } : {}),
    ...(t.retriever ? { retriever: { ...t.retriever, ...(cleanIndex !== undefined ? { index: cleanIndex } : {}) } } : {}),
    ...(cleanError !== undefined ? { error: cleanError } : {}),
    steps: stepsChanged ? steps.map((s) => (typeof s.error === 'string' ? { ...s, error: redactText(s.error) } : s)) : t.steps,
  };
}
