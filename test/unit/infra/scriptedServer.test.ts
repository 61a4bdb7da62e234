import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scriptedLogprobs, scriptedTokens, startScriptedServer, type ScriptedServer } from '../../fixtures/scriptedServer';
import { getTemplate, renderPrompt } from '../../../src/core/templates';
import { FILM_POLICY } from '../core/helpers';

const R1 = getTemplate('r1-searcher');
const PROMPT = renderPrompt(R1, 'Who directed Indradhanura Chhai?');

async function post(base: string, path: string, body: unknown): Promise<any> {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text() };
}

describe('scripted OpenAI-compatible server', () => {
  let s: ScriptedServer;
  before(async () => {
    s = await startScriptedServer({ policies: [FILM_POLICY] });
  });
  after(() => s.close());

  it('listens on loopback with a random port and lists its model', async () => {
    assert.match(s.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const res = await fetch(`${s.baseUrl}/models`);
    assert.deepEqual((await res.json()).data.map((m: any) => m.id), ['scripted-model']);
  });

  it('stops like vLLM: text before the first stop string, which is excluded, and stop_reason', async () => {
    const r = await post(s.baseUrl, '/completions', { model: 'scripted-model', prompt: PROMPT, stop: R1.stops });
    const c = r.body.choices[0];
    assert.equal(c.finish_reason, 'stop');
    assert.equal(c.stop_reason, '<|end_of_query|>');
    assert.ok(c.text.endsWith('<|begin_of_query|> Indradhanura Chhai director'));
  });

  it('plays the next turn once a document block follows the question, then answers', async () => {
    const turn2 = `${PROMPT}x <|begin_of_query|> q<|end_of_query|>\n\n<|begin_of_documents|>\n(1)Title: t Text: x\n<|end_of_documents|>\n\n`;
    const r2 = await post(s.baseUrl, '/completions', { prompt: turn2, stop: R1.stops });
    assert.match(r2.body.choices[0].text, /Susant Misra"\tbirthplace\.\.\.$/);
    const turn3 = `${turn2}y<|end_of_query|>\n\n<|begin_of_documents|>\nNone<|end_of_documents|>\n\n`;
    const r3 = await post(s.baseUrl, '/completions', { prompt: turn3, stop: R1.stops });
    assert.equal(r3.body.choices[0].stop_reason, '</answer>');
    assert.match(r3.body.choices[0].text, /<answer> Susant Misra $/);
  });

  it('without a matching stop it ends on EOS with stop_reason null; max_tokens gives length', async () => {
    const turn3 = `${PROMPT}<|begin_of_documents|>\n<|begin_of_documents|>\n`;
    const eos = await post(s.baseUrl, '/completions', { prompt: turn3 });
    assert.equal(eos.body.choices[0].finish_reason, 'stop');
    assert.equal(eos.body.choices[0].stop_reason, null);
    assert.ok(!eos.body.choices[0].text.includes('<|im_end|>'));
    const len = await post(s.baseUrl, '/completions', { prompt: PROMPT, max_tokens: 3 });
    assert.equal(len.body.choices[0].finish_reason, 'length');
    assert.equal(scriptedTokens(len.body.choices[0].text).length, 3);
  });

  it('streams SSE chunks ending with finish_reason, usage and [DONE], for chat too', async () => {
    const r = await post(s.baseUrl, '/chat/completions', { messages: [{ role: 'user', content: 'Question: Who directed Indradhanura Chhai?\n<search>' }], stop: ['</search>'], stream: true, stream_options: { include_usage: true } });
    const events = String(r.body).split('\n\n').filter(Boolean);
    assert.equal(events.at(-1), 'data: [DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice('data: '.length)));
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
    assert.match(text, /<search> Indradhanura Chhai director$/);
    const last = chunks.filter((c) => c.choices.length).at(-1);
    assert.equal(last.choices[0].finish_reason, 'stop');
    assert.equal(last.choices[0].stop_reason, '</search>');
    assert.ok(chunks.at(-1).usage.completion_tokens > 0);
  });

  it('returns deterministic echo log-probs that rise when the gold words are already in the context', async () => {
    const withDoc = 'Question? Doc: Susant Misra directed it. <answer> Susant Misra </answer>';
    const without = 'Question? Doc: nothing here. <answer> Susant Misra </answer>';
    const a = await post(s.baseUrl, '/completions', { prompt: withDoc, echo: true, logprobs: 1, max_tokens: 0 });
    const lp = a.body.choices[0].logprobs;
    assert.equal(lp.tokens.join(''), withDoc);
    assert.equal(lp.token_logprobs[0], null);
    assert.deepEqual(lp.text_offset.slice(0, 3), [0, 8, 9]);
    const b = await post(s.baseUrl, '/completions', { prompt: without, echo: true, logprobs: 1, max_tokens: 1 });
    const lb = b.body.choices[0].logprobs;
    assert.equal(lb.tokens.length, scriptedTokens(without).length + 1, 'max_tokens 1 adds one generated token');
    const goldLp = (l: any, text: string) => {
      const at = text.lastIndexOf('Susant');
      return l.tokens.map((_: string, i: number) => i).filter((i: number) => l.text_offset[i] >= at - 1 && l.text_offset[i] < text.lastIndexOf(' </answer>')).map((i: number) => l.token_logprobs[i]);
    };
    assert.deepEqual(goldLp(lp, withDoc), [-0.1, -0.1]);
    assert.deepEqual(goldLp(lb, without), [-5, -5]);
    assert.deepEqual(scriptedLogprobs(withDoc), scriptedLogprobs(withDoc), 'deterministic');
  });

  it('records every request with headers and body', async () => {
    assert.ok(s.requests.some((r) => r.path === '/v1/chat/completions' && r.body.stream === true));
  });
});

describe('scripted server faults and options', () => {
  it('returns scripted statuses a given number of times, then recovers', async () => {
    const s = await startScriptedServer({ policies: [FILM_POLICY], faults: [{ kind: 'status', status: 429, times: 2 }] });
    try {
      const codes = [];
      for (let i = 0; i < 3; i++) codes.push((await post(s.baseUrl, '/completions', { prompt: PROMPT })).status);
      assert.deepEqual(codes, [429, 429, 200]);
    } finally {
      await s.close();
    }
  });

  it('can leave out prompt log-probs, as servers without echo support do', async () => {
    const s = await startScriptedServer({ policies: [], promptLogprobs: false });
    try {
      const r = await post(s.baseUrl, '/completions', { prompt: 'a b', echo: true, logprobs: 1, max_tokens: 0 });
      assert.equal(r.body.choices[0].logprobs, null);
    } finally {
      await s.close();
    }
  });

  it('runs standalone with --port and --script', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hopscope-srv-'));
    const script = join(dir, 'script.json');
    await writeFile(script, JSON.stringify({ policies: [FILM_POLICY], model: 'standalone-model' }));
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../../fixtures/scriptedServer.ts'), '--port', '0', '--script', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          const m = /listening on (\S+)/.exec(out);
          if (m) resolve(m[1]);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      const res = await fetch(`${url}/models`);
      assert.equal((await res.json()).data[0].id, 'standalone-model');
    } finally {
      child.kill('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    }
  });
});
