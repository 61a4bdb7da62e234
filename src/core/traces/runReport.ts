/**
 * The Run Summary panel's report of a trace file (src/extension/traces/runSummary.ts): every trajectory of the
 * file streamed once through the HTML report builder. One function for both hosts: the extension host runs it
 * for a small file, the store worker (src/core/storeHost) for a store-held one, so a 500,000-trajectory file is
 * never parsed on the extension host's main thread and both give the same report.
 */
import { CancelledError } from '../errors';
import { HtmlReportBuilder } from '../export/html';
import { isTraceFile, trajectoriesOf } from '../export/source';

export interface RunReportOptions {
  title: string;
  nonce: string;
  generatedAt: string;
  /** Every trajectory listed, up to this many. */
  listAll: number;
  /**
   * A trajectory's link is `command:<openCommand>?<[{file, id}] as JSON>`, for a Hopscope trace file only (the
   * trace panel opens a trajectory by file and id): a command id rather than a function, so it crosses threads.
   */
  openCommand?: string;
}

export interface RunReport {
  html: string;
  /** Lines that could not be read (left out of the report). */
  skipped: number;
}

export async function runReport(file: string, options: RunReportOptions, signal?: { cancelled: boolean }): Promise<RunReport> {
  const linkable = options.openCommand !== undefined && (await isTraceFile(file));
  const b = new HtmlReportBuilder({
    title: options.title,
    nonce: options.nonce,
    listAll: options.listAll,
    generatedAt: options.generatedAt,
    linkFor: linkable ? (t) => `command:${options.openCommand}?${encodeURIComponent(JSON.stringify([{ file, id: t.id }]))}` : undefined,
  });
  let skipped = 0;
  for await (const t of trajectoriesOf(file, { onProblem: () => skipped++ })) {
    if (signal?.cancelled) throw new CancelledError();
    b.add(t);
  }
  return { html: b.result(), skipped };
}
