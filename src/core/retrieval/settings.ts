/**
 * Everything that decides what an index contains and how it scores. Saved in the manifest: an index
 * built with other settings (or by another format version) is rebuilt rather than trusted.
 */
import { DEFAULT_PASSAGE_LIMITS, type PassageLimits } from './passages';
import { DEFAULT_TOKENIZER, type TokenizerSettings } from './tokenizer';

/** Bump when what is stored, or how it is tokenized or cut, changes. 2: postings compressed in blocks (HSP4). */
export const INDEX_FORMAT_VERSION = 2;

export interface Bm25Params {
  /** Term-frequency saturation. */
  k1: number;
  /** Length normalisation, 0 (none) to 1 (full). */
  b: number;
}

export interface IndexSettings {
  tokenizer: TokenizerSettings;
  bm25: Bm25Params;
  /** How much a term in the title (and in the file path) counts against one in the text. */
  boost: { title: number; path: number };
  passages: PassageLimits;
  /** Workspace files larger than this are skipped (corpus JSONL files are not limited). */
  maxFileBytes: number;
}

export const DEFAULT_SETTINGS: IndexSettings = {
  tokenizer: DEFAULT_TOKENIZER,
  bm25: { k1: 1.2, b: 0.75 },
  boost: { title: 3, path: 1 },
  passages: DEFAULT_PASSAGE_LIMITS,
  maxFileBytes: 1_000_000,
};

export type SettingsOverrides = {
  tokenizer?: Partial<TokenizerSettings>;
  bm25?: Partial<Bm25Params>;
  boost?: Partial<IndexSettings['boost']>;
  passages?: Partial<PassageLimits>;
  maxFileBytes?: number;
};

export function resolveSettings(o: SettingsOverrides = {}, base: IndexSettings = DEFAULT_SETTINGS): IndexSettings {
  return {
    tokenizer: { ...base.tokenizer, ...o.tokenizer },
    bm25: { ...base.bm25, ...o.bm25 },
    boost: { ...base.boost, ...o.boost },
    passages: { ...base.passages, ...o.passages },
    maxFileBytes: o.maxFileBytes ?? base.maxFileBytes,
  };
}

/** Do two settings produce the same index? (key order independent) */
export function sameSettings(a: IndexSettings, b: IndexSettings): boolean {
  return canonical(a) === canonical(b);
}

export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
