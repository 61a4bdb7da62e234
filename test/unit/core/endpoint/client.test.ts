import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tokenSpans } from '../../../../src/core/rewards/infoGainTokens';
import { createEndpointClient, cutAtStop, redactUrl } from '../../../../src/core/endpoint';
import { CancelledError, EndpointError } from '../../../../src/core/errors';
import { runLoop } from '../../../../src/core/loop';
import { getTemplate, renderPrompt } from '../../../../src/core/templates';
import { startScriptedServer } from '../../../fixtures/scriptedServer';
import { FakeRetriever, FILM_DOCS, FILM_QUESTION, recordingLogger, withFilmServer } from '../helpers';

const Q = FILM_QUESTION;
const R1 = getTemplate('r1-searcher');
const PROMPT = renderPrompt(R1, Q);

describe('endpoint client', () => {
  it('completes with the stop string vLLM reports, streamed and not', async () => {
    await withFilmServer({}, async (baseUrl) => {
      const c = createEndpointClient({ baseUrl });
      for (const stream of [true, false]) {
        const pieces: string[] = [];
        const r = await c.complete({ prompt: PROMPT, stop: R1.stops, stream, onToken: (t) => pieces.push(t) });
        assert.equal(r.stopString, '<|end_of_query|>');
        assert.equal(r.finishReason, 'stop');
        assert.match(r.text, /<\|begin_of_query\|> Indradhanura Chhai director$/);
        assert.equal(r.model, 'scripted-model');
        assert.ok((r.usage.completionTokens ?? 0) > 0);
        if (stream) assert.equal(pieces.join(''), r.text);
      }
    });
  });

  it('chat completions with sampling parameters pass max_tokens, temperature, top_p and seed', async () => {
    await withFilmServer({}, async (baseUrl, s) => {
      const c = createEndpointClient({ baseUrl, model: 'scripted-model' });
      const r = await c.complete({ messages: [{ role: 'user', content: `Question: ${Q}` }], stop: ['</search>'], params: { maxTokens: 7, temperature: 0.3, topP: 0.9, seed: 42 } });
      assert.equal(r.finishReason, 'length');
      const body = s.requests.at(-1)!.body;
      assert.deepEqual([body.max_tokens, body.temperature, body.top_p, body.seed], [7, 0.3, 0.9, 42]);
      assert.equal(body.continue_final_message, undefined, 'a fresh chat is not a continuation');
    });
  });

  it('retries 500 and 429 that then recover, and logs each retry', async () => {
    await withFilmServer({ faults: [{ kind: 'status', status: 500, times: 2, path: '/v1/completions' }, { kind: 'status', status: 429, times: 1, retryAfterMs: 5 }] }, async (baseUrl) => {
      const log = recordingLogger();
      // Three faults in a row: one more retry than the default two (core/defaults.ts).
      const c = createEndpointClient({ baseUrl, model: 'scripted-model', retryBaseMs: 5, maxRetries: 3, logger: log });
      const r = await c.complete({ prompt: PROMPT, stop: R1.stops });
      assert.equal(r.attempts, 4);
      assert.equal(r.stopString, '<|end_of_query|>');
      assert.equal(log.lines.filter((l) => /retry \d\/3/.test(l)).length, 3);
      assert.ok(log.lines.some((l) => /answered 429/.test(l)));
    });
  });

  it('gives up after maxRetries with the status in the error', async () => {
    await withFilmServer({ faults: [{ kind: 'status', status: 503, times: 10 }] }, async (baseUrl) => {
      const c = createEndpointClient({ baseUrl, model: 'scripted-model', retryBaseMs: 1, maxRetries: 2 });
      await assert.rejects(c.complete({ prompt: PROMPT }), (e: unknown) => e instanceof EndpointError && e.status === 503 && e.message.includes(baseUrl));
    });
  });

  it('does not retry a 400', async () => {
    await withFilmServer({ faults: [{ kind: 'status', status: 400, times: 1 }] }, async (baseUrl, s) => {
      const c = createEndpointClient({ baseUrl, model: 'scripted-model', retryBaseMs: 1 });
      await assert.rejects(c.complete({ prompt: PROMPT }), /answered 400/);
      assert.equal(s.requests.length, 1);
    });
  });

  it('retries a connection reset', async () => {
    await withFilmServer({ faults: [{ kind: 'reset', times: 1, path: '/v1/completions' }] }, async (baseUrl) => {
      const c = createEndpointClient({ baseUrl, model: 'scripted-model', retryBaseMs: 1 });
      const r = await c.complete({ prompt: PROMPT, stop: R1.stops });
      assert.equal(r.attempts, 2);
    });
  });

  it('malformed SSE ends in a clear error, and the loop keeps the partial trajectory', async () => {
    await withFilmServer({ faults: [{ kind: 'malformedSse', times: 1 }] }, async (baseUrl) => {
      const c = createEndpointClient({ baseUrl, model: 'scripted-model', retryBaseMs: 1 });
      const t = await runLoop({ question: Q, template: R1, endpoint: c, retriever: new FakeRetriever(FILM_DOCS) });
      assert.equal(t.stopReason, 'error');
      assert.match(t.error ?? '', /malformed response from http:\/\/127\.0\.0\.1:\d+\/v1/);
    });
  });

  it('times out a request that never answers, naming the URL', async () => {
    await withFilmServer({ faults: [{ kind: 'hang', times: 5 }] }, async (baseUrl) => {
      const c = createEndpointClient({ baseUrl, model: 'scripted-model', timeoutMs: 150, maxRetries: 1, retryBaseMs: 1 });
      const t0 = Date.now();
      await assert.rejects(c.complete({ prompt: PROMPT }), (e: unknown) => e instanceof EndpointError && /no answer from .* within/.test(e.message));
      assert.ok(Date.now() - t0 < 2000);
    });
  });

  it('an AbortSignal cancels a request in flight', async () => {
    await withFilmServer({ faults: [{ kind: 'hang', times: 1 }] }, async (baseUrl) => {
      const c = createEndpointClient({ baseUrl, model: 'scripted-model' });
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 50);
      await assert.rejects(c.complete({ prompt: PROMPT, signal: ac.signal }), CancelledError);
    });
  });

  it('an abort after tokens have streamed is a cancellation, not a short completion', async () => {
    await withFilmServer({ tokenDelayMs: 20 }, async (baseUrl) => {
      const c = createEndpointClient({ baseUrl, model: 'scripted-model' });
      const ac = new AbortController();
      let tokens = 0;
      await assert.rejects(
        c.complete({ prompt: PROMPT, stream: true, signal: ac.signal, onToken: () => ++tokens === 2 && ac.abort() }),
        CancelledError,
      );
      assert.ok(tokens >= 2, 'tokens had streamed before the abort');
    });
  });

  it('a refused connection names the URL and what to check', async () => {
    const s = await startScriptedServer({ policies: [] });
    const url = s.baseUrl;
    await s.close();
    const c = createEndpointClient({ baseUrl: url, model: 'm', maxRetries: 0 });
    await assert.rejects(c.complete({ prompt: 'x' }), (e: unknown) => e instanceof EndpointError && e.describe().includes(url) && /server is running/.test(e.describe()));
  });

  it('does not retry where nobody listens (refused, or a port fetch blocks), and says why', async () => {
    const s = await startScriptedServer({ policies: [] });
    const url = s.baseUrl;
    await s.close();
    for (const [where, why] of [[url, /ECONNREFUSED/], ['http://127.0.0.1:9/v1', /bad port/]] as const) {
      const log = recordingLogger();
      const c = createEndpointClient({ baseUrl: where, model: 'm', maxRetries: 3, retryBaseMs: 200, logger: log });
      const started = Date.now();
      await assert.rejects(c.complete({ prompt: 'x' }), (e: unknown) => e instanceof EndpointError && why.test(e.message));
      assert.deepEqual(log.lines, [], 'no retry warnings');
      assert.ok(Date.now() - started < 150, 'no backoff');
    }
  });

  it('never puts the API key into a trace, an error or a log line', async () => {
    const key = 'sk-test-SECRET-1234567890';
    await withFilmServer({ faults: [{ kind: 'status', status: 500, times: 1 }] }, async (baseUrl, s) => {
      const log = recordingLogger();
      const withCreds = baseUrl.replace('http://', 'http://user:pw@');
      const c = createEndpointClient({ baseUrl: withCreds, apiKey: key, retryBaseMs: 1, logger: log });
      const t = await runLoop({ question: Q, template: R1, endpoint: c, retriever: new FakeRetriever(FILM_DOCS), logger: log });
      assert.equal(t.stopReason, 'finished');
      assert.ok(s.requests.every((r) => r.headers.authorization === `Bearer ${key}`), 'the key is sent to the server');
      assert.ok(!JSON.stringify(t).includes(key));
      assert.ok(!JSON.stringify(t).includes('pw@'));
      assert.equal(t.policy.endpoint, baseUrl);
      assert.ok(log.lines.length > 0 && log.lines.every((l) => !l.includes(key)));
    });
  });

  it('a wrong model name is a 404 with a hint to check it, not retried', async () => {
    await withFilmServer({}, async (baseUrl, s) => {
      const c = createEndpointClient({ baseUrl, model: 'no-such-model', retryBaseMs: 1 });
      await assert.rejects(c.complete({ prompt: PROMPT }), (e: unknown) => e instanceof EndpointError && e.status === 404 && /check the model name/.test(e.describe()));
      assert.equal(s.requests.length, 1);
    });
  });

  it('lists models and resolves the first one when none is given', async () => {
    await withFilmServer({ model: 'R1-Searcher-7B' }, async (baseUrl) => {
      const c = createEndpointClient({ baseUrl });
      assert.deepEqual(await c.listModels(), ['R1-Searcher-7B']);
      assert.equal(await c.resolveModel(), 'R1-Searcher-7B');
    });
  });

  it('scores a prompt with echo log-probs, and says clearly when the server has none', async () => {
    await withFilmServer({}, async (baseUrl) => {
      const c = createEndpointClient({ baseUrl });
      const lp = await c.scorePrompt('Paris is in France. Paris');
      assert.equal(lp.tokens.join(''), 'Paris is in France. Paris');
      assert.equal(lp.tokenLogprobs[0], null);
      assert.equal(lp.tokenLogprobs.at(-1), -0.1, 'a word already in the context is likely');
    });
    await withFilmServer({ promptLogprobs: false }, async (baseUrl) => {
      const c = createEndpointClient({ baseUrl });
      await assert.rejects(c.scorePrompt('x y'), /did not return prompt log-probs/);
    });
  });

  it("falls back to vLLM's prompt_logprobs when echo brings none, with the same tokens, offsets and log-probs", async () => {
    const viaEcho = await withFilmServer({}, (baseUrl) => createEndpointClient({ baseUrl }).scorePrompt('Paris is in France. Paris'));
    const viaVllm = await withFilmServer({ promptLogprobs: 'prompt_logprobs' }, (baseUrl) => createEndpointClient({ baseUrl }).scorePrompt('Paris is in France. Paris'));
    // The first token has no entry in prompt_logprobs, so its text is unknown; the rest match.
    assert.deepEqual(viaVllm.tokens.slice(1), viaEcho.tokens.slice(1));
    // Offsets have their server's origin (the unknown first token counts nothing); placed in the prompt they agree.
    const prompt = 'Paris is in France. Paris';
    assert.deepEqual(tokenSpans(viaVllm, prompt).slice(1), tokenSpans(viaEcho, prompt).slice(1));
    assert.deepEqual(viaVllm.tokenLogprobs, viaEcho.tokenLogprobs);
  });
});

describe('cutAtStop and redactUrl', () => {
  it('cuts at the earliest stop string and caps characters', () => {
    assert.deepEqual(cutAtStop('a</answer>b<|end_of_query|>', ['<|end_of_query|>', '</answer>']), { text: 'a', stop: '</answer>', capped: false });
    assert.deepEqual(cutAtStop('abcdef', ['x'], 3), { text: 'abc', stop: undefined, capped: true });
  });
  it('drops credentials and key-like parameters from URLs', () => {
    assert.equal(redactUrl('https://u:p@host.example/v1?api_key=abc&x=1'), 'https://host.example/v1?api_key=***&x=1');
  });
});

describe('endpoint client defaults', () => {
  it('retries twice by default (core/defaults.ts, as the extension setting): three 500s in a row fail after three attempts', async () => {
    await withFilmServer({ faults: [{ kind: 'status', status: 500, times: 3, path: '/v1/completions' }] }, async (baseUrl, s) => {
      const c = createEndpointClient({ baseUrl, model: 'scripted-model', retryBaseMs: 1 });
      await assert.rejects(c.complete({ prompt: PROMPT, stop: R1.stops }), /answered 500/);
      assert.equal(s.requests.filter((r) => r.path === '/v1/completions').length, 3);
    });
  });
});
