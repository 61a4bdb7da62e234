/**
 * Issue 12, `serve`: one request cannot take the server down or hold it, and only requests addressed
 * to it (its Host, no foreign browser Origin, a JSON body) are answered.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as http from 'node:http';
import { connect } from 'node:net';
import * as path from 'node:path';
import { test, type TestContext } from 'node:test';
import { startRetrievalServer, type ServerOptions } from '../../../../src/core/retrieval/server';
import { WorkspaceIndex } from '../../../../src/core/retrieval/workspaceIndex';
import { jsonl, testDir, writeTree } from './helpers';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const WORDS = ['film', 'director', 'river', 'capital', 'novel', 'painter', 'island', 'battle', 'song', 'bridge'];

/** A corpus of `n` passages, each sharing a few common words so that any query has many hits. */
async function servedCorpus(t: TestContext, n: number, opts: Partial<ServerOptions> = {}) {
  const root = testDir(t);
  const rows = Array.from({ length: n }, (_, i) => ({ id: String(i), contents: `"Doc ${i}"\n${Array.from({ length: 40 }, (_, j) => WORDS[(i + j) % WORDS.length]).join(' ')} number ${i}.` }));
  writeTree(root, { 'wiki.jsonl': jsonl(rows) });
  const index = await WorkspaceIndex.build(['wiki.jsonl'], { root });
  const server = await startRetrievalServer({ index, port: 0, ...opts });
  t.after(() => server.close());
  return server;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  json: any;
}

function request(port: number, opts: { method?: string; path?: string; headers?: Record<string, string>; body?: string }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: opts.method ?? 'POST', path: opts.path ?? '/retrieve', headers: { 'content-type': 'application/json', ...opts.headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, json: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const healthy = async (port: number) => (await request(port, { method: 'GET', path: '/health' })).status === 200;

test('4,096 queries × top-k 1,000 is refused with 413 and a message; the server stays up and bounded', async (t) => {
  const server = await servedCorpus(t, 50);
  const queries = Array.from({ length: 4096 }, (_, i) => `${WORDS[i % WORDS.length]} director ${i}`);
  const r = await request(server.port, { body: JSON.stringify({ queries, topk: 1000, return_scores: true }) });
  assert.equal(r.status, 413);
  assert.match(r.json.error, /4096 queries × top-k 1000 = 4096000 results; at most 100000 per request: split the batch or lower top-k/);
  assert.ok(await healthy(server.port), 'still answering');
  assert.ok(process.memoryUsage().rss < 2 * 1024 ** 3);
});

test('requests at the results cap are answered in turn within bounded memory, and /health is answered meanwhile', async (t) => {
  const server = await servedCorpus(t, 2000);
  const queries = Array.from({ length: 100 }, (_, i) => `${WORDS[i % WORDS.length]} river`);
  // Three at once: the results budget lets one build and send its answer at a time.
  const big = [0, 1, 2].map(() => request(server.port, { body: JSON.stringify({ queries, topk: 1000 }) }));
  // The searches yield between slices: another client is served before the batches end.
  const health = request(server.port, { method: 'GET', path: '/health' });
  const [h, ...answers] = await Promise.all([health, ...big]);
  assert.equal(h.status, 200);
  for (const r of answers) {
    assert.equal(r.status, 200);
    assert.equal(r.json.result.length, 100);
    assert.equal(r.json.result[0].length, 1000);
  }
  const r1s = await request(server.port, { path: '/queries', body: JSON.stringify({ queries: ['film river'], k: 2 }) });
  assert.deepEqual(Object.keys(r1s.json), ['queries', 'answers']);
  assert.equal(r1s.json.answers[0].length, 2);
  assert.ok(process.memoryUsage().rss < 2 * 1024 ** 3);
});

test('bodies: over the size cap 413, not JSON 415, and a slow body is cut off', async (t) => {
  const server = await servedCorpus(t, 5, { maxBodyBytes: 1024, requestTimeoutMs: 300 });
  const big = await request(server.port, { body: JSON.stringify({ queries: ['x'.repeat(2000)] }) });
  assert.equal(big.status, 413);
  assert.match(big.json.error, /request body over 1024 bytes/);
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
    const r = await request(server.port, { headers: { 'content-type': type }, body: JSON.stringify({ queries: ['film'] }) });
    assert.equal(r.status, 415, type);
    assert.match(r.json.error, /the body must be JSON \(content-type: application\/json\)/);
  }
  const ok = await request(server.port, { headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ queries: ['film'], topk: 1 }) });
  assert.equal(ok.status, 200);
  // Slow-loris: headers and a few bytes of a body that never ends; the server hangs up.
  const closed = await new Promise<string>((resolve) => {
    const s = connect(server.port, '127.0.0.1', () => {
      s.write(`POST /retrieve HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{"queries"`);
    });
    let got = '';
    s.on('data', (d) => (got += d));
    s.on('close', () => resolve(got));
    s.on('error', () => undefined);
  });
  assert.match(closed, /^HTTP\/1\.1 408 Request Timeout/);
  assert.ok(await healthy(server.port));
});

test('Host and Origin: a foreign Host (DNS rebinding) or browser Origin is refused unless allowed', async (t) => {
  const server = await servedCorpus(t, 5, { allowOrigins: ['http://localhost:3000'] });
  const body = JSON.stringify({ queries: ['film'], topk: 1 });
  const evilHost = await request(server.port, { headers: { host: `evil.example:${server.port}` }, body });
  assert.equal(evilHost.status, 403);
  assert.match(evilHost.json.error, /Host "evil\.example:\d+" is not this server's address/);
  const wrongPort = await request(server.port, { headers: { host: '127.0.0.1:1' }, body });
  assert.equal(wrongPort.status, 403);
  assert.equal((await request(server.port, { headers: { host: `localhost:${server.port}` }, body })).status, 200);
  const evilOrigin = await request(server.port, { headers: { origin: 'http://evil.example' }, body });
  assert.equal(evilOrigin.status, 403);
  assert.match(evilOrigin.json.error, /Origin "http:\/\/evil\.example" is not allowed: start the server with --allow-origin/);
  assert.equal((await request(server.port, { headers: { origin: 'null' }, body })).status, 403);
  const allowed = await request(server.port, { headers: { origin: 'http://localhost:3000' }, body });
  assert.equal(allowed.status, 200);
  assert.equal(allowed.headers['access-control-allow-origin'], 'http://localhost:3000');
  const preflight = await request(server.port, { method: 'OPTIONS', headers: { origin: 'http://localhost:3000' } });
  assert.equal(preflight.status, 204);
});

test('connections over the cap are dropped; the server answers again once they close', async (t) => {
  const server = await servedCorpus(t, 5, { maxConnections: 3 });
  const holders = await Promise.all(
    Array.from({ length: 3 }, () => new Promise<ReturnType<typeof connect>>((resolve) => {
      const s = connect(server.port, '127.0.0.1', () => {
        // An unfinished body holds the connection.
        s.write(`POST /retrieve HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{`);
        resolve(s);
      });
      s.on('error', () => undefined);
    })),
  );
  await new Promise((r) => setImmediate(r));
  await assert.rejects(request(server.port, { method: 'GET', path: '/health' }), 'a fourth connection is dropped');
  for (const s of holders) s.destroy();
  await new Promise((r) => setTimeout(r, 50));
  assert.ok(await healthy(server.port));
});

test('`hopscope serve` binds loopback by default and warns when --host opens it wider', { timeout: 60_000 }, async (t) => {
  const tmp = testDir(t);
  writeTree(tmp, { 'wiki.jsonl': jsonl([{ id: '1', contents: '"Paris"\nParis is the capital of France.' }]) });
  const dir = path.join(tmp, 'idx');
  await (await WorkspaceIndex.build(['wiki.jsonl'], { root: tmp })).save(dir);
  for (const [args, warns] of [[[], false], [['--host', '0.0.0.0'], true]] as const) {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli.ts'), 'serve', '--index', dir, '--port', '0', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const { url, err } = await new Promise<{ url: string; err: string }>((resolve, reject) => {
        let out = '';
        let err = '';
        child.stdout.on('data', (c) => {
          out += c;
          const m = /at (http:\/\/\S+)/.exec(out);
          if (m) resolve({ url: m[1], err });
        });
        child.stderr.on('data', (c) => (err += c));
        child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
      });
      if (warns) {
        assert.match(url, /^http:\/\/0\.0\.0\.0:\d+$/);
        assert.match(err, /warning: listening on 0\.0\.0\.0, not loopback/);
      } else {
        assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
        assert.equal(err, '');
      }
    } finally {
      child.kill('SIGTERM');
    }
  }
});
