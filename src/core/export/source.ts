/**
 * The trajectories of a file to export, streamed through the importers (a Hopscope trace file is one of
 * their formats). Each comes out analysed (rewards and diagnosis recomputed, other rewards kept).
 */
import { open } from 'node:fs/promises';
import { fileError } from '../errors';
import type { DecompressLimits } from '../decompress';
import { detectFormat, openImport, type ImportFormat, type ImportProblem } from '../importers';
import { redactTrajectory } from '../redactTrajectory';
import type { Trajectory } from '../trace';

export interface SourceOptions {
  analyze?: boolean;
  /** The input's format when it is not a Hopscope trace file and cannot be detected. */
  format?: ImportFormat;
  onProblem?: (p: ImportProblem) => void;
  /** Caps on decompression for compressed inputs. */
  limits?: DecompressLimits;
}

async function head(file: string): Promise<Uint8Array> {
  try {
    const h = await open(file, 'r');
    try {
      const buf = Buffer.alloc(1 << 16);
      const { bytesRead } = await h.read(buf, 0, buf.length, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await h.close();
    }
  } catch (e) {
    // A directory opens and fails on the read: either way, one line naming the file.
    throw fileError(e, file, 'read');
  }
}

/** Whether `file` is a plain Hopscope trace file (its trajectories can be opened by file and id). */
export async function isTraceFile(file: string): Promise<boolean> {
  const first = await head(file);
  return !(first[0] === 0x1f && first[1] === 0x8b) && detectFormat(firstLine(first)) === 'hopscope';
}

/** Streams a file's trajectories record by record (see openImport); unreadable records go to `onProblem`. */
export async function* trajectoriesOf(file: string, options: SourceOptions = {}): AsyncGenerator<Trajectory> {
  const r = await openImport(file, { analyze: options.analyze, format: options.format, limits: options.limits }, (p) => options.onProblem?.(p));
  // Exports leave the machine: URL credentials in an old trace file stay behind.
  for await (const t of r.trajectories) yield redactTrajectory(t);
}

function firstLine(bytes: Uint8Array): string {
  const text = new TextDecoder().decode(bytes);
  const nl = text.indexOf('\n');
  return nl < 0 ? text : text.slice(0, nl);
}
