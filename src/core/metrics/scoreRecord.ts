/**
 * One line of a researcher's own predictions file, scored with a named definition: `{prediction, golds}`
 * (golds also as `answer` or `golden_answers`: a string or a list of strings, taken as given) gets the
 * definition's metrics; a line with `response` (the model's whole output after the prompt, documents
 * included) gets the definition's format check instead. A line that cannot be scored is an InputError
 * saying why.
 */
import { InputError } from '../errors';
import type { FormatVerdict, MetricDefinition } from './index';

export type ScoredRecord = { kind: 'metrics'; scores: Record<string, number> } | ({ kind: 'format' } & FormatVerdict);

const GOLD_KEYS = ['golds', 'answer', 'golden_answers'] as const;

function goldsOf(o: Record<string, unknown>): string[] {
  const key = GOLD_KEYS.find((k) => o[k] !== undefined);
  if (!key) throw new InputError(`no gold answers: expected "${GOLD_KEYS.join('", "')}"`);
  const v = o[key];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.length > 0 && v.every((g): g is string => typeof g === 'string')) return v;
  throw new InputError(`"${key}" must be a string or a non-empty list of strings`);
}

export function scoreRecord(value: unknown, definition: MetricDefinition): ScoredRecord {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(`expected a JSON object, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`);
  }
  const o = value as Record<string, unknown>;
  if (o.response !== undefined) {
    if (typeof o.response !== 'string') throw new InputError('"response" must be text');
    if (!definition.formatCheck) throw new InputError(`${definition.name} defines no format check for "response" lines`);
    return { kind: 'format', ...definition.formatCheck(o.response) };
  }
  if (typeof o.prediction !== 'string') {
    throw new InputError(o.prediction === undefined ? 'no "prediction" (or "response")' : '"prediction" must be text');
  }
  return { kind: 'metrics', scores: definition.score(o.prediction, goldsOf(o)) };
}
