/**
 * DuckDB, shared by the run store (src/core/runs/store.ts) and the trace store (src/core/traces/traceStore.ts):
 * loading the native binding on first use, and one transaction. Loaded on first use so that every other
 * command, and the extension's activation, works where the binding for the platform is missing.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { errorMessage, HopscopeError } from './errors';

export type DuckDBModule = typeof import('@duckdb/node-api');

/** The binding, or an error saying what needs it (`training runs`, `large trace files`) and how to get it. */
export async function loadDuckDB(neededBy: string): Promise<DuckDBModule> {
  try {
    return await import('@duckdb/node-api');
  } catch (e) {
    throw new HopscopeError(`DuckDB, which ${neededBy} need, cannot load here: ${errorMessage(e)}`, 'install the .vsix built for this platform (npm run package builds one)');
  }
}

/** Runs `body` in one transaction on `conn`: committed whole, or rolled back and its error rethrown. */
export async function inTransaction(conn: DuckDBConnection, body: () => Promise<void>): Promise<void> {
  await conn.run('BEGIN');
  try {
    await body();
    await conn.run('COMMIT');
  } catch (e) {
    await conn.run('ROLLBACK');
    throw e;
  }
}
