/** `--max-decompressed-mb` / `--max-entry-mb`: the decompression caps of import and export, as flags. */
import type { Command } from 'commander';
import { DEFAULT_DECOMPRESS_LIMITS, type DecompressLimits } from '../core/decompress';
import { parseNumberOption } from './common';

const MiB = 1024 * 1024;

export interface LimitCliOptions {
  maxDecompressedMb?: number;
  maxEntryMb?: number;
}

export function addLimitOptions(command: Command): Command {
  return command
    .option('--max-decompressed-mb <n>', `most a compressed input may expand to in all, in MiB (default ${DEFAULT_DECOMPRESS_LIMITS.maxTotalBytes / MiB})`, parseNumberOption('--max-decompressed-mb', { above: 0, max: 1024 * 1024 }))
    .option('--max-entry-mb <n>', `most one zip entry or whole-JSON file may expand to, in MiB (default ${DEFAULT_DECOMPRESS_LIMITS.maxEntryBytes / MiB})`, parseNumberOption('--max-entry-mb', { above: 0, max: 4096 }));
}

export function limitsOf(opts: LimitCliOptions): DecompressLimits {
  return {
    maxTotalBytes: opts.maxDecompressedMb !== undefined ? Math.round(opts.maxDecompressedMb * MiB) : DEFAULT_DECOMPRESS_LIMITS.maxTotalBytes,
    maxEntryBytes: opts.maxEntryMb !== undefined ? Math.round(opts.maxEntryMb * MiB) : DEFAULT_DECOMPRESS_LIMITS.maxEntryBytes,
  };
}

/** Writes to stdout, waiting when its buffer is full, so a piped export does not pile up in memory. */
export function stdoutSink(): (chunk: string) => Promise<void> {
  return (chunk) =>
    new Promise((resolve, reject) => {
      if (process.stdout.write(chunk, (e) => (e ? reject(e) : undefined))) resolve();
      else process.stdout.once('drain', () => resolve());
    });
}
