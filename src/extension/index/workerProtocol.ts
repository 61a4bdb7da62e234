/**
 * Messages between the extension host and the indexing worker thread. The index lives in the worker;
 * the host only sends requests and shows what comes back, so indexing never blocks the editor.
 */
import type { NamedFolder } from '../../core/retrieval/fileKeys';
import type { SettingsOverrides } from '../../core/retrieval/settings';
import type { IndexProblem } from '../../core/retrieval/workspaceIndex';
import type { SkipCounts } from '../../core/retrieval/sources';
import type { RetrievedDoc } from '../../core/trace';

export interface OpenRequest {
  type: 'open';
  id: number;
  /** Where the index is saved (the extension's workspace storage). */
  dir: string;
  root: string;
  /** Folders to index (the workspace folders). */
  paths: string[];
  /** The workspace folders by name: with several, passage paths are `name/relative path`. */
  folders?: NamedFolder[];
  exclude: string[];
  /** Over the defaults; an index saved with other settings is rebuilt. */
  settings: SettingsOverrides;
  /** Start from scratch instead of updating the saved index. */
  rebuild: boolean;
}

export type WorkerRequest =
  | OpenRequest
  | { type: 'update'; id: number; files: string[] }
  | { type: 'search'; id: number; query: string; topK: number }
  | { type: 'files'; id: number }
  /** Saves a waiting change now (instead of after the save delay). */
  | { type: 'flush'; id: number }
  | { type: 'cancel' }
  | { type: 'dispose'; id: number };

export type IndexState = 'starting' | 'indexing' | 'ready' | 'error';

export interface IndexStatus {
  state: IndexState;
  /** An index is loaded and answers searches (possibly while a pass is still catching up). */
  searchable: boolean;
  files: number;
  passages: number;
  terms: number;
  fingerprint: string;
  /** ISO time of the last change to the index. */
  updatedAt: string;
  /** The last full pass: what it skipped and the corpus lines it could not read. */
  skipped: SkipCounts;
  problems: IndexProblem[];
  /** Duration of the last full pass, in ms. */
  lastPassMs?: number;
  /** Why the index is unusable (state `error`) or why it was rebuilt. */
  message?: string;
  progress?: { files: number; passages: number; current: string };
}

export interface IndexedFile {
  key: string;
  passages: number;
  kind: 'file' | 'corpus';
}

export interface ResultValue {
  open: IndexStatus;
  update: IndexStatus;
  search: RetrievedDoc[];
  files: IndexedFile[];
  flush: null;
  dispose: null;
}

export type WorkerMessage =
  | { type: 'status'; status: IndexStatus }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: string; cancelled: boolean };
