/**
 * Issue 12: a broken answer is an error, never a result. Each fault of the scripted server is retried
 * while nothing was shown, and otherwise fails the turn with the error in the trajectory.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createEndpointClient } from '../../../../src/core/endpoint';
import { EndpointError } from '../../../../src/core/errors';
import { runLoop } from '../../../../src/core/loop';
import { getTemplate, renderPrompt } from '../../../../src/core/templates';
import { startScriptedServer, type Fault } from '../../../fixtures/scriptedServer';
import { FakeRetriever, FILM_DOCS, FILM_QUESTION, recordingLogger, withFilmServer } from '../helpers';

const Q = FILM_QUESTION;
const R1 = getTemplate('r1-searcher');
const PROMPT = renderPrompt(R1, Q);

/** Each streamed fault, and what the error says about it. */
const STREAM_FAULTS: { name: string; fault: Fault; says: RegExp }[] = [
  { name: 'silence after the headers', fault: { kind: 'silence', times: 1 }, says: /no answer from .* within/ },
  { name: 'a stream cut mid-way', fault: { kind: 'cutStream', times: 1 }, says: /ended before the model finished/ },
  { name: 'an endless stream of comments', fault: { kind: 'comments', times: 1, intervalMs: 10 }, says: /no answer from .* within/ },
  { name: 'a slow-loris stream', fault: { kind: 'slowLoris', times: 1, intervalMs: 10 }, says: /no answer from .* within/ },
  { name: 'an HTML page on 200', fault: { kind: 'html', times: 1 }, says: /text\/html, not an event stream/ },
  { name: 'a malformed event', fault: { kind: 'malformedSse', times: 1 }, says: /malformed response/ },
  { name: 'an SSE error event', fault: { kind: 'sseError', times: 1 }, says: /reported an error in its stream: scripted failure: the engine ran out of KV cache/ },
  { name: 'a vLLM error event', fault: { kind: 'sseError', times: 1, shape: 'vllm', message: 'vLLM engine died' }, says: /reported an error in its stream: vLLM engine died/ },
];

describe('endpoint faults: retried while nothing was shown', () => {
  for (const { name, fault } of STREAM_FAULTS) {
    it(`${name}: retried once, then the real completion`, async () => {
      await withFilmServer({ faults: [fault] }, async (baseUrl) => {
        const log = recordingLogger();
        const c = createEndpointClient({ baseUrl, model: 'scripted-model', timeoutMs: 300, retryBaseMs: 1, maxRetries: 3, logger: log });
        const r = await c.complete({ prompt: PROMPT, stop: R1.stops });
        assert.equal(r.attempts, 2);
        assert.equal(r.stopString, '<|end_of_query|>');
        assert.match(r.text, /Indradhanura Chhai director$/);
        assert.equal(log.lines.filter((l) => /retry 1\/3/.test(l)).length, 1);
      });
    });
  }
});

describe('endpoint faults: an error when every attempt breaks', () => {
  for (const { name, fault, says } of STREAM_FAULTS) {
    it(`${name}: an EndpointError saying what happened, never a completion`, async () => {
      await withFilmServer({ faults: [{ ...fault, times: 10 }] }, async (baseUrl, s) => {
        const c = createEndpointClient({ baseUrl, model: 'scripted-model', timeoutMs: 300, retryBaseMs: 1, maxRetries: 1 });
        await assert.rejects(c.complete({ prompt: PROMPT, stop: R1.stops }), (e: unknown) => {
          assert.ok(e instanceof EndpointError, String(e));
          assert.match(e.message, says);
          assert.doesNotMatch(e.message, /undefined/);
          return true;
        });
        assert.equal(s.requests.filter((r) => r.path === '/v1/completions').length, 2, 'one try and one retry');
      });
    });
  }

  it('an HTML page on 200 without streaming is an error too', async () => {
    await withFilmServer({ faults: [{ kind: 'html', times: 10 }, { kind: 'html', times: 10, path: '/v1/models' }] }, async (baseUrl) => {
      const c = createEndpointClient({ baseUrl, model: 'scripted-model', retryBaseMs: 1, maxRetries: 1 });
      await assert.rejects(c.complete({ prompt: PROMPT, stream: false }), /the answer is not JSON: "<!doctype html>/);
      await assert.rejects(c.listModels(), /the model list is text\/html, not JSON/);
    });
  });
});

describe('endpoint faults: after tokens were shown, the turn fails', () => {
  for (const { name, fault, says } of STREAM_FAULTS.filter((f) => ['cutStream', 'sseError', 'malformedSse'].includes(f.fault.kind))) {
    it(`${name}: no retry once tokens streamed; the loop ends with stopReason error and the error`, async () => {
      await withFilmServer({ faults: [{ ...fault, times: 1 }] }, async (baseUrl, s) => {
        const c = createEndpointClient({ baseUrl, model: 'scripted-model', timeoutMs: 300, retryBaseMs: 1 });
        const t = await runLoop({ question: Q, template: R1, endpoint: c, retriever: new FakeRetriever(FILM_DOCS) });
        assert.equal(t.stopReason, 'error');
        assert.match(t.error ?? '', says);
        assert.equal(s.requests.filter((r) => r.path === '/v1/completions').length, 1, 'what was shown is not asked again');
        const last = t.steps.at(-1)!;
        assert.equal(last.kind, 'reason', 'the broken turn is a step');
        assert.match(last.error ?? '', says);
        assert.ok(last.kind === 'reason' && last.text.length > 0, 'with the text that was shown');
      });
    });
  }

  it('a turn whose every attempt times out ends the trajectory in error instead of eos_no_answer', async () => {
    await withFilmServer({ faults: [{ kind: 'silence', times: 10 }] }, async (baseUrl) => {
      const c = createEndpointClient({ baseUrl, model: 'scripted-model', timeoutMs: 200, retryBaseMs: 1, maxRetries: 1 });
      const t = await runLoop({ question: Q, template: R1, endpoint: c, retriever: new FakeRetriever(FILM_DOCS) });
      assert.equal(t.stopReason, 'error');
      assert.match(t.error ?? '', /no answer from http:\/\/127\.0\.0\.1:\d+\/v1 within/);
      assert.deepEqual(t.labels, []);
    });
  });
});

describe('endpoint URLs', () => {
  it('keep their query string: /v1?api_key=… reaches /v1/completions with the parameter', async () => {
    await withFilmServer({}, async (baseUrl, s) => {
      const c = createEndpointClient({ baseUrl: `${baseUrl}?api_key=sekrit-123&tenant=a`, model: 'scripted-model' });
      await c.complete({ prompt: PROMPT, stop: R1.stops });
      const req = s.requests.at(-1)!;
      assert.equal(req.path, '/v1/completions');
      assert.equal(new URLSearchParams(req.query).get('api_key'), 'sekrit-123');
      assert.equal(new URLSearchParams(req.query).get('tenant'), 'a');
      assert.equal(c.baseUrl, `${baseUrl}?api_key=***&tenant=a`);
    });
  });

  for (const bad of ['ftp://127.0.0.1:1/v1', 'file:///etc/passwd']) {
    it(`${bad.split(':')[0]}: is refused at once, without a retry`, async () => {
      const log = recordingLogger();
      const c = createEndpointClient({ baseUrl: bad, model: 'm', retryBaseMs: 1, logger: log });
      await assert.rejects(c.complete({ prompt: 'x' }), (e: unknown) => e instanceof EndpointError && /not http: or https:/.test(e.message));
      await assert.rejects(c.listModels(), /not http: or https:/);
      assert.deepEqual(log.lines, [], 'no retry was logged');
    });
  }

  it('a timeout past Node\'s timer range is clamped, not overflowed', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      await withFilmServer({}, async (baseUrl) => {
        const c = createEndpointClient({ baseUrl, model: 'scripted-model', timeoutMs: 3_000_000_000 });
        const r = await c.complete({ prompt: PROMPT, stop: R1.stops });
        assert.equal(r.attempts, 1);
      });
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', onWarning);
    }
    assert.ok(!warnings.includes('TimeoutOverflowWarning'), warnings.join(', '));
  });

  it('an echoed Basic-auth header and the URL\'s credentials are scrubbed from errors and logs', async () => {
    await withFilmServer({ faults: [{ kind: 'status', status: 500, times: 10, echoAuth: true }] }, async (baseUrl, s) => {
      const log = recordingLogger();
      const withCreds = baseUrl.replace('http://', 'http://alice:hunter2-pass@');
      const c = createEndpointClient({ baseUrl: withCreds, model: 'scripted-model', retryBaseMs: 1, maxRetries: 1, logger: log });
      const err = await c.complete({ prompt: PROMPT }).then(() => undefined, (e: Error) => e);
      assert.ok(err instanceof EndpointError);
      const basic = Buffer.from('alice:hunter2-pass').toString('base64');
      assert.equal(s.requests.at(-1)!.headers.authorization, `Basic ${basic}`, 'the credentials were sent as Basic auth');
      for (const text of [err.message, err.describe(), ...log.lines]) {
        for (const secret of ['hunter2-pass', basic, 'alice']) assert.ok(!text.includes(secret), `${secret} in ${text}`);
      }
      assert.match(err.message, /Basic \*\*\*/);
    });
  });
});

describe('endpoint faults: a server streaming endless text', () => {
  const CAP = 5_000;
  /** Resolves once the server has seen every request end (the client hung up on the endless stream). */
  async function drained(s: Awaited<ReturnType<typeof startScriptedServer>>): Promise<void> {
    while (s.inFlight() > 0) await new Promise((r) => setImmediate(r));
  }

  it('the turn is cut at the turn cap: stopReason length, the text marked truncated, the request hung up', async () => {
    await withFilmServer({ faults: [{ kind: 'endlessText', times: 10, chunkChars: 700 }] }, async (baseUrl, s) => {
      // A long idle timeout: only the cap can end this turn.
      const c = createEndpointClient({ baseUrl, model: 'scripted-model', timeoutMs: 600_000, retryBaseMs: 1 });
      const t = await runLoop({ question: Q, template: R1, endpoint: c, retriever: new FakeRetriever(FILM_DOCS), maxTurns: 1, maxCharsPerTurn: CAP });
      assert.equal(t.stopReason, 'length');
      assert.equal(t.error, undefined);
      const last = t.steps.at(-1)!;
      assert.equal(last.kind, 'reason');
      assert.ok(last.kind === 'reason' && last.text.length <= CAP, `the step holds ${last.kind === 'reason' ? last.text.length : 0} characters`);
      assert.ok((last.truncated?.originalChars ?? 0) > CAP, 'the step says it was cut');
      assert.equal(s.requests.filter((r) => r.path === '/v1/completions').length, 1, 'a cut turn is not retried');
      await drained(s);
    });
  });

  it('every turn endless: the whole trajectory and each prompt stay bounded by the cap', async () => {
    await withFilmServer({ faults: [{ kind: 'endlessText', times: 100, chunkChars: 700 }] }, async (baseUrl, s) => {
      const c = createEndpointClient({ baseUrl, model: 'scripted-model', timeoutMs: 600_000, retryBaseMs: 1 });
      const t = await runLoop({ question: Q, template: R1, endpoint: c, retriever: new FakeRetriever(FILM_DOCS), maxTurns: 4, maxCharsPerTurn: CAP });
      const calls = s.requests.filter((r) => r.path === '/v1/completions');
      assert.ok(calls.length >= 1 && calls.length <= 4);
      for (const step of t.steps) if (step.kind !== 'search') assert.ok(step.text.length <= CAP);
      // The prompt grows by at most one cut turn (plus the loop's own text) per call.
      const prompts = calls.map((r) => String((r.body as { prompt?: unknown }).prompt ?? ''));
      assert.ok(prompts.every((p) => p.length <= PROMPT.length + 4 * (CAP + 1_000)), `longest prompt ${Math.max(...prompts.map((p) => p.length))}`);
      assert.ok(JSON.stringify(t).length < 4 * 4 * CAP + 20_000, `trajectory of ${JSON.stringify(t).length} characters`);
      await drained(s);
    });
  });
});
