import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { toOtlp, type OtlpAttribute, type OtlpEvent, type OtlpSpan, type OtlpTraces, type OtlpValue } from '../../../../src/core/export/otel';
import { importFile } from '../../../../src/core/importers';
import { analyzeTrajectory } from '../../../../src/core/rewards';
import type { Trajectory } from '../../../../src/core/trace';
import { answer, doc, reason, search, trajectory } from '../build';

const FIX = join(__dirname, '../../../fixtures/importers/r1searcher');

const spansOf = (d: OtlpTraces) => d.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
const get = (attrs: OtlpAttribute[], key: string): OtlpValue | undefined => attrs.find((a) => a.key === key)?.value;
const attr = (s: OtlpSpan, key: string) => get(s.attributes, key);
const text = (s: OtlpSpan, key: string) => {
  const v = attr(s, key);
  assert.ok(v && 'stringValue' in v, `${s.name}: ${key} is a string`);
  return v.stringValue;
};
const evals = (s: OtlpSpan) =>
  s.events
    .filter((e: OtlpEvent) => e.name === 'gen_ai.evaluation.result')
    .map((e) => ({ name: (get(e.attributes, 'gen_ai.evaluation.name') as { stringValue: string }).stringValue, value: get(e.attributes, 'gen_ai.evaluation.score.value'), label: get(e.attributes, 'gen_ai.evaluation.score.label') }));

/** Every attribute key, on spans and on events, has one value type across the whole export. */
function assertOneTypePerKey(spans: OtlpSpan[]): void {
  const types = new Map<string, string>();
  for (const a of spans.flatMap((s) => [...s.attributes, ...s.events.flatMap((e) => e.attributes)])) {
    const kinds = Object.keys(a.value);
    assert.equal(kinds.length, 1, `${a.key} has exactly one value kind`);
    const seen = types.get(a.key);
    assert.ok(seen === undefined || seen === kinds[0], `${a.key} is ${seen} and ${kinds[0]}`);
    types.set(a.key, kinds[0]!);
  }
}

function liveRun(): Trajectory {
  return analyzeTrajectory(
    trajectory({
      id: 'traj-1',
      runId: 'run-7',
      gold: ['Paris'],
      answer: 'Lyon',
      outcome: { em: 0, f1: 0, coverEm: 0, judge: 1 },
      policy: { endpoint: 'https://user:secret@vllm.example:8443/v1', model: 'R1-Searcher-7B', template: 'r1-searcher', params: { temperature: 0, maxTokens: 512 } },
      retriever: { kind: 'workspace', topK: 5 },
      usage: { promptTokens: 900, completionTokens: 60 },
      steps: [
        { ...reason('find it'), ms: 100, tokens: 20 },
        { ...search('capital of France', [doc(1, 'France', 'The capital is Paris.'), doc(2, 'Lyon', 'Lyon is a city.')]), ms: 5 },
        { ...reason('so Lyon'), ms: 80, tokens: 30 },
        { ...answer('Lyon'), ms: 10, tokens: 10 },
      ],
    }),
  );
}

test('a trajectory is an AGENT/invoke_agent span, an LLM span per model call and a RETRIEVER/retrieval span per search', () => {
  const spans = spansOf(JSON.parse(JSON.stringify(toOtlp([liveRun()]))));
  assert.deepEqual(
    spans.map((s) => s.name),
    ['invoke_agent r1-searcher', 'text_completion R1-Searcher-7B', 'retrieval workspace', 'text_completion R1-Searcher-7B'],
  );
  const [agent, call1, retrieval, call2] = spans as [OtlpSpan, OtlpSpan, OtlpSpan, OtlpSpan];
  assert.deepEqual(spans.map((s) => text(s, 'gen_ai.operation.name')), ['invoke_agent', 'text_completion', 'retrieval', 'text_completion']);
  assert.deepEqual(spans.map((s) => text(s, 'openinference.span.kind')), ['AGENT', 'LLM', 'RETRIEVER', 'LLM']);
  assert.deepEqual(spans.map((s) => s.kind), [1, 3, 1, 3], 'INTERNAL agent and workspace search, CLIENT model calls');
  for (const s of spans.slice(1)) assert.equal(s.parentSpanId, agent.spanId);
  assertOneTypePerKey(spans);

  // The agent span: question, answer, no invented conversation id, the run as the session.
  assert.equal(text(agent, 'input.value'), 'Q?');
  assert.equal(text(agent, 'input.mime_type'), 'text/plain');
  assert.equal(text(agent, 'output.value'), 'Lyon');
  assert.deepEqual(JSON.parse(text(agent, 'gen_ai.input.messages')), [{ role: 'user', parts: [{ type: 'text', content: 'Q?' }] }]);
  assert.deepEqual(JSON.parse(text(agent, 'gen_ai.output.messages')), [{ role: 'assistant', parts: [{ type: 'text', content: 'Lyon' }], finish_reason: 'stop' }]);
  assert.equal(attr(agent, 'gen_ai.conversation.id'), undefined);
  assert.equal(text(agent, 'session.id'), 'run-7');
  assert.equal(text(agent, 'gen_ai.agent.name'), 'r1-searcher');
  assert.deepEqual(attr(agent, 'gen_ai.usage.input_tokens'), { intValue: '900' });
  assert.deepEqual(attr(agent, 'tag.tags'), { arrayValue: { values: agentLabels(liveRun()).map((l) => ({ stringValue: l })) } });
  const meta = JSON.parse(text(agent, 'metadata'));
  assert.deepEqual([meta.trajectory_id, meta.run_id, meta.gold], ['traj-1', 'run-7', ['Paris']]);
  assert.deepEqual(agent.status, { code: 0 }, 'success leaves the status UNSET');

  // Outcome metrics are evaluation events with double scores under the metric's own name.
  const agentEvals = evals(agent);
  assert.deepEqual(agentEvals.find((e) => e.name === 'em')?.value, { doubleValue: 0 });
  assert.deepEqual(agentEvals.find((e) => e.name === 'judge')?.value, { doubleValue: 1 }, 'a 1 is a double, not an int');
  assert.deepEqual(agentEvals.find((e) => e.name === 'retrievalHit')?.value, { doubleValue: 1 });
  assert.ok(agentEvals.some((e) => e.name === 'diagnosis' && e.label && 'stringValue' in e.label));
  assert.deepEqual(agentEvals.find((e) => e.name === 'verdict')?.label, { stringValue: 'wrong' }, 'the one verdict, as a label');

  // Model calls: request settings with their convention types, server.port beside server.address, no credentials.
  assert.equal(text(call1, 'gen_ai.request.model'), 'R1-Searcher-7B');
  assert.equal(text(call1, 'llm.model_name'), 'R1-Searcher-7B');
  assert.equal(attr(call1, 'gen_ai.response.model'), undefined, 'the response model is not made up from the request');
  assert.deepEqual(attr(call1, 'gen_ai.request.temperature'), { doubleValue: 0 });
  assert.deepEqual(attr(call1, 'gen_ai.request.max_tokens'), { intValue: '512' });
  assert.equal(text(call1, 'server.address'), 'vllm.example');
  assert.deepEqual(attr(call1, 'server.port'), { intValue: '8443' });
  assert.ok(!JSON.stringify(spans).includes('secret'));
  assert.deepEqual(attr(call1, 'gen_ai.usage.output_tokens'), { intValue: '20' });
  assert.deepEqual(attr(call1, 'llm.token_count.completion'), { intValue: '20' });
  assert.deepEqual(attr(call2, 'gen_ai.usage.output_tokens'), { intValue: '40' });

  // The second call's input is the prompt, the first call's output and the spliced documents.
  const input2 = JSON.parse(text(call2, 'gen_ai.input.messages'));
  assert.deepEqual(input2.map((m: { role: string }) => m.role), ['user', 'assistant', 'tool']);
  assert.match(input2[0].parts[0].content, /Q\?/);
  assert.deepEqual(input2[1].parts, [
    { type: 'reasoning', content: 'find it' },
    { type: 'tool_call', id: 'search-1', name: 'search', arguments: { query: 'capital of France' } },
  ]);
  assert.match(input2[2].parts[0].response, /<\|begin_of_documents\|>[\s\S]*The capital is Paris\./);
  assert.equal(text(call2, 'llm.input_messages.0.message.role'), 'user');
  assert.equal(text(call2, 'llm.input_messages.1.message.tool_calls.0.tool_call.function.name'), 'search');
  assert.equal(text(call2, 'llm.input_messages.2.message.role'), 'tool');
  assert.match(text(call2, 'llm.input_messages.2.message.content'), /The capital is Paris\./);
  assert.equal(attr(call2, 'input.value'), undefined, 'the messages are not repeated a third time');
  assert.deepEqual(JSON.parse(text(call2, 'gen_ai.output.messages')), [
    { role: 'assistant', parts: [{ type: 'reasoning', content: 'so Lyon' }, { type: 'text', content: 'Lyon' }], finish_reason: 'stop' },
  ]);
  assert.equal(text(call2, 'llm.output_messages.0.message.content'), 'so Lyon\n\nLyon');
  assert.deepEqual(evals(call2).find((e) => e.name === 'answerInDocs')?.value, { doubleValue: 1 }, "the answer step's reward (Lyon is in a document) is on its call");

  // The retrieval span: query, top-k, every document's id, score, content and metadata.
  assert.equal(text(retrieval, 'gen_ai.retrieval.query.text'), 'capital of France');
  assert.equal(text(retrieval, 'input.value'), 'capital of France');
  assert.deepEqual(attr(retrieval, 'gen_ai.request.top_k'), { doubleValue: 5 });
  assert.deepEqual(JSON.parse(text(retrieval, 'gen_ai.retrieval.documents')), [{ id: 'France#1', score: 9 }, { id: 'Lyon#2', score: 8 }]);
  assert.equal(text(retrieval, 'retrieval.documents.0.document.id'), 'France#1');
  assert.equal(text(retrieval, 'retrieval.documents.0.document.content'), 'The capital is Paris.');
  assert.deepEqual(attr(retrieval, 'retrieval.documents.1.document.score'), { doubleValue: 8 });
  assert.deepEqual(JSON.parse(text(retrieval, 'retrieval.documents.1.document.metadata')), { rank: 2, title: 'Lyon' });
  assert.deepEqual(evals(retrieval).find((e) => e.name === 'retrievalHit')?.value, { doubleValue: 1 });
  assert.equal(BigInt(retrieval.startTimeUnixNano) - BigInt(agent.startTimeUnixNano), 100_000_000n, 'the search starts after the first 100 ms call');
});

function agentLabels(t: Trajectory): string[] {
  return [...new Set(t.labels.map((l) => l.label))];
}

test('same trajectory, same trace: ids derive from the trajectory, not the time of export', () => {
  const t = liveRun();
  const a = spansOf(toOtlp([t]));
  const b = spansOf(toOtlp([{ ...t, createdAt: '2027-01-01T00:00:00Z' }]));
  assert.deepEqual(a.map((s) => [s.traceId, s.spanId]), b.map((s) => [s.traceId, s.spanId]));
  assert.notEqual(spansOf(toOtlp([{ ...t, id: 'traj-2' }]))[0]!.traceId, a[0]!.traceId);
});

test('times come from the trajectory, else the fallback (the file), never 1970 or negative', () => {
  const file = Date.UTC(2026, 5, 1);
  for (const createdAt of ['not a date', '1969-07-20T20:17:00Z', '', '1970-01-01T00:00:00Z']) {
    const [agent] = spansOf(toOtlp([liveRun()].map((t) => ({ ...t, createdAt })), { fallbackTimeMs: file }));
    assert.equal(agent!.startTimeUnixNano, `${BigInt(file) * 1_000_000n}`, createdAt);
  }
  const [own] = spansOf(toOtlp([liveRun()], { fallbackTimeMs: file }));
  assert.equal(own!.startTimeUnixNano, `${BigInt(Date.parse('2026-11-25T00:00:00Z')) * 1_000_000n}`);
  const [none] = spansOf(toOtlp([{ ...liveRun(), createdAt: 'garbage' }]));
  assert.ok(BigInt(none!.startTimeUnixNano) > BigInt(Date.UTC(2020, 0, 1)) * 1_000_000n);
});

test('errors set ERROR with error.type; an unnamed model gives a span name without a trailing space', () => {
  const t = trajectory({
    stopReason: 'error',
    error: 'the endpoint answered HTTP 503 three times',
    policy: { endpoint: 'http://127.0.0.1/v1', model: '', template: 'search-r1', params: {} },
    steps: [reason('hm'), { ...search('x', []), error: 'retriever timed out' }],
  });
  const [agent, call, retrieval] = spansOf(toOtlp([t])) as [OtlpSpan, OtlpSpan, OtlpSpan];
  assert.deepEqual(agent.status, { code: 2, message: 'the endpoint answered HTTP 503 three times' });
  assert.equal(text(agent, 'error.type'), '503');
  assert.equal(call.name, 'chat');
  assert.deepEqual(call.status, { code: 0 });
  assert.equal(attr(call, 'error.type'), undefined);
  assert.equal(retrieval.status.code, 2);
  assert.equal(text(retrieval, 'error.type'), 'timeout');
  assert.equal(text(call, 'server.address'), '127.0.0.1');
  assert.deepEqual(attr(call, 'server.port'), { intValue: '80' });
});

test('--no-content keeps shapes, ids and scores but no text', () => {
  const spans = spansOf(toOtlp([liveRun()], { content: false }));
  const all = JSON.stringify(spans);
  for (const secret of ['Q?', 'capital of France', 'The capital is Paris.', 'find it', 'Paris"']) assert.ok(!all.includes(secret), secret);
  assert.equal(text(spans[2]!, 'retrieval.documents.0.document.id'), 'France#1');
});

test('real R1-Searcher rollouts: one trace per trajectory, one retrieval span per search, one type per key', async () => {
  const { trajectories } = await importFile(join(FIX, 'hotpotqa_llama.sample.jsonl'));
  const spans = spansOf(JSON.parse(JSON.stringify(toOtlp(trajectories))));
  assert.equal(new Set(spans.map((s) => s.traceId)).size, trajectories.length);
  const searches = trajectories.reduce((n, t) => n + t.steps.filter((s) => s.kind === 'search').length, 0);
  assert.equal(spans.filter((s) => text(s, 'openinference.span.kind') === 'RETRIEVER').length, searches);
  assertOneTypePerKey(spans);
  for (const s of spans) {
    assert.match(s.traceId, /^[0-9a-f]{32}$/);
    assert.match(s.spanId, /^[0-9a-f]{16}$/);
    assert.ok(BigInt(s.endTimeUnixNano) >= BigInt(s.startTimeUnixNano));
    assert.ok(!s.name.endsWith(' '));
  }
  // F1 is 0, 1 or in between; every one is a double.
  const f1 = spans.flatMap((s) => evals(s)).filter((e) => e.name === 'f1');
  assert.equal(f1.length, trajectories.length);
  for (const e of f1) assert.ok(e.value && 'doubleValue' in e.value);
});
