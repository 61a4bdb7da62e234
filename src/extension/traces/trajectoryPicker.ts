/**
 * Picking a trajectory from the open trace files (for Compare). Every file is indexed first; the list
 * holds at most LIMIT items matching what the user types (searched here, over the light summaries), so a
 * 20,000-trajectory file never becomes a 20,000-item quick pick. When a first trajectory is known, those
 * with the same question (e.g. another model's run) come first.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fmt, short } from './labels';
import { traceIndexFor, type TrajectorySummary } from './traceFileIndex';
import { matches } from './traceFilter';

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

/** The items for what the user typed: same-question ones first, then up to LIMIT others. */
function itemsFor(
  files: readonly string[],
  visible: (file: string) => TrajectorySummary[],
  text: string,
  prefer?: { question: string; exclude: string },
): { items: Item[]; total: number } {
  const same: Item[] = [];
  const others: Item[] = [];
  let total = 0;
  for (const file of files) {
    for (const s of visible(file)) {
      if (prefer && `${file}#${s.id}` === prefer.exclude) continue;
      if (prefer && norm(s.question) === norm(prefer.question)) {
        same.push(item(file, s));
        continue;
      }
      if (text && !matches(s, { text })) continue;
      total++;
      if (others.length < LIMIT) others.push(item(file, s));
    }
  }
  const items: Item[] = same.length
    ? [{ label: 'Same question', kind: vscode.QuickPickItemKind.Separator }, ...same, { label: 'Other questions', kind: vscode.QuickPickItemKind.Separator }, ...others]
    : others;
  return { items, total: total + same.length };
}

export async function pickTrajectory(
  files: readonly string[],
  visible: (file: string) => TrajectorySummary[],
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
  const refresh = () => {
    if (!ready) return;
    const { items, total } = itemsFor(files, visible, qp.value.trim(), prefer);
    qp.items = items;
    qp.title = total > LIMIT ? `${title} (first ${LIMIT} of ${total.toLocaleString('en-US')}: type to narrow down)` : title;
  };
  const done = new Promise<PickedTrajectory | undefined>((resolve) => {
    let result: PickedTrajectory | undefined;
    qp.onDidChangeValue(refresh);
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
  await Promise.all(files.map((f) => traceIndexFor(f).update()));
  ready = true;
  qp.busy = false;
  qp.placeholder = filtered ? `Type words of the question, the answer or the id (only trajectories passing the filter "${filtered}")` : 'Type words of the question, the answer or the id';
  refresh();
  if (qp.items.length === 0 && !qp.value) {
    qp.hide();
    void vscode.window.showInformationMessage('Hopscope: open a trace file first (Hopscope: Open Trace File…).');
  }
  return done;
}
