/** "A trace file's rows changed": the tree and the table repaint on it, whoever's read caused it. */
import { onIndexUpdated } from './traceFileIndex';

const listeners = new Set<(file: string) => void>();

/** Called with the file's path whenever its rows change (a read added some, or a rewrite dropped them). */
export function onRowsUpdated(fn: (file: string) => void): { dispose(): void } {
  listeners.add(fn);
  return { dispose: () => listeners.delete(fn) };
}

export function rowsUpdated(file: string): void {
  for (const fn of listeners) fn(file);
}

// The in-memory index says so itself, as it reads.
onIndexUpdated(rowsUpdated);
