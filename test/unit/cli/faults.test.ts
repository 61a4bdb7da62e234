/**
 * Issue 12 through the CLI, end to end: runs against broken or dying servers fail loudly and resume,
 * a SIGKILLed run resumes, no retriever credential reaches a file or the terminal, control sequences
 * from models and documents never reach the terminal, and every numeric flag is range-checked.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkspaceIndex } from '../../../src/core/retrieval/workspaceIndex';
import { readTrajectories } from '../../../src/core/traceStore';
import { startScriptedServer, type ScriptedServer, type ScriptedServerOptions } from '../../fixtures/scriptedServer';

import { hopscope } from './spawnCli';

const QUESTIONS = Array.from({ length: 8 }, (_, i) => `Which number is ${i}?`);
const POLICIES = [
  ...QUESTIONS.map((q, i) => ({ match: q, queries: [`number ${i}`], answer: String(i) })),
  // A model whose answer carries an OSC 52 clipboard write and a screen clear.
  { match: 'Who directed Indradhanura Chhai', queries: ['Indradhanura Chhai director'], answer: 'Susant \u001b]52;c;ZXZpbA==\u0007Misra\u001b[2J' },
];

/** The latest trajectory per question in a trace file, by stop reason. */
async function latestStops(file: string): Promise<Map<string, string>> {
  const latest = new Map<string, string>();
  for await (const t of readTrajectories(file)) latest.set(t.question, t.stopReason);
  return latest;
}

describe('runs against faulty servers (CLI)', () => {
  let dir: string;
  let indexDir: string;
  let dataset: string;
  let working: ScriptedServer;
  const extra: ScriptedServer[] = [];
  const faulty = async (opts: Partial<ScriptedServerOptions>) => {
    const s = await startScriptedServer({ policies: POLICIES, ...opts });
    extra.push(s);
    return s;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hopscope-cli-faults-'));
    const ws = join(dir, 'ws');
    await mkdir(ws);
    await writeFile(join(ws, 'films.md'), '# Indradhanura \u001b]0;pwned\u0007Chhai\n\nIndradhanura Chhai is a 1993 Oriya film directed by Susant Misra.\u001b[31m\n\n# Numbers\n\nnumber 0 1 2 3 4 5 6 7\n');
    indexDir = join(dir, 'index');
    await (await WorkspaceIndex.build([ws], { root: ws })).save(indexDir);
    dataset = join(dir, 'numbers.jsonl');
    await writeFile(dataset, QUESTIONS.map((q, i) => JSON.stringify({ question: q, answer: String(i) })).join('\n'));
    working = await startScriptedServer({ policies: POLICIES });
  });
  after(async () => {
    await working.close();
    for (const s of extra) await s.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a server that dies mid-run: errors recorded, exit 1 with the count; --resume against a working server completes every question', async () => {
    const dying = await faulty({ dieAfterRequests: 6 });
    const out = join(dir, 'dying.jsonl');
    const r = await hopscope(['run', dataset, '--endpoint', dying.baseUrl, '--index', indexDir, '--out', out, '--concurrency', '1', '--retries', '0', '--no-progress']);
    assert.equal(r.code, 1, r.stderr);
    const stops = await latestStops(out);
    const errors = [...stops.values()].filter((s) => s === 'error').length;
    assert.ok(errors >= 4 && errors < 8, `${errors} errors`);
    assert.match(r.stderr, new RegExp(`hopscope: ${errors} of 8 question\\(s\\) ended in error; run again with --resume to redo them`));
    const again = await hopscope(['run', dataset, '--endpoint', working.baseUrl, '--index', indexDir, '--out', out, '--resume', '--no-progress']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, new RegExp(`resume: ${8 - errors} question\\(s\\) already in`));
    const after = await latestStops(out);
    assert.deepEqual([...after.keys()].sort(), [...QUESTIONS].sort());
    assert.ok([...after.values()].every((s) => s === 'finished'), [...after.values()].join(','));
  });

  it('broken streams (an HTML page on 200, silence after the headers) are errors in the trajectories, not answers', async () => {
    for (const [fault, says] of [
      [{ kind: 'html', times: 1000 }, /text\/html, not an event stream/],
      [{ kind: 'silence', times: 1000 }, /no answer from .* within 1 s/],
    ] as const) {
      const broken = await faulty({ faults: [fault] });
      const out = join(dir, `broken-${fault.kind}.jsonl`);
      const r = await hopscope(['run', dataset, '--endpoint', broken.baseUrl, '--index', indexDir, '--out', out, '--limit', '2', '--retries', '1', '--timeout', '1', '--no-progress']);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, says);
      for await (const t of readTrajectories(out)) {
        assert.equal(t.stopReason, 'error');
        assert.match(t.error ?? '', says);
      }
    }
  });

  it('a run killed with SIGKILL leaves whole lines, and --resume completes every question', async () => {
    const slow = await faulty({ latencyMs: 150 });
    const out = join(dir, 'killed.jsonl');
    let killed = false;
    const r = await hopscope(['run', dataset, '--endpoint', slow.baseUrl, '--index', indexDir, '--out', out, '--concurrency', '2', '--no-progress'], {
      onStderr: (chunk, child) => {
        if (!killed && /\[2\/8\]/.test(chunk)) {
          killed = true;
          child.kill('SIGKILL');
        }
      },
    });
    assert.ok(killed, r.stderr);
    assert.equal(r.signal, 'SIGKILL');
    const text = await readFile(out, 'utf8');
    const lines = text.split('\n').filter(Boolean);
    assert.ok(lines.length >= 2 && lines.length < 8, `${lines.length} lines`);
    for (const l of lines) assert.equal(JSON.parse(l).stopReason, 'finished');
    const again = await hopscope(['run', dataset, '--endpoint', working.baseUrl, '--index', indexDir, '--out', out, '--resume', '--no-progress']);
    assert.equal(again.code, 0, again.stderr);
    const stops = await latestStops(out);
    assert.equal(stops.size, 8);
    assert.ok([...stops.values()].every((s) => s === 'finished'));
  });

  it('no part of a retriever URL\'s credentials reaches the trace, the exports, stdout or stderr', async () => {
    const user = 'ret-user';
    const pass = 'ret-pass-123';
    const key = 'RETKEY-456';
    const basic = Buffer.from(`${user}:${pass}`).toString('base64');
    let calls = 0;
    // A Search-R1 retriever behind a proxy that, the first time, fails echoing the request's credentials.
    const retriever = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (calls++ === 0) {
          res.writeHead(500, { 'content-type': 'text/plain' }).end(`denied: authorization=${req.headers.authorization} url=http://${user}:${pass}@x${req.url}`);
          return;
        }
        const { queries } = JSON.parse(body) as { queries: string[] };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ result: queries.map(() => [{ document: { id: '1', contents: '"Numbers"\nnumber 0 1 2 3' }, score: 1 }]) }));
      });
    });
    await new Promise<void>((r) => retriever.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (retriever.address() as AddressInfo).port;
      const url = `http://${user}:${pass}@127.0.0.1:${port}/?api_key=${key}`;
      const trace = join(dir, 'secret.jsonl');
      const outputs: string[] = [];
      const run = await hopscope(['run', dataset, '--endpoint', working.baseUrl, '--retriever-url', url, '--out', trace, '--limit', '3', '--concurrency', '1', '--no-progress']);
      assert.equal(run.code, 1, 'the first question failed on the retriever');
      assert.match(run.stderr, /1 of 3 question\(s\) ended in error/);
      outputs.push(run.stdout, run.stderr);
      const ask = await hopscope(['ask', QUESTIONS[0], '--endpoint', working.baseUrl, '--retriever-url', url, '--json']);
      assert.equal(ask.code, 0, ask.stderr);
      outputs.push(ask.stdout, ask.stderr);
      const bad = await hopscope(['ask', 'Q?', '--endpoint', working.baseUrl, '--retriever-url', `ftp://${user}:${pass}@h/?api_key=${key}`]);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--retriever-url "ftp:\/\/h\/\?api_key=\*\*\*" uses ftp:/);
      outputs.push(bad.stdout, bad.stderr);
      for (const format of ['otel', 'jsonl', 'html']) {
        const file = join(dir, `secret-export.${format}`);
        const ex = await hopscope(['export', trace, '--format', format, '--out', file]);
        assert.equal(ex.code, 0, ex.stderr);
        outputs.push(ex.stdout, ex.stderr, await readFile(file, 'utf8'));
      }
      const traceText = await readFile(trace, 'utf8');
      outputs.push(traceText);
      assert.match(traceText, /"index":"http:\/\/127\.0\.0\.1:\d+\/retrieve\?api_key=\*\*\*"/);
      assert.match(traceText, /HTTP 500 denied: authorization=Basic \*\*\*/);
      for (const text of outputs) for (const secret of [user, pass, key, basic]) assert.ok(!text.includes(secret), `"${secret}" in ${text.slice(0, 400)}`);
    } finally {
      retriever.close();
      retriever.closeAllConnections();
    }
  });

  it('control sequences from the model and the documents never reach the terminal', async () => {
    const ask = await hopscope(['ask', 'Who directed Indradhanura Chhai?', '--endpoint', working.baseUrl, '--index', indexDir]);
    assert.equal(ask.code, 0, ask.stderr);
    assert.match(ask.stdout, /Answer: {3}Susant Misra/);
    const search = await hopscope(['search', 'Indradhanura', '--index', indexDir]);
    assert.equal(search.code, 0, search.stderr);
    const json = await hopscope(['ask', 'Who directed Indradhanura Chhai?', '--endpoint', working.baseUrl, '--index', indexDir, '--json']);
    assert.equal(JSON.parse(json.stdout).answer, 'Susant \u001b]52;c;ZXZpbA==\u0007Misra\u001b[2J', 'the trace keeps the text as written');
    for (const r of [ask, search, json]) assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(r.stdout + r.stderr), JSON.stringify(r.stdout + r.stderr).slice(0, 300));
  });

  it('numeric flags out of range, bad URLs and a mistyped index path fail with a clear message', async () => {
    const cases: [string[], number, RegExp][] = [
      [['search', 'x', '-k', '0', '--index', indexDir], 2, /-k takes a whole number of at least 1, got "0"/],
      [['search', 'x', '-k', '100000', '--index', indexDir], 2, /-k takes a whole number of at most 1000/],
      [['index', dir, '--b', '5', '--index', join(dir, 'idx2')], 2, /--b takes a number at least 0 and at most 1, got "5"/],
      [['index', join(dir, 'no-such-folder'), '--index', join(dir, 'idx3')], 1, /no-such-folder: no such file or folder/],
      [['ask', 'Q?', '--timeout', '3000000', '--index', indexDir], 2, /--timeout is at most 2147483 seconds/],
      [['serve', '--port', '70000', '--index', indexDir], 2, /--port takes a whole number of at most 65535/],
      [['run', dataset, '--concurrency', '0', '--index', indexDir], 2, /--concurrency takes a whole number of at least 1/],
      [['ask', 'Q?', '--endpoint', 'ftp://u:topsecret@h/v1', '--index', indexDir], 2, /--endpoint "ftp:\/\/h\/v1" uses ftp:, not http: or https:/],
      [['ask', 'Q?', '--endpoint', 'file:///etc/passwd', '--index', indexDir], 2, /uses file:, not http: or https:/],
      [['run', dataset, '--out', dataset, '--index', indexDir, '--endpoint', working.baseUrl], 1, /names the input file itself/],
    ];
    for (const [args, code, says] of cases) {
      const r = await hopscope(args);
      assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, says);
      assert.ok(!r.stderr.includes('topsecret'));
      assert.ok(!/\n\s+at /.test(r.stderr), 'no stack trace');
    }
    assert.ok(!(await readFile(dataset, 'utf8')).includes('"stopReason"'), 'the dataset was not appended to');
  });
});
