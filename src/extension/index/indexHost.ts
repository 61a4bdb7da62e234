/**
 * The index as the worker thread runs it: answers WorkerRequests, reports status and progress, saves
 * after changes. Kept apart from the worker entry (indexWorker.ts) so tests can drive it directly.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CancelledError, errorMessage } from '../../core/errors';
import type { SaveHooks } from '../../core/retrieval/indexStore';
import { emptySkips } from '../../core/retrieval/sources';
import { WorkspaceIndex, type IndexReport } from '../../core/retrieval/workspaceIndex';
import type { IndexedFile, IndexStatus, OpenRequest, WorkerMessage, WorkerRequest } from './workerProtocol';

/** Updates arriving close together are saved once. */
const SAVE_DELAY_MS = 2000;
/** A merge the policy asks for waits this long after the save, so a burst of edits is merged once. */
const MERGE_DELAY_MS = 5000;
/**
 * A pass's garbage is collected at its end only when the heap in use is at least this large: below it
 * (a refresh pass: ~30 MB) V8's own collection costs a save a few ms, while collecting at once would put
 * its concurrent sweep on the save that follows.
 */
const COLLECT_ABOVE_BYTES = 128 << 20;

export interface IndexHostOptions {
  /** Test seam: passed to every save of the index (e.g. to crash before the manifest switches). */
  saveHooks?: SaveHooks;
  /** Default MERGE_DELAY_MS. */
  mergeDelayMs?: number;
  /** Test seam: passages per segment of a build (default: the core's). */
  segmentPassages?: number;
  /** Test seam: run when a pass or a merge ends (default: V8's full collection when the heap is large, see `fullCollection`). */
  collect?: () => void;
}

let v8Collect: (() => void) | null | undefined;

/**
 * V8's full garbage collection, or undefined where it cannot be had. WHY it is run at all: a build, a
 * refresh or a merge leaves its garbage in the old generation (after a 107k-passage build: 480 MB of heap,
 * 20 MB of it live), and V8 collects it at its next major GC, which then lands on the first or second
 * editor save after the pass: marking, sweeping and handing back ~400 MB of pages made that save take
 * 180-700 ms instead of 15 ms on a loaded 2-core machine. Collected when the pass ends, nobody waits.
 * `--expose-gc` is switched on only to take the function from a fresh context and off again at once,
 * so no other context of the process sees a `gc` global because of this.
 */
export function fullCollection(): (() => void) | undefined {
  if (v8Collect !== undefined) return v8Collect ?? undefined;
  const exposed = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === 'function') return (v8Collect = () => (exposed as () => void)());
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    v8Collect = typeof gc === 'function' ? () => (gc as () => void)() : null;
  } catch {
    v8Collect = null;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
  return v8Collect ?? undefined;
}

export class IndexHost {
  private index: WorkspaceIndex | undefined;
  private dir: string | undefined;
  private status: IndexStatus = {
    state: 'starting',
    files: 0,
    passages: 0,
    terms: 0,
    fingerprint: '',
    updatedAt: '',
    skipped: emptySkips(),
    problems: [],
    searchable: false,
  };
  private abort: AbortController | undefined;
  private saveTimer: NodeJS.Timeout | undefined;
  private mergeTimer: NodeJS.Timeout | undefined;
  /** Requests run one at a time, in order: an update never races the build it follows. */
  private queue: Promise<void> = Promise.resolve();
  /**
   * While the refresh pass of a saved index runs (seconds: a stat of every file), editor saves (`update`,
   * `flush`) do not queue behind it: they wait here and run between two files of the pass, in order, as
   * long as no other request was queued since the pass began (none of them overtakes one sent before it).
   */
  private refreshing = false;
  private queuedSinceRefresh = false;
  private urgent: Array<Extract<WorkerRequest, { type: 'update' | 'flush' }>> = [];

  constructor(
    private readonly post: (m: WorkerMessage) => void,
    private readonly options: IndexHostOptions = {},
  ) {}

  handle(req: WorkerRequest): void {
    if (req.type === 'cancel') {
      this.abort?.abort();
      return;
    }
    // Searches do not wait behind a long pass when an index is already there (the saved one while it is
    // refreshed): between two awaits of a pass the index is whole, so a search sees a consistent state.
    if (req.type === 'search' && this.index) {
      this.reply(req.id, () => this.index!.searchSync(req.query, req.topK));
      return;
    }
    if (this.refreshing && !this.queuedSinceRefresh && (req.type === 'update' || req.type === 'flush')) {
      this.urgent.push(req);
      return;
    }
    if (this.refreshing) this.queuedSinceRefresh = true;
    this.queue = this.queue.then(() => this.run(req)).catch((e) => this.setStatus({ message: errorMessage(e) }));
  }

  /** Runs the saves that came during the refresh pass; returns the files they brought up to date. */
  private async runUrgent(): Promise<string[]> {
    const files: string[] = [];
    while (this.urgent.length > 0) {
      const req = this.urgent.shift()!;
      if (req.type === 'update') files.push(...req.files);
      await this.run(req).catch((e) => this.setStatus({ message: errorMessage(e) }));
    }
    return files;
  }

  private async run(req: Exclude<WorkerRequest, { type: 'cancel' }>): Promise<void> {
    switch (req.type) {
      case 'open':
        // The pass's garbage is collected after its answer is posted and before the next request runs.
        await this.replyAsync(req.id, () => this.open(req));
        return this.collect();
      case 'update':
        return this.replyAsync(req.id, () => this.update(req.files));
      case 'search':
        return this.reply(req.id, () => {
          if (!this.index) throw new Error(this.status.message ?? 'the workspace index is not built yet');
          return this.index.searchSync(req.query, req.topK);
        });
      case 'files':
        return this.reply(req.id, () => this.files());
      case 'flush':
        return this.replyAsync(req.id, async () => {
          await this.flushSave();
          return null;
        });
      case 'dispose':
        return this.replyAsync(req.id, async () => {
          await this.flushSave();
          if (this.mergeTimer) clearTimeout(this.mergeTimer);
          this.mergeTimer = undefined;
          this.index?.close();
          this.index = undefined;
          return null;
        });
      default: {
        const never: never = req;
        throw new Error(`unknown request ${JSON.stringify(never)}`);
      }
    }
  }

  private async open(req: OpenRequest): Promise<IndexStatus> {
    // Changes waiting to be saved go to the folder they belong to before it is reopened.
    await this.flushSave();
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.dir = req.dir;
    const options = { root: req.root, folders: req.folders ?? [], exclude: req.exclude, settings: req.settings };
    this.setStatus({ state: 'indexing', message: undefined, progress: { files: 0, passages: 0, current: '' } });
    let lastProgress = 0;
    const pass = {
      signal: abort.signal,
      onProgress: (p: { files: number; passages: number; current: string }) => {
        const now = Date.now();
        if (now - lastProgress < 100) return;
        lastProgress = now;
        this.setStatus({ progress: p, passages: p.passages });
      },
    };
    try {
      let rebuilt: string | undefined = req.rebuild ? 'rebuilt on request' : undefined;
      let report: IndexReport | undefined;
      if (!rebuilt) {
        const opened = await WorkspaceIndex.openOrRebuild(req.dir, options);
        rebuilt = opened.rebuilt;
        if (!rebuilt) {
          // A saved index answers at once (read on demand) while the refresh catches up with changes made
          // while closed: only changed files are read, and their changes are written as small segments.
          this.adopt(opened.index);
          this.setStatus({ searchable: true, ...this.counts() });
          this.refreshing = true;
          this.queuedSinceRefresh = false;
          try {
            report = await opened.index.addPaths(req.paths, { ...pass, between: () => this.runUrgent() });
          } finally {
            // Saves that came after the pass's last file run now, before anything queued after the open.
            this.refreshing = false;
            await this.runUrgent();
          }
          await this.save();
        }
      }
      if (!report) {
        // A new index streams into segments as it is built (no corpus held whole); the previous one answers
        // searches until the new manifest is in place.
        const built = await WorkspaceIndex.buildInto(req.dir, req.paths, { ...options, ...pass, segmentPassages: this.options.segmentPassages });
        this.adopt(built.index);
        report = built.report;
      }
      this.scheduleMerge();
      this.setStatus({
        state: 'ready',
        searchable: true,
        skipped: report.skipped,
        problems: report.problems,
        lastPassMs: report.ms,
        progress: undefined,
        message: rebuilt && rebuilt !== 'no index yet' ? rebuilt : undefined,
        ...this.counts(),
      });
      return this.status;
    } catch (e) {
      const cancelled = e instanceof CancelledError;
      this.setStatus({
        state: this.index && cancelled ? 'ready' : 'error',
        progress: undefined,
        message: cancelled ? 'indexing cancelled' : errorMessage(e),
        ...(this.index ? this.counts() : {}),
      });
      throw e;
    } finally {
      if (this.abort === abort) this.abort = undefined;
    }
  }

  /** Takes `index` as the one searched, closing the one it replaces. */
  private adopt(index: WorkspaceIndex): void {
    if (this.index !== index) this.index?.close();
    this.index = index;
  }

  private async update(files: string[]): Promise<IndexStatus> {
    if (!this.index) return this.status;
    // One batch of files, one small segment (written now, listed by the manifest at the next save).
    await this.index.updateFiles(files);
    this.setStatus(this.counts());
    this.scheduleSave();
    return this.status;
  }

  private files(): IndexedFile[] {
    if (!this.index) return [];
    return this.index.fileList().sort((a, b) => a.key.localeCompare(b.key));
  }

  private counts(): Partial<IndexStatus> {
    const s = this.index!.stats();
    return { files: s.files, passages: s.passages, terms: s.terms, fingerprint: s.fingerprint, updatedAt: s.updatedAt };
  }

  private scheduleSave(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.queue = this.queue.then(() => this.save().catch((e) => this.setStatus({ message: `could not save the index: ${errorMessage(e)}` })));
    }, SAVE_DELAY_MS);
  }

  /** Saves now if a save is waiting. */
  private async flushSave(): Promise<void> {
    if (!this.saveTimer) return;
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    await this.save();
  }

  private async save(): Promise<void> {
    if (!this.index || !this.dir) return;
    await this.index.save(this.dir, this.options.saveHooks);
    this.scheduleMerge();
  }

  /** Merges segments in the background when the policy asks: queued like any change, never part of a save. */
  private scheduleMerge(): void {
    if (this.mergeTimer || !this.index?.wantsMerge()) return;
    this.mergeTimer = setTimeout(() => {
      this.mergeTimer = undefined;
      this.queue = this.queue.then(async () => {
        try {
          if (await this.index?.mergeSegments(this.options.saveHooks)) {
            this.setStatus(this.counts());
            this.collect();
          }
        } catch (e) {
          this.setStatus({ message: `could not merge the index's segments: ${errorMessage(e)}` });
        }
      });
    }, this.options.mergeDelayMs ?? MERGE_DELAY_MS);
  }

  /** See `fullCollection`: run between requests, never inside one. */
  private collect(): void {
    if (this.options.collect) return this.options.collect();
    if (getHeapStatistics().used_heap_size >= COLLECT_ABOVE_BYTES) fullCollection()?.();
  }

  private setStatus(patch: Partial<IndexStatus>): void {
    this.status = { ...this.status, ...patch };
    this.post({ type: 'status', status: this.status });
  }

  private reply(id: number, fn: () => unknown): void {
    try {
      this.post({ type: 'result', id, ok: true, value: fn() });
    } catch (e) {
      this.post({ type: 'result', id, ok: false, error: errorMessage(e), cancelled: e instanceof CancelledError });
    }
  }

  private async replyAsync(id: number, fn: () => Promise<unknown>): Promise<void> {
    try {
      this.post({ type: 'result', id, ok: true, value: await fn() });
    } catch (e) {
      this.post({ type: 'result', id, ok: false, error: errorMessage(e), cancelled: e instanceof CancelledError });
    }
  }
}
