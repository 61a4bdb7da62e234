/**
 * The trajectories table's row window for its virtual list; the columns and their sort and filter logic are
 * shared with the host (src/tableColumns.ts).
 */
export { cellFilter, COLUMNS, columnById, filterRows, sortRows, type Column, type ColumnId, type SortDir } from '../../src/tableColumns';

/** Row window for a virtual list: the first and one-past-last row to render, with an overscan either side. */
export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, total: number, overscan = 8): { start: number; end: number } {
  const start = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const end = Math.min(total, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return { start, end };
}
