/** A trajectories-table row from a trace file's summary. Pure (no vscode), tested on Node. */
import * as path from 'node:path';
import type { TableRow } from '../../protocol';
import type { TrajectorySummary } from './traceFileIndex';
import { verdictWord } from './rowText';

export function tableRowOf(file: string, s: TrajectorySummary): TableRow {
  return {
    key: `${file}#${s.id}`,
    path: file,
    file: path.basename(file),
    line: s.line,
    verdict: verdictWord(s),
    verdictWhy: s.verdictWhy,
    question: s.question,
    em: s.em,
    f1: s.f1,
    coverEm: s.coverEm,
    searches: s.searches,
    tokens: s.tokens,
    latencyMs: s.latencyMs,
    stopReason: s.stopReason,
    labels: s.labels,
  };
}
