/** What every subcommand shares: exit codes, the usage error, reading settings from the environment. */
import { IMPORT_FORMATS, type ImportFormat } from '../core/importers';
import { terminalSafe } from './terminal';
export const EXIT = { ok: 0, runError: 1, usage: 2 } as const;

/** A mistake in how the command was called: exit 2 with the message. */
export class UsageError extends Error {}

/** `HOPSCOPE_<NAME>` from the environment, or undefined when unset or empty. */
export function fromEnv(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const v = env[`HOPSCOPE_${name}`];
  return v === undefined || v === '' ? undefined : v;
}

/** A whole-number option, at least `min` and at most `max` (never past what a double holds exactly). */
export function parseIntOption(name: string, min = 0, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() !== '' && Number.isInteger(n) && n >= min && n <= max) return n;
    // The bound that was crossed; for a value that is no whole number, the lower one.
    const wanted = n > max ? ` of at most ${max}` : min > 0 ? ` of at least ${min}` : '';
    throw new UsageError(`${name} takes a whole number${wanted}, got "${terminalSafe(value)}"`);
  };
}

/** Most documents one search may ask for (as `serve` caps top-k). */
export const MAX_K = 1000;

/** Node's timers hold at most 2^31-1 ms; a longer timeout would overflow and fire at once. */
export const MAX_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** `--timeout <seconds>`: above 0 and within what Node's timers hold. */
export function parseTimeoutOption(name: string) {
  const positive = parseNumberOption(name, { above: 0 });
  return (value: string): number => {
    const n = positive(value);
    if (n > MAX_TIMEOUT_SECONDS) throw new UsageError(`${name} is at most ${MAX_TIMEOUT_SECONDS} seconds (about 24 days, the longest timer Node has), got "${terminalSafe(value)}"`);
    return n;
  };
}

/** A number option in a range: at least `min`, above `above`, at most `max`. */
export function parseNumberOption(name: string, range: { min?: number; above?: number; max?: number } = {}) {
  const { min, above, max } = range;
  const wanted = [min !== undefined ? `at least ${min}` : '', above !== undefined ? `above ${above}` : '', max !== undefined ? `at most ${max}` : ''].filter(Boolean).join(' and ');
  return (value: string): number => {
    const n = Number(value);
    const ok = value.trim() !== '' && Number.isFinite(n) && (min === undefined || n >= min) && (above === undefined || n > above) && (max === undefined || n <= max);
    if (!ok) throw new UsageError(`${name} takes a number${wanted ? ` ${wanted}` : ''}, got "${terminalSafe(value)}"`);
    return n;
  };
}

/** An input format option's value, checked. */
export function parseImportFormat(option: string, value: string | undefined): ImportFormat | undefined {
  if (value === undefined) return undefined;
  if ((IMPORT_FORMATS as readonly string[]).includes(value)) return value as ImportFormat;
  throw new UsageError(`${option} must be one of ${IMPORT_FORMATS.join(', ')}, got "${terminalSafe(value)}"`);
}
