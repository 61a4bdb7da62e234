/**
 * The trajectories table (browser bundle dist/trajectoryTable.js): one row per trajectory of the open trace
 * files, with sortable, resizable columns and a filter box per column, plus a text search inside queries,
 * documents and reasoning that the host answers (it reads the files). Rows are virtualised: only the rows in
 * view (and a few either side) are in the DOM, so 100,000 rows scroll as smoothly as 40. Widths and row offsets
 * are set through the CSSOM (the strict CSP forbids style attributes); all text goes in as Text nodes.
 * Two ways to get rows: a small table's rows all arrive at once (`rows`) and are sorted and filtered here; when the
 * host holds them (a trace file in the trace store, hundreds of thousands of rows) it says `changed`, and the table
 * asks for the window in view under its filters and sort (`query` → `window`), a margin either side.
 */
import { parseTableHostMessage, TABLE_STATE_ELEMENT_ID, type TableHostMessage, type TableRow, type TableState, type TableWebviewMessage } from '../../src/protocol';
import { clear, h } from '../dom';
import { COLUMNS, filterRows, sortRows, visibleRange, type ColumnId, type SortDir } from './columns';

interface VsCodeApi {
  postMessage(message: TableWebviewMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const ROW_HEIGHT = 24;
const MIN_WIDTH = 32;
const DEEP_SEARCH_SETTLE_MS = 250;
/** Rows asked for beyond the ones in view, either side, when the host holds the rows. */
const WINDOW_MARGIN = 150;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') ?? document.body.appendChild(h('main', { attrs: { id: 'app' } }));

function initialRows(): TableRow[] {
  try {
    const s = JSON.parse(document.getElementById(TABLE_STATE_ELEMENT_ID)?.textContent ?? 'null') as TableState | null;
    return Array.isArray(s?.rows) ? s.rows : [];
  } catch {
    return [];
  }
}

let all: TableRow[] = initialRows();
let shown: TableRow[] = [];
let sort: { id: ColumnId; dir: SortDir } | undefined;
const filters: Partial<Record<ColumnId, string>> = {};
const widths = new Map<ColumnId, number>(COLUMNS.map((c) => [c.id, c.width]));
let deepText = '';
let deepKeys: Set<string> | undefined;
let deepSeq = 0;
let selected: string | undefined;
let selectedRow: TableRow | undefined;

/**
 * When the host holds the rows: what it said passes the current query (`total` of `all`), the rows it sent by
 * position, and which query they answer. `version` changes with the query (filters, sort, search, or the host's
 * rows); each request has its own `seq`, remembered with the version it asked under.
 */
const remote = { on: false, total: 0, all: 0, rows: new Map<number, TableRow>(), version: 0, cacheVersion: -1, seq: 0, asked: new Map<number, number>(), want: '' };

// ---- layout ------------------------------------------------------------------------------------

const count = h('span', { class: 'count', attrs: { role: 'status' } });
const deepBox = h('input', {
  class: 'deep-search',
  attrs: { type: 'search', placeholder: 'Search inside queries, documents and reasoning…', 'aria-label': 'Search inside queries, documents and reasoning' },
});
const summaryButton = h('button', { class: 'summary-button', attrs: { type: 'button', title: "Open the run summary of the selected row's trace file" } }, 'Run summary');
const toolbar = h('div', { class: 'toolbar' }, deepBox, count, summaryButton);

const header = h('div', { class: 'grid-row header', attrs: { role: 'row' } });
const filterRow = h('div', { class: 'grid-row filters', attrs: { role: 'row' } });
const spacer = h('div', { class: 'spacer' });
const body = h('div', { class: 'rows', attrs: { role: 'rowgroup' } });
const scroller = h('div', { class: 'scroller', attrs: { tabindex: 0, role: 'grid', 'aria-label': 'Trajectories', 'aria-multiselectable': 'false' } }, spacer, body);
const headWrap = h('div', { class: 'head' }, header, filterRow);
clear(app);
app.append(toolbar, headWrap, scroller);

function applyWidths(): void {
  const template = COLUMNS.map((c) => `${widths.get(c.id)}px`).join(' ');
  const total = COLUMNS.reduce((n, c) => n + widths.get(c.id)!, 0);
  document.documentElement.style.setProperty('--table-width', `${total}px`);
  document.documentElement.style.setProperty('--grid-template', template);
}

for (const c of COLUMNS) {
  const arrow = h('span', { class: 'sort-arrow', attrs: { 'aria-hidden': 'true' } });
  const button = h('button', { class: `col-title${c.numeric ? ' numeric' : ''}`, attrs: { type: 'button', title: `${c.describe}. Click to sort.` }, dataset: { col: c.id } }, c.title, arrow);
  button.addEventListener('click', () => {
    sort = sort?.id === c.id ? { id: c.id, dir: sort.dir === 'asc' ? 'desc' : 'asc' } : { id: c.id, dir: c.numeric ? 'asc' : 'asc' };
    recompute();
  });
  const handle = h('span', { class: 'resize', attrs: { role: 'separator', 'aria-orientation': 'vertical', title: `Drag to resize ${c.title}` }, dataset: { col: c.id } });
  handle.addEventListener('pointerdown', (e) => startResize(e, c.id, handle));
  header.append(h('div', { class: 'cell head-cell', attrs: { role: 'columnheader', 'aria-sort': 'none' }, dataset: { col: c.id } }, button, handle));
  const input = h('input', {
    class: 'col-filter',
    attrs: { type: 'text', placeholder: c.numeric ? '>0.5' : c.id === 'verdict' ? '✓✗?' : 'filter', 'aria-label': `Filter ${c.title}`, title: c.numeric ? `Filter ${c.title}: >0.5, <=2, =1, 0.5..1, or - for not recorded` : `Filter ${c.title}: text it contains` },
    dataset: { col: c.id },
  });
  input.addEventListener('input', () => {
    filters[c.id] = input.value;
    recompute();
  });
  filterRow.append(h('div', { class: 'cell' }, input));
}

function startResize(e: PointerEvent, id: ColumnId, handle: HTMLElement): void {
  e.preventDefault();
  const x0 = e.clientX;
  const w0 = widths.get(id)!;
  handle.setPointerCapture(e.pointerId);
  const move = (ev: PointerEvent) => {
    widths.set(id, Math.max(MIN_WIDTH, Math.round(w0 + ev.clientX - x0)));
    applyWidths();
  };
  const up = () => {
    handle.removeEventListener('pointermove', move);
    handle.removeEventListener('pointerup', up);
  };
  handle.addEventListener('pointermove', move);
  handle.addEventListener('pointerup', up);
}

// ---- data --------------------------------------------------------------------------------------

/** The table's length: the rows passing the query. */
const length = () => (remote.on ? remote.total : shown.length);
/** Row i of what is shown; undefined while the host has not sent it. */
const rowAt = (i: number): TableRow | undefined => (remote.on ? remote.rows.get(i) : shown[i]);

/** Asks the host for the rows around the view, unless they are here or asked for already. */
function askWindow(force = false): void {
  const { start, end } = visibleRange(scroller.scrollTop, scroller.clientHeight || 600, ROW_HEIGHT, Math.max(remote.total, 1));
  const from = Math.max(0, start - WINDOW_MARGIN);
  const count = end - start + 2 * WINDOW_MARGIN;
  const want = `${remote.version}:${from}`;
  if (!force) {
    let missing = false;
    for (let i = start; i < Math.min(end, remote.total); i++) if (!remote.rows.has(i)) missing = true;
    if (remote.cacheVersion === remote.version && !missing) return;
    if (remote.want === want) return;
  }
  remote.want = want;
  const seq = ++remote.seq;
  remote.asked.set(seq, remote.version);
  vscode.postMessage({ type: 'query', seq, start: from, count, filters: { ...filters }, sort, deep: deepText });
}

function onWindow(m: Extract<TableHostMessage, { type: 'window' }>): void {
  const version = remote.asked.get(m.seq);
  remote.asked.delete(m.seq);
  if (version !== remote.version) return; // an answer to an older query
  if (remote.cacheVersion !== version) {
    remote.rows.clear();
    remote.cacheVersion = version;
  }
  remote.total = m.total;
  remote.all = m.all;
  m.rows.forEach((r, i) => remote.rows.set(m.start + i, r));
  paint();
}

function recompute(): void {
  if (remote.on) {
    remote.version++;
    remote.want = '';
    askWindow(true);
    paint();
    return;
  }
  const filtered = filterRows(all, filters, deepText ? deepKeys ?? new Set() : undefined);
  shown = sort ? sortRows(filtered, sort.id, sort.dir) : filtered;
  paint();
}

/** Header arrows, the count and the scroll height for what is shown, then the rows. */
function paint(): void {
  for (const cell of header.querySelectorAll<HTMLElement>('.head-cell')) {
    const on = sort?.id === cell.dataset.col;
    cell.setAttribute('aria-sort', on ? (sort!.dir === 'asc' ? 'ascending' : 'descending') : 'none');
    cell.querySelector('.sort-arrow')!.textContent = on ? (sort!.dir === 'asc' ? ' ▲' : ' ▼') : '';
  }
  const n = (x: number) => x.toLocaleString('en-US');
  const waiting = remote.on ? remote.cacheVersion !== remote.version : !!deepText && !deepKeys;
  const pending = waiting && deepText ? ' · searching…' : '';
  const total = remote.on ? remote.all : all.length;
  count.textContent = length() === total ? `${n(total)} trajectories${pending}` : `${n(length())} of ${n(total)} trajectories${pending}`;
  spacer.style.height = `${length() * ROW_HEIGHT}px`;
  render(true);
}

let rendered = { start: -1, end: -1 };
function render(force = false): void {
  const { start, end } = visibleRange(scroller.scrollTop, scroller.clientHeight || 600, ROW_HEIGHT, length());
  if (remote.on) askWindow();
  if (!force && start === rendered.start && end === rendered.end) return;
  rendered = { start, end };
  clear(body);
  body.style.transform = `translateY(${start * ROW_HEIGHT}px)`;
  for (let i = start; i < end; i++) {
    const r = rowAt(i);
    // A row the host has not sent yet holds its place, empty, until the window arrives.
    body.append(r ? rowElement(r, i) : h('div', { class: 'grid-row row pending', attrs: { role: 'row', 'aria-rowindex': i + 1, 'aria-busy': 'true' } }));
  }
}

function rowElement(r: TableRow, i: number): HTMLElement {
  const row = h('div', {
    class: `grid-row row${r.key === selected ? ' selected' : ''}`,
    attrs: { role: 'row', 'aria-rowindex': i + 1, 'aria-selected': r.key === selected ? 'true' : 'false' },
    dataset: { key: r.key },
  });
  for (const c of COLUMNS) {
    const text = c.text(r);
    const title = c.id === 'verdict' ? `${r.verdict}: ${r.verdictWhy}` : c.id === 'file' ? `${r.path}:${r.line}` : text;
    row.append(h('div', { class: `cell ${c.id}${c.numeric ? ' numeric' : ''}${c.id === 'verdict' ? ` v-${r.verdict}` : ''}`, attrs: { role: 'gridcell', title } }, text));
  }
  return row;
}

function select(key: string, open: boolean): void {
  selected = key;
  selectedRow = (remote.on ? [...remote.rows.values()] : all).find((r) => r.key === key) ?? selectedRow;
  for (const el of body.querySelectorAll<HTMLElement>('.row')) {
    const on = el.dataset.key === key;
    el.classList.toggle('selected', on);
    el.setAttribute('aria-selected', on ? 'true' : 'false');
  }
  if (open) vscode.postMessage({ type: 'open', key });
}

body.addEventListener('click', (e) => {
  const row = (e.target as HTMLElement).closest<HTMLElement>('.row');
  if (row?.dataset.key) select(row.dataset.key, true);
});

scroller.addEventListener('keydown', (e) => {
  if (!length() || !['ArrowDown', 'ArrowUp', 'Enter'].includes(e.key)) return;
  e.preventDefault();
  let i = 0;
  if (remote.on) {
    for (const [k, r] of remote.rows) if (r.key === selected) i = k;
  } else i = Math.max(0, shown.findIndex((r) => r.key === selected));
  if (e.key === 'ArrowDown') i = Math.min(length() - 1, selected ? i + 1 : 0);
  if (e.key === 'ArrowUp') i = Math.max(0, i - 1);
  const top = i * ROW_HEIGHT;
  if (top < scroller.scrollTop) scroller.scrollTop = top;
  else if (top + ROW_HEIGHT > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = top + ROW_HEIGHT - scroller.clientHeight;
  render();
  const r = rowAt(i);
  if (r) select(r.key, e.key === 'Enter');
});

scroller.addEventListener('scroll', () => {
  headWrap.scrollLeft = scroller.scrollLeft;
  render();
});
window.addEventListener('resize', () => render(true));

summaryButton.addEventListener('click', () => {
  const row = selectedRow ?? rowAt(0);
  if (row) vscode.postMessage({ type: 'runSummary', path: row.path });
});

let deepTimer: ReturnType<typeof setTimeout> | undefined;
deepBox.addEventListener('input', () => {
  if (deepTimer) clearTimeout(deepTimer);
  deepTimer = setTimeout(() => {
    deepText = deepBox.value.trim();
    deepKeys = undefined;
    // When the host holds the rows, the search is part of the query it answers.
    if (deepText && !remote.on) vscode.postMessage({ type: 'deepSearch', seq: ++deepSeq, text: deepText });
    recompute();
  }, DEEP_SEARCH_SETTLE_MS);
});

window.addEventListener('message', (e: MessageEvent) => {
  const m = parseTableHostMessage(e.data);
  if (!m) return;
  if (m.type === 'window') return onWindow(m);
  if (m.type === 'changed') {
    remote.on = true;
    all = [];
    shown = [];
  } else if (m.type === 'rows') {
    remote.on = false;
    all = m.rows;
  } else if (m.seq === deepSeq && m.text === deepText) deepKeys = new Set(m.keys);
  else return;
  recompute();
});

applyWidths();
recompute();
vscode.postMessage({ type: 'ready' });
