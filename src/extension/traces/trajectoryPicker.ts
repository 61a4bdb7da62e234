/**
 * Picking a trajectory from the open trace files (for Compare). The list holds at most LIMIT items matching
 * what the user types (a text filter on the files' rows: SQL for a large file), so a 500,000-trajectory file
 * never becomes a 500,000-item quick pick. When a first trajectory is known, those
 * with the same question (e.g. another model's run) come first.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fmt, short } from './labels';
import type { TrajectorySummary } from './traceFileIndex';
import type { TraceFilter } from './traceFilter';
import { onRowsUpdated, traceRowsFor } from './traceRows';

export interface PickedTrajectory {
  file: string;
  s: TrajectorySummary;
}

const LIMIT = 200;

type Item = vscode.QuickPickItem & { target?: PickedTrajectory };

const norm = (q: string) => q.trim().toLowerCase();

function item(file: string, s: TrajectorySummary): Item {
  return {
    label: `${s.verdict === undefined ? '' : s.verdict ? '✓ ' : '✗ '}${short(s.question, 100)}`,
    description: `${s.model ?? ''} ${path.basename(file)}:${s.line}`.trim(),
    detail: `answer: ${short(s.answer ?? '(none)', 80)} · F1 ${fmt(s.f1)} · ${s.searches} searches`,
    target: { file, s },
  };
}

/** What the picker lists: the Traces view's rows of each file (its filter and sort), one page at a time. */
export interface PickSource {
  files: readonly string[];
  page(file: string, offset: number, limit: number, extra: TraceFilter): Promise<TrajectorySummary[]>;
  count(file: string, extra: TraceFilter): Promise<number>;
}

/** The items for what the user typed: same-question ones first, then up to LIMIT others. */
async function itemsFor(source: PickSource, text: string, prefer?: { question: string; exclude: string }): Promise<{ items: Item[]; total: number }> {
  const same: Item[] = [];
  const others: Item[] = [];
  const sameKeys = new Set<string>();
  let total = 0;
  for (const file of source.files) {
    if (prefer) {
      // The same question, whatever the user typed: found by its text, kept when it is the whole question.
      for (const s of await source.page(file, 0, LIMIT, { text: prefer.question })) {
        if (`${file}#${s.id}` === prefer.exclude || norm(s.question) !== norm(prefer.question)) continue;
        same.push(item(file, s));
        sameKeys.add(`${file}#${s.id}`);
      }
    }
    const extra: TraceFilter = text ? { text } : {};
    total += await source.count(file, extra);
    if (others.length >= LIMIT) continue;
    for (const s of await source.page(file, 0, LIMIT + sameKeys.size + 1, extra)) {
      const key = `${file}#${s.id}`;
      if (sameKeys.has(key) || key === prefer?.exclude) continue;
      if (others.length < LIMIT) others.push(item(file, s));
    }
  }
  const items: Item[] = same.length
    ? [{ label: 'Same question', kind: vscode.QuickPickItemKind.Separator }, ...same, { label: 'Other questions', kind: vscode.QuickPickItemKind.Separator }, ...others]
    : others;
  return { items, total };
}

/** Resolves once a file has rows to list (at once when it has some; a large file goes on being read meanwhile). */
function firstRows(file: string): Promise<void> {
  const rows = traceRowsFor(file);
  const reading = rows.update().then(
    () => undefined,
    () => undefined,
  );
  if (rows.total > 0) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const sub = onRowsUpdated((f) => {
      if (f === file && rows.total > 0) done();
    });
    const done = () => {
      sub.dispose();
      resolve();
    };
    void reading.then(done);
  });
}

export async function pickTrajectory(
  source: PickSource,
  title: string,
  prefer?: { question: string; exclude: string },
  /** The Traces view's filter, described, when it hides trajectories from this list. */
  filtered?: string,
): Promise<PickedTrajectory | undefined> {
  if (filtered) title = `${title}, filtered by the Traces view: ${filtered}`;
  // Shown at once, busy while the files are read, so a big file does not look like nothing happened.
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = title;
  qp.placeholder = 'Reading trace files…';
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.busy = true;
  let ready = false;
  let asked = 0;
  const refresh = async () => {
    if (!ready) return;
    // Typing runs queries; only the answer to the latest keystroke is shown.
    const mine = ++asked;
    const { items, total } = await itemsFor(source, qp.value.trim(), prefer);
    if (mine !== asked) return;
    qp.items = items;
    qp.title = total > LIMIT ? `${title} (first ${LIMIT} of ${total.toLocaleString('en-US')}: type to narrow down)` : title;
  };
  const done = new Promise<PickedTrajectory | undefined>((resolve) => {
    let result: PickedTrajectory | undefined;
    qp.onDidChangeValue(() => void refresh());
    qp.onDidAccept(() => {
      result = (qp.selectedItems[0] ?? qp.activeItems[0])?.target;
      if (result) qp.hide();
    });
    qp.onDidHide(() => {
      qp.dispose();
      resolve(result);
    });
  });
  qp.show();
  await Promise.all(source.files.map(firstRows));
  ready = true;
  qp.busy = false;
  qp.placeholder = filtered ? `Type words of the question, the answer or the id (only trajectories passing the filter "${filtered}")` : 'Type words of the question, the answer or the id';
  await refresh();
  if (qp.items.length === 0 && !qp.value) {
    qp.hide();
    void vscode.window.showInformationMessage('Hopscope: open a trace file first (Hopscope: Open Trace File…).');
  }
  return done;
}
