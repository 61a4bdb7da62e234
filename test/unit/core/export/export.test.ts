import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { escapeHtml, htmlReport } from '../../../../src/core/export/html';
import { toOtlp, type OtlpAttribute, type OtlpSpan } from '../../../../src/core/export/otel';
import { importFile } from '../../../../src/core/importers';
import { analyzeTrajectory } from '../../../../src/core/rewards';
import { summarize } from '../../../../src/core/summary';
import { answer, doc, reason, search, trajectory } from '../build';

const FIX = join(__dirname, '../../../fixtures/importers/r1searcher');

/** The OTLP/JSON encoding rules (opentelemetry-proto, JSON mapping): hex ids, nanos as decimal strings, AnyValue one-ofs. */
function assertOtlpShape(doc: unknown): OtlpSpan[] {
  const d = doc as { resourceSpans: Array<{ resource: { attributes: OtlpAttribute[] }; scopeSpans: Array<{ scope: { name: string }; spans: OtlpSpan[] }> }> };
  assert.ok(Array.isArray(d.resourceSpans) && d.resourceSpans.length === 1);
  const rs = d.resourceSpans[0]!;
  assert.ok(rs.resource.attributes.some((a) => a.key === 'service.name' && 'stringValue' in a.value));
  const spans = rs.scopeSpans.flatMap((s) => {
    assert.equal(typeof s.scope.name, 'string');
    return s.spans;
  });
  const ids = new Set<string>();
  for (const s of spans) {
    assert.match(s.traceId, /^[0-9a-f]{32}$/);
    assert.match(s.spanId, /^[0-9a-f]{16}$/);
    assert.ok(!ids.has(s.spanId), 'span ids are unique');
    ids.add(s.spanId);
    if (s.parentSpanId !== undefined) assert.match(s.parentSpanId, /^[0-9a-f]{16}$/);
    assert.match(s.startTimeUnixNano, /^\d+$/);
    assert.match(s.endTimeUnixNano, /^\d+$/);
    assert.ok(BigInt(s.endTimeUnixNano) >= BigInt(s.startTimeUnixNano));
    assert.ok([1, 2, 3, 4, 5].includes(s.kind));
    assert.ok([0, 1, 2].includes(s.status.code));
    for (const a of [...s.attributes, ...s.events.flatMap((e) => e.attributes)]) {
      assert.equal(typeof a.key, 'string');
      const kinds = Object.keys(a.value);
      assert.equal(kinds.length, 1, `${a.key} has exactly one value kind`);
      assert.ok(['stringValue', 'intValue', 'doubleValue', 'boolValue', 'arrayValue'].includes(kinds[0]!));
      if ('intValue' in a.value) assert.match(a.value.intValue, /^-?\d+$/);
    }
    for (const e of s.events) assert.match(e.timeUnixNano, /^\d+$/);
  }
  // Every parent exists in the same trace.
  for (const s of spans) if (s.parentSpanId) assert.ok(spans.some((p) => p.spanId === s.parentSpanId && p.traceId === s.traceId));
  return spans;
}

const attr = (s: OtlpSpan, key: string) => s.attributes.find((a) => a.key === key)?.value;

test('OTLP/JSON: invoke_agent, a model-call span per turn, execute_tool per search, operation name on all', () => {
  const t = analyzeTrajectory(
    trajectory({
      id: 'traj-1',
      gold: ['Paris'],
      answer: 'Lyon',
      outcome: { em: 0, f1: 0, coverEm: 0 },
      policy: { endpoint: 'http://127.0.0.1:8000/v1', model: 'R1-Searcher-7B', template: 'r1-searcher', params: { temperature: 0, maxTokens: 512 } },
      usage: { promptTokens: 900, completionTokens: 60 },
      raw: '',
      steps: [
        { ...reason('find it'), ms: 100, tokens: 20 },
        { ...search('capital of France', [doc(1, 'France', 'The capital is Paris.')]), ms: 5 },
        { ...reason('so Lyon'), ms: 80, tokens: 30 },
        { ...answer('Lyon'), ms: 10, tokens: 10 },
      ],
    }),
  );
  const spans = assertOtlpShape(JSON.parse(JSON.stringify(toOtlp([t]))));
  assert.deepEqual(spans.map((s) => s.name), ['invoke_agent r1-searcher', 'text_completion R1-Searcher-7B', 'execute_tool search', 'text_completion R1-Searcher-7B']);
  for (const s of spans) assert.ok(attr(s, 'gen_ai.operation.name'));
  const [root, call1, tool, call2] = spans as [OtlpSpan, OtlpSpan, OtlpSpan, OtlpSpan];
  assert.deepEqual(attr(root, 'gen_ai.operation.name'), { stringValue: 'invoke_agent' });
  assert.deepEqual(attr(root, 'gen_ai.usage.input_tokens'), { intValue: '900' });
  assert.deepEqual(attr(root, 'hopscope.outcome.em'), { intValue: '0' });
  assert.deepEqual(attr(call1, 'gen_ai.request.model'), { stringValue: 'R1-Searcher-7B' });
  assert.deepEqual(attr(call1, 'gen_ai.request.temperature'), { intValue: '0' });
  assert.deepEqual(attr(call1, 'gen_ai.request.max_tokens'), { intValue: '512' });
  assert.deepEqual(attr(call1, 'gen_ai.usage.output_tokens'), { intValue: '20' });
  assert.deepEqual(attr(call2, 'gen_ai.usage.output_tokens'), { intValue: '40' });
  assert.deepEqual(attr(tool, 'gen_ai.operation.name'), { stringValue: 'execute_tool' });
  assert.deepEqual(JSON.parse((attr(tool, 'gen_ai.tool.call.arguments') as { stringValue: string }).stringValue), { query: 'capital of France', top_k: 5 });
  const result = JSON.parse((attr(tool, 'gen_ai.tool.call.result') as { stringValue: string }).stringValue);
  assert.equal(result[0].text, 'The capital is Paris.');
  assert.deepEqual(attr(tool, 'hopscope.reward.retrievalHit'), { intValue: '1' });
  assert.equal(BigInt(tool.startTimeUnixNano) - BigInt(root.startTimeUnixNano), 100_000_000n, 'the search starts after the first 100 ms call');
  const labels = root.events.filter((e) => e.name === 'hopscope.diagnosis').map((e) => e.attributes.find((a) => a.key === 'hopscope.diagnosis.label')!.value);
  // The raw transcript is empty here, hence a format error too.
  assert.deepEqual(labels, [{ stringValue: 'format_error' }, { stringValue: 'gold_retrieved_not_used' }, { stringValue: 'answer_not_in_docs' }]);
  // Same input, same ids: exporting twice gives the same trace.
  assert.deepEqual(toOtlp([t]), toOtlp([t]));
  const bare = assertOtlpShape(toOtlp([t], { content: false }));
  assert.equal(attr(bare[2]!, 'gen_ai.tool.call.result'), undefined);
});

test('OTLP/JSON of real R1-Searcher rollouts keeps one trace per trajectory', async () => {
  const { trajectories } = await importFile(join(FIX, 'hotpotqa_llama.sample.jsonl'));
  const spans = assertOtlpShape(JSON.parse(JSON.stringify(toOtlp(trajectories))));
  assert.equal(new Set(spans.map((s) => s.traceId)).size, trajectories.length);
  const searches = trajectories.reduce((n, t) => n + t.steps.filter((s) => s.kind === 'search').length, 0);
  assert.equal(spans.filter((s) => s.name === 'execute_tool search').length, searches);
});

test('run summary: metrics, histograms, labels and datasets', async () => {
  const a = await importFile(join(FIX, 'bamboogle_qwen.sample.jsonl'));
  const b = await importFile(join(FIX, 'hotpotqa_qwen.sample.jsonl'));
  const all = [...a.trajectories, ...b.trajectories];
  const s = summarize(all);
  assert.equal(s.count, 16);
  assert.deepEqual(s.byDataset.map((d) => [d.dataset, d.count]), [['bamboogle', 8], ['hotpotqa', 8]]);
  const em = all.reduce((n, t) => n + t.outcome.em!, 0) / 16;
  assert.equal(s.metrics.find((m) => m.name === 'EM')!.mean, em);
  assert.equal(s.searchesHistogram.reduce((n, bin) => n + bin.count, 0), 16);
  assert.equal(s.searchesHistogram[0]!.count, all.filter((t) => !t.steps.some((x) => x.kind === 'search')).length);
  assert.equal(s.f1Histogram.reduce((n, bin) => n + bin.count, 0), 16);
  assert.equal(s.labels.no_search, all.filter((t) => t.labels.some((l) => l.label === 'no_search')).length);
  assert.equal(s.failed.length, s.failedCount);
});

test('the HTML report is self-contained and escapes model and document text', () => {
  const evil = '<img src=x onerror=alert(1)></script><script>alert(2)</script>';
  const t = analyzeTrajectory(
    trajectory({
      question: `Q ${evil}`,
      gold: ['Paris'],
      answer: evil,
      outcome: { em: 0, f1: 0, coverEm: 0 },
      steps: [search(evil, [doc(1, evil, evil)]), answer(evil)],
    }),
  );
  const html = htmlReport([t, analyzeTrajectory(trajectory({ id: 'ok', gold: ['x'], answer: 'x', outcome: { em: 1, f1: 1, coverEm: 1 }, steps: [answer('x')] }))]);
  assert.ok(!html.includes('<img'), 'no live tag from the data');
  assert.ok(!html.includes('<script'), 'no script at all');
  assert.ok(html.includes(escapeHtml('<img src=x onerror=alert(1)>')));
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  assert.ok(!/\b(src|href)=["']?https?:/.test(html), 'no remote resource');
  assert.match(html, /<svg[^>]*aria-label="searches per question"/);
  assert.match(html, /gold_never_retrieved/);
  assert.match(html, /1 wrong/);
});
