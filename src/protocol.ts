/**
 * Every message between the extension host and its webviews (the trace viewer, the training-run
 * dashboard, the trajectories table). Both sides import this file
 * and validate what arrives with `parseHostMessage` / `parseWebviewMessage` before trusting it: the
 * webview's content is untrusted (model output, documents), and the host's messages cross a process
 * boundary. No `vscode` and no DOM here, so both bundles can use it.
 */
import type { LoopEvent } from './core/events';
import type { GroupSummary, RolloutSummary } from './core/runs/queries';
import type { StepSummary } from './core/runs/summary';
import { STOP_REASONS, type RetrievedDoc, type Step, type StopReason, type Trajectory } from './core/trace';
import { validateTrajectory } from './core/traceSchema';
import { TABLE_COLUMN_IDS, type TableColumnId } from './core/traces/tableFilter';

/** A trajectory in a trace file: enough to read it again (e.g. after a window reload). */
export interface TraceRef {
  /** Absolute file-system path of the JSONL trace file. */
  file: string;
  id: string;
}

/** What the panel shows; the host keeps the current one and re-sends it after each `ready`. */
export type ViewState =
  | { view: 'trajectory'; trajectory: Trajectory; ref?: TraceRef; focusStep?: number }
  | { view: 'compare'; left: Trajectory; right: Trajectory; leftRef?: TraceRef; rightRef?: TraceRef }
  | { view: 'live'; question: string; steps: Step[]; running: boolean; trajectory?: Trajectory }
  | { view: 'message'; title: string; message: string };

export type ViewKind = ViewState['view'];

/** What the panel serializer needs to bring a panel back after a reload (stored with `setState`). */
export type RestoreTarget =
  | { kind: 'ref'; ref: TraceRef; focusStep?: number }
  | { kind: 'trajectory'; trajectory: Trajectory }
  | { kind: 'compare'; left: TraceRef | Trajectory; right: TraceRef | Trajectory };

export type HostMessage =
  | { type: 'show'; state: ViewState; restore?: RestoreTarget }
  | { type: 'loopEvent'; event: LoopEvent }
  | { type: 'focusStep'; step: number }
  | { type: 'notice'; level: 'info' | 'error'; message: string };

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'openDoc'; path: string; startLine?: number; endLine?: number }
  | { type: 'stop' }
  | { type: 'openRef'; ref: TraceRef }
  /** "Fork from here" on a search step of the shown trajectory; the host asks for the new query. */
  | { type: 'fork'; trajectoryId: string; step: number };

export type HostMessageType = HostMessage['type'];
export type WebviewMessageType = WebviewMessage['type'];

/** The id of the `<script type="application/json">` block holding the first state in the HTML. */
export const INITIAL_STATE_ELEMENT_ID = 'hopscope-initial-state';
export const TRACE_VIEW_TYPE = 'hopscope.trace';

// ---- validators -------------------------------------------------------------------------------

type Obj = Record<string, unknown>;

const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const isStr = (x: unknown): x is string => typeof x === 'string';
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const optNum = (x: unknown): boolean => x === undefined || x === null || isNum(x);
const optStr = (x: unknown): boolean => x === undefined || isStr(x);
const optInt = (x: unknown): boolean => x === undefined || (Number.isInteger(x) && (x as number) >= 0);

function isNumberRecord(x: unknown): boolean {
  if (!isObj(x)) return false;
  return Object.values(x).every((v) => v === undefined || v === null || isNum(v));
}

export function isRetrievedDoc(x: unknown): x is RetrievedDoc {
  return (
    isObj(x) &&
    isStr(x.id) &&
    isNum(x.rank) &&
    isNum(x.score) &&
    isStr(x.title) &&
    isStr(x.text) &&
    optStr(x.path) &&
    optNum(x.startLine) &&
    optNum(x.endLine)
  );
}

export function isStep(x: unknown): x is Step {
  if (!isObj(x)) return false;
  if (x.rewards !== undefined && !isNumberRecord(x.rewards)) return false;
  if (!optNum(x.ms) || !optNum(x.tokens) || !optStr(x.error)) return false;
  switch (x.kind) {
    case 'reason':
    case 'answer':
      return isStr(x.text);
    case 'search':
      return isStr(x.query) && Array.isArray(x.docs) && x.docs.every(isRetrievedDoc);
    default:
      return false;
  }
}

/**
 * The trace contract itself (trace.schema.json, compiled standalone: no eval under the webview's CSP);
 * extra fields are allowed. The viewer shows a trajectory without a `runId` (hand-written and older
 * files lack it; nothing on screen needs it), so only that one required field may be missing here.
 */
export function isTrajectory(x: unknown): x is Trajectory {
  return trajectoryDefect(x) === undefined;
}

/**
 * What keeps `x` from the viewer, in words (the trace schema's errors, by JSON pointer), or undefined
 * when it can be shown: the panel shows this instead of going blank. A missing `runId` is allowed.
 */
export function trajectoryDefect(x: unknown): string | undefined {
  if (!isObj(x)) return 'it is not a JSON object';
  const v = validateTrajectory(x.runId === undefined ? { ...x, runId: '' } : x);
  return v.ok ? undefined : v.errors.join('; ');
}

export function isTraceRef(x: unknown): x is TraceRef {
  return isObj(x) && isStr(x.file) && x.file.length > 0 && isStr(x.id);
}

export function isViewState(x: unknown): x is ViewState {
  if (!isObj(x)) return false;
  switch (x.view) {
    case 'trajectory':
      return isTrajectory(x.trajectory) && (x.ref === undefined || isTraceRef(x.ref)) && optInt(x.focusStep);
    case 'compare':
      return (
        isTrajectory(x.left) &&
        isTrajectory(x.right) &&
        (x.leftRef === undefined || isTraceRef(x.leftRef)) &&
        (x.rightRef === undefined || isTraceRef(x.rightRef))
      );
    case 'live':
      return (
        isStr(x.question) &&
        Array.isArray(x.steps) &&
        x.steps.every(isStep) &&
        typeof x.running === 'boolean' &&
        (x.trajectory === undefined || isTrajectory(x.trajectory))
      );
    case 'message':
      return isStr(x.title) && isStr(x.message);
    default:
      return false;
  }
}

export function isRestoreTarget(x: unknown): x is RestoreTarget {
  if (!isObj(x)) return false;
  const side = (s: unknown) => isTraceRef(s) || isTrajectory(s);
  switch (x.kind) {
    case 'ref':
      return isTraceRef(x.ref) && optInt(x.focusStep);
    case 'trajectory':
      return isTrajectory(x.trajectory);
    case 'compare':
      return side(x.left) && side(x.right);
    default:
      return false;
  }
}

export function isLoopEvent(x: unknown): x is LoopEvent {
  if (!isObj(x)) return false;
  const idx = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;
  switch (x.type) {
    case 'started':
      return isStr(x.trajectoryId) && isStr(x.question);
    case 'token':
      return idx(x.stepIndex) && isStr(x.text);
    case 'stepStarted':
      return idx(x.stepIndex) && (x.kind === 'reason' || x.kind === 'search' || x.kind === 'answer');
    case 'stepFinished':
      return idx(x.stepIndex) && isStep(x.step);
    case 'retrieval':
      return idx(x.stepIndex) && isStr(x.query) && Array.isArray(x.docs) && x.docs.every(isRetrievedDoc) && isNum(x.ms);
    case 'answer':
      return isStr(x.text);
    case 'error':
      return isStr(x.message) && (x.stepIndex === undefined || idx(x.stepIndex));
    case 'finished':
      return isStr(x.stopReason) && (STOP_REASONS as readonly string[]).includes(x.stopReason) && isTrajectory(x.trajectory);
    default:
      return false;
  }
}

/** The host's message as the webview may trust it, or undefined (then the webview ignores it). */
export function parseHostMessage(x: unknown): HostMessage | undefined {
  if (!isObj(x)) return undefined;
  const type = x.type as HostMessageType;
  switch (type) {
    case 'show':
      return isViewState(x.state) && (x.restore === undefined || isRestoreTarget(x.restore)) ? (x as HostMessage) : undefined;
    case 'loopEvent':
      return isLoopEvent(x.event) ? (x as HostMessage) : undefined;
    case 'focusStep':
      return optInt(x.step) && x.step !== undefined ? (x as HostMessage) : undefined;
    case 'notice':
      return (x.level === 'info' || x.level === 'error') && isStr(x.message) ? (x as HostMessage) : undefined;
    default: {
      const never: never = type;
      void never;
      return undefined;
    }
  }
}

/** The webview's message as the host may act on it, or undefined (then the host logs and drops it). */
export function parseWebviewMessage(x: unknown): WebviewMessage | undefined {
  if (!isObj(x)) return undefined;
  const type = x.type as WebviewMessageType;
  switch (type) {
    case 'ready':
    case 'stop':
      return { type };
    case 'openDoc': {
      // A workspace-relative path only: the host resolves it inside a workspace folder.
      if (!isStr(x.path) || x.path.length === 0 || x.path.length > 4096) return undefined;
      if (!optInt(x.startLine) || !optInt(x.endLine)) return undefined;
      return { type, path: x.path, startLine: x.startLine as number | undefined, endLine: x.endLine as number | undefined };
    }
    case 'openRef':
      return isTraceRef(x.ref) ? { type, ref: { file: x.ref.file, id: x.ref.id } } : undefined;
    case 'fork':
      if (!isStr(x.trajectoryId) || x.trajectoryId.length === 0 || x.trajectoryId.length > 1024) return undefined;
      return Number.isInteger(x.step) && (x.step as number) >= 0 ? { type, trajectoryId: x.trajectoryId, step: x.step as number } : undefined;
    default: {
      const never: never = type;
      void never;
      return undefined;
    }
  }
}

/**
 * JSON for a `<script type="application/json">` block: `<`, `>`, `&` and the JS line separators are
 * escaped so a document containing `</script>` or `<!--` cannot end the block or open markup.
 */
export function jsonForHtml(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

// ---------------------------------------------------------------------------------------------------
// The training-run dashboard (webview/runs, viewType `hopscope.runDashboard`): per-step curves of a run,
// a step's groups and rollouts, a prompt followed across steps. Same rules as the trace viewer: the
// first state is embedded in the page, every message is validated on arrival.

export const RUN_DASHBOARD_VIEW_TYPE = 'hopscope.runDashboard';
export const RUN_STATE_ELEMENT_ID = 'hopscope-run-state';

/** One step's figures, as `hopscope runs summary --json` prints them (src/core/runs/summary.ts). */
export type RunStepPoint = StepSummary;

export interface RunDashboardState {
  /** The run folder (absolute) and its display name. */
  dir: string;
  name: string;
  steps: RunStepPoint[];
  /** Lines of the step files that could not be read. */
  problems: number;
  /** Step files still being read, when an ingest is under way. */
  progress?: { filesDone: number; filesTotal: number };
}

export type RunHostMessage =
  | { type: 'runSummary'; steps: RunStepPoint[]; problems: number }
  | { type: 'runProgress'; filesDone: number; filesTotal: number }
  | { type: 'stepGroups'; step: number; groups: GroupSummary[] }
  | { type: 'groupRollouts'; step: number; group: string; rollouts: RolloutSummary[] }
  | { type: 'promptHistory'; group: string; question: string; history: Array<GroupSummary & { step: number }> }
  | { type: 'runNotice'; level: 'info' | 'error'; message: string };

export type RunWebviewMessage =
  | { type: 'ready' }
  | { type: 'selectStep'; step: number }
  | { type: 'selectGroup'; step: number; group: string }
  | { type: 'openRollout'; fileId: number; line: number }
  | { type: 'followPrompt'; group: string }
  | { type: 'cancelIngest' };

export type RunHostMessageType = RunHostMessage['type'];
export type RunWebviewMessageType = RunWebviewMessage['type'];

const isInt = (x: unknown): x is number => Number.isInteger(x);
const isNat = (x: unknown): x is number => isInt(x) && x >= 0;
const nullNum = (x: unknown): boolean => x === null || isNum(x);
const isGroupId = (x: unknown): x is string => isStr(x) && x.length > 0 && x.length <= 64;
const GROUP_KINDS: readonly string[] = ['spread', 'all-zero', 'all-one', 'uniform', 'unscored'];

export function isRunStepPoint(x: unknown): x is RunStepPoint {
  return (
    isObj(x) &&
    isInt(x.step) &&
    isNat(x.n) &&
    nullNum(x.meanScore) &&
    nullNum(x.scoreStd) &&
    nullNum(x.scoreMin) &&
    nullNum(x.scoreMax) &&
    isNum(x.meanSearches) &&
    isNum(x.meanResponseChars) &&
    isNat(x.groups) &&
    isNat(x.uniformGroups) &&
    isNat(x.allZeroGroups) &&
    isNat(x.allOneGroups) &&
    isNum(x.formatErrorRate) &&
    isNumberRecord(x.labels)
  );
}

function isGroupSummary(x: unknown): x is GroupSummary {
  return (
    isObj(x) &&
    isGroupId(x.group) &&
    isStr(x.question) &&
    isNat(x.n) &&
    nullNum(x.meanScore) &&
    nullNum(x.minScore) &&
    nullNum(x.maxScore) &&
    isStr(x.kind) &&
    GROUP_KINDS.includes(x.kind)
  );
}

function isRolloutSummary(x: unknown): x is RolloutSummary {
  return (
    isObj(x) &&
    isNat(x.fileId) &&
    isStr(x.file) &&
    isNat(x.line) &&
    isInt(x.step) &&
    isGroupId(x.group) &&
    isStr(x.question) &&
    (x.answer === null || isStr(x.answer)) &&
    nullNum(x.score) &&
    isNat(x.searches) &&
    isNat(x.responseChars) &&
    isStr(x.stopReason) &&
    typeof x.formatError === 'boolean' &&
    Array.isArray(x.labels) &&
    x.labels.every(isStr)
  );
}

export function isRunDashboardState(x: unknown): x is RunDashboardState {
  return (
    isObj(x) &&
    isStr(x.dir) &&
    isStr(x.name) &&
    Array.isArray(x.steps) &&
    x.steps.every(isRunStepPoint) &&
    isNat(x.problems) &&
    (x.progress === undefined || (isObj(x.progress) && isNat(x.progress.filesDone) && isNat(x.progress.filesTotal)))
  );
}

/** The host's message as the dashboard may trust it, or undefined (then it is ignored). */
export function parseRunHostMessage(x: unknown): RunHostMessage | undefined {
  if (!isObj(x)) return undefined;
  const type = x.type as RunHostMessageType;
  switch (type) {
    case 'runSummary':
      return Array.isArray(x.steps) && x.steps.every(isRunStepPoint) && isNat(x.problems) ? (x as RunHostMessage) : undefined;
    case 'runProgress':
      return isNat(x.filesDone) && isNat(x.filesTotal) ? (x as RunHostMessage) : undefined;
    case 'stepGroups':
      return isInt(x.step) && Array.isArray(x.groups) && x.groups.every(isGroupSummary) ? (x as RunHostMessage) : undefined;
    case 'groupRollouts':
      return isInt(x.step) && isGroupId(x.group) && Array.isArray(x.rollouts) && x.rollouts.every(isRolloutSummary) ? (x as RunHostMessage) : undefined;
    case 'promptHistory':
      return isGroupId(x.group) && isStr(x.question) && Array.isArray(x.history) && x.history.every((h: unknown) => isObj(h) && isInt(h.step) && isGroupSummary(h))
        ? (x as RunHostMessage)
        : undefined;
    case 'runNotice':
      return (x.level === 'info' || x.level === 'error') && isStr(x.message) ? (x as RunHostMessage) : undefined;
    default: {
      const never: never = type;
      void never;
      return undefined;
    }
  }
}

/** The dashboard's message as the host may act on it, or undefined (then the host logs and drops it). */
export function parseRunWebviewMessage(x: unknown): RunWebviewMessage | undefined {
  if (!isObj(x)) return undefined;
  const type = x.type as RunWebviewMessageType;
  switch (type) {
    case 'ready':
    case 'cancelIngest':
      return { type };
    case 'selectStep':
      return isInt(x.step) ? { type, step: x.step } : undefined;
    case 'selectGroup':
      return isInt(x.step) && isGroupId(x.group) ? { type, step: x.step, group: x.group } : undefined;
    case 'openRollout':
      return isNat(x.fileId) && isNat(x.line) && x.line > 0 ? { type, fileId: x.fileId, line: x.line } : undefined;
    case 'followPrompt':
      return isGroupId(x.group) ? { type, group: x.group } : undefined;
    default: {
      const never: never = type;
      void never;
      return undefined;
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// The trajectories table (webview/table, viewType `hopscope.trajectoryTable`): one row per trajectory of
// the open trace files. Same rules: first state embedded, every message validated on arrival.

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

/**
 * The table's question when the host holds the rows (a trace file large enough for the trace store): the filter
 * boxes, the sort, the text search inside trajectories, and the window of rows wanted (virtualised: only what is
 * in view, and a margin, ever crosses).
 */
export interface TableWindowQuery {
  seq: number;
  start: number;
  count: number;
  filters: Partial<Record<TableColumnId, string>>;
  sort?: { id: TableColumnId; dir: 'asc' | 'desc' };
  /** Text inside queries, documents and reasoning; '' for none. */
  deep: string;
}

export type TableHostMessage =
  | { type: 'rows'; rows: TableRow[] }
  /** Answer to `query` number `seq`: `total` rows pass it of `all`, and these are rows start…start+rows.length. */
  | { type: 'window'; seq: number; total: number; all: number; start: number; rows: TableRow[] }
  /** The host's rows changed (a file grew): ask again for what is in view. */
  | { type: 'changed' }
  /** Keys of the rows whose queries, documents or reasoning contain `text` (answer to `deepSearch` number `seq`). */
  | { type: 'deepMatches'; seq: number; text: string; keys: string[] };

export type TableWebviewMessage =
  | { type: 'ready' }
  | { type: 'open'; key: string }
  | { type: 'deepSearch'; seq: number; text: string }
  | { type: 'runSummary'; path: string }
  | ({ type: 'query' } & TableWindowQuery);

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
    case 'query':
      return tableQueryOf(x);
    default:
      return undefined;
  }
}

const isColumn = (x: unknown): x is TableColumnId => isStr(x) && (TABLE_COLUMN_IDS as readonly string[]).includes(x);
/** Rows one window may ask for: a screen and margins, never the whole file. */
const WINDOW_MAX = 2000;

function tableQueryOf(x: Obj): ({ type: 'query' } & TableWindowQuery) | undefined {
  if (!isNat(x.seq) || !isNat(x.start) || !isNat(x.count) || x.count > WINDOW_MAX || !isStr(x.deep) || x.deep.length > 1000 || !isObj(x.filters)) return undefined;
  const filters: Partial<Record<TableColumnId, string>> = {};
  for (const [k, v] of Object.entries(x.filters)) {
    if (!isColumn(k) || !isStr(v) || v.length > 200) return undefined;
    filters[k] = v;
  }
  let sort: TableWindowQuery['sort'];
  if (x.sort !== undefined) {
    if (!isObj(x.sort) || !isColumn(x.sort.id) || (x.sort.dir !== 'asc' && x.sort.dir !== 'desc')) return undefined;
    sort = { id: x.sort.id, dir: x.sort.dir };
  }
  return { type: 'query', seq: x.seq, start: x.start, count: x.count, filters, sort, deep: x.deep };
}

const VERDICT_WORDS: readonly string[] = ['correct', 'wrong', 'unknown'];

export function isTableRow(x: unknown): x is TableRow {
  return (
    isObj(x) &&
    isShortStr(x.key) &&
    isStr(x.path) &&
    isStr(x.file) &&
    isNat(x.line) &&
    isStr(x.verdict) &&
    VERDICT_WORDS.includes(x.verdict) &&
    isStr(x.verdictWhy) &&
    isStr(x.question) &&
    optNum(x.em) &&
    optNum(x.f1) &&
    optNum(x.coverEm) &&
    isNat(x.searches) &&
    optNum(x.tokens) &&
    optNum(x.latencyMs) &&
    isStr(x.stopReason) &&
    (STOP_REASONS as readonly string[]).includes(x.stopReason) &&
    Array.isArray(x.labels) &&
    x.labels.every(isStr)
  );
}

export function parseTableHostMessage(x: unknown): TableHostMessage | undefined {
  if (!isObj(x)) return undefined;
  switch (x.type) {
    case 'rows':
      return Array.isArray(x.rows) && x.rows.every(isTableRow) ? { type: 'rows', rows: x.rows } : undefined;
    case 'deepMatches':
      return isInt(x.seq) && isStr(x.text) && Array.isArray(x.keys) && x.keys.every(isStr) ? { type: 'deepMatches', seq: x.seq, text: x.text, keys: x.keys } : undefined;
    case 'window':
      return isInt(x.seq) && isNat(x.total) && isNat(x.all) && isNat(x.start) && Array.isArray(x.rows) && x.rows.every(isTableRow)
        ? { type: 'window', seq: x.seq, total: x.total, all: x.all, start: x.start, rows: x.rows }
        : undefined;
    case 'changed':
      return { type: 'changed' };
    default:
      return undefined;
  }
}
