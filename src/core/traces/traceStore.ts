/**
 * The trace store: one DuckDB file per large trace file, outside the user's folder, with a row per
 * trajectory (its summary and where its line lives) and the lines that could not be read. The Traces
 * view's counts, filters, sorts and pages are SQL on it, so a 500,000-trajectory file is never an array
 * in the extension host; the trajectory itself is read from the file by offset on demand.
 * Two connections: ingest commits on one while the view's queries read the last commit on the other.
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { errorMessage, HopscopeError } from '../errors';
import type { StopReason } from '../trace';
import type { TraceFilter, TraceSort } from './filter';
import { orderOf, whereOf } from './filterSql';
import { LABEL_SEP, type TraceRangeResult } from './parseTraceRange';
import type { BadLine, TrajectorySummary } from './summary';
import type { TableQuery } from './tableFilter';
import { tableOrderOf, tableWhereOf } from './tableSql';
import { inTransaction, loadDuckDB } from '../duckdb';

/** Bumped when a row's meaning changes: an older store is rebuilt from the file. */
export const TRACE_STORE_VERSION = '1';

/** How far the file has been read, kept with the rows it gave (one transaction). */
export interface TraceStoreState {
  /** Bytes of complete lines read. */
  bytes: number;
  /** Lines read (the next line's number is lines + 1). */
  lines: number;
  rows: number;
  problems: number;
  /** The file's inode and the hex of the bytes just before `bytes`: if either changed, the file was rewritten. */
  ino: number;
  tail: string;
  unterminated: boolean;
}

const EMPTY: TraceStoreState = { bytes: 0, lines: 0, rows: 0, problems: 0, ino: -1, tail: '', unterminated: false };

let installed: boolean | undefined;

/**
 * Whether DuckDB's native binding for this platform is installed, checked without loading it (loading blocks
 * for a moment, and a .vsix built for another platform lacks it): where it is not, large files stay in memory.
 */
export function duckdbInstalled(): boolean {
  if (installed === undefined) {
    const tag = `${process.platform}-${process.arch}`;
    installed = [tag, `${tag}-musl`].some((t) => {
      try {
        require.resolve(`@duckdb/node-bindings-${t}/package.json`);
        return true;
      } catch {
        return false;
      }
    });
  }
  return installed;
}

/** The store's file for a trace file: one per file, in whatever directory holds stores. */
export function traceStoreFileName(traceFile: string): string {
  return `${createHash('sha1').update(resolve(traceFile)).digest('hex').slice(0, 16)}.duckdb`;
}

export function traceStorePath(storageDir: string, traceFile: string): string {
  return join(storageDir, 'traces', traceStoreFileName(traceFile));
}

/** The row columns a range's JSON carries, with their SQL types (parseTraceRange.ts TraceRowJson). */
const ROW_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['offset', 'BIGINT'],
  ['length', 'INTEGER'],
  ['id', 'VARCHAR'],
  ['question', 'VARCHAR'],
  ['answer', 'VARCHAR'],
  ['verdict', 'BOOLEAN'],
  ['verdict_why', 'VARCHAR'],
  ['em', 'DOUBLE'],
  ['f1', 'DOUBLE'],
  ['judge', 'DOUBLE'],
  ['cover_em', 'DOUBLE'],
  ['sub_em', 'DOUBLE'],
  ['metric_def', 'VARCHAR'],
  ['tokens', 'DOUBLE'],
  ['searches', 'INTEGER'],
  ['steps', 'INTEGER'],
  ['stop_reason', 'VARCHAR'],
  ['latency_ms', 'DOUBLE'],
  ['labels', 'VARCHAR'],
  ['model', 'VARCHAR'],
  ['hay', 'VARCHAR'],
];
const q = (c: string) => `"${c}"`;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS state (
  k INTEGER PRIMARY KEY, version VARCHAR, file VARCHAR, bytes BIGINT, lines INTEGER, rows INTEGER, problems INTEGER,
  ino DOUBLE, tail VARCHAR, unterminated BOOLEAN);
CREATE TABLE IF NOT EXISTS trajectories (idx INTEGER, line INTEGER, ${ROW_COLUMNS.map(([c, t]) => `${q(c)} ${t}`).join(', ')});
CREATE TABLE IF NOT EXISTS problems (line INTEGER, reason VARCHAR);
`;

const ROWS_STRUCTURE = JSON.stringify([Object.fromEntries([['rel', 'INTEGER'], ['ord', 'INTEGER'], ...ROW_COLUMNS])]);
const INSERT_ROWS = `INSERT INTO trajectories (idx, line, ${ROW_COLUMNS.map(([c]) => q(c)).join(', ')})
  SELECT $2 + ord, $3 + rel, ${ROW_COLUMNS.map(([c]) => q(c)).join(', ')}
  FROM (SELECT unnest(from_json($1::JSON, '${ROWS_STRUCTURE}'), recursive := true))`;
const INSERT_PROBLEMS = `INSERT INTO problems SELECT $2 + line, reason
  FROM (SELECT unnest(from_json($1::JSON, '[{"line":"INTEGER","reason":"VARCHAR"}]'), recursive := true))`;

const SUMMARY_COLUMNS = `idx, line, "offset"::DOUBLE AS "offset", length, id, question, answer, verdict, verdict_why, em, f1, judge,
  cover_em, sub_em, metric_def, tokens, searches, steps, stop_reason, latency_ms, labels, model`;

type Row = Record<string, unknown>;
type Param = string | number | boolean | null;

const opt = <T>(v: unknown): T | undefined => (v === null || v === undefined ? undefined : (v as T));

function summaryOf(r: Row): TrajectorySummary {
  const labels = r.labels as string;
  return {
    index: r.idx as number,
    id: r.id as string,
    question: r.question as string,
    answer: (r.answer as string | null) ?? null,
    line: r.line as number,
    offset: r.offset as number,
    length: r.length as number,
    verdict: opt<boolean>(r.verdict),
    verdictWhy: r.verdict_why as string,
    em: opt(r.em),
    f1: opt(r.f1),
    judge: opt(r.judge),
    coverEm: opt(r.cover_em),
    subEm: opt(r.sub_em),
    metricDefinition: opt(r.metric_def),
    tokens: opt(r.tokens),
    searches: r.searches as number,
    steps: r.steps as number,
    stopReason: r.stop_reason as StopReason,
    latencyMs: opt(r.latency_ms),
    labels: labels ? labels.split(LABEL_SEP) : [],
    model: opt(r.model),
  };
}

export interface TraceFacets {
  /** Per label, trajectories carrying it among those the filter (its label aside) lets through; every label seen is listed. */
  labels: Map<string, number>;
  /** Per stop reason, among those the filter (its stop reason aside) lets through. */
  stops: Map<StopReason, number>;
}

export class TraceStore {
  /** One write at a time on the writing connection (a commit never lands inside another's transaction). */
  private chain: Promise<unknown> = Promise.resolve();
  private current: TraceStoreState = { ...EMPTY };

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    private readonly reader: DuckDBConnection,
    readonly path: string,
  ) {}

  /** Opens (or creates) the store of `traceFile`; a store of another version or file starts empty. */
  static async open(path: string, traceFile: string): Promise<TraceStore> {
    const duckdb = await loadDuckDB('large trace files');
    let instance: DuckDBInstance;
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      // A trace store's working set is small (a summary per trajectory): keep DuckDB's memory modest beside the editor.
      instance = await duckdb.DuckDBInstance.create(path, { memory_limit: '512MB', threads: '2' });
    } catch (e) {
      throw new HopscopeError(`cannot open the trace store ${path}: ${errorMessage(e)}`, 'is another window reading the same trace file? Close it, or delete the store file');
    }
    const writer = await instance.connect();
    const store = new TraceStore(instance, writer, await instance.connect(), path);
    await writer.run(SCHEMA);
    const [s] = await store.read(`SELECT * FROM state WHERE k = 1`);
    if (!s || s.version !== TRACE_STORE_VERSION || s.file !== resolve(traceFile)) {
      await store.resetNow(resolve(traceFile));
    } else {
      store.current = {
        bytes: Number(s.bytes),
        lines: s.lines as number,
        rows: s.rows as number,
        problems: s.problems as number,
        ino: s.ino as number,
        tail: s.tail as string,
        unterminated: s.unterminated as boolean,
      };
    }
    return store;
  }

  /** How far the file has been read (as of the last commit). */
  get state(): TraceStoreState {
    return { ...this.current };
  }

  private exclusive<T>(op: () => Promise<T>): Promise<T> {
    const next = this.chain.then(op, op);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async read(sql: string, params: Param[] = []): Promise<Row[]> {
    return (await this.reader.runAndReadAll(sql, params)).getRowObjectsJS() as Row[];
  }

  private async writeState(s: TraceStoreState, file?: string): Promise<void> {
    if (file !== undefined) {
      await this.writer.run(`DELETE FROM state`);
      await this.writer.run(`INSERT INTO state VALUES (1, $1, $2, 0, 0, 0, 0, -1, '', false)`, [TRACE_STORE_VERSION, file]);
    }
    await this.writer.run(`UPDATE state SET bytes = $1, lines = $2, rows = $3, problems = $4, ino = $5, tail = $6, unterminated = $7 WHERE k = 1`, [
      s.bytes,
      s.lines,
      s.rows,
      s.problems,
      s.ino,
      s.tail,
      s.unterminated,
    ]);
  }

  private resetNow(file: string): Promise<void> {
    return inTransaction(this.writer, async () => {
      await this.writer.run('DELETE FROM trajectories; DELETE FROM problems;');
      await this.writeState(EMPTY, file);
      this.current = { ...EMPTY };
    });
  }

  /** Forgets every row (the file was rewritten or shrank). */
  reset(file: string): Promise<void> {
    return this.exclusive(() => this.resetNow(resolve(file)));
  }

  /** Adds one range's rows and problems (lines numbered from `firstLine`) and the new state, in one transaction. */
  commit(result: TraceRangeResult, firstLine: number, next: Omit<TraceStoreState, 'rows' | 'problems'>): Promise<void> {
    return this.exclusive(async () => {
      const after: TraceStoreState = { ...next, rows: this.current.rows + result.rows, problems: this.current.problems + result.problems.length };
      await inTransaction(this.writer, async () => {
        if (result.rows) await this.writer.run(INSERT_ROWS, [result.rowsJson, this.current.rows, firstLine]);
        if (result.problems.length) await this.writer.run(INSERT_PROBLEMS, [JSON.stringify(result.problems), firstLine]);
        await this.writeState(after);
      });
      this.current = after;
    });
  }

  /** Trajectories passing `f`, and how many of those the verdict calls wrong. */
  async count(f: TraceFilter): Promise<{ shown: number; failed: number }> {
    const w = whereOf(f);
    const [r] = await this.read(`SELECT count(*)::INTEGER n, count(*) FILTER (WHERE verdict = false)::INTEGER failed FROM trajectories WHERE ${w.sql}`, w.params);
    return { shown: (r?.n as number) ?? 0, failed: (r?.failed as number) ?? 0 };
  }

  /** One page of the trajectories passing `f`, in `sort` order. */
  async page(f: TraceFilter, sort: TraceSort, offset: number, limit: number): Promise<TrajectorySummary[]> {
    const w = whereOf(f);
    const rows = await this.read(
      `SELECT ${SUMMARY_COLUMNS} FROM trajectories WHERE ${w.sql} ORDER BY ${orderOf(sort)} LIMIT ${Math.max(0, Math.floor(limit))} OFFSET ${Math.max(0, Math.floor(offset))}`,
      w.params,
    );
    return rows.map(summaryOf);
  }

  /** One window of the trajectories table's rows for its query over this file (named `fileName` in the table), and how many pass it. */
  async tableWindow(q: TableQuery, fileName: string, offset: number, limit: number): Promise<{ rows: TrajectorySummary[]; total: number }> {
    const w = tableWhereOf(q, fileName);
    const [count] = await this.read(`SELECT count(*)::INTEGER n FROM trajectories WHERE ${w.sql}`, w.params);
    const rows = await this.read(
      `SELECT ${SUMMARY_COLUMNS} FROM trajectories WHERE ${w.sql} ORDER BY ${tableOrderOf(q)} LIMIT ${Math.max(0, Math.floor(limit))} OFFSET ${Math.max(0, Math.floor(offset))}`,
      w.params,
    );
    return { rows: rows.map(summaryOf), total: (count?.n as number) ?? 0 };
  }

  /** The first trajectory (in file order) with this id. */
  async byId(id: string): Promise<TrajectorySummary | undefined> {
    const [r] = await this.read(`SELECT ${SUMMARY_COLUMNS} FROM trajectories WHERE id = $1 ORDER BY idx LIMIT 1`, [id]);
    return r ? summaryOf(r) : undefined;
  }

  async facets(f: TraceFilter): Promise<TraceFacets> {
    const wl = whereOf({ ...f, label: undefined });
    const ws = whereOf({ ...f, stopReason: undefined });
    const labelRows = await this.read(
      `SELECT l, count(*) FILTER (WHERE pass)::INTEGER n FROM (SELECT unnest(string_split(labels, chr(1))) l, (${wl.sql}) pass FROM trajectories WHERE labels <> '') GROUP BY l`,
      wl.params,
    );
    const stopRows = await this.read(`SELECT stop_reason s, count(*)::INTEGER n FROM trajectories WHERE ${ws.sql} GROUP BY s`, ws.params);
    return {
      labels: new Map(labelRows.map((r) => [r.l as string, r.n as number])),
      stops: new Map(stopRows.map((r) => [r.s as StopReason, r.n as number])),
    };
  }

  /** The first `limit` unreadable lines, by line. */
  async problems(limit: number): Promise<BadLine[]> {
    const rows = await this.read(`SELECT line, reason FROM problems ORDER BY line LIMIT ${Math.max(0, Math.floor(limit))}`);
    return rows.map((r) => ({ line: r.line as number, reason: r.reason as string }));
  }

  /** Offsets and ids of rows in file order from `idx` (deep search reads their lines in batches). */
  async spans(fromIdx: number, limit: number): Promise<Array<{ idx: number; id: string; offset: number; length: number }>> {
    const rows = await this.read(`SELECT idx, id, "offset"::DOUBLE AS "offset", length FROM trajectories WHERE idx >= $1 ORDER BY idx LIMIT ${Math.floor(limit)}`, [fromIdx]);
    return rows.map((r) => ({ idx: r.idx as number, id: r.id as string, offset: r.offset as number, length: r.length as number }));
  }

  /** Waits for pending writes, then closes both connections. */
  async close(): Promise<void> {
    await this.chain;
    // Closing checkpoints the write-ahead log synchronously (~0.3 s for 100,000 rows): checkpoint first, on DuckDB's threads.
    await this.writer.run('CHECKPOINT').catch(() => undefined);
    this.writer.closeSync();
    this.reader.closeSync();
    this.instance.closeSync();
  }
}
