/**
 * Hopscope's own trace files, read back (e.g. to re-analyse or export them): not converted, only the
 * rewards, labels and counters analysis recomputes are defaulted when a hand-made file leaves them
 * out. The shape is then checked against trace.schema.json like every importer's output (index.ts).
 */
import { InputError } from '../errors';
import { TRACE_SCHEMA, type Trajectory } from '../trace';
import { asRecord } from './record';
import type { ImportContext } from './types';

export function hopscopeRecord(value: unknown, _line: number, _ctx: ImportContext): Trajectory {
  const o = asRecord(value);
  if (o.schema !== TRACE_SCHEMA) throw new InputError(`"schema" is ${JSON.stringify(o.schema)}, expected "${TRACE_SCHEMA}"`);
  const t = o as unknown as Trajectory;
  const steps = Array.isArray(t.steps) ? t.steps.map((s) => (s && typeof s === 'object' && !Array.isArray(s) ? { ...s, rewards: s.rewards ?? {} } : s)) : t.steps;
  return { ...t, steps, rewards: t.rewards ?? {}, labels: t.labels ?? [], outcome: t.outcome ?? {}, usage: t.usage ?? {}, timing: t.timing ?? {} };
}
