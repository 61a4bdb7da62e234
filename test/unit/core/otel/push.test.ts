import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { trajectorySpans } from '../../../../src/core/export/otel';
import { traceIdOf } from '../../../../src/core/export/otelSpans';
import { importFile } from '../../../../src/core/importers';
import { resolvePushConfig } from '../../../../src/core/otel/config';
import { pushTrajectories, spanSizeBound, type PushOptions } from '../../../../src/core/otel/push';
import { CollectorError } from '../../../../src/core/otel/transport';
import type { Trajectory } from '../../../../src/core/trace';
import { OtlpReceiver, type ReceivedSpan, type ReceivedValue } from '../../../fixtures/otlpReceiver';

const FIX = join(__dirname, '../../../fixtures/importers/r1searcher');

let receiver: OtlpReceiver;
let trajectories: Trajectory[];
let waits: number[];

before(async () => {
  receiver = await new OtlpReceiver().start();
  trajectories = (await importFile(join(FIX, 'hotpotqa_llama.sample.jsonl'))).trajectories;
});
after(() => receiver.stop());
beforeEach(() => {
  receiver.received.length = 0;
  receiver.statuses.length = 0;
  receiver.script.length = 0;
  waits = [];
});

function options(extra: Partial<PushOptions> = {}, env: Record<string, string> = {}): PushOptions {
  return {
    config: resolvePushConfig({}, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, ...env }),
    sleep: async (ms) => void waits.push(ms),
    ...extra,
  };
}

const value = (s: ReceivedSpan, key: string): ReceivedValue | undefined => s.attributes.find((a) => a.key === key)?.value;
const str = (s: ReceivedSpan, key: string) => value(s, key)?.stringValue;

test('a push arrives as protobuf and decodes with the official schema into one trace per trajectory', async () => {
  const summary = await pushTrajectories(trajectories, options({}, { OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Basic%20cGs6c2s=' }));
  assert.equal(receiver.received.length, 1);
  const req = receiver.received[0]!;
  assert.equal(req.path, '/v1/traces');
  assert.equal(req.contentType, 'application/x-protobuf');
  assert.equal(req.headers.authorization, 'Basic cGs6c2s=', 'OTEL_EXPORTER_OTLP_HEADERS is sent, URL-decoded');
  const spans = receiver.spans();
  assert.equal(new Set(spans.map((s) => s.traceId)).size, trajectories.length);
  assert.deepEqual([summary.trajectories, summary.requests, summary.spans, summary.retries], [trajectories.length, 1, spans.length, 0]);

  trajectories.forEach((t) => {
    const agent = spans.find((s) => str(s, 'openinference.span.kind') === 'AGENT' && str(s, 'hopscope.trajectory.id') === t.id)!;
    assert.ok(agent, `an AGENT span for ${t.id}`);
    assert.equal(str(agent, 'input.value'), t.question);
    const mine = spans.filter((s) => s.traceId === agent.traceId);
    const llms = mine.filter((s) => str(s, 'openinference.span.kind') === 'LLM');
    assert.ok(llms.length > 0);
    for (const llm of llms) {
      assert.match(str(llm, 'llm.input_messages.0.message.content') ?? '', new RegExp(t.question.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      assert.ok(JSON.parse(str(llm, 'gen_ai.input.messages')!).length > 0);
    }
    const retrievers = mine.filter((s) => str(s, 'openinference.span.kind') === 'RETRIEVER');
    const searches = t.steps.filter((s) => s.kind === 'search');
    assert.equal(retrievers.length, searches.length, 'one RETRIEVER span per search');
    retrievers.forEach((r, i) => {
      const step = searches[i]!;
      assert.equal(str(r, 'gen_ai.retrieval.query.text'), step.query);
      step.docs.forEach((d, n) => assert.equal(str(r, `retrieval.documents.${n}.document.content`), d.text, `document ${n} of search ${i}`));
    });
    const scores = (agent.events ?? []).filter((e) => e.name === 'gen_ai.evaluation.result');
    assert.ok(scores.length >= 3);
    for (const e of scores) {
      const v = e.attributes.find((a) => a.key === 'gen_ai.evaluation.score.value')?.value;
      if (v) assert.equal(typeof v.doubleValue, 'number', 'scores decode as double_value');
    }
  });

  // One type per attribute key, on spans and events, as decoded from the wire.
  const types = new Map<string, string>();
  for (const a of spans.flatMap((s) => [...s.attributes, ...(s.events ?? []).flatMap((e) => e.attributes)])) {
    const kind = Object.keys(a.value).join();
    assert.ok(!types.has(a.key) || types.get(a.key) === kind, `${a.key}: ${types.get(a.key)} vs ${kind}`);
    types.set(a.key, kind);
  }
  for (const s of spans) assert.ok(BigInt(s.startTimeUnixNano) > BigInt(Date.UTC(2000, 0, 1)) * 1_000_000n, 'no 1970 timestamps');
});

test('sending the same file twice sends the same trace ids', async () => {
  await pushTrajectories(trajectories.slice(0, 2), options());
  await pushTrajectories(trajectories.slice(0, 2), options());
  const [a, b] = receiver.received.map((r) => r.request.resourceSpans[0]!.scopeSpans[0]!.spans.map((s) => `${s.traceId}/${s.spanId}`));
  assert.deepEqual(a, b);
});

test('requests are size-bounded batches, each trajectory whole, every span sent once', async () => {
  const max = 40_000;
  const progress: number[] = [];
  const summary = await pushTrajectories(trajectories, options({ maxBatchBytes: max, onProgress: (p) => progress.push(p.trajectories) }));
  assert.ok(receiver.received.length > 2, `${receiver.received.length} requests`);
  for (const r of receiver.received) {
    const n = r.request.resourceSpans[0]!.scopeSpans[0]!.spans.length;
    assert.ok(r.bytes <= max || n === 1, `a request of ${r.bytes} bytes holds ${n} spans: only a span larger than the limit goes over it, alone`);
  }
  const ids = receiver.spans().map((s) => s.spanId);
  assert.equal(new Set(ids).size, ids.length, 'no span twice');
  assert.equal(new Set(receiver.spans().map((s) => s.traceId)).size, trajectories.length);
  // A trajectory is split only when its spans alone are over the limit (the longest rollout here is).
  const tooBig = trajectories.filter((t) => trajectorySpans(t).reduce((n, s) => n + spanSizeBound(s), 0) > max).map(traceIdOf);
  assert.equal(tooBig.length, 1);
  for (const t of trajectories) {
    const requests = receiver.received.filter((x) => x.request.resourceSpans[0]!.scopeSpans[0]!.spans.some((s) => s.traceId === traceIdOf(t))).length;
    if (tooBig.includes(traceIdOf(t))) assert.ok(requests > 1);
    else assert.equal(requests, 1, `trajectory ${t.id} fits in one request and is not split`);
  }
  assert.equal(summary.requests, receiver.received.length);
  assert.equal(progress.at(-1), trajectories.length);
  assert.deepEqual(progress, [...progress].sort((a, b) => a - b));
});

test('a trajectory larger than the limit is split over requests rather than refused', async () => {
  const max = 6_000;
  await pushTrajectories(trajectories.slice(0, 3), options({ maxBatchBytes: max }));
  assert.ok(receiver.received.length > 3);
  const sent = receiver.spans();
  assert.equal(new Set(sent.map((s) => s.spanId)).size, sent.length);
  assert.equal(new Set(sent.map((s) => s.traceId)).size, 3);
});

test('429 with Retry-After and 503 are retried with backoff; the data arrives once', async () => {
  receiver.script.push({ status: 429, headers: { 'Retry-After': '2' } }, { status: 503 }, { status: 503 });
  const retries: Array<number | undefined> = [];
  const summary = await pushTrajectories(trajectories.slice(0, 2), options({ onRetry: (r) => retries.push(r.status) }));
  assert.deepEqual(receiver.statuses, [429, 503, 503, 200]);
  assert.deepEqual(retries, [429, 503, 503]);
  assert.deepEqual(waits, [2000, 2000, 4000], 'Retry-After is honoured, then the backoff doubles');
  assert.equal(summary.retries, 3);
  assert.equal(receiver.received.length, 1);
  assert.equal(new Set(receiver.spans().map((s) => s.traceId)).size, 2);
});

test('a refused request names the endpoint without credentials and the status', async () => {
  receiver.script.push({ status: 401, body: '{"message":"invalid credentials"}' });
  const url = receiver.url.replace('http://', 'http://pk:sk-secret@');
  const err = await pushTrajectories(trajectories.slice(0, 1), options({ config: resolvePushConfig({ endpoint: `${url}/v1/traces?token=abc` }, {}) })).then(
    () => assert.fail('the push should fail'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof CollectorError);
  assert.equal(err.status, 401);
  assert.match(err.message, new RegExp(`${receiver.url.replace(/\./g, '\\.')}/v1/traces`));
  assert.match(err.message, /HTTP 401/);
  assert.match(err.message, /invalid credentials/);
  assert.ok(!err.describe().includes('sk-secret') && !err.describe().includes('abc'), err.describe());
  assert.match(err.describe(), /Authorization/);
  assert.deepEqual(waits, [], '401 is not retried');
});

test('503 until the attempts run out fails naming the status and the attempts', async () => {
  for (let i = 0; i < 3; i++) receiver.script.push({ status: 503 });
  const err = await pushTrajectories(trajectories.slice(0, 1), options({ retry: { maxAttempts: 3 } })).then(
    () => assert.fail('the push should fail'),
    (e: unknown) => e as CollectorError,
  );
  assert.match(err.message, /after 3 attempts: HTTP 503/);
  assert.equal(receiver.received.length, 0);
});

test('a collector that is not there is reported as unreachable, after retries', async () => {
  const dead = new OtlpReceiver();
  await dead.start();
  await dead.stop();
  const err = await pushTrajectories(trajectories.slice(0, 1), options({ config: resolvePushConfig({ endpoint: dead.url }, {}), retry: { maxAttempts: 2 } })).then(
    () => assert.fail('the push should fail'),
    (e: unknown) => e as CollectorError,
  );
  assert.match(err.message, new RegExp(`cannot reach the collector at ${dead.url.replace(/\./g, '\\.')}/v1/traces after 2 attempts`));
  assert.equal(waits.length, 1);
});

test('http/json sends the OTLP/JSON mapping with the same spans', async () => {
  await pushTrajectories(trajectories.slice(0, 2), options({}, { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }));
  assert.equal(receiver.received[0]!.contentType, 'application/json');
  const spans = receiver.spans();
  assert.equal(new Set(spans.map((s) => s.traceId)).size, 2);
  assert.ok(spans.some((s) => str(s, 'openinference.span.kind') === 'RETRIEVER'));
});

test('gzip compression from OTEL_EXPORTER_OTLP_COMPRESSION', async () => {
  await pushTrajectories(trajectories.slice(0, 2), options({}, { OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip' }));
  assert.equal(receiver.received[0]!.headers['content-encoding'], 'gzip');
  assert.equal(new Set(receiver.spans().map((s) => s.traceId)).size, 2);
});

test('partial success: spans the collector dropped are counted', async () => {
  receiver.script.push({ status: 200, body: '{"partialSuccess":{"rejectedSpans":"2","errorMessage":"too old"}}' });
  const summary = await pushTrajectories(trajectories.slice(0, 1), options({}, { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }));
  assert.equal(summary.rejectedSpans, 2);
  assert.deepEqual(summary.warnings, ['too old']);
});

test('a 200 web page (a UI at the wrong path) is a failure, not a success', async () => {
  receiver.script.push({ status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: '<!doctype html><title>Phoenix</title>' });
  const err = await pushTrajectories(trajectories.slice(0, 1), options()).then(
    () => assert.fail('the push should fail'),
    (e: unknown) => e as CollectorError,
  );
  assert.ok(err instanceof CollectorError);
  assert.match(err.describe(), /answered with a web page.*check the endpoint/);
});
