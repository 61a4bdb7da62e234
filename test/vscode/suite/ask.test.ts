import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Trajectory } from '../../../src/core/trace';
import type { ProbeResult } from '../../../src/extension/connection/testConnection';
import type { ScriptedServer } from '../../fixtures/scriptedServer';
import { closedPortUrl, hopscope, scriptedEndpoint, withUserSettings, workspaceRoot } from './helpers';

const QUESTION = 'Which lake does the thin arch dam in the Superstition Mountains form?';
const QUERY = 'Horse Mesa Dam reservoir Salt River';
const ANSWER = 'Apache Lake';

suite('Ask command against the scripted server', () => {
  let server: ScriptedServer;
  let close: (() => Promise<void>) | undefined;

  suiteSetup(async () => {
    ({ server, close } = await scriptedEndpoint(
      { model: 'scripted-r1', policies: [{ match: 'Superstition Mountains', think: 'Which dam is it?', queries: [QUERY], answer: ANSWER }] },
      { 'hopscope.endpoint.model': '' },
    ));
    await hopscope();
  });

  suiteTeardown(async () => {
    await close?.();
  });

  test('runs the loop over the workspace index and returns the answer', async () => {
    const t = await vscode.commands.executeCommand<Trajectory>('hopscope.ask', QUESTION);
    assert.ok(t, 'the command returned a trajectory');
    assert.equal(t.stopReason, 'finished');
    assert.equal(t.answer, ANSWER);
    const search = t.steps.find((s) => s.kind === 'search');
    assert.ok(search && search.kind === 'search', 'a search step');
    assert.equal(search.query, QUERY);
    assert.ok(search.docs.some((d) => d.path === 'docs/horse-mesa-dam.md'), `the dam's article is retrieved: ${search.docs.map((d) => d.path).join(', ')}`);
    assert.equal(t.policy.endpoint, server.baseUrl);
  });

  test('appends the trajectory to .hopscope/traces/<date>.jsonl in the workspace', async () => {
    const t = await vscode.commands.executeCommand<Trajectory>('hopscope.ask', `${QUESTION} (again)`);
    const file = vscode.Uri.joinPath(workspaceRoot(), '.hopscope', 'traces', `${t.createdAt.slice(0, 10)}.jsonl`);
    const lines = Buffer.from(await vscode.workspace.fs.readFile(file)).toString('utf8').split('\n').filter(Boolean);
    const saved = lines.map((l) => JSON.parse(l) as Trajectory).find((x) => x.id === t.id);
    assert.ok(saved, `trajectory ${t.id} is in ${file.fsPath}`);
    assert.equal(saved.schema, 'hopscope.trace/v1');
    assert.equal(saved.answer, ANSWER);
  });

  test('a trace folder that is a symlink out of the workspace is not written through', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'hopscope-outside-'));
    const link = path.join(workspaceRoot().fsPath, 'linked-traces');
    fs.symlinkSync(outside, link);
    const restore = await withUserSettings({ 'hopscope.traces.directory': 'linked-traces' });
    try {
      const t = await vscode.commands.executeCommand<Trajectory>('hopscope.ask', `${QUESTION} (linked)`);
      assert.equal(t.answer, ANSWER, 'the answer is still shown');
      assert.deepEqual(fs.readdirSync(outside), [], 'nothing was written where the link points');
    } finally {
      await restore();
      fs.unlinkSync(link);
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  test('an endpoint that is down gives a trajectory stopped with an error naming the URL, and saves nothing', async () => {
    const url = await closedPortUrl();
    const down = await withUserSettings({ 'hopscope.endpoint.baseUrl': url, 'hopscope.endpoint.maxRetries': 0 });
    try {
      const t = await vscode.commands.executeCommand<Trajectory>('hopscope.ask', QUESTION);
      assert.equal(t.stopReason, 'error');
      assert.equal(t.answer, null);
      assert.ok(t.error && t.error.includes(url), `the error names the URL: ${t.error}`);
      assert.ok(!/\n\s+at /.test(t.error ?? ''), 'no stack trace');
      // The question never reached the model: no error trajectory littering the trace folder (issue 14).
      const file = vscode.Uri.joinPath(workspaceRoot(), '.hopscope', 'traces', `${t.createdAt.slice(0, 10)}.jsonl`);
      const saved = await vscode.workspace.fs.readFile(file).then((b) => Buffer.from(b).toString('utf8'), () => '');
      assert.ok(!saved.includes(`"id":"${t.id}"`), `trajectory ${t.id} is not in ${file.fsPath}`);
    } finally {
      await down();
    }
  });

  test('with hopscope.retriever.kind "remote", searches go to the Search-R1 /retrieve server in the settings', async () => {
    const http = await import('node:http');
    const received: { queries: string[]; topk: number }[] = [];
    const srv = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const q = JSON.parse(body) as { queries: string[]; topk: number };
        received.push(q);
        const hit = { document: { id: 'wiki-42', contents: '"Apache Lake"\nApache Lake is a reservoir on the Salt River formed by Horse Mesa Dam.' }, score: 7.5 };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ result: q.queries.map(() => [hit]) }));
      });
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const restoreRemote = await withUserSettings({
      'hopscope.retriever.kind': 'remote',
      'hopscope.retriever.url': `http://127.0.0.1:${(srv.address() as { port: number }).port}`,
    });
    try {
      const t = await vscode.commands.executeCommand<Trajectory>('hopscope.ask', QUESTION);
      assert.equal(t.answer, ANSWER);
      assert.deepEqual(received.map((r) => r.queries), [[QUERY]]);
      const search = t.steps.find((s) => s.kind === 'search');
      assert.ok(search && search.kind === 'search');
      assert.deepEqual(search.docs.map((d) => [d.id, d.title, d.score]), [['wiki-42', 'Apache Lake', 7.5]]);
      assert.equal(t.retriever.kind === 'bm25-workspace', false, `retriever recorded as ${t.retriever.kind}`);
    } finally {
      await restoreRemote();
      srv.close();
    }
  });

  test('a run that cannot start (unknown template) returns nothing instead of throwing', async () => {
    const restoreTemplate = await withUserSettings({ 'hopscope.loop.template': 'no-such-template.json' });
    try {
      const t = await vscode.commands.executeCommand<Trajectory | undefined>('hopscope.ask', QUESTION);
      assert.equal(t, undefined);
    } finally {
      await restoreTemplate();
    }
  });

  test('Test Connection lists the models of a live endpoint', async () => {
    const r = await vscode.commands.executeCommand<ProbeResult>('hopscope.testConnection');
    assert.ok(r.ok, `connected: ${JSON.stringify(r)}`);
    assert.ok(r.models.includes('scripted-r1'), `models: ${r.models.join(', ')}`);
  });

  test('Test Connection explains a refused connection', async () => {
    const url = await closedPortUrl();
    const down = await withUserSettings({ 'hopscope.endpoint.baseUrl': url });
    try {
      const r = await vscode.commands.executeCommand<ProbeResult>('hopscope.testConnection');
      assert.equal(r.ok, false);
      assert.ok(!r.ok && r.problem.startsWith(`nothing is listening at ${url}/models`), JSON.stringify(r));
    } finally {
      await down();
    }
  });

  test('Test Connection explains a wrong path and a refused key', async () => {
    const http = await import('node:http');
    const srv = http.createServer((req, res) => {
      if (req.url === '/locked/v1/models') res.writeHead(401).end('{"error":"bad key"}');
      else res.writeHead(404).end('not found');
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${(srv.address() as { port: number }).port}`;
    try {
      for (const [url, expected] of [[`${origin}/locked/v1`, /Set API Key/], [origin, /usually ending in \/v1/]] as const) {
        const restoreUrl = await withUserSettings({ 'hopscope.endpoint.baseUrl': url });
        try {
          const r = await vscode.commands.executeCommand<ProbeResult>('hopscope.testConnection');
          assert.ok(!r.ok && expected.test(r.problem), `${url}: ${JSON.stringify(r)}`);
        } finally {
          await restoreUrl();
        }
      }
    } finally {
      srv.close();
    }
  });

  test('Set API Key stores the key in secret storage and it is sent as a bearer token', async () => {
    const { services } = await hopscope();
    await vscode.commands.executeCommand('hopscope.setApiKey', 'sk-hopscope-test');
    try {
      assert.equal(await services.apiKey.get(), 'sk-hopscope-test');
      const settings = JSON.stringify(vscode.workspace.getConfiguration('hopscope'));
      assert.ok(!settings.includes('sk-hopscope-test'), 'the key is not in settings');
      const before = server.requests.length;
      await vscode.commands.executeCommand<ProbeResult>('hopscope.testConnection');
      const sent = server.requests.slice(before).find((r) => r.path.endsWith('/models'));
      assert.equal(sent?.headers.authorization, 'Bearer sk-hopscope-test');
    } finally {
      await vscode.commands.executeCommand('hopscope.setApiKey', '');
    }
    assert.equal(await services.apiKey.hasStoredKey(), false, 'an empty entry removes the key');
  });
});
