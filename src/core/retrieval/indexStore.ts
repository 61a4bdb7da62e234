/**
 * The saved index: a directory holding `manifest.json` (format version, settings, root, each file's
 * mtime, size and hash, the segments and their deletions) and the segments' files (segmentFiles.ts).
 * Segments are immutable: a save writes only the passages added since the last one as a new segment
 * and records removed ones in the manifest; a merge rewrites everything as one segment.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { RetrieverError } from '../errors';
import type { PostingsSnapshot } from './bm25';
import type { NamedFolder } from './fileKeys';
import { combineSegments, decodePostings, writeSegment } from './segmentFiles';
import { SegmentReader } from './segmentReader';
import type { IndexSettings } from './settings';

export interface StoredPassage {
  id: string;
  /** Key of the file it came from (see FileKeys: root-relative, or `folder/path` over several folders). */
  file: string;
  title: string;
  text: string;
  /** Workspace passages only: the file's key and 1-based line range. */
  path?: string;
  startLine?: number;
  endLine?: number;
}

export interface FileEntry {
  kind: 'file' | 'corpus';
  mtimeMs: number;
  size: number;
  hash: string;
  /** Passage ids, in file order (not saved in the manifest: rebuilt from the passages on load). */
  ids: string[];
}

export type SavedFileEntry = Omit<FileEntry, 'ids'> & { passages: number };

export interface Manifest {
  format: 'hopscope.index';
  version: number;
  root: string;
  /** A multi-root index's folders (file keys are `name/path`); absent with a single root. */
  folders?: NamedFolder[];
  settings: IndexSettings;
  createdAt: string;
  updatedAt: string;
  fingerprint: string;
  counts: { files: number; passages: number; terms?: number };
  /** Every indexed file; with `filesBase`, only those changed since that table was written. */
  files: Record<string, SavedFileEntry>;
  /**
   * The files table of an earlier save, in `<filesBase>.json` beside the manifest; `files` then holds
   * the entries changed since and `removedFiles` the keys removed since. An editor save so writes a
   * manifest in proportion to the change, not an entry per indexed file (3.9 MB for 19k files).
   */
  filesBase?: string;
  removedFiles?: string[];
  /** The segments, oldest first. */
  segments?: SegmentEntry[];
  /** An index saved before segments: its one data folder, relative to the index directory. */
  data?: string;
}

/** A segment the manifest lists: its files are `<name>.postings` and `<name>.docs` in the index folder. */
export interface SegmentEntry {
  name: string;
  passages: number;
  /** Ids of its passages deleted since it was written (an update or removal of their file). */
  deleted: string[];
}

/** A files table written to a file of its own (see `Manifest.filesBase`). */
export interface FilesTable {
  name: string;
  files: Record<string, SavedFileEntry>;
}

/** What a save writes besides segments: the manifest, and a new files table when it refers to one. */
export interface ManifestInput {
  manifest: Manifest;
  filesBase?: FilesTable;
}

export interface SaveInput extends ManifestInput {
  /** Segments already in the folder that stay, with their deletion lists as of now. */
  keep: SegmentEntry[];
  /** New segments to write. */
  add: Array<{ name: string; postings: PostingsSnapshot }>;
}

/** Test seam: runs after the segments are written and before the manifest switches to them. */
export interface SaveHooks {
  beforeManifest?: () => void | Promise<void>;
}

export interface LoadedIndex {
  manifest: Manifest;
  postings: PostingsSnapshot;
  /** Which segment holds each live passage (empty for an index saved before segments). */
  segmentOf: Map<string, string>;
}

export function newSegmentName(): string {
  return `seg-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

export function newFilesTableName(): string {
  return `files-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/**
 * Writes the new segments, then the manifest (to a temp file renamed over the old one: the switch is
 * atomic), then removes files no manifest lists. A crash before the rename leaves the previous
 * manifest and every segment it lists in place; the orphans are swept by the next save.
 */
export async function saveIndex(dir: string, input: SaveInput, hooks: SaveHooks = {}): Promise<SegmentEntry[]> {
  await fs.mkdir(dir, { recursive: true });
  for (const seg of input.add) await writeSegment(dir, seg.name, seg.postings);
  if (input.filesBase) await writeSynced(path.join(dir, `${input.filesBase.name}.json`), JSON.stringify(input.filesBase.files));
  const segments = [...input.keep, ...input.add.map((s) => ({ name: s.name, passages: s.postings.passages.length, deleted: [] }))];
  const manifest: Manifest = { ...input.manifest, segments };
  delete manifest.data;
  await hooks.beforeManifest?.();
  const tmp = path.join(dir, `manifest.json.${newSegmentName()}.tmp`);
  await writeSynced(tmp, JSON.stringify(manifest, null, 1));
  await fs.rename(tmp, path.join(dir, 'manifest.json'));
  const live = new Set(segments.map((s) => s.name));
  for (const e of await fs.readdir(dir)) {
    const seg = /^(seg-[^.]+)\./.exec(e)?.[1];
    const table = e.startsWith('files-') && e !== `${manifest.filesBase}.json`;
    const stale = e.startsWith('data-') || table || (seg !== undefined && !live.has(seg)) || (e.startsWith('manifest.json.') && e.endsWith('.tmp'));
    // The new manifest is in place: a file that cannot be removed now (still open elsewhere, say) is
    // only an orphan the next save sweeps, never a failed save.
    if (stale) await fs.rm(path.join(dir, e), { recursive: true, force: true }).catch(() => undefined);
  }
  return segments;
}

async function writeSynced(file: string, text: string): Promise<void> {
  const fh = await fs.open(file, 'w');
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Every indexed file the manifest stands for: its files table (if it refers to one) with its changes applied. */
export async function readFiles(dir: string, manifest: Manifest): Promise<Record<string, SavedFileEntry>> {
  if (!manifest.filesBase) return manifest.files;
  const file = path.join(dir, `${manifest.filesBase}.json`);
  let base: Record<string, SavedFileEntry>;
  try {
    base = JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, SavedFileEntry>;
  } catch (e) {
    throw new RetrieverError(`${file}: the index's files table is unreadable (${(e as Error).message})`, 'rebuild the index with `hopscope index`');
  }
  for (const key of manifest.removedFiles ?? []) delete base[key];
  return Object.assign(base, manifest.files);
}

export async function readManifest(dir: string): Promise<Manifest> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, 'manifest.json'), 'utf8');
  } catch {
    throw new RetrieverError(`no index at ${dir}`, 'build one with `hopscope index <path>... --index DIR`');
  }
  try {
    const m = JSON.parse(text) as Manifest;
    if (m.format !== 'hopscope.index' || typeof m.version !== 'number' || (!m.data && !Array.isArray(m.segments))) {
      throw new Error('not a Hopscope index manifest');
    }
    return m;
  } catch (e) {
    throw new RetrieverError(`${path.join(dir, 'manifest.json')}: ${(e as Error).message}`, 'rebuild the index with `hopscope index`');
  }
}

export interface OpenSegment {
  reader: SegmentReader;
  deleted: ReadonlySet<string>;
}

/** Opens each listed segment for reading on demand (its dictionary, ids and lengths only). */
export function openSegments(dir: string, entries: readonly SegmentEntry[]): OpenSegment[] {
  const open: OpenSegment[] = [];
  try {
    for (const e of entries) open.push({ reader: SegmentReader.open(dir, e.name), deleted: new Set(e.deleted) });
    return open;
  } catch (err) {
    for (const s of open) s.reader.close();
    throw new RetrieverError(`${dir}: the index data is unreadable (${(err as Error).message})`, 'rebuild the index with `hopscope index`');
  }
}

/** Reads open segments whole into one snapshot without their deleted passages. */
export function loadSegments(segments: readonly OpenSegment[]): { postings: PostingsSnapshot; segmentOf: Map<string, string> } {
  const segmentOf = new Map<string, string>();
  const parts = segments.map(({ reader, deleted }) => {
    for (const id of reader.ids()) if (!deleted.has(id)) segmentOf.set(id, reader.name);
    return { snap: reader.snapshot(), deleted };
  });
  return { postings: combineSegments(parts), segmentOf };
}

export async function loadIndex(dir: string, known?: Manifest): Promise<LoadedIndex> {
  const manifest = known ?? (await readManifest(dir));
  try {
    const segmentOf = new Map<string, string>();
    if (manifest.data) {
      // Saved before segments: one data folder, passages as one JSON string.
      const dataDir = path.join(dir, manifest.data);
      const [passagesText, bin] = await Promise.all([fs.readFile(path.join(dataDir, 'passages.json'), 'utf8'), fs.readFile(path.join(dataDir, 'postings.bin'))]);
      return { manifest, postings: decodePostings(bin, JSON.parse(passagesText) as StoredPassage[], dataDir), segmentOf };
    }
    const readers = openSegments(dir, manifest.segments ?? []);
    try {
      return { manifest, ...loadSegments(readers) };
    } finally {
      for (const r of readers) r.reader.close();
    }
  } catch (e) {
    if (e instanceof RetrieverError) throw e;
    throw new RetrieverError(`${dir}: the index data is unreadable (${(e as Error).message})`, 'rebuild the index with `hopscope index`');
  }
}
