/**
 * The run store: one DuckDB file outside the run folder, with a row per rollout (`rollouts`), the step
 * files already read and how far (`files`), and the lines that could not be read (`problems`). DuckDB is
 * columnar and persists in one file, so per-step aggregates over 10^5–10^6 rollouts are one query and
 * the store works past memory; the full text stays in the step files, read by offset on demand.
 */
import type { DuckDBAppender, DuckDBConnection, DuckDBInstance, DuckDBType, DuckDBValue } from '@duckdb/node-api';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { DIAGNOSIS_LABELS } from '../diagnosis';
import { errorMessage, HopscopeError } from '../errors';
import type { RangeProblem } from './parseRange';
import type { RolloutRow } from './row';
import type { RowBatch } from './rowBatch';
import { inTransaction, loadDuckDB, type DuckDBModule } from '../duckdb';


/** Bumped when a row's meaning changes (columns, label order): an older store is rebuilt from the files. */
export const STORE_VERSION = `2:${DIAGNOSIS_LABELS.join(',')}`;

export interface IngestedFile {
  id: number;
  path: string;
  step: number | null;
  size: number;
  mtimeMs: number;
  /** Bytes of complete lines ingested. */
  bytes: number;
  /** Lines ingested (the next line's number is lines + 1). */
  lines: number;
  unterminated: boolean;
  /** Hash of the first ingested bytes: a file rewritten in place gets a different one. */
  head: string;
}

/** One range's rows for commitBatches, with its problems and the file's record after it. */
export interface CommitItem {
  file: IngestedFile;
  batch: RowBatch;
  problems: readonly RangeProblem[];
}

export type SqlValue = string | number | boolean | null;
export type SqlRow = Record<string, SqlValue>;

/** The store's file name for a run folder: one file per folder, in whatever directory holds stores. */
export function storeFileName(runDir: string): string {
  return `${createHash('sha1').update(resolve(runDir)).digest('hex').slice(0, 16)}.duckdb`;
}

/** Where a run's store lives when none is given: a cache directory, one file per run folder. */
export function defaultStorePath(runDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'hopscope', 'runs', storeFileName(runDir));
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS files (
  id INTEGER PRIMARY KEY, path VARCHAR UNIQUE, step INTEGER, size BIGINT, mtime DOUBLE,
  bytes BIGINT, lines INTEGER, unterminated BOOLEAN, head VARCHAR);
CREATE TABLE IF NOT EXISTS rollouts (
  file_id INTEGER, line INTEGER, "offset" BIGINT, length INTEGER, step INTEGER, grp VARCHAR,
  question VARCHAR, answer VARCHAR, gold VARCHAR, score DOUBLE, em DOUBLE, f1 DOUBLE, searches INTEGER,
  response_chars INTEGER, stop_reason VARCHAR, format_error BOOLEAN, labels INTEGER, rewards VARCHAR);
CREATE TABLE IF NOT EXISTS problems (file_id INTEGER, line INTEGER, reason VARCHAR);
`;

/** What the run's queries (queries.ts, summary.ts) need of a store: its store here or on the store worker (src/core/storeHost). */
export type RunQueries = Pick<RunStore, 'query'>;

export class RunStore {
  /** One operation at a time on the one connection: a dashboard query never lands inside an ingest's transaction. */
  private chain: Promise<unknown> = Promise.resolve();

  private exclusive<T>(op: () => Promise<T>): Promise<T> {
    const next = this.chain.then(op, op);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private constructor(
    private readonly duckdb: DuckDBModule,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    readonly path: string,
  ) {}

  /** Opens (or creates) the store; a store of another version, or of another run folder, starts empty. */
  static async open(path: string, runDir: string): Promise<RunStore> {
    let instance: DuckDBInstance;
    const duckdb = await loadDuckDB('training runs');
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      instance = await duckdb.DuckDBInstance.create(path);
    } catch (e) {
      throw new HopscopeError(`cannot open the run store ${path}: ${errorMessage(e)}`, 'is another Hopscope using it? Give another file with --store');
    }
    const store = new RunStore(duckdb, instance, await instance.connect(), path);
    await store.conn.run(SCHEMA);
    const meta = await store.query(`SELECT key, value FROM meta`);
    const get = (k: string) => meta.find((r) => r.key === k)?.value;
    if (get('version') !== STORE_VERSION || get('run') !== resolve(runDir)) {
      await store.conn.run('BEGIN; DELETE FROM rollouts; DELETE FROM problems; DELETE FROM files; DELETE FROM meta; COMMIT;');
      await store.conn.run(`INSERT INTO meta VALUES ('version', $1), ('run', $2)`, [STORE_VERSION, resolve(runDir)]);
    }
    return store;
  }

  query(sql: string, params: SqlValue[] = []): Promise<SqlRow[]> {
    return this.exclusive(async () => (await this.conn.runAndReadAll(sql, params)).getRowObjectsJS() as SqlRow[]);
  }

  /**
   * Runs an ingest with DuckDB on one thread: the parse workers take every core, and DuckDB's own
   * threads only competed with them for the appends and commits (about a fifth of its CPU time per
   * row went to that); queries afterwards get all threads back. And with the WAL allowed to grow to
   * INGEST_CHECKPOINT_AT before it is checkpointed: a first ingest of ~10^5 rollouts writes ~40 MB of
   * WAL, which at DuckDB's 16 MB meant two or three checkpoints during the ingest (each compresses
   * and writes what came before, ~0.1 s), on the way to the first summary. The data is as durable in
   * the WAL; it is checkpointed when the store closes, or once the WAL passes the usual threshold again.
   */
  async ingesting<T>(work: () => Promise<T>): Promise<T> {
    const saved = await this.exclusive(async () => {
      const [row] = (
        await this.conn.runAndReadAll(`SELECT current_setting('threads')::INTEGER AS n, current_setting('checkpoint_threshold') AS c`)
      ).getRowObjectsJS();
      await this.conn.run(`SET threads = 1; SET checkpoint_threshold = '${INGEST_CHECKPOINT_AT}'`);
      return { threads: Number(row!.n), checkpoint: String(row!.c) };
    });
    try {
      return await work();
    } finally {
      // Back to what they were (a caller may have set its own), not to DuckDB's defaults.
      await this.exclusive(() => this.conn.run(`SET threads = ${saved.threads}; SET checkpoint_threshold = '${saved.checkpoint.replace(/'/g, "''")}'`));
    }
  }

  async files(): Promise<IngestedFile[]> {
    const rows = await this.query(
      `SELECT id, path, step, size::DOUBLE size, mtime, bytes::DOUBLE bytes, lines, unterminated, head FROM files ORDER BY id`,
    );
    return rows.map((r) => ({
      id: r.id as number,
      path: r.path as string,
      step: r.step as number | null,
      size: r.size as number,
      mtimeMs: r.mtime as number,
      bytes: r.bytes as number,
      lines: r.lines as number,
      unterminated: r.unterminated as boolean,
      head: r.head as string,
    }));
  }

  async nextFileId(): Promise<number> {
    const [r] = await this.query(`SELECT coalesce(max(id), 0) + 1 AS id FROM files`);
    return r!.id as number;
  }

  /** Forgets a file's rows (it was removed, truncated or rewritten). */
  dropFile(id: number): Promise<void> {
    return this.exclusive(() => this.dropFileNow(id));
  }

  private dropFileNow(id: number): Promise<void> {
    return inTransaction(this.conn, async () => {
      await this.conn.run('DELETE FROM rollouts WHERE file_id = $1', [id]);
      await this.conn.run('DELETE FROM problems WHERE file_id = $1', [id]);
      await this.conn.run('DELETE FROM files WHERE id = $1', [id]);
    });
  }

  /** Adds one range's rows and problems and records how far the file is read, in one transaction. */
  commitRange(file: IngestedFile, rows: readonly RolloutRow[], problems: readonly RangeProblem[]): Promise<void> {
    return this.exclusive(() => this.commitRangeNow(file, rows, problems));
  }

  /**
   * commitRange for rows as columns (what the ingest workers send): each column goes into DuckDB a
   * chunk at a time (numbers as one block copy, text one value at a time), not value by value per row.
   */
  commitBatch(file: IngestedFile, batch: RowBatch, problems: readonly RangeProblem[]): Promise<void> {
    return this.commitBatches([{ file, batch, problems }]);
  }

  /**
   * Several ranges (of different files) in one transaction: what an ingest does when ranges finish
   * faster than one commit each goes. Each commit costs a WAL write and the file-record statements,
   * so on a first ingest of ~100 step files grouping them took that off the main thread and the disk.
   */
  commitBatches(items: readonly CommitItem[]): Promise<void> {
    return this.exclusive(() => this.commitNow(items));
  }

  private appendBatch(app: DuckDBAppender, b: RowBatch): void {
    const t = this.duckdb;
    const [int, big, text, dbl, bool] = [t.INTEGER, t.BIGINT, t.VARCHAR, t.DOUBLE, t.BOOLEAN];
    // The rollouts table's columns, in order, each with how to read row i.
    const columns: Array<[DuckDBType, (i: number) => DuckDBValue]> = [
      [int, (i) => b.fileId[i]!],
      [int, (i) => b.line[i]!],
      [big, (i) => BigInt(b.offset[i]!)],
      [int, (i) => b.length[i]!],
      [int, (i) => b.step[i]!],
      [text, (i) => b.group[i]!],
      [text, (i) => b.question[i]!],
      [text, (i) => b.answer[i]!],
      [text, (i) => b.gold[i]!],
      [dbl, (i) => (b.scoreNull[i] ? null : b.score[i]!)],
      [dbl, (i) => (b.emNull[i] ? null : b.em[i]!)],
      [dbl, (i) => (b.f1Null[i] ? null : b.f1[i]!)],
      [int, (i) => b.searches[i]!],
      [int, (i) => b.responseChars[i]!],
      [text, (i) => b.stopReason[i]!],
      [bool, (i) => b.formatError[i] === 1],
      [int, (i) => b.labels[i]!],
      [text, (i) => b.rewards[i]!],
    ];
    for (let from = 0; from < b.n; from += CHUNK_ROWS) {
      const n = Math.min(CHUNK_ROWS, b.n - from);
      const chunk = t.DuckDBDataChunk.create(columns.map((c) => c[0]), n);
      columns.forEach(([, value], c) => {
        const vector = chunk.getColumnVector(c);
        for (let i = 0; i < n; i++) vector.setItem(i, value(from + i));
        vector.flush();
      });
      app.appendDataChunk(chunk);
    }
  }

  private commitRangeNow(file: IngestedFile, rows: readonly RolloutRow[], problems: readonly RangeProblem[]): Promise<void> {
    return inTransaction(this.conn, async () => {
      const app = await this.conn.createAppender('rollouts');
      for (const r of rows) appendRow(app, r);
      app.closeSync();
      await this.recordFiles([{ file, problems }]);
    });
  }

  private commitNow(items: readonly CommitItem[]): Promise<void> {
    return inTransaction(this.conn, async () => {
      const app = await this.conn.createAppender('rollouts');
      for (const item of items) this.appendBatch(app, item.batch);
      app.closeSync();
      await this.recordFiles(items);
    });
  }

  /** The ranges' problems, and each file's record replaced by how far it is now read. */
  private async recordFiles(items: ReadonlyArray<Omit<CommitItem, 'batch'>>): Promise<void> {
    for (const { file, problems } of items) {
      for (const p of problems) await this.conn.run('INSERT INTO problems VALUES ($1, $2, $3)', [file.id, p.line, p.reason]);
    }
    // A file's record is its latest range's: a later item of the same file wins.
    const latest = [...new Map(items.map(({ file }) => [file.id, file])).values()];
    await this.conn.run(`DELETE FROM files WHERE id IN (${latest.map((_, k) => `$${k + 1}`).join(', ')})`, latest.map((f) => f.id));
    const values: SqlValue[] = [];
    const tuples = latest.map((f) => {
      const at = values.length;
      values.push(f.id, f.path, f.step, f.size, f.mtimeMs, f.bytes, f.lines, f.unterminated, f.head);
      return `(${Array.from({ length: 9 }, (_, k) => `$${at + k + 1}`).join(', ')})`;
    });
    await this.conn.run(`INSERT INTO files VALUES ${tuples.join(', ')}`, values);
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

/** The WAL size at which an ingest lets DuckDB checkpoint (see RunStore.ingesting). */
const INGEST_CHECKPOINT_AT = '256MiB';

/** DuckDB's vector size: the most rows one data chunk holds. */
const CHUNK_ROWS = 2048;

function appendRow(app: DuckDBAppender, r: RolloutRow): void {
  app.appendInteger(r.fileId);
  app.appendInteger(r.line);
  app.appendBigInt(BigInt(r.offset));
  app.appendInteger(r.length);
  app.appendInteger(r.step);
  app.appendVarchar(r.group);
  app.appendVarchar(r.question);
  nullable(app, r.answer, (v) => app.appendVarchar(v));
  nullable(app, r.gold, (v) => app.appendVarchar(v));
  nullable(app, r.score, (v) => app.appendDouble(v));
  nullable(app, r.em, (v) => app.appendDouble(v));
  nullable(app, r.f1, (v) => app.appendDouble(v));
  app.appendInteger(r.searches);
  app.appendInteger(r.responseChars);
  app.appendVarchar(r.stopReason);
  app.appendBoolean(r.formatError);
  app.appendInteger(r.labels);
  app.appendVarchar(r.rewards);
  app.endRow();
}

function nullable<T>(app: { appendNull(): void }, v: T | null, put: (v: T) => void): void {
  if (v === null) app.appendNull();
  else put(v);
}
