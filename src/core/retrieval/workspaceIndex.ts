/**
 * The workspace BM25 index: files and corpus records cut into passages, scored by the flat-array BM25
 * of bm25.ts, saved to a directory and updated file by file.
 *
 * minisearch is the companion for what BM25 term matching cannot do (prefix and fuzzy matching, query
 * suggestions): measured on the 15k-passage benchmark, minisearch alone takes 1.3 s to add and 1 s to
 * serialise what the flat index builds in well under a second, so it is built on first use, from the
 * stored passages, and then kept in step with every update.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CancelledError, RetrieverError } from '../errors';
import type { Retriever, SearchOptions } from '../ports';
import type { RetrievedDoc } from '../trace';
import { Bm25Scorer, type PostingsSnapshot, type ScoredFields } from './bm25';
import { FuzzyIndex } from './fuzzy';
import { looksLikeCorpus, readCorpus, type CorpusProblem } from './corpus';
import {
  loadIndex,
  newFilesTableName,
  newSegmentName,
  readFiles,
  readManifest,
  saveIndex,
  type FileEntry,
  type ManifestInput,
  type SaveHooks,
  type SavedFileEntry,
  type SegmentEntry,
  type StoredPassage,
} from './indexStore';
import { LiveSegments } from './liveSegments';
import { writeSegment } from './segmentFiles';
import { cutPassages } from './passages';
import { canonical, INDEX_FORMAT_VERSION, resolveSettings, sameSettings, type IndexSettings, type SettingsOverrides } from './settings';
import { FileKeys, type NamedFolder } from './fileKeys';
import { emptySkips, ExcludeMatcher, isBinaryName, looksBinary, walkFiles, type SkipCounts, type SourceRules } from './sources';
import { Tokenizer } from './tokenizer';

export interface IndexOptions {
  /** Workspace root; passage paths are relative to it. Default: the current directory. */
  root?: string;
  /**
   * The folders of a multi-root workspace: with two or more, passage paths are `folder name/relative
   * path`, and each folder's `.gitignore` and exclude patterns apply to its own files.
   */
  folders?: readonly NamedFolder[];
  settings?: SettingsOverrides;
  /** Exclude patterns in gitignore syntax (`files.exclude`, `hopscope.index.exclude`). */
  exclude?: readonly string[];
  /** Honour `.gitignore` files (default true). */
  gitignore?: boolean;
}

export interface IndexProgress {
  files: number;
  passages: number;
  current: string;
}

export interface AddOptions {
  signal?: AbortSignal;
  onProgress?: (p: IndexProgress) => void;
  /**
   * Called between two files of the pass, when the index is whole: the caller may change it there (an
   * editor save that should not wait for the pass). Returns the files or folders it brought up to date,
   * so the pass does not take them for deleted.
   */
  between?: () => Promise<readonly string[]>;
}

export interface IndexProblem {
  file: string;
  line?: number;
  reason: string;
}

export interface IndexReport {
  /** Files and corpus files indexed or refreshed by this call. */
  files: number;
  /** Corpus records indexed by this call. */
  records: number;
  passages: number;
  unchanged: number;
  /** Indexed files under the given paths that are gone (deleted, or now excluded). */
  removed: number;
  skipped: SkipCounts;
  problems: IndexProblem[];
  ms: number;
}

export type UpdateResult = 'added' | 'updated' | 'unchanged' | 'removed' | 'skipped';

export interface IndexStats {
  files: number;
  corpusRecords: number;
  passages: number;
  terms: number;
  updatedAt: string;
  fingerprint: string;
}

export class WorkspaceIndex implements Retriever {
  readonly root: string;
  readonly settings: IndexSettings;
  /** How files are named: root-relative, or `folder/path` over several folders. */
  readonly keys: FileKeys;
  readonly tokenizer: Tokenizer;
  private readonly exclude: readonly string[];
  private readonly gitignore: boolean;
  private matcher: ExcludeMatcher;
  /** Built on first fuzzy search or suggestion; undefined until then. */
  private fuzzy: FuzzyIndex | undefined;
  private readonly passages = new Map<string, StoredPassage>();
  private readonly files = new Map<string, FileEntry>();
  private scorer: Bm25Scorer;
  private createdAt = new Date().toISOString();
  private updatedAt = new Date(0).toISOString();
  private fingerprintCache: string | undefined;
  /** XOR of every file's sha1(key, content hash): the fingerprint follows a change without a pass over all files. */
  private readonly fileDigest = new Uint32Array(5);
  /** The files table last written to a folder (see Manifest.filesBase), and the keys changed since. */
  private filesBase: { dir: string; name: string } | undefined;
  private readonly changedFiles = new Set<string>();
  /** Problems met since the index was created or opened (also returned per call in the report). */
  readonly problems: IndexProblem[] = [];
  /**
   * The index folder this index was opened from or last saved to, read on demand: queries read the
   * segments, a change writes a small segment and deletion marks (liveSegments.ts), and no passage is
   * held in memory. Undefined for an index built in memory and not saved yet (or loaded whole).
   */
  private lazy: LiveSegments | undefined;
  /** With `lazy`: each file's passage count (the in-memory index has their ids instead). */
  private readonly counts = new Map<string, number>();
  /** Set while `buildInto` writes segments as it goes. */
  private spill: Spill | undefined;

  constructor(options: IndexOptions = {}) {
    this.root = path.resolve(options.root ?? process.cwd());
    this.keys = new FileKeys(this.root, options.folders);
    this.settings = resolveSettings(options.settings);
    this.tokenizer = new Tokenizer(this.settings.tokenizer);
    this.exclude = options.exclude ?? [];
    this.gitignore = options.gitignore ?? true;
    this.matcher = new ExcludeMatcher(this.rules());
    this.scorer = new Bm25Scorer(this.settings, this.tokenizer);
  }

  /** Builds an index over files, directories and corpus JSONL files. */
  static async build(paths: readonly string[], options: IndexOptions & AddOptions = {}): Promise<WorkspaceIndex> {
    const index = new WorkspaceIndex(options);
    await index.addPaths(paths, options);
    return index;
  }

  /**
   * Builds straight into the index folder `dir`, writing a segment every `segmentPassages` passages
   * and dropping them from memory, so neither the corpus nor its text is ever held whole; then opens
   * it. The manifest is written last: until then `dir` keeps the index it had.
   */
  static async buildInto(
    dir: string,
    paths: readonly string[],
    options: IndexOptions & AddOptions & { segmentPassages?: number } = {},
  ): Promise<{ index: WorkspaceIndex; report: IndexReport }> {
    const abs = path.resolve(dir);
    const index = new WorkspaceIndex(options);
    const spill: Spill = { dir: abs, every: options.segmentPassages ?? SEGMENT_PASSAGES, segments: [], terms: new Set(), ids: new Set(), total: 0 };
    index.spill = spill;
    const report = await index.addPaths(paths, options);
    if (index.passages.size > 0 || spill.segments.length === 0) await index.spillSegment();
    await saveIndex(abs, { ...index.manifestInput(abs), keep: spill.segments, add: [] });
    const opened = await WorkspaceIndex.open(abs, { ...options, settings: undefined, root: index.root });
    return { index: opened, report };
  }

  /** Writes the passages in memory as a segment of the folder being built, and lets them go. */
  private async spillSegment(): Promise<void> {
    const spill = this.spill!;
    const snap = this.scorer.exportPostings();
    const name = newSegmentName();
    await fs.mkdir(spill.dir, { recursive: true });
    await writeSegment(spill.dir, name, snap);
    spill.segments.push({ name, passages: snap.passages.length, deleted: [] });
    for (const t of snap.terms) spill.terms.add(t);
    for (const p of snap.passages) spill.ids.add(p.id);
    spill.total += snap.passages.length;
    this.passages.clear();
    this.scorer = new Bm25Scorer(this.settings, this.tokenizer);
  }

  private async maybeSpill(): Promise<void> {
    if (this.spill !== undefined && this.passages.size >= this.spill.every) await this.spillSegment();
    // Read on demand: a long pass (many files changed while closed) writes its changes as it goes too.
    if (this.lazy && this.lazy.pending() >= SEGMENT_PASSAGES) await this.lazy.flush();
  }

  /**
   * Opens a saved index. Throws StaleIndexError when it was built by another format version or, when
   * `options.settings` is given (over the defaults), with other settings: the caller rebuilds then
   * (see `openOrRebuild`). Without `options.settings` the saved settings are used as they are.
   */
  static async open(dir: string, options: IndexOptions = {}): Promise<WorkspaceIndex> {
    const manifest = await readManifest(dir);
    if (manifest.version !== INDEX_FORMAT_VERSION) {
      throw new StaleIndexError(`${dir}: index format ${manifest.version}, this Hopscope reads ${INDEX_FORMAT_VERSION}`);
    }
    if (options.settings && !sameSettings(resolveSettings(options.settings), manifest.settings)) {
      throw new StaleIndexError(`${dir}: the index was built with other settings`);
    }
    const savedFolders = manifest.folders ?? [];
    if (options.folders && canonical(new FileKeys(options.root ?? manifest.root, options.folders).folders) !== canonical(savedFolders)) {
      throw new StaleIndexError(`${dir}: the workspace folders changed`);
    }
    const index = new WorkspaceIndex({
      ...options,
      root: options.root ?? manifest.root,
      folders: options.folders ?? savedFolders,
      settings: manifest.settings,
    });
    const files = await readFiles(dir, manifest);
    for (const [key, f] of Object.entries(files)) index.putFile(key, { kind: f.kind, mtimeMs: f.mtimeMs, size: f.size, hash: f.hash, ids: [] });
    index.changedFiles.clear();
    if (manifest.filesBase) {
      index.filesBase = { dir: path.resolve(dir), name: manifest.filesBase };
      for (const key of [...Object.keys(manifest.files), ...(manifest.removedFiles ?? [])]) index.changedFiles.add(key);
    }
    index.createdAt = manifest.createdAt;
    index.updatedAt = manifest.updatedAt;
    if (manifest.segments && manifest.counts.terms !== undefined) {
      for (const [key, f] of Object.entries(files)) index.counts.set(key, f.passages);
      index.lazy = index.openSegments(dir, manifest.segments, manifest.counts.terms);
    } else {
      // Saved before segments (or without a term count): loaded whole; the next save writes segments.
      index.adopt((await loadIndex(dir, manifest)).postings);
    }
    return index;
  }

  private openSegments(dir: string, entries: readonly SegmentEntry[], terms: number): LiveSegments {
    try {
      return LiveSegments.open(path.resolve(dir), entries, terms, { settings: this.settings, tokenizer: this.tokenizer, fieldsOf });
    } catch (err) {
      throw new RetrieverError(`${dir}: the index data is unreadable (${(err as Error).message})`, 'rebuild the index with `hopscope index`');
    }
  }

  /**
   * The saved index at `dir` if it is current (format and settings), else a new empty one to build:
   * `rebuilt` says which, and why.
   */
  static async openOrRebuild(dir: string, options: IndexOptions = {}): Promise<{ index: WorkspaceIndex; rebuilt?: string }> {
    try {
      return { index: await WorkspaceIndex.open(dir, { ...options, settings: options.settings ?? {} }) };
    } catch (e) {
      if (e instanceof StaleIndexError) return { index: new WorkspaceIndex(options), rebuilt: e.message };
      if (e instanceof RetrieverError && !(await hasManifest(dir))) return { index: new WorkspaceIndex(options), rebuilt: 'no index yet' };
      if (e instanceof RetrieverError) return { index: new WorkspaceIndex(options), rebuilt: e.message };
      throw e;
    }
  }

  /** Takes loaded postings as the index's content. */
  private adopt(postings: PostingsSnapshot): void {
    for (const p of postings.passages) {
      this.passages.set(p.id, p);
      this.files.get(p.file)?.ids.push(p.id);
    }
    this.scorer = Bm25Scorer.fromPostings(this.settings, this.tokenizer, postings, postings.passages);
  }

  /** Loads an index read on demand whole (for the calls that need every passage in memory). */
  private materialize(): void {
    const lazy = this.lazy;
    if (!lazy) return;
    const { postings, added } = lazy.loadAll();
    lazy.close();
    this.lazy = undefined;
    this.counts.clear();
    this.adopt(postings);
    for (const p of added) {
      this.addPassage(p);
      this.files.get(p.file)?.ids.push(p.id);
    }
  }

  /** Reads the folder just written whole on demand from now on, and lets the passages in memory go. */
  private attach(dir: string, entries: readonly SegmentEntry[], terms: number): void {
    this.lazy = this.openSegments(dir, entries, terms);
    for (const [key, f] of this.files) {
      this.counts.set(key, f.ids.length);
      f.ids = [];
    }
    this.passages.clear();
    this.scorer = new Bm25Scorer(this.settings, this.tokenizer);
    this.fuzzy = undefined;
  }

  private passageCount(): number {
    return this.lazy ? this.lazy.size() : this.passages.size + (this.spill?.total ?? 0);
  }

  private passagesOf(key: string, f: FileEntry): number {
    return this.lazy ? (this.counts.get(key) ?? 0) : f.ids.length;
  }

  get info(): { kind: string; index?: string } {
    return { kind: 'bm25-workspace', index: this.fingerprint() };
  }

  stats(): IndexStats {
    let corpusRecords = 0;
    for (const [key, f] of this.files) if (f.kind === 'corpus') corpusRecords += this.passagesOf(key, f);
    return {
      files: this.files.size,
      corpusRecords,
      passages: this.passageCount(),
      terms: this.termCount(),
      updatedAt: this.updatedAt,
      fingerprint: this.fingerprint(),
    };
  }

  private termCount(): number {
    return this.lazy ? this.lazy.termCount() : (this.spill?.terms.size ?? this.scorer.termCount());
  }

  /** The indexed files and their passage counts, without loading anything. */
  fileList(): Array<{ key: string; kind: FileEntry['kind']; passages: number }> {
    return [...this.files].map(([key, f]) => ({ key, kind: f.kind, passages: this.passagesOf(key, f) }));
  }

  /** Root-relative keys of the indexed files, with their passage ids (loads an index read on demand whole). */
  fileEntries(): ReadonlyMap<string, FileEntry> {
    this.materialize();
    return this.files;
  }

  passage(id: string): StoredPassage | undefined {
    this.materialize();
    return this.passages.get(id);
  }

  async search(query: string, options: SearchOptions): Promise<RetrievedDoc[]> {
    if (options.signal?.aborted) throw new CancelledError();
    return this.searchSync(query, options.topK);
  }

  searchSync(query: string, topK: number): RetrievedDoc[] {
    const hits = this.lazy ? this.lazy.search(query, topK) : this.scorer.search(query, topK);
    return hits.map((h, i) => toRetrieved(h.doc, h.score, i));
  }

  /** Indexes (or refreshes) everything under `paths`; unchanged files are kept as they are. */
  async addPaths(paths: readonly string[], options: AddOptions = {}): Promise<IndexReport> {
    try {
      return await this.addPathsPending(paths, options);
    } finally {
      await this.lazy?.flush();
    }
  }

  private async addPathsPending(paths: readonly string[], options: AddOptions): Promise<IndexReport> {
    const started = Date.now();
    const report: IndexReport = { files: 0, records: 0, passages: 0, unchanged: 0, removed: 0, skipped: emptySkips(), problems: [], ms: 0 };
    const onSkip = (reason: keyof SkipCounts) => report.skipped[reason]++;
    let files = 0;
    const seen = new Set<string>();
    const updated: string[] = [];
    for await (const abs of walkFiles(paths, this.rules(), this.matcher, onSkip, options.signal)) {
      if (options.signal?.aborted) break;
      if (options.between) for (const u of await options.between()) updated.push(this.keys.key(this.keys.abs(u)));
      const key = this.keys.key(abs);
      const r = await this.ingest(abs, report);
      await this.maybeSpill();
      if (r === 'skipped' && this.files.has(key)) this.dropFile(key);
      else seen.add(key);
      files++;
      if (r === 'unchanged') report.unchanged++;
      options.onProgress?.({ files, passages: this.passageCount(), current: key });
    }
    if (options.signal?.aborted) throw new CancelledError();
    // Files indexed before under these paths that the walk no longer yields were deleted or are now excluded.
    const roots = paths.map((p) => path.resolve(this.root, p));
    for (const key of [...this.files.keys()]) {
      if (seen.has(key) || updated.some((u) => key === u || key.startsWith(`${u}/`))) continue;
      const abs = this.keys.abs(key);
      if (roots.some((r) => abs === r || abs.startsWith(r.endsWith(path.sep) ? r : r + path.sep))) {
        this.dropFile(key);
        report.removed++;
      }
    }
    report.ms = Date.now() - started;
    return report;
  }

  /** Brings one file up to date: (re)indexes it, or drops it when it is gone, excluded, binary or too large. */
  async update(file: string): Promise<UpdateResult> {
    return (await this.updateFiles([file]))[0];
  }

  /** Brings files up to date (see `update`); an index read on demand writes their changes as one segment. */
  async updateFiles(files: readonly string[]): Promise<UpdateResult[]> {
    try {
      const out: UpdateResult[] = [];
      for (const f of files) out.push(await this.updateOne(f));
      return out;
    } finally {
      await this.lazy?.flush();
    }
  }

  private async updateOne(file: string): Promise<UpdateResult> {
    const abs = this.keys.abs(file);
    const key = this.keys.key(abs);
    const report: IndexReport = { files: 0, records: 0, passages: 0, unchanged: 0, removed: 0, skipped: emptySkips(), problems: [], ms: 0 };
    const stat = await fs.stat(abs).catch(() => undefined);
    // File watchers may report only a folder when a folder and its files appear or vanish together
    // (a checkout, an unzip, a recursive delete): a folder event stands for everything below it.
    if (stat?.isDirectory()) {
      const r = await this.addPathsPending([abs], {});
      return r.files > 0 ? 'added' : 'unchanged';
    }
    const had = this.files.has(key);
    if (path.basename(abs) === '.gitignore') await this.rescanFor(abs);
    if (!stat?.isFile()) {
      const below = [...this.files.keys()].filter((k) => k.startsWith(`${key}/`));
      const removed = [this.dropFile(key), ...below.map((k) => this.dropFile(k))];
      return removed.some(Boolean) ? 'removed' : 'unchanged';
    }
    if (await this.matcher.excludedPath(abs)) {
      this.dropFile(key);
      return 'skipped';
    }
    // A save can keep size and mtime (coarse clocks, fast edits): an explicit update always checks the hash.
    const r = await this.ingest(abs, report, true);
    if (r === 'skipped' && had) this.dropFile(key);
    if (r === 'skipped') return 'skipped';
    if (!had) return this.files.has(key) ? 'added' : 'unchanged';
    return r === 'indexed' ? 'updated' : 'unchanged';
  }

  /** A `.gitignore` changed: its folder's files may have become excluded or included. */
  private async rescanFor(gitignore: string): Promise<void> {
    this.matcher = new ExcludeMatcher(this.rules());
    const dir = path.dirname(gitignore);
    if (this.keys.locate(dir)) await this.addPathsPending([dir], {});
  }

  /** Drops a file's passages. Returns whether it was indexed. */
  async remove(file: string): Promise<boolean> {
    const key = this.files.has(file) ? file : this.keys.key(this.keys.abs(file));
    try {
      return this.dropFile(key);
    } finally {
      await this.lazy?.flush();
    }
  }

  /** Drops a file's passages (pending until the next flush when read on demand). Returns whether it was indexed. */
  private dropFile(key: string): boolean {
    const entry = this.files.get(key);
    if (!entry) return false;
    if (this.lazy) {
      if (entry.kind === 'corpus') this.lazy.removeCorpus(key);
      else this.lazy.removeFile(key, this.counts.get(key) ?? 0);
      this.counts.delete(key);
      this.deleteFile(key);
      this.touch();
      return true;
    }
    const gone: StoredPassage[] = [];
    for (const id of entry.ids) {
      const p = this.passages.get(id);
      if (!p) continue;
      gone.push(p);
      this.passages.delete(id);
    }
    this.fuzzy?.removeAll(gone);
    this.scorer.removeMany(gone, fieldsOf);
    this.deleteFile(key);
    this.touch();
    return true;
  }

  /**
   * Writes the index to `dir` (manifest last, so a half-written index is never read as whole). Into the
   * folder it was opened from or last saved to, only what changed since is written: the new passages as
   * a segment, the removed ones as deletion marks. Elsewhere, or with `merge`, it is written whole as one
   * segment (the same index as a rebuild). From then on the index is read from `dir` on demand.
   */
  async save(dir: string, options: { merge?: boolean } & SaveHooks = {}): Promise<void> {
    const abs = path.resolve(dir);
    if (this.lazy?.dir === abs && !options.merge) {
      const lazy = this.lazy;
      await this.writingManifest(abs, (input) => lazy.commit(input, options));
      return;
    }
    this.materialize();
    const name = newSegmentName();
    const terms = this.scorer.termCount();
    const postings = this.scorer.exportPostings();
    const segments = await this.writingManifest(abs, (input) => saveIndex(abs, { ...input(), keep: [], add: [{ name, postings }] }, options));
    this.attach(abs, segments, terms);
  }

  /** Runs a save that writes the manifest `input()` gives, then notes the files table it wrote, if any. */
  private async writingManifest<T>(dir: string, save: (input: () => ManifestInput) => Promise<T>): Promise<T> {
    let written: ManifestInput | undefined;
    const result = await save(() => (written = this.manifestInput(dir)));
    if (written?.filesBase) {
      this.filesBase = { dir, name: written.filesBase.name };
      this.changedFiles.clear();
    }
    return result;
  }

  /** Whether segments are due for a merge (see mergePolicy.ts); `mergeSegments` does it. */
  wantsMerge(): boolean {
    return this.lazy?.wantsMerge() ?? false;
  }

  /**
   * Merges the segments the policy picks (in the folder the index is read from) and writes the manifest.
   * Meant for the background: the extension's worker after a save, the CLI after its pass.
   */
  async mergeSegments(hooks: SaveHooks = {}): Promise<boolean> {
    const lazy = this.lazy;
    return lazy ? this.writingManifest(lazy.dir, (input) => lazy.merge(input, hooks)) : false;
  }

  /** Closes the segment files of an index read on demand; it answers nothing after. */
  close(): void {
    this.lazy?.close();
  }

  /**
   * The manifest for a save into `dir`: with the files changed since the files table last written there,
   * or, when there is none or the changes have grown, with a new table (written by the save).
   */
  private manifestInput(dir: string): ManifestInput {
    const entry = (k: string, f: FileEntry): SavedFileEntry => ({ kind: f.kind, mtimeMs: f.mtimeMs, size: f.size, hash: f.hash, passages: this.passagesOf(k, f) });
    const head = {
      format: 'hopscope.index' as const,
      version: INDEX_FORMAT_VERSION,
      root: this.root,
      ...(this.keys.multi ? { folders: [...this.keys.folders] } : {}),
      settings: this.settings,
      createdAt: this.createdAt,
      updatedAt: this.updatedAt,
      fingerprint: this.fingerprint(),
      counts: { files: this.files.size, passages: this.passageCount(), terms: this.termCount() },
    };
    const base = this.filesBase?.dir === dir ? this.filesBase.name : undefined;
    if (base === undefined || this.changedFiles.size > Math.max(FILES_CHANGED_MAX, this.files.size / 10)) {
      const name = newFilesTableName();
      const files = Object.fromEntries([...this.files].map(([k, f]) => [k, entry(k, f)]));
      return { manifest: { ...head, files: {}, filesBase: name }, filesBase: { name, files } };
    }
    const files: Record<string, SavedFileEntry> = {};
    const removedFiles: string[] = [];
    for (const k of [...this.changedFiles].sort()) {
      const f = this.files.get(k);
      if (f) files[k] = entry(k, f);
      else removedFiles.push(k);
    }
    return { manifest: { ...head, files, filesBase: base, ...(removedFiles.length > 0 ? { removedFiles } : {}) } };
  }

  /** Sets a file's entry, keeping the fingerprint digest and the changed-files list current. */
  private putFile(key: string, entry: FileEntry): void {
    const old = this.files.get(key);
    if (old) this.mixFile(key, old.hash);
    this.mixFile(key, entry.hash);
    this.files.set(key, entry);
    this.changedFiles.add(key);
  }

  private deleteFile(key: string): void {
    const old = this.files.get(key);
    if (!old) return;
    this.mixFile(key, old.hash);
    this.files.delete(key);
    this.changedFiles.add(key);
  }

  private mixFile(key: string, hash: string): void {
    const d = createHash('sha1').update(`${key}\t${hash}\n`).digest();
    for (let i = 0; i < 5; i++) this.fileDigest[i] ^= d.readUInt32LE(4 * i);
  }

  /**
   * A short hash of the settings and every file's content hash: what the trace records as `retriever.index`.
   * The files enter as the XOR of one digest per (key, hash) pair, so the same files give the same
   * fingerprint in any order, and a change costs one digest, not a sort and hash of every file.
   */
  fingerprint(): string {
    if (this.fingerprintCache) return this.fingerprintCache;
    const files = Buffer.from(this.fileDigest.buffer).toString('hex');
    this.fingerprintCache = createHash('sha1').update(`${INDEX_FORMAT_VERSION}\n${canonical(this.settings)}\n${this.files.size}\n${files}\n`).digest('hex').slice(0, 12);
    return this.fingerprintCache;
  }

  private rules(): SourceRules {
    return { root: this.root, keys: this.keys, exclude: this.exclude, gitignore: this.gitignore, maxFileBytes: this.settings.maxFileBytes };
  }

  private touch(): void {
    this.fingerprintCache = undefined;
    this.updatedAt = new Date().toISOString();
  }

  private async ingest(abs: string, report: IndexReport, verify = false): Promise<'indexed' | 'unchanged' | 'skipped'> {
    const key = this.keys.key(abs);
    let st;
    try {
      st = await fs.stat(abs);
    } catch {
      return 'skipped';
    }
    const prev = this.files.get(key);
    if (!verify && prev && prev.mtimeMs === st.mtimeMs && prev.size === st.size) return 'unchanged';
    if (/\.jsonl(\.gz)?$/i.test(abs) && looksLikeCorpus(abs, await readHead(abs))) return this.ingestCorpus(abs, key, st, report);
    if (isBinaryName(abs)) {
      report.skipped.binary++;
      return 'skipped';
    }
    if (st.size > this.settings.maxFileBytes) {
      report.skipped.oversize++;
      return 'skipped';
    }
    const buf = await fs.readFile(abs);
    if (looksBinary(buf)) {
      report.skipped.binary++;
      return 'skipped';
    }
    const hash = createHash('sha1').update(buf).digest('hex');
    if (prev && prev.hash === hash) {
      prev.mtimeMs = st.mtimeMs;
      prev.size = st.size;
      this.changedFiles.add(key);
      return 'unchanged';
    }
    if (prev) this.dropFile(key);
    const ids: string[] = [];
    const cut = cutPassages(key, buf.toString('utf8'), this.settings.passages);
    cut.forEach((c, i) => {
      const p: StoredPassage = { id: `${key}#${i}`, file: key, title: c.title, text: c.text, path: key, startLine: c.startLine, endLine: c.endLine };
      this.addPassage(p);
      ids.push(p.id);
    });
    this.setFile(key, { kind: 'file', mtimeMs: st.mtimeMs, size: st.size, hash, ids });
    report.files++;
    report.passages += ids.length;
    this.touch();
    return 'indexed';
  }

  private async ingestCorpus(abs: string, key: string, st: { mtimeMs: number; size: number }, report: IndexReport): Promise<'indexed' | 'skipped'> {
    if (this.files.has(key)) this.dropFile(key);
    // Read on demand, the ids already taken are gathered once for this file (it checks every record's).
    const taken = this.lazy?.liveIds();
    const ids: string[] = [];
    const hash = createHash('sha1');
    const onProblem = (p: CorpusProblem) => {
      const problem = { file: key, line: p.line, reason: p.reason };
      report.problems.push(problem);
      this.problems.push(problem);
    };
    for await (const batch of readCorpus(abs, onProblem, hash)) {
      for (const r of batch) {
        await this.maybeSpill();
        if (taken ? taken.has(r.id) : this.passages.has(r.id) || this.spill?.ids.has(r.id)) {
          onProblem({ line: r.line, reason: `id "${r.id}" is already indexed from another file` });
          continue;
        }
        const p: StoredPassage = { id: r.id, file: key, title: r.title, text: r.text };
        this.addPassage(p);
        taken?.add(r.id);
        ids.push(r.id);
      }
    }
    if (ids.length === 0) {
      const problem = { file: key, reason: 'no valid record in this corpus file (each line must be {"id", "contents"} or {"id", "title", "text"})' };
      report.problems.push(problem);
      this.problems.push(problem);
      return 'skipped';
    }
    this.setFile(key, { kind: 'corpus', mtimeMs: st.mtimeMs, size: st.size, hash: hash.digest('hex'), ids });
    report.files++;
    report.records += ids.length;
    report.passages += ids.length;
    this.touch();
    return 'indexed';
  }

  private addPassage(p: StoredPassage): void {
    if (this.lazy) return this.lazy.add(p);
    this.passages.set(p.id, p);
    this.scorer.add(p, fieldsOf(p));
    this.fuzzy?.add(p);
  }

  private setFile(key: string, entry: FileEntry): void {
    if (this.lazy) {
      this.counts.set(key, entry.ids.length);
      entry.ids = [];
    }
    this.putFile(key, entry);
  }

  /** Prefix- and typo-tolerant search (minisearch), for interactive use; `search` is the BM25 ranking. */
  searchFuzzy(query: string, topK: number): RetrievedDoc[] {
    return this.fuzzyIndex().search(query, topK).map((h, i) => toRetrieved(h.doc, h.score, i));
  }

  /** Query completions from the indexed vocabulary. */
  suggest(prefix: string, max = 8): string[] {
    return this.fuzzyIndex().suggest(prefix, max);
  }

  private fuzzyIndex(): FuzzyIndex {
    this.materialize();
    if (!this.fuzzy) this.fuzzy = new FuzzyIndex(this.passages.values());
    return this.fuzzy;
  }
}

/** More changed files than this (and than a tenth of all) since the files table was written, and a save writes a new one. */
const FILES_CHANGED_MAX = 2000;

/** Passages per segment of a build written as it goes: its peak memory (about 0.5 GB at 50k, 0.85 GB at 100k). */
const SEGMENT_PASSAGES = 50_000;

interface Spill {
  dir: string;
  every: number;
  /** Segments written so far. */
  segments: SegmentEntry[];
  /** Every term and passage id written so far: the manifest's term count, and duplicate ids. */
  terms: Set<string>;
  ids: Set<string>;
  total: number;
}

export function fieldsOf(p: StoredPassage): ScoredFields {
  return { title: p.title, text: p.text, path: p.path ?? '' };
}

function toRetrieved(p: StoredPassage, score: number, i: number): RetrievedDoc {
  const d: RetrievedDoc = { id: p.id, rank: i + 1, score: round(score), title: p.title, text: p.text };
  if (p.path !== undefined) {
    d.path = p.path;
    d.startLine = p.startLine;
    d.endLine = p.endLine;
  }
  return d;
}

/** The saved index is of another format version or was built with other settings: rebuild it. */
export class StaleIndexError extends RetrieverError {
  constructor(message: string) {
    super(message, 'rebuild it with `hopscope index`');
  }
}

async function hasManifest(dir: string): Promise<boolean> {
  try {
    await fs.access(path.join(dir, 'manifest.json'));
    return true;
  } catch {
    return false;
  }
}

async function readHead(file: string): Promise<Buffer> {
  const fh = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(65536);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
