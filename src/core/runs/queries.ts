/**
 * What a researcher asks of one step or one prompt: its groups ordered by what teaches the policy (the
 * widest score spread first, then the zero-advantage groups: all-zero, then all-one), a group's
 * rollouts, a prompt followed across every step it was sampled in, and one rollout's full trajectory,
 * read from its step file by offset.
 */
import { InputError } from '../errors';
import { analyzeTrajectory } from '../rewards';
import type { Trajectory } from '../trace';
import { readRange } from './parseRange';
import { rolloutTrajectory } from './rollout';
import { labelsOf } from './row';
import { GROUPS_SQL } from './summary';
import type { RunQueries, SqlRow } from './store';

export type GroupKind = 'spread' | 'all-zero' | 'all-one' | 'uniform' | 'unscored';

export interface GroupSummary {
  group: string;
  question: string;
  n: number;
  meanScore: number | null;
  minScore: number | null;
  maxScore: number | null;
  kind: GroupKind;
}

export interface RolloutSummary {
  fileId: number;
  file: string;
  line: number;
  step: number;
  group: string;
  question: string;
  answer: string | null;
  score: number | null;
  searches: number;
  responseChars: number;
  stopReason: string;
  formatError: boolean;
  labels: string[];
}

function kindOf(r: SqlRow): GroupKind {
  if ((r.scored as number) < (r.n as number)) return 'unscored';
  if (!r.uniform) return 'spread';
  if (r.hi === 0) return 'all-zero';
  if (r.hi === 1) return 'all-one';
  return 'uniform';
}

const KIND_ORDER = `CASE WHEN NOT uniform THEN 0 WHEN hi = 0 THEN 1 WHEN hi = 1 THEN 2 ELSE 3 END`;

export async function stepGroups(store: RunQueries, step: number): Promise<GroupSummary[]> {
  const rows = await store.query(
    `WITH g AS (${GROUPS_SQL})
     SELECT g.*, (SELECT any_value(question) FROM rollouts r WHERE r.step = g.step AND r.grp = g.grp) AS question
     FROM g WHERE step = $1 ORDER BY ${KIND_ORDER}, (hi - lo) DESC NULLS LAST, mean DESC, grp`,
    [step],
  );
  return rows.map((r) => ({
    group: r.grp as string,
    question: (r.question as string) ?? '',
    n: r.n as number,
    meanScore: r.mean as number | null,
    minScore: r.lo as number | null,
    maxScore: r.hi as number | null,
    kind: kindOf(r),
  }));
}

const ROLLOUT_COLUMNS = `r.file_id, f.path AS file, r.line, r.step, r.grp, r.question, r.answer, r.score, r.searches,
  r.response_chars, r.stop_reason, r.format_error, r.labels`;

function rolloutOf(r: SqlRow): RolloutSummary {
  return {
    fileId: r.file_id as number,
    file: r.file as string,
    line: r.line as number,
    step: r.step as number,
    group: r.grp as string,
    question: r.question as string,
    answer: r.answer as string | null,
    score: r.score as number | null,
    searches: r.searches as number,
    responseChars: r.response_chars as number,
    stopReason: r.stop_reason as string,
    formatError: r.format_error as boolean,
    labels: labelsOf(r.labels as number),
  };
}

/** A step's rollouts (one group's when given), best score first within each group, in file order otherwise. */
export async function stepRollouts(store: RunQueries, step: number, group?: string, limit = 10_000): Promise<RolloutSummary[]> {
  const rows = await store.query(
    `SELECT ${ROLLOUT_COLUMNS} FROM rollouts r JOIN files f ON f.id = r.file_id
     WHERE r.step = $1 ${group ? 'AND r.grp = $2' : ''} ORDER BY r.grp, r.score DESC NULLS LAST, r.file_id, r.line LIMIT ${Math.floor(limit)}`,
    group ? [step, group] : [step],
  );
  return rows.map(rolloutOf);
}

/** Every sampling of one prompt: per step, its group's figures. */
export async function promptHistory(store: RunQueries, group: string): Promise<Array<GroupSummary & { step: number }>> {
  const rows = await store.query(`WITH g AS (${GROUPS_SQL}) SELECT g.*, '' AS question FROM g WHERE grp = $1 ORDER BY step`, [group]);
  return rows.map((r) => ({
    step: r.step as number,
    group: r.grp as string,
    question: '',
    n: r.n as number,
    meanScore: r.mean as number | null,
    minScore: r.lo as number | null,
    maxScore: r.hi as number | null,
    kind: kindOf(r),
  }));
}

/** The full trajectory of one rollout, parsed again from its line (the store keeps only its figures). */
export async function readRollout(store: RunQueries, fileId: number, line: number): Promise<Trajectory> {
  const [r] = await store.query(
    `SELECT f.path, f.step AS file_step, r."offset"::DOUBLE AS "offset", r.length FROM rollouts r JOIN files f ON f.id = r.file_id
     WHERE r.file_id = $1 AND r.line = $2`,
    [fileId, line],
  );
  if (!r) throw new InputError(`no rollout at line ${line} of file #${fileId} in the run store`);
  const file = r.path as string;
  const buf = await readRange({ file, fileId, fileStep: undefined, start: r.offset as number, length: r.length as number, firstLine: line, runId: '', createdAt: '' });
  let value: unknown;
  try {
    value = JSON.parse(buf.toString('utf8'));
  } catch {
    throw new InputError('the line changed since it was read; open the run again to re-read it', file, line);
  }
  const runId = file.split(/[\\/]/).slice(-2, -1)[0] ?? 'run';
  return analyzeTrajectory(
    rolloutTrajectory(value, line, { file, fileStep: (r.file_step as number | null) ?? undefined, runId, createdAt: new Date(0).toISOString() }),
  );
}
