import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { test, type TestContext } from 'node:test';
import { RetrieverError } from '../../../../src/core/errors';
import { createRemoteRetriever } from '../../../../src/core/retrieval/remote';
import { startRetrievalServer } from '../../../../src/core/retrieval/server';
import { WorkspaceIndex } from '../../../../src/core/retrieval/workspaceIndex';
import { jsonl, testDir, writeTree } from './helpers';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

function corpus(dir: string): void {
  writeTree(dir, {
    'wiki.jsonl': jsonl([
      { id: '101', contents: '"Susant Misra"\nSusant Misra is an Indian film director from Odisha.' },
      { id: '102', contents: '"Indradhanura Chhai"\nIndradhanura Chhai is a 1993 Odia film directed by Susant Misra.' },
      { id: '103', contents: '"Paris"\nParis is the capital of France.' },
    ]),
    'notes/todo.md': '# Todo\n\nCall the film director.\n',
  });
}

/** The corpus indexed and served on a free port until the test ends. */
async function servedCorpus(t: TestContext) {
  const root = testDir(t);
  corpus(root);
  const index = await WorkspaceIndex.build(['.'], { root });
  const server = await startRetrievalServer({ index, port: 0 });
  t.after(() => server.close());
  return { index, server };
}

async function post(url: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

test('Search-R1 POST /retrieve and R1-Searcher POST /queries answer batches in their formats', async (t) => {
  const { server } = await servedCorpus(t);
  const r = await post(`${server.url}/retrieve`, { queries: ['Indradhanura Chhai director', 'capital of France'], topk: 2, return_scores: true });
  assert.equal(r.status, 200);
  assert.equal(r.json.result.length, 2);
  assert.deepEqual(r.json.result[0][0].document, { id: '102', contents: '"Indradhanura Chhai"\nIndradhanura Chhai is a 1993 Odia film directed by Susant Misra.' });
  assert.equal(typeof r.json.result[0][0].score, 'number');
  assert.equal(r.json.result[1][0].document.id, '103');
  assert.ok(r.json.result[0].length <= 2);

  const noScores = await post(`${server.url}/retrieve`, { queries: ['Paris'], topk: 1, return_scores: false });
  assert.deepEqual(noScores.json.result, [[{ id: '103', contents: '"Paris"\nParis is the capital of France.' }]]);

  const ws = await post(`${server.url}/retrieve`, { queries: ['todo call'], topk: 1 });
  assert.deepEqual(ws.json.result[0][0], { id: 'notes/todo.md#0', contents: '"todo.md › Todo"\n# Todo\n\nCall the film director.', path: 'notes/todo.md', startLine: 1, endLine: 3 });

  const q = await post(`${server.url}/queries`, { queries: ['Susant Misra', 'Paris'], k: 1 });
  assert.equal(q.status, 200);
  assert.deepEqual(q.json, {
    queries: ['Susant Misra', 'Paris'],
    answers: [['Title: Susant Misra Text: Susant Misra is an Indian film director from Odisha.'], ['Title: Paris Text: Paris is the capital of France.']],
  });

  const bad = await post(`${server.url}/retrieve`, { queries: 'x', topk: -1 });
  assert.equal(bad.status, 400);
  assert.match(bad.json.error, /topk/);
  const missing = await post(`${server.url}/nope`, {});
  assert.equal(missing.status, 400);
});

test('the remote retrievers read both APIs back into ranked documents', async (t) => {
  const { index, server } = await servedCorpus(t);
  const local = await index.search('Indradhanura Chhai director', { topK: 3 });
  const sr1 = createRemoteRetriever(server.url, 'search-r1');
  const viaSr1 = await sr1.search('Indradhanura Chhai director', { topK: 3 });
  assert.deepEqual(
    viaSr1.map((d) => [d.id, d.rank, d.score, d.title, d.text]),
    local.map((d) => [d.id, d.rank, d.score, d.title, d.text]),
  );
  assert.equal(sr1.info.kind, 'search-r1-http');
  assert.equal(sr1.info.index, `${server.url}/retrieve`);
  const batch = await sr1.searchBatch(['Paris', 'Susant Misra'], { topK: 1 });
  assert.deepEqual(batch.map((b) => b[0].id), ['103', '101']);

  const r1s = createRemoteRetriever(`${server.url}/queries`, 'r1-searcher');
  const viaR1s = await r1s.search('Indradhanura Chhai director', { topK: 2 });
  assert.deepEqual(viaR1s.map((d) => [d.rank, d.title, d.text]), local.slice(0, 2).map((d) => [d.rank, d.title, d.text]));
  assert.match(viaR1s[0].id, /^sha1:[0-9a-f]{12}$/);
});

test('a remote retriever names the URL and what to check when the server is down or speaks another API', async (t) => {
  const down = createRemoteRetriever('http://127.0.0.1:9', 'search-r1', { timeoutMs: 2000 });
  await assert.rejects(down.search('q', { topK: 1 }), (e: unknown) => e instanceof RetrieverError && /127\.0\.0\.1:9\/retrieve/.test(e.message) && /running/.test(e.describe()));
  const { server } = await servedCorpus(t);
  const wrongPath = createRemoteRetriever(`${server.url}/search`, 'search-r1');
  await assert.rejects(wrongPath.search('q', { topK: 1 }), /HTTP 400/);
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(createRemoteRetriever(server.url).search('q', { topK: 1, signal: ac.signal }), /cancelled/);
});

test('`hopscope serve` answers both APIs from a saved index', { timeout: 60_000 }, async (t) => {
  const tmp = testDir(t);
  corpus(tmp);
  const dir = path.join(tmp, 'idx');
  await (await WorkspaceIndex.build(['wiki.jsonl'], { root: tmp })).save(dir);
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli.ts'), 'serve', '--index', dir, '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      let err = '';
      child.stdout.on('data', (c) => {
        out += c;
        const m = /at (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.stderr.on('data', (c) => (err += c));
      child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
    });
    const [sr1] = await createRemoteRetriever(url, 'search-r1').searchBatch(['Odia film 1993'], { topK: 1 });
    assert.equal(sr1[0].id, '102');
    const r1s = await post(`${url}/queries`, { queries: ['capital of France'], k: 1 });
    assert.deepEqual(r1s.json.answers, [['Title: Paris Text: Paris is the capital of France.']]);
  } finally {
    child.kill('SIGTERM');
  }
});
