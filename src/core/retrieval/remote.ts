/**
 * A Retriever over HTTP, for the retrieval server a user already trains with: Search-R1's
 * `POST /retrieve {queries, topk, return_scores}` or R1-Searcher's `POST /queries {queries, k}`.
 * Each document keeps the server's own string in `raw` when title and text do not render back to it,
 * so the built-in templates splice exactly what upstream's loops splice.
 */
import { createHash } from 'node:crypto';
import { clientUrl, joinUrlPath, parseHttpUrl, redactText, redactUrl } from '../endpoint/url';
import { CancelledError, RetrieverError, UrlError } from '../errors';
import type { Retriever, SearchOptions } from '../ports';
import type { RetrievedDoc } from '../trace';
import { fromContents, fromR1SearcherDoc, toContents, toR1SearcherDoc } from './wireFormat';

export type RemoteKind = 'search-r1' | 'r1-searcher';
export const REMOTE_KINDS: readonly RemoteKind[] = ['search-r1', 'r1-searcher'];

export interface RemoteOptions {
  timeoutMs?: number;
  /** Injected in tests. */
  fetch?: typeof fetch;
}

export interface RemoteRetriever extends Retriever {
  /** One request for many queries, as both APIs allow; results in query order. */
  searchBatch(queries: readonly string[], options: SearchOptions): Promise<RetrievedDoc[][]>;
}

/**
 * `url` is the server's base URL or the full endpoint URL; the API path (`/retrieve`, `/queries`) is
 * added when missing.
 */
export function createRemoteRetriever(url: string, kind: RemoteKind = 'search-r1', options: RemoteOptions = {}): RemoteRetriever {
  const target = endpointUrl(url, kind);
  // Every message, log line and trace field names the server by this: no user:password, no key.
  const endpoint = redactUrl(target.url);
  const scrub = (text: string) => redactText(text, target.secrets);
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;

  async function post(body: unknown, signal?: AbortSignal): Promise<unknown> {
    if (signal?.aborted) throw new CancelledError();
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await doFetch(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(target.basicAuth ? { authorization: target.basicAuth } : {}) },
        body: JSON.stringify(body),
        signal: combined,
      });
    } catch (e) {
      if (signal?.aborted) throw new CancelledError();
      if (timeout.aborted) throw new RetrieverError(`${endpoint}: no answer within ${timeoutMs} ms`, 'is the retrieval server up and not overloaded?');
      throw new RetrieverError(`${endpoint}: cannot connect (${scrub(causeOf(e))})`, `is the ${kind} retrieval server running there?`);
    }
    const text = await res.text();
    if (!res.ok) throw new RetrieverError(`${endpoint}: HTTP ${res.status} ${scrub(text.slice(0, 200))}`, `check that this is a ${kind} server (${kind === 'search-r1' ? 'POST /retrieve' : 'POST /queries'})`);
    try {
      return JSON.parse(text);
    } catch {
      throw new RetrieverError(`${endpoint}: the answer is not JSON`, `check that this is a ${kind} server`);
    }
  }

  function malformed(what: string): RetrieverError {
    return new RetrieverError(`${endpoint}: unexpected answer (${what})`, `check that this is a ${kind} server`);
  }

  async function searchBatch(queries: readonly string[], opts: SearchOptions): Promise<RetrievedDoc[][]> {
    if (queries.length === 0) return [];
    switch (kind) {
      case 'search-r1': {
        const body = (await post({ queries, topk: opts.topK, return_scores: true }, opts.signal)) as { result?: unknown };
        if (!Array.isArray(body.result) || body.result.length !== queries.length) throw malformed('no "result" list with one entry per query');
        return body.result.map((hits) => {
          if (!Array.isArray(hits)) throw malformed('"result" entries must be lists');
          return hits.slice(0, opts.topK).map((h, i) => searchR1Doc(h, i, malformed));
        });
      }
      case 'r1-searcher': {
        const body = (await post({ queries, k: opts.topK }, opts.signal)) as { answers?: unknown };
        if (!Array.isArray(body.answers) || body.answers.length !== queries.length) throw malformed('no "answers" list with one entry per query');
        return body.answers.map((docs) => {
          if (!Array.isArray(docs)) throw malformed('"answers" entries must be lists');
          return docs.slice(0, opts.topK).map((d, i) => {
            if (typeof d !== 'string') throw malformed('documents must be strings');
            const { title, text } = fromR1SearcherDoc(d);
            // No ids or scores in this API: a content hash keeps a document recognisable across steps.
            const doc: RetrievedDoc = { id: `sha1:${createHash('sha1').update(d).digest('hex').slice(0, 12)}`, rank: i + 1, score: 0, title, text };
            // R1-Searcher's evaluation splices the string itself (templates.ts `docSplice`); kept when re-rendering would change it.
            if (toR1SearcherDoc(title, text) !== d) doc.raw = d;
            return doc;
          });
        });
      }
      default: {
        const never: never = kind;
        throw new RetrieverError(`unknown retriever kind ${String(never)}`);
      }
    }
  }

  return {
    info: { kind: `${kind}-http`, index: endpoint },
    searchBatch,
    async search(query: string, opts: SearchOptions): Promise<RetrievedDoc[]> {
      return (await searchBatch([query], opts))[0];
    },
  };
}

function searchR1Doc(h: unknown, i: number, malformed: (what: string) => RetrieverError): RetrievedDoc {
  // With return_scores the entry is {document, score}; without, the document itself.
  const entry = h as { document?: unknown; score?: unknown };
  const doc = (entry && typeof entry === 'object' && 'document' in entry ? entry.document : h) as Record<string, unknown> | null;
  if (!doc || typeof doc !== 'object') throw malformed('a hit has no document');
  const contents = typeof doc.contents === 'string' ? doc.contents : typeof doc.text === 'string' ? doc.text : undefined;
  if (contents === undefined) throw malformed('a document has no "contents"');
  const split = typeof doc.title === 'string' && typeof doc.text === 'string' ? { title: doc.title, text: doc.text } : fromContents(contents);
  const d: RetrievedDoc = {
    id: doc.id !== undefined ? String(doc.id) : String(i + 1),
    rank: i + 1,
    score: typeof entry.score === 'number' ? entry.score : 0,
    title: split.title,
    text: split.text,
  };
  // Search-R1 splices `contents` itself (first line as the title, quotes kept); kept when re-rendering would change it.
  if (typeof doc.contents === 'string' && toContents(d.title, d.text) !== doc.contents) d.raw = doc.contents;
  if (typeof doc.path === 'string') {
    d.path = doc.path;
    if (typeof doc.startLine === 'number') d.startLine = doc.startLine;
    if (typeof doc.endLine === 'number') d.endLine = doc.endLine;
  }
  return d;
}

/**
 * The URL to POST to (the API path added when missing, the query kept, user:password moved to a Basic
 * header because fetch refuses URLs that carry them) and the secrets to keep out of messages.
 */
function endpointUrl(url: string, kind: RemoteKind): { url: string; basicAuth?: string; secrets: string[] } {
  let u: URL;
  try {
    u = parseHttpUrl(url, 'the retrieval server URL');
  } catch (e) {
    if (e instanceof UrlError) throw new RetrieverError(e.message, e.hint);
    throw e;
  }
  const api = kind === 'search-r1' ? '/retrieve' : '/queries';
  if (!u.pathname.endsWith(api)) u = joinUrlPath(u, api);
  const { basicAuth, secrets } = clientUrl(u.toString());
  u.username = '';
  u.password = '';
  return { url: u.toString(), basicAuth, secrets };
}

function causeOf(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (e as Error).message;
}
