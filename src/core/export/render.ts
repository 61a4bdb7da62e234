/**
 * A trace file (or any importable file) rendered in one export format, for the CLI's `export` and the
 * editor's "Export Traces…" alike: OTLP/JSON spans, a self-contained HTML report, or re-analysed JSONL.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { DecompressLimits } from '../decompress';
import type { ImportFormat, ImportProblem } from '../importers';
import { serializeTrajectory } from '../traceStore';
import { HtmlReportBuilder } from './html';
import { OtlpBuilder } from './otel';
import { trajectoriesOf } from './source';

export const EXPORT_FORMATS = ['otel', 'html', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface RenderOptions {
  /** The input's format when it cannot be detected. */
  from?: ImportFormat;
  onProblem?: (p: ImportProblem) => void;
  /** otel: model text, queries and documents on the spans (default true). */
  content?: boolean;
  /** otel: the exporter's version, recorded on the resource. */
  version?: string;
  /** html: the report title (default: "Hopscope report: <file name>"). */
  title?: string;
  /** Caps on decompression for compressed inputs. */
  limits?: DecompressLimits;
}

/**
 * Streams an export of `file` to `write`, record by record, so memory stays flat whatever the input's
 * size (OTLP spans are written one trajectory at a time into the envelope; the HTML report keeps only
 * its summary and the first failed trajectories). Returns how many trajectories went out.
 */
export async function streamExport(file: string, format: ExportFormat, write: (chunk: string) => Promise<void>, options: RenderOptions = {}): Promise<number> {
  const source = trajectoriesOf(file, { onProblem: options.onProblem, format: options.from, limits: options.limits });
  let count = 0;
  switch (format) {
    case 'otel': {
      // A trajectory without a usable time of its own starts at the file's (OtelOptions.fallbackTimeMs).
      const fallbackTimeMs = (await stat(file).catch(() => undefined))?.mtimeMs;
      const otel = { content: options.content, version: options.version, fallbackTimeMs };
      // The envelope (resource, scope) with an empty span list, cut where the spans go.
      const shell = JSON.stringify(new OtlpBuilder(otel).result());
      const at = shell.indexOf('"spans":[]') + '"spans":['.length;
      await write(shell.slice(0, at));
      let wrote = false;
      for await (const t of source) {
        const one = new OtlpBuilder(otel);
        one.add(t);
        const spans = one.result().resourceSpans[0]!.scopeSpans[0]!.spans;
        if (spans.length) await write(`${wrote ? ',' : ''}${spans.map((x) => JSON.stringify(x)).join(',')}`);
        wrote ||= spans.length > 0;
        count++;
      }
      await write(`${shell.slice(at)}\n`);
      return count;
    }
    case 'html': {
      const b = new HtmlReportBuilder({ title: options.title ?? `Hopscope report: ${basename(file)}`, generatedAt: new Date().toISOString() });
      for await (const t of source) (b.add(t), count++);
      await write(b.result());
      return count;
    }
    case 'jsonl': {
      for await (const t of source) (await write(serializeTrajectory(t)), count++);
      return count;
    }
    default: {
      const never: never = format;
      throw new Error(`unknown export format ${String(never)}`);
    }
  }
}

/** The whole export as one string (small inputs, the editor's preview, tests). */
export async function renderExport(file: string, format: ExportFormat, options: RenderOptions = {}): Promise<{ body: string; count: number }> {
  const parts: string[] = [];
  const count = await streamExport(file, format, async (c) => void parts.push(c), options);
  return { body: parts.join(''), count };
}
