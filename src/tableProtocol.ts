/**
 * The trajectories table (webview/table, viewType `hopscope.trajectoryTable`): one row per trajectory of the open
 * trace files, and the messages between it and the host. No `vscode` and no DOM here, so both sides import it;
 * what the webview sends is validated with `parseTableWebviewMessage` before the host acts on it.
 */
import type { StopReason } from './core/trace';

export const TABLE_VIEW_TYPE = 'hopscope.trajectoryTable';
export const TABLE_STATE_ELEMENT_ID = 'hopscope-table-state';

export type VerdictWord = 'correct' | 'wrong' | 'unknown';

export interface TableRow {
  /** `<file>#<id>`: what the host opens when the row is selected. */
  key: string;
  /** The trace file's absolute path and its base name (shown). */
  path: string;
  file: string;
  /** 1-based line in the file. */
  line: number;
  /** From the one verdict (src/core/verdict.ts), with its reason for the tooltip. */
  verdict: VerdictWord;
  verdictWhy: string;
  question: string;
  em?: number;
  f1?: number;
  coverEm?: number;
  searches: number;
  tokens?: number;
  latencyMs?: number;
  stopReason: StopReason;
  labels: string[];
}

export interface TableState {
  rows: TableRow[];
}

export type TableHostMessage =
  | { type: 'rows'; rows: TableRow[] }
  /** Keys of the rows whose queries, documents or reasoning contain `text` (answer to `deepSearch` number `seq`). */
  | { type: 'deepMatches'; seq: number; text: string; keys: string[] };

export type TableWebviewMessage =
  | { type: 'ready' }
  | { type: 'open'; key: string }
  | { type: 'deepSearch'; seq: number; text: string }
  | { type: 'runSummary'; path: string };

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isShortStr = (x: unknown, max = 8192): x is string => typeof x === 'string' && x.length > 0 && x.length <= max;

export function parseTableWebviewMessage(x: unknown): TableWebviewMessage | undefined {
  if (!isObj(x)) return undefined;
  switch (x.type) {
    case 'ready':
      return { type: 'ready' };
    case 'open':
      return isShortStr(x.key) ? { type: 'open', key: x.key } : undefined;
    case 'deepSearch':
      return Number.isInteger(x.seq) && typeof x.text === 'string' && x.text.length <= 1000 ? { type: 'deepSearch', seq: x.seq as number, text: x.text } : undefined;
    case 'runSummary':
      return isShortStr(x.path, 4096) ? { type: 'runSummary', path: x.path } : undefined;
    default:
      return undefined;
  }
}

export function parseTableHostMessage(x: unknown): TableHostMessage | undefined {
  if (!isObj(x)) return undefined;
  if (x.type === 'rows' && Array.isArray(x.rows)) return x as TableHostMessage;
  if (x.type === 'deepMatches' && Number.isInteger(x.seq) && typeof x.text === 'string' && Array.isArray(x.keys) && x.keys.every((k) => typeof k === 'string')) return x as TableHostMessage;
  return undefined;
}
