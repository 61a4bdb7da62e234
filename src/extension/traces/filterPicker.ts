/**
 * The Traces view's filter and sort pickers (quick picks and input boxes). They return the new filter
 * or sort, or undefined when the user backs out; the tree applies it.
 */
import * as vscode from 'vscode';
import { STOP_REASONS, type StopReason } from '../../core/trace';
import type { TraceFacets } from '../../core/traces/traceStore';
import { isFiltered, parseSearches, SORT_LABELS, type TraceFilter, type TraceSort } from './traceFilter';

/**
 * Asks which filter to change and to what. `facets` (from the files' rows: SQL for a large file) supplies the
 * stop reasons and labels to offer, with counts that follow the filter: a label's count is over the
 * trajectories the rest of the filter lets through (its own choice aside, so switching label or stop reason
 * still shows what each would list).
 */
export async function pickFilter(f: TraceFilter, facets: TraceFacets): Promise<TraceFilter | undefined> {
  const { labels, stops } = facets;
  type Act = vscode.QuickPickItem & { act: 'failed' | 'stop' | 'searches' | 'text' | 'label' | 'clear' };
  const pick = await vscode.window.showQuickPick<Act>(
    [
      { label: `${f.failedOnly ? '$(check) ' : ''}Failed only`, description: f.failedOnly ? 'on' : 'off', act: 'failed' },
      { label: 'Stop reason…', description: f.stopReason ?? 'any', act: 'stop' },
      { label: 'Number of searches…', description: f.minSearches === undefined && f.maxSearches === undefined ? 'any' : `${f.minSearches ?? 0}–${f.maxSearches ?? '∞'}`, act: 'searches' },
      { label: 'Text…', description: f.text ? `“${f.text}”` : 'any', act: 'text' },
      { label: 'Diagnosis label…', description: f.label ?? 'any', act: 'label' },
      { label: 'Clear all filters', act: 'clear' },
    ],
    { title: 'Filter trajectories' },
  );
  if (!pick) return undefined;
  const next: TraceFilter = { ...f };
  switch (pick.act) {
    case 'failed':
      next.failedOnly = !f.failedOnly;
      break;
    case 'stop': {
      const r = await vscode.window.showQuickPick(
        [{ label: 'any', reason: undefined as StopReason | undefined }, ...STOP_REASONS.map((reason) => ({ label: reason, description: `${stops.get(reason) ?? 0}`, reason }))],
        { title: `Stop reason${isFiltered({ ...f, stopReason: undefined }) ? ' (counts within the other filters)' : ''}` },
      );
      if (!r) return undefined;
      next.stopReason = r.reason;
      break;
    }
    case 'searches': {
      const v = await vscode.window.showInputBox({
        title: 'Number of searches',
        prompt: 'A number (3), a range (2-4), at least (5+), at most (<=1); empty for any',
        validateInput: (s) => (s.trim() === '' || parseSearches(s) ? undefined : 'e.g. 3, 2-4, 5+ or <=1'),
      });
      if (v === undefined) return undefined;
      const r = v.trim() ? parseSearches(v) : {};
      next.minSearches = r?.min;
      next.maxSearches = r?.max;
      break;
    }
    case 'text': {
      const v = await vscode.window.showInputBox({ title: 'Text in the question, answer or id', value: f.text ?? '' });
      if (v === undefined) return undefined;
      next.text = v.trim() || undefined;
      break;
    }
    case 'label': {
      const r = await vscode.window.showQuickPick(
        [{ label: 'any', value: undefined as string | undefined }, ...[...labels].sort((x, y) => y[1] - x[1]).map(([l, k]) => ({ label: l, description: String(k), value: l }))],
        { title: `Diagnosis label${isFiltered({ ...f, label: undefined }) ? ' (counts within the other filters)' : ''}` },
      );
      if (!r) return undefined;
      next.label = r.value;
      break;
    }
    case 'clear':
      return {};
    default: {
      const never: never = pick.act;
      void never;
    }
  }
  return next;
}

export async function pickSort(current: TraceSort): Promise<TraceSort | undefined> {
  const r = await vscode.window.showQuickPick(
    (Object.keys(SORT_LABELS) as TraceSort[]).map((k) => ({ label: SORT_LABELS[k], description: k === current ? 'current' : undefined, k })),
    { title: 'Sort trajectories' },
  );
  return r?.k;
}
