/** Hopscope's own trace files, read back (e.g. to re-analyse or export them): checked, not converted. */
import { InputError } from '../errors';
import { validateTrajectory } from '../traceSchema';
import { TRACE_SCHEMA, type Trajectory } from '../trace';
import { asRecord } from './record';
import type { ImportContext } from './types';

export function hopscopeRecord(value: unknown, _line: number, _ctx: ImportContext): Trajectory {
  const o = asRecord(value);
  if (o.schema !== TRACE_SCHEMA) throw new InputError(`"schema" is ${JSON.stringify(o.schema)}, expected "${TRACE_SCHEMA}"`);
  const t = o as unknown as Trajectory;
  const filled = { ...t, rewards: t.rewards ?? {}, labels: t.labels ?? [], outcome: t.outcome ?? {}, usage: t.usage ?? {}, timing: t.timing ?? {} };
  const v = validateTrajectory(filled);
  if (!v.ok) throw new InputError(`not a valid trajectory: ${v.errors.join('; ')}`);
  return v.trajectory;
}
