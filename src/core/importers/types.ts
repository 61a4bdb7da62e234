/** What every importer shares: the formats, the result shape and the per-file context. */
import type { Trajectory } from '../trace';

export type ImportFormat = 'r1searcher' | 'search-r1' | 'openai-chat' | 'inspect' | 'igpo' | 'hopscope' | 'otlp';
export const IMPORT_FORMATS: readonly ImportFormat[] = ['r1searcher', 'search-r1', 'openai-chat', 'inspect', 'igpo', 'hopscope', 'otlp'];

/** A record that could not be read: its 1-based line (or record number in a whole-file format) and why. */
export interface ImportProblem {
  line: number;
  reason: string;
}

export interface ImportResult {
  trajectories: Trajectory[];
  problems: ImportProblem[];
  format: ImportFormat;
}

/** Where the records come from; ids, run id and dataset derive from it so re-imports are stable. */
export interface ImportContext {
  /** File name as given (used in `source.file`). */
  file: string;
  /** Run id for every trajectory of the file (defaults to the file's stem). */
  runId: string;
  /** Dataset name guessed from the file name (`hotpotqa_qwen.jsonl` -> `hotpotqa`), for breakdowns. */
  dataset?: string;
  createdAt: string;
}

/** A parsed file: the trajectories it held and the records it could not read. */
export type Parsed = Omit<ImportResult, 'format'>;
