/** The trajectories table's sorting, filter syntax and row window (webview/table/columns.ts), on plain Node. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TableRow } from '../../../src/protocol';
import { cellFilter, COLUMNS, filterRows, sortRows, visibleRange } from '../../../webview/table/columns';

const base: TableRow = { key: 'f#a', path: '/t/f.jsonl', file: 'f.jsonl', line: 1, verdict: 'wrong', verdictWhy: 'F1 0', question: 'Who?', searches: 1, stopReason: 'finished', labels: [] };
const rows: TableRow[] = [
  { ...base, key: 'f#a', f1: 0.5, latencyMs: 2000, labels: ['repeated_query'] },
  { ...base, key: 'f#b', f1: undefined, verdict: 'unknown', searches: 3 },
  { ...base, key: 'f#c', f1: 1, verdict: 'correct', searches: 0, latencyMs: 500 },
  { ...base, key: 'f#d', f1: 0, searches: 2, labels: ['gold_never_retrieved', 'no_search'] },
];
const keys = (rs: TableRow[]) => rs.map((r) => r.key.slice(2)).join('');

test('sorting by F1 puts a missing F1 last in both directions and keeps file order among equals', () => {
  assert.equal(keys(sortRows(rows, 'f1', 'asc')), 'dacb');
  assert.equal(keys(sortRows(rows, 'f1', 'desc')), 'cadb');
  assert.equal(keys(sortRows(rows, 'verdict', 'asc')), 'adbc', 'wrong first, then unknown, then correct');
  assert.equal(keys(sortRows(rows, 'searches', 'desc')), 'bdac');
});

test('numeric filters read comparisons, ranges, bare numbers and "-" for not recorded', () => {
  assert.equal(keys(filterRows(rows, { f1: '>0.4' })), 'ac');
  assert.equal(keys(filterRows(rows, { f1: '<=0.5' })), 'ad');
  assert.equal(keys(filterRows(rows, { f1: '0.2..1' })), 'ac');
  assert.equal(keys(filterRows(rows, { f1: '1' })), 'c');
  assert.equal(keys(filterRows(rows, { f1: '-' })), 'b');
  assert.equal(keys(filterRows(rows, { latency: '>1' })), 'a', 'latency is filtered in seconds, as shown');
  assert.equal(keys(filterRows(rows, { f1: 'abc' })), '', 'an unreadable filter matches nothing rather than everything');
});

test('text filters match substrings; the verdict filter reads ✓ ✗ ? and words; filters combine with the text search', () => {
  assert.equal(keys(filterRows(rows, { labels: 'NO_SEARCH' })), 'd');
  assert.equal(keys(filterRows(rows, { verdict: '✗' })), 'ad');
  assert.equal(keys(filterRows(rows, { verdict: '✓' })), 'c');
  assert.equal(keys(filterRows(rows, { verdict: '?' })), 'b');
  assert.equal(keys(filterRows(rows, { verdict: 'correct' })), 'c');
  assert.equal(keys(filterRows(rows, { verdict: '✗' }, new Set(['f#d', 'f#c']))), 'd');
  assert.equal(cellFilter('question', '  '), undefined);
});

test('the columns a user must always see come first, and cells say "–" for values not recorded', () => {
  assert.deepEqual(COLUMNS.slice(0, 5).map((c) => c.id), ['verdict', 'question', 'f1', 'searches', 'labels']);
  assert.ok(COLUMNS.slice(0, 5).reduce((n, c) => n + c.width, 0) < 1000, 'they fit the editor area of a 1400×900 window');
  const f1 = COLUMNS.find((c) => c.id === 'f1')!;
  assert.equal(f1.text(rows[1]!), '–');
  assert.equal(COLUMNS[0]!.text(rows[2]!), '✓');
});

test('the row window covers the viewport plus overscan and stays inside the list', () => {
  assert.deepEqual(visibleRange(0, 240, 24, 100_000, 8), { start: 0, end: 18 });
  assert.deepEqual(visibleRange(24 * 1000, 240, 24, 100_000, 8), { start: 992, end: 1018 });
  assert.deepEqual(visibleRange(24 * 99_995, 240, 24, 100_000, 8), { start: 99_987, end: 100_000 });
});
