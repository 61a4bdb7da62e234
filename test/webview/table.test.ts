/**
 * The trajectories table bundle in Chromium, served with its real HTML (src/extension/traces/tableHtml.ts, same
 * CSP): 100,000 rows virtualised, sorting by a header click, filtering by column and by text inside the
 * trajectories (the host's answer), a selected row asking the host to open it, a column resized by dragging, and
 * hostile text shown as text; and 500,000 rows the host holds, asked for one window at a time. The viewport is the editor area of a 1400×900 window with the default sidebar.
 * Screenshot: test-output/webview/trajectory-table.png.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { tableHtml } from '../../src/extension/traces/tableHtml';
import { filterRows, sortRows } from '../../src/tableColumns';
import type { TableHostMessage, TableRow, TableWebviewMessage } from '../../src/protocol';
import { launchBrowser, screenshot, type BrowserSession } from '../support/browser';
import { TEST_OUTPUT } from '../support/paths';
import { ORIGIN, openBundlePage, type BundlePage } from './bundlePage';

// The editor area of a 1400×900 workbench with the default sidebar (activity bar + 300 px sidebar; title, tabs, status bar).
const EDITOR_AREA = { width: 1050, height: 790 };
const LABELS = ['gold_never_retrieved', 'gold_retrieved_not_used', 'repeated_query', 'no_search', 'answer_not_in_docs'];

let session: Promise<BrowserSession> | undefined;
after(async () => (await session)?.close());

/** Row i of a synthetic run: F1 cycles through 0..1, searches 0..4, every 7th row has two labels. */
function row(i: number): TableRow {
  const f1 = (i * 37 % 101) / 100;
  return {
    key: `/traces/run${i % 3}.jsonl#t${i}`,
    path: `/traces/run${i % 3}.jsonl`,
    file: `run${i % 3}.jsonl`,
    line: Math.floor(i / 3) + 1,
    verdict: f1 >= 0.8 ? 'correct' : i % 11 === 0 ? 'unknown' : 'wrong',
    verdictWhy: 'F1 against the gold answer',
    question: `Question number ${i}: who founded the company that built the dam?`,
    em: f1 === 1 ? 1 : 0,
    f1,
    coverEm: f1 >= 0.5 ? 1 : 0,
    searches: i % 5,
    tokens: 200 + (i % 900),
    latencyMs: 1000 + (i % 50) * 100,
    stopReason: i % 13 === 0 ? 'max_turns' : 'finished',
    labels: f1 >= 0.8 ? [] : i % 7 === 0 ? [LABELS[i % 5]!, LABELS[(i + 1) % 5]!] : [LABELS[i % 5]!],
  };
}

interface Opened extends BundlePage<TableHostMessage, TableWebviewMessage> {
  /** The question column's texts of the rendered rows, top to bottom. */
  cells(col: string): Promise<string[]>;
}

async function openTable(rows: TableRow[]): Promise<Opened> {
  session ??= launchBrowser({ viewport: EDITOR_AREA });
  const opened = await openBundlePage<TableHostMessage, TableWebviewMessage>(await session, {
    name: 'trajectoryTable',
    entry: 'webview/table/main.ts',
    css: 'table.css',
    html: ({ scriptUri, styleUri, prelude }) => tableHtml({ cspSource: ORIGIN, scriptUri, styleUri, state: { rows }, prelude }),
  });
  return { ...opened, cells: (col) => opened.page.locator(`.rows .row .cell.${col}`).allInnerTexts() };
}

test('100,000 rows: only the rows in view are in the DOM, and scrolling to the end shows the last one', async () => {
  const rows = Array.from({ length: 100_000 }, (_, i) => row(i));
  const t = await openTable([]);
  await t.post({ type: 'rows', rows });
  const p = t.page;
  await p.locator('.count', { hasText: '100,000 trajectories' }).waitFor();
  const rendered = await p.locator('.rows .row').count();
  assert.ok(rendered > 20 && rendered < 80, `virtualised: ${rendered} rows in the DOM`);
  await p.locator('.scroller').evaluate((s) => { s.scrollTop = s.scrollHeight; s.dispatchEvent(new Event('scroll')); });
  await p.locator('.rows .row .cell.question', { hasText: 'Question number 99999:' }).waitFor();
  assert.ok((await p.locator('.rows .row').count()) < 80);
  // Sorting and filtering work on all of them.
  await p.locator('.header .col-title[data-col="f1"]').click();
  await p.locator('.header .col-title[data-col="f1"]').click();
  await p.locator('.scroller').evaluate((s) => { s.scrollTop = 0; s.dispatchEvent(new Event('scroll')); });
  assert.equal((await t.cells('f1'))[0], '1');
  await p.locator('.col-filter[data-col="searches"]').fill('4');
  await p.locator('.count', { hasText: '20,000 of 100,000 trajectories' }).waitFor();
  assert.deepEqual(await t.csp(), []);
});

test('at the editor area of 1400×900 every visible row shows its verdict, F1, searches and labels', async () => {
  const rows = Array.from({ length: 300 }, (_, i) => row(i));
  const t = await openTable(rows);
  const p = t.page;
  const width = EDITOR_AREA.width;
  for (const col of ['verdict', 'f1', 'searches', 'labels']) {
    const box = await p.locator(`.header .head-cell[data-col="${col}"]`).boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= width, `the ${col} column is within the ${width} px editor area`);
  }
  const visible = await p.locator('.rows .row').evaluateAll((els, h) => els.filter((e) => { const r = e.getBoundingClientRect(); return r.bottom > 0 && r.top < h; }).length, EDITOR_AREA.height);
  assert.ok(visible >= 25, `${visible} rows in view`);
  // Every label of row 7 (two labels) fits its cell: no ellipsis in the default width.
  const labels = p.locator('.rows .row[data-key$="#t7"] .cell.labels');
  assert.equal(await labels.innerText(), `${LABELS[2]}, ${LABELS[3]}`);
  assert.ok(await labels.evaluate((e) => e.scrollWidth <= e.clientWidth + 1), 'the labels are not clipped');
  assert.equal(await p.locator('.rows .row[data-key$="#t7"] .cell.verdict').innerText(), '✗');
  assert.equal(await p.locator('.rows .row[data-key$="#t8"] .cell.verdict').innerText(), '✓');
  assert.equal(await p.locator('.rows .row[data-key$="#t8"] .cell.verdict').getAttribute('title'), 'correct: F1 against the gold answer');
  await screenshot(p, join(TEST_OUTPUT, 'webview', 'trajectory-table.png'));
});

test('a header click sorts ascending, a second descending; missing values stay last', async () => {
  const rows = Array.from({ length: 500 }, (_, i) => row(i));
  rows[3] = { ...rows[3]!, f1: undefined };
  const t = await openTable(rows);
  const p = t.page;
  await p.locator('.header .col-title[data-col="f1"]').click();
  assert.equal(await p.locator('.header .head-cell[data-col="f1"]').getAttribute('aria-sort'), 'ascending');
  const asc = (await t.cells('f1')).map(Number);
  assert.deepEqual(asc, [...asc].sort((a, b) => a - b));
  assert.equal(asc[0], 0);
  await p.locator('.header .col-title[data-col="f1"]').click();
  assert.equal(await p.locator('.header .head-cell[data-col="f1"]').getAttribute('aria-sort'), 'descending');
  const desc = (await t.cells('f1')).map(Number);
  assert.equal(desc[0], 1);
  assert.deepEqual(desc, [...desc].sort((a, b) => b - a));
  await p.locator('.scroller').evaluate((s) => { s.scrollTop = s.scrollHeight; s.dispatchEvent(new Event('scroll')); });
  const tail = await t.cells('f1');
  assert.equal(tail[tail.length - 1], '–', 'the row without F1 is last');
  // Sort by question (text) as well.
  await p.locator('.header .col-title[data-col="searches"]').click();
  await p.locator('.scroller').evaluate((s) => { s.scrollTop = 0; s.dispatchEvent(new Event('scroll')); });
  assert.ok((await t.cells('searches')).every((x) => x === '0'));
});

test('column filters and the text search inside trajectories narrow the rows; the count follows', async () => {
  const rows = Array.from({ length: 1000 }, (_, i) => row(i));
  const t = await openTable(rows);
  const p = t.page;
  await p.locator('.col-filter[data-col="f1"]').fill('>=0.9');
  const expected = rows.filter((r) => (r.f1 ?? -1) >= 0.9).length;
  await p.locator('.count', { hasText: `${expected} of 1,000 trajectories` }).waitFor();
  assert.ok((await t.cells('f1')).every((x) => Number(x) >= 0.9));
  await p.locator('.col-filter[data-col="f1"]').fill('');
  await p.locator('.col-filter[data-col="labels"]').fill('repeated');
  const withLabel = rows.filter((r) => r.labels.some((l) => l.includes('repeated'))).length;
  await p.locator('.count', { hasText: `${withLabel} of 1,000` }).waitFor();
  assert.ok((await t.cells('labels')).every((x) => x.includes('repeated_query')));
  await p.locator('.col-filter[data-col="verdict"]').fill('✗');
  const both = rows.filter((r) => r.verdict === 'wrong' && r.labels.includes('repeated_query')).length;
  await p.locator('.count', { hasText: `${both} of 1,000` }).waitFor();
  await p.locator('.col-filter[data-col="labels"]').fill('');
  await p.locator('.col-filter[data-col="verdict"]').fill('');

  // Text inside queries, documents and reasoning: the table asks the host, then shows only the rows it names.
  await p.locator('.deep-search').fill('Superstition Mountains');
  await p.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'deepSearch'));
  const ask = (await t.posted()).find((m) => m.type === 'deepSearch') as Extract<TableWebviewMessage, { type: 'deepSearch' }>;
  assert.equal(ask.text, 'Superstition Mountains');
  await t.post({ type: 'deepMatches', seq: ask.seq, text: ask.text, keys: [rows[5]!.key, rows[42]!.key] });
  await p.locator('.count', { hasText: '2 of 1,000 trajectories' }).waitFor();
  assert.deepEqual(await p.locator('.rows .row').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.key)), [rows[5]!.key, rows[42]!.key]);
  await p.locator('.deep-search').fill('');
  await p.locator('.count', { hasText: /^1,000 trajectories$/ }).waitFor();
});

test('selecting a row asks the host to open it; the run summary button names its file; a column resizes by dragging', async () => {
  const rows = Array.from({ length: 50 }, (_, i) => row(i));
  rows[1] = { ...rows[1]!, question: '<img src=x onerror="window.__pwned=1">Who founded <b>it</b>?' };
  const t = await openTable(rows);
  const p = t.page;
  assert.equal(await p.locator('.rows .row[data-key$="#t1"] .cell.question').innerText(), rows[1]!.question);
  await p.locator('.rows .row[data-key$="#t4"]').click();
  assert.ok((await t.posted()).some((m) => m.type === 'open' && m.key === rows[4]!.key));
  assert.equal(await p.locator('.rows .row.selected').getAttribute('data-key'), rows[4]!.key);
  await p.keyboard.press('ArrowDown');
  await p.keyboard.press('Enter');
  assert.ok((await t.posted()).some((m) => m.type === 'open' && m.key === rows[5]!.key));
  await p.locator('.summary-button').click();
  assert.ok((await t.posted()).some((m) => m.type === 'runSummary' && m.path === rows[5]!.path));

  const head = p.locator('.header .head-cell[data-col="question"]');
  const before = (await head.boundingBox())!;
  const handle = (await p.locator('.header .resize[data-col="question"]').boundingBox())!;
  await p.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
  await p.mouse.down();
  await p.mouse.move(handle.x + handle.width / 2 + 120, handle.y + handle.height / 2, { steps: 5 });
  await p.mouse.up();
  const after = (await head.boundingBox())!;
  assert.ok(Math.abs(after.width - before.width - 120) <= 2, `the question column grew by 120 px (${before.width} → ${after.width})`);
  const cell = (await p.locator('.rows .row[data-key$="#t4"] .cell.question').boundingBox())!;
  assert.ok(Math.abs(cell.width - after.width) <= 1, 'the cells follow the header');
  assert.equal(await p.evaluate(() => (window as unknown as { __pwned: number }).__pwned), 0);
  assert.deepEqual(await t.csp(), []);
});

/**
 * Stands in for the host when it holds the rows (a trace file in the trace store): answers each `query` the page
 * posts with the window it asks for, filtered and sorted by the same column logic the host applies. Returns the
 * largest window sent and a stop function.
 */
function serveWindows(t: Opened, rows: TableRow[]): { largest: () => number; stop: () => void } {
  let seen = 0;
  let largest = 0;
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      const posted = await t.posted().catch(() => [] as TableWebviewMessage[]);
      for (const m of posted.slice(seen)) {
        if (m.type !== 'query') continue;
        const passed = filterRows(rows, m.filters);
        const sorted = m.sort ? sortRows(passed, m.sort.id, m.sort.dir) : passed;
        const window = sorted.slice(m.start, m.start + m.count);
        largest = Math.max(largest, window.length);
        await t.post({ type: 'window', seq: m.seq, total: sorted.length, all: rows.length, start: m.start, rows: window }).catch(() => undefined);
      }
      seen = posted.length;
      await new Promise((r) => setTimeout(r, 30));
    }
  };
  void loop();
  return { largest: () => largest, stop: () => (stopped = true) };
}

test('when the host holds 500,000 rows the table asks for windows: the count, scrolling, sorting and filtering follow its answers', async () => {
  const rows = Array.from({ length: 500_000 }, (_, i) => row(i));
  const t = await openTable([]);
  const host = serveWindows(t, rows);
  try {
    const p = t.page;
    await t.post({ type: 'changed' });
    await p.locator('.count', { hasText: /^500,000 trajectories$/ }).waitFor();
    await p.locator('.rows .row .cell.question', { hasText: 'Question number 0:' }).waitFor();
    assert.ok((await p.locator('.rows .row').count()) < 80, 'virtualised');
    await p.locator('.scroller').evaluate((s) => { s.scrollTop = s.scrollHeight; s.dispatchEvent(new Event('scroll')); });
    await p.locator('.rows .row .cell.question', { hasText: 'Question number 499999:' }).waitFor();
    await p.locator('.header .col-title[data-col="f1"]').click();
    await p.locator('.header .col-title[data-col="f1"]').click();
    await p.locator('.scroller').evaluate((s) => { s.scrollTop = 0; s.dispatchEvent(new Event('scroll')); });
    await p.waitForFunction(() => document.querySelector('.rows .row .cell.f1')?.textContent === '1');
    await p.locator('.col-filter[data-col="searches"]').fill('4');
    await p.locator('.count', { hasText: '100,000 of 500,000 trajectories' }).waitFor();
    await p.waitForFunction(() => [...document.querySelectorAll('.rows .row .cell.searches')].every((c) => c.textContent === '4') && document.querySelectorAll('.rows .row .cell.searches').length > 0);
    // Selecting a row it was sent asks the host to open that row.
    const key = await p.locator('.rows .row').first().getAttribute('data-key');
    await p.locator('.rows .row').first().click();
    assert.ok((await t.posted()).some((m) => m.type === 'open' && m.key === key));
    assert.ok(host.largest() <= 2000, `at most a window crosses at a time (${host.largest()} rows)`);
    assert.deepEqual(await t.csp(), []);
  } finally {
    host.stop();
  }
});
