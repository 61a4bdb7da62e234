/**
 * Serves an index over both retrieval APIs agents are trained against, so an R1-Searcher or Search-R1
 * rollout script can use the workspace index unchanged:
 *   POST /retrieve {queries, topk?, return_scores?} -> {result: [[{document: {id, contents, …}, score}]]}
 *                  (without return_scores: {result: [[{id, contents, …}]]})
 *   POST /queries  {queries, k?}                   -> {queries, answers: [["Title: … Text: …"]]}
 * Each request carries a batch of queries; GET /health answers with the index's size.
 *
 * One request must not take the server down or hold it: the results a request may ask for (queries ×
 * top-k), its body's size, the time to send it and to answer it, and the connections held at once are
 * all capped. It answers only requests addressed to it: a Host that is not its address, or a browser
 * Origin not allowed, is refused (a web page could otherwise POST to it, or read it through DNS
 * rebinding), and only JSON bodies are read (a form post from a page is `text/plain`).
 */
import * as http from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { Logger } from '../ports';
import { silentLogger } from '../ports';
import type { RetrievedDoc } from '../trace';
import { toContents, toR1SearcherDoc } from './wireFormat';

export interface ServedIndex {
  searchSync(query: string, topK: number): RetrievedDoc[];
  stats(): { passages: number; fingerprint: string };
}

export interface ServerOptions {
  index: ServedIndex;
  port?: number;
  /** The address to listen on; loopback by default. */
  host?: string;
  /** Most queries one request may carry. */
  maxBatch?: number;
  /** Largest `topk` / `k` honoured. */
  maxK?: number;
  /** Most results (queries × top-k) one request may ask for. */
  maxResults?: number;
  /** Largest request body. */
  maxBodyBytes?: number;
  /** Time a client has to send a whole request. */
  requestTimeoutMs?: number;
  /** Time one request's searches may take. */
  maxSearchMs?: number;
  /** Connections held at once; more are dropped. */
  maxConnections?: number;
  /** Browser origins allowed besides the server's own (e.g. `http://localhost:3000`); their hosts are allowed too. */
  allowOrigins?: string[];
  logger?: Logger;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export const SERVER_LIMITS = {
  maxBatch: 4096,
  maxK: 1000,
  maxResults: 100_000,
  maxBodyBytes: 2 * 1024 * 1024,
  requestTimeoutMs: 30_000,
  maxSearchMs: 60_000,
  maxConnections: 32,
} as const;

/** Queries searched between two turns of the event loop, so /health and other clients are still answered. */
const SLICE = 32;

/** A request the server refuses, with its status and a message saying what to change. */
class Refused extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export async function startRetrievalServer(opts: ServerOptions): Promise<RunningServer> {
  const { index } = opts;
  const log = opts.logger ?? silentLogger;
  const limits = {
    maxBatch: opts.maxBatch ?? SERVER_LIMITS.maxBatch,
    maxK: opts.maxK ?? SERVER_LIMITS.maxK,
    maxResults: opts.maxResults ?? SERVER_LIMITS.maxResults,
    maxBodyBytes: opts.maxBodyBytes ?? SERVER_LIMITS.maxBodyBytes,
    maxSearchMs: opts.maxSearchMs ?? SERVER_LIMITS.maxSearchMs,
  };
  const host = opts.host ?? '127.0.0.1';
  const wildcard = host === '0.0.0.0' || host === '::';
  const allowOrigins = new Set((opts.allowOrigins ?? []).map((o) => o.replace(/\/+$/, '').toLowerCase()));
  let port = 0;

  /** Host names (without port) this server answers to. */
  const servedNames = (): Set<string> => {
    const names = new Set<string>([bracket(host).toLowerCase()]);
    if (isLoopback(host) || wildcard) for (const n of LOOPBACK_NAMES) names.add(n);
    // Reached from other machines by this machine's name.
    if (wildcard) names.add(hostname().toLowerCase());
    for (const o of allowOrigins) {
      try {
        names.add(new URL(o).hostname.toLowerCase());
      } catch {
        // An origin that is not a URL allows no host.
      }
    }
    return names;
  };

  function checkAddressed(req: http.IncomingMessage): void {
    const hostHeader = req.headers.host;
    let h: URL;
    try {
      h = new URL(`http://${hostHeader ?? ''}`);
    } catch {
      throw new Refused(403, 'a Host header naming this server is required');
    }
    const name = h.hostname.toLowerCase();
    const hostPort = Number(h.port || 80);
    // Any IP address reaches a wildcard bind directly; a name could be an attacker's rebinding DNS.
    const known = servedNames().has(name) || (wildcard && isIP(name.replace(/^\[|\]$/g, '')) !== 0);
    if (!known || hostPort !== port) {
      throw new Refused(403, `Host "${hostHeader ?? ''}" is not this server's address: use ${bracket(host)}:${port}, or start it with --allow-origin http://${hostHeader ?? 'NAME'}`);
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !originAllowed(origin)) {
      throw new Refused(403, `Origin "${origin}" is not allowed: start the server with --allow-origin ${origin} to let that page query it`);
    }
  }

  /** This server has no pages of its own: any browser origin is a foreign page unless allowed by name. */
  function originAllowed(origin: string): boolean {
    return allowOrigins.has(origin.replace(/\/+$/, '').toLowerCase());
  }

  function queriesOf(body: Record<string, unknown>): string[] {
    const q = body.queries ?? body.query;
    const list = typeof q === 'string' ? [q] : q;
    if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) throw new Refused(400, '"queries" must be a list of strings');
    if (list.length > limits.maxBatch) throw new Refused(413, `${list.length} queries in one request; at most ${limits.maxBatch}: split the batch`);
    return list as string[];
  }

  function kOf(v: unknown, fallback: number): number {
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new Refused(400, '"topk" / "k" must be a positive whole number');
    return Math.min(v, limits.maxK);
  }

  /** Refuses before searching when the answer would be too large to build. */
  function checkResults(queries: number, k: number): void {
    if (queries * k > limits.maxResults) {
      throw new Refused(413, `${queries} queries × top-k ${k} = ${queries * k} results; at most ${limits.maxResults} per request: split the batch or lower top-k`);
    }
  }

  // Results being built or sent across requests at once: concurrent large requests wait their turn
  // instead of each holding its answer in memory together (a slow reader holds its answer until read).
  const budget = new ResultBudget(limits.maxResults);

  /**
   * Each query's results as its JSON text, a slice at a time, within the time budget and while the
   * client still waits. Text, not objects: an answer of 100,000 documents is held once, compactly.
   */
  async function searchAll<T>(queries: string[], k: number, req: InFlight, map: (d: RetrievedDoc) => T): Promise<string[]> {
    await req.reserve(queries.length * k);
    if (req.gone()) throw new Refused(499, 'the client went away');
    const deadline = performance.now() + limits.maxSearchMs;
    const out: string[] = [];
    for (let i = 0; i < queries.length; i++) {
      if (i > 0 && i % SLICE === 0) {
        await new Promise((r) => setImmediate(r));
        if (req.gone()) throw new Refused(499, 'the client went away');
        if (performance.now() > deadline) throw new Refused(503, `the searches took over ${Math.round(limits.maxSearchMs / 1000)} s: split the batch`);
      }
      out.push(JSON.stringify(index.searchSync(queries[i], k).map(map)));
    }
    return out;
  }

  async function handle(method: string, path: string, body: Record<string, unknown>, req: InFlight): Promise<unknown> {
    if (method === 'GET' && path === '/health') return { status: 'ok', ...index.stats() };
    if (method !== 'POST') throw new Refused(400, `${method} ${path}: use POST /retrieve or POST /queries`);
    switch (path) {
      case '/retrieve': {
        const queries = queriesOf(body);
        const topk = kOf(body.topk, 3);
        checkResults(queries.length, topk);
        // As in Search-R1's retrieval_server.py: scores only when asked for (its own client asks).
        const withScores = body.return_scores === true;
        const lists = await searchAll(queries, topk, req, (d) => (withScores ? { document: searchR1Document(d), score: d.score } : searchR1Document(d)));
        return new JsonParts(['{"result":[', ...withCommas(lists), ']}']);
      }
      case '/queries': {
        const queries = queriesOf(body);
        const k = kOf(body.k, 3);
        checkResults(queries.length, k);
        const lists = await searchAll(queries, k, req, (d) => toR1SearcherDoc(d.title, d.text));
        return new JsonParts([`{"queries":${JSON.stringify(queries)},"answers":[`, ...withCommas(lists), ']}']);
      }
      default:
        throw new Refused(400, `no such endpoint ${path}: use POST /retrieve or POST /queries`);
    }
  }

  /** The body as a JSON object, read up to the size cap. */
  function readBody(req: http.IncomingMessage): Promise<Record<string, unknown>> {
    const type = req.headers['content-type'] ?? '';
    if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
      return Promise.reject(new Refused(415, `the body must be JSON (content-type: application/json), not ${type ? `"${type.split(';')[0]}"` : 'untyped'}`));
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limits.maxBodyBytes) return Promise.reject(tooLarge());
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > limits.maxBodyBytes) {
          // Stop holding it: the chunks so far are dropped with the request.
          chunks.length = 0;
          req.pause();
          reject(tooLarge());
        } else chunks.push(c);
      });
      req.on('error', reject);
      req.on('end', () => {
        try {
          const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error();
          resolve(parsed as Record<string, unknown>);
        } catch {
          reject(new Refused(400, 'the body must be a JSON object'));
        }
      });
    });
  }

  function tooLarge(): Refused {
    return new Refused(413, `request body over ${limits.maxBodyBytes} bytes: split the batch`);
  }

  const requestTimeout = opts.requestTimeoutMs ?? SERVER_LIMITS.requestTimeoutMs;
  const server = http.createServer({
    requestTimeout,
    headersTimeout: Math.min(10_000, requestTimeout),
    // Node looks for overdue requests this often (30 s by default): a slow sender is cut off near its deadline.
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(requestTimeout / 4))),
  }, (req, res) => {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0];
    let gone = false;
    let reserved = 0;
    res.on('close', () => {
      gone = true;
      // The answer is sent (or dropped): its share of the budget is free again.
      budget.release(reserved);
      reserved = 0;
    });
    const inFlight: InFlight = {
      gone: () => gone,
      reserve: async (weight) => {
        await budget.acquire(weight);
        if (gone) budget.release(weight);
        else reserved += weight;
      },
    };
    void (async () => {
      try {
        checkAddressed(req);
        if (method === 'OPTIONS') return preflight(res, req.headers.origin);
        const body = method === 'POST' ? await readBody(req) : {};
        const out = await handle(method, path, body, inFlight);
        reply(res, 200, out, req.headers.origin);
        log.debug(`${method} ${path} ${(performance.now() - started).toFixed(1)} ms`);
      } catch (e) {
        const status = e instanceof Refused ? e.status : 500;
        const message = e instanceof Error ? e.message : String(e);
        if (!gone) reply(res, status, { error: message }, undefined, status === 413 || status === 415 || status === 403);
        (status < 500 || status === 503 ? log.warn : log.error)(`${method} ${path}: ${status} ${message}`);
      }
    })();
  });
  server.maxConnections = opts.maxConnections ?? SERVER_LIMITS.maxConnections;
  // A malformed request or a timed-out one: answer if the socket can still take it, never crash.
  server.on('clientError', (e: NodeJS.ErrnoException, socket) => {
    const status = e.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\n\r\n`);
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://${bracket(host)}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };

  /** CORS for an allowed origin (the Host and Origin checks already passed). */
  function preflight(res: http.ServerResponse, origin: string | undefined): void {
    res.writeHead(204, {
      ...(origin ? { 'access-control-allow-origin': origin, vary: 'origin' } : {}),
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'content-type',
      'access-control-max-age': '600',
    });
    res.end();
  }
}

function bracket(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function searchR1Document(d: RetrievedDoc): Record<string, unknown> {
  const doc: Record<string, unknown> = { id: d.id, contents: toContents(d.title, d.text) };
  if (d.path !== undefined) Object.assign(doc, { path: d.path, startLine: d.startLine, endLine: d.endLine });
  return doc;
}

/** What a search needs to know of its request: whether the client left, and a share of the results budget. */
interface InFlight {
  gone(): boolean;
  /** Waits until `weight` results fit in the budget; held until the answer is sent. */
  reserve(weight: number): Promise<void>;
}

/** A JSON answer already serialized in pieces, written one after another rather than joined. */
class JsonParts {
  constructor(readonly parts: string[]) {}
}

/** `a`, `,b`, `,c`: the pieces of a JSON list's items. */
function withCommas(items: string[]): string[] {
  return items.map((x, i) => (i === 0 ? x : `,${x}`));
}

/** A weighted semaphore over results being built: waits until the weight fits (one request always may run). */
class ResultBudget {
  private used = 0;
  private readonly waiting: { weight: number; go: () => void }[] = [];

  constructor(private readonly capacity: number) {}

  acquire(weight: number): Promise<void> {
    if (this.waiting.length === 0 && (this.used === 0 || this.used + weight <= this.capacity)) {
      this.used += weight;
      return Promise.resolve();
    }
    return new Promise((go) => this.waiting.push({ weight, go }));
  }

  release(weight: number): void {
    if (weight <= 0) return;
    this.used -= weight;
    // First come, first served: the head runs when it fits, or when nothing else runs.
    while (this.waiting.length && (this.used === 0 || this.used + this.waiting[0].weight <= this.capacity)) {
      const next = this.waiting.shift()!;
      this.used += next.weight;
      next.go();
    }
  }
}

function reply(res: http.ServerResponse, status: number, body: unknown, origin?: string, close = false): void {
  const parts = body instanceof JsonParts ? body.parts : [JSON.stringify(body)];
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': parts.reduce((n, p) => n + Buffer.byteLength(p), 0),
    ...(origin ? { 'access-control-allow-origin': origin, vary: 'origin' } : {}),
    // A refused body is not read: the connection closes rather than wait for it.
    ...(close ? { connection: 'close' } : {}),
  });
  for (const p of parts) res.write(p);
  res.end();
}
