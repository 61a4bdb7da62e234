import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { renderExport } from '../../../../src/core/export/render';
import { toOtlp } from '../../../../src/core/export/otel';
import { importFile, importText } from '../../../../src/core/importers';
import { encodeTraces } from '../../../../src/core/otel/protobuf';
import type { Trajectory } from '../../../../src/core/trace';

const FIX = join(__dirname, '../../../fixtures/importers');
const dir = mkdtempSync(join(tmpdir(), 'hopscope-otlp-import-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** What a user checks after a round trip: the question, each search's query and documents, the answer. */
const essence = (t: Trajectory) => ({
  question: t.question,
  answer: t.answer,
  gold: t.gold,
  steps: t.steps.map((s) => (s.kind === 'search' ? { query: s.query, docs: s.docs.map((d) => ({ id: d.id, title: d.title, text: d.text, score: d.score, rank: d.rank })) } : { [s.kind]: s.text })),
});

test('an OTLP/JSON file Hopscope exported imports back with the same questions, queries, documents and answers', async () => {
  const source = join(FIX, 'r1searcher/hotpotqa_llama.sample.jsonl');
  const original = (await importFile(source)).trajectories;
  const { body, count } = await renderExport(source, 'otel');
  assert.equal(count, original.length);
  const file = join(dir, 'hotpotqa.otlp.json');
  writeFileSync(file, body);
  const back = await importFile(file);
  assert.equal(back.format, 'otlp', 'detected without being told');
  assert.deepEqual(back.problems, []);
  assert.deepEqual(back.trajectories.map(essence), original.map(essence));
  assert.deepEqual(back.trajectories.map((t) => t.id), original.map((t) => t.id), 'ids come back, so a re-export gives the same traces');
  assert.deepEqual(back.trajectories.map((t) => t.outcome.em), original.map((t) => t.outcome.em));
});

test('a binary OTLP request (what a protobuf exporter sends) imports the same', async () => {
  const original = (await importFile(join(FIX, 'r1searcher/bamboogle_qwen.sample.jsonl'))).trajectories;
  const file = join(dir, 'bamboogle.pb');
  writeFileSync(file, encodeTraces(toOtlp(original)));
  const back = await importFile(file);
  assert.equal(back.format, 'otlp');
  assert.deepEqual(back.trajectories.map(essence), original.map(essence));
});

test('an OpenInference agent from a collector file dump (one request per line, a trace split over lines)', async () => {
  const r = await importFile(join(FIX, 'otlp/openinference_agent.jsonl'));
  assert.equal(r.format, 'otlp');
  assert.deepEqual(r.problems, []);
  assert.equal(r.trajectories.length, 1);
  const t = r.trajectories[0]!;
  assert.equal(t.question, 'Which river flows through Vienna?');
  assert.equal(t.answer, 'The Danube');
  assert.equal(t.runId, 'sess-42', 'session.id is the run');
  assert.equal(t.policy.model, 'gpt-4o-mini');
  assert.deepEqual(t.usage, { promptTokens: 192, completionTokens: 22 });
  assert.deepEqual(
    t.steps.map((s) => s.kind),
    ['reason', 'search', 'answer'],
  );
  const search = t.steps[1]!;
  assert.ok(search.kind === 'search');
  assert.equal(search.query, 'river Vienna');
  assert.deepEqual(search.docs.map((d) => [d.id, d.rank, d.score, d.title]), [['wiki:Vienna#3', 1, 0.91, 'Vienna'], ['wiki:Danube#0', 2, 0.77, 'Danube']]);
  assert.match(search.docs[1]!.text, /flows through Vienna/);
  assert.equal(t.createdAt, new Date(1764300000000).toISOString(), 'the time is the root span\'s start');
});

test('GenAI agents: invoke_agent, chat with reasoning and a tool call, a search tool, a failed run', async () => {
  const r = await importFile(join(FIX, 'otlp/genai_agent.otlp.json'));
  assert.deepEqual(r.problems, []);
  assert.equal(r.trajectories.length, 2);
  const [ok, failed] = r.trajectories as [Trajectory, Trajectory];
  assert.equal(ok.question, 'Who wrote The Magic Mountain?');
  assert.equal(ok.answer, 'Thomas Mann');
  assert.deepEqual(ok.steps.map((s) => s.kind), ['reason', 'search', 'answer']);
  const search = ok.steps[1]!;
  assert.ok(search.kind === 'search');
  assert.equal(search.query, 'The Magic Mountain author');
  assert.deepEqual(search.docs.map((d) => [d.id, d.title, d.score]), [['r1', 'The Magic Mountain', 12.5]]);
  assert.match(search.docs[0]!.text, /novel by Thomas Mann/);
  assert.equal(ok.outcome.judge, 1, 'a judge evaluation event is kept');
  assert.deepEqual(ok.usage, { promptTokens: 300, completionTokens: 40 });
  assert.equal(failed.question, 'What is the boiling point of tungsten?');
  assert.equal(failed.answer, null);
  assert.equal(failed.stopReason, 'error');
  assert.equal(failed.error, 'model call timed out');
});

test('traces that are not agents are reported by their number, the others still import', () => {
  const doc = {
    resourceSpans: [
      {
        resource: {},
        scopeSpans: [
          {
            spans: [
              { traceId: '11111111111111111111111111111111', spanId: '1111111111111111', name: 'GET /health', startTimeUnixNano: '1', endTimeUnixNano: '2', attributes: [{ key: 'http.request.method', value: { stringValue: 'GET' } }] },
              {
                traceId: '22222222222222222222222222222222',
                spanId: '2222222222222222',
                name: 'invoke_agent',
                startTimeUnixNano: '1764300000000000000',
                endTimeUnixNano: '1764300000000000001',
                attributes: [
                  { key: 'gen_ai.operation.name', value: { stringValue: 'invoke_agent' } },
                  { key: 'input.value', value: { stringValue: 'Q?' } },
                  { key: 'output.value', value: { stringValue: 'A' } },
                ],
              },
            ],
          },
        ],
      },
    ],
  };
  const r = importText(JSON.stringify(doc), { file: 'mixed.json' });
  assert.equal(r.format, 'otlp');
  assert.equal(r.trajectories.length, 1);
  assert.equal(r.trajectories[0]!.answer, 'A');
  assert.equal(r.problems.length, 1);
  assert.match(r.problems[0]!.reason, /trace 1{32} has no agent, model-call or retrieval span/);
});

test('JSON input values without a mime type, and multi-part OpenInference messages with reasoning', () => {
  const kv = (key: string, v: string) => ({ key, value: { stringValue: v } });
  const span = (spanId: string, parentSpanId: string | undefined, start: string, attributes: Array<{ key: string; value: { stringValue: string } }>) => ({
    traceId: '33333333333333333333333333333333',
    spanId,
    ...(parentSpanId ? { parentSpanId } : {}),
    name: spanId,
    startTimeUnixNano: start,
    endTimeUnixNano: start,
    attributes,
  });
  const doc = {
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: [
              span('3333333333333331', undefined, '1764300000000000000', [kv('openinference.span.kind', 'CHAIN'), kv('input.value', '{"question": "Capital of Peru?"}')]),
              span('3333333333333332', '3333333333333331', '1764300000000000001', [
                kv('openinference.span.kind', 'LLM'),
                kv('llm.output_messages.0.message.role', 'assistant'),
                kv('llm.output_messages.0.message.contents.0.message_content.type', 'reasoning'),
                kv('llm.output_messages.0.message.contents.0.message_content.text', 'Peru is in South America.'),
                kv('llm.output_messages.0.message.contents.1.message_content.type', 'text'),
                kv('llm.output_messages.0.message.contents.1.message_content.text', 'Lima'),
              ]),
            ],
          },
        ],
      },
    ],
  };
  const [t] = importText(JSON.stringify(doc), { file: 'peru.json' }).trajectories;
  assert.equal(t!.question, 'Capital of Peru?');
  assert.equal(t!.answer, 'Lima');
  assert.deepEqual(t!.steps.map((s) => [s.kind, s.kind === 'search' ? s.query : s.text]), [['reason', 'Peru is in South America.'], ['answer', 'Lima']]);
});
