import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { detectFormat, importFile, importText } from '../../../../src/core/importers';
import { InputError } from '../../../../src/core/errors';
import { readJsonl } from '../../../../src/core/importers/jsonl';
import { searchSteps, type SearchStep } from '../../../../src/core/trace';

const FIX = join(__dirname, '../../../fixtures/importers');

test('Inspect AI .json and .eval logs: samples become trajectories, scores the outcome', async () => {
  const json = await importFile(join(FIX, 'inspect/log_read_sample.json'));
  assert.equal(json.format, 'inspect');
  assert.deepEqual(json.problems, []);
  const t = json.trajectories[0]!;
  assert.match(t.question, /^Is the following statement something you would say\?/);
  assert.deepEqual(t.gold, ['Yes']);
  assert.equal(t.answer, 'Yes');
  assert.equal(t.outcome.match, 1, 'the "match" scorer\'s C verdict');
  assert.equal(t.outcome.judge, 1);
  assert.equal(t.outcome.em, 1);
  assert.deepEqual(t.usage, { promptTokens: 66, completionTokens: 3 });
  assert.equal(t.policy.model, 'ollama/gemma3');

  const zipped = await importFile(join(FIX, 'inspect/log_read_sample.eval'));
  assert.equal(zipped.format, 'inspect');
  assert.equal(zipped.trajectories[0]!.answer, 'Yes');
  assert.equal(zipped.trajectories[0]!.question, t.question);

  const images = await importFile(join(FIX, 'inspect/log_images_tc.json'));
  assert.equal(images.trajectories[0]!.question, 'What is this a picture of?', 'text parts of a content list');
  assert.deepEqual(images.trajectories[0]!.gold, ['bike', 'bicycle']);
  assert.equal(images.trajectories[0]!.outcome.judge, 0);
});

test('Inspect tool calls become search steps with their results as documents', async () => {
  const r = await importFile(join(FIX, 'inspect/log_message_deduplication.eval'));
  const t = r.trajectories[0]!;
  const searches = searchSteps(t);
  assert.equal(searches.length, 5);
  assert.equal(searches[0]!.query, 'ls');
  assert.match(searches[0]!.docs[0]!.text, /^bin\nboot/);
  assert.equal(t.outcome.closeness_log, 0);
  assert.ok(t.labels.some((l) => l.label === 'repeated_query'));
});

test('Search-R1 rollouts: <search>/<information> steps, Doc i(Title: …) documents, problems reported', async () => {
  const r = await importFile(join(FIX, 'constructed/search_r1_rollouts.jsonl'));
  assert.equal(r.format, 'search-r1');
  assert.deepEqual(r.problems.map((p) => p.line), [4]);
  assert.match(r.problems[0]!.reason, /no rollout text/);
  const [good, chatPrompt, loop] = r.trajectories;
  assert.deepEqual(good!.steps.map((s) => s.kind), ['reason', 'search', 'reason', 'answer']);
  const s = good!.steps[1] as SearchStep;
  assert.equal(s.query, 'Indradhanura Chhai director');
  assert.deepEqual(s.docs.map((d) => [d.rank, d.title]), [[1, 'Indradhanura Chhai'], [2, 'Oriya cinema']]);
  assert.equal(good!.answer, 'Susant Misra');
  assert.equal(good!.outcome.em, 1);
  assert.equal(good!.rewards.formatSearchR1, 1);
  assert.equal(good!.rewards.firstHitSearch, 1);
  assert.equal(chatPrompt!.question, 'Who directed Indradhanura Chhai?');
  assert.deepEqual(chatPrompt!.gold, ['Susant Misra']);
  assert.ok(chatPrompt!.labels.some((l) => l.label === 'no_search'));
  assert.equal(loop!.answer, null);
  assert.equal(loop!.stopReason, 'eos_no_answer');
  assert.ok(loop!.labels.some((l) => l.label === 'format_error' && /incomplete/.test(l.explanation)));
});

test('OpenAI chat logs: tool calls are searches, JSON tool results documents', async () => {
  const r = await importFile(join(FIX, 'constructed/openai_chat.jsonl'));
  assert.equal(r.format, 'openai-chat');
  assert.deepEqual(r.problems.map((p) => p.line), [3, 4]);
  assert.match(r.problems[0]!.reason, /no user message/);
  assert.match(r.problems[1]!.reason, /messages/);
  const [dune, paris] = r.trajectories;
  assert.equal(dune!.question, 'Who wrote Dune?');
  assert.equal(dune!.policy.model, 'gpt-4o-mini');
  const s = searchSteps(dune!)[0]!;
  assert.equal(s.query, 'Dune novel author');
  assert.deepEqual(s.docs.map((d) => [d.id, d.title, d.score]), [['doc-7', 'Dune (novel)', 12.5], ['doc-9', 'Dune (film)', 8.1]]);
  assert.equal(dune!.answer, 'Frank Herbert');
  assert.equal(dune!.outcome.em, 1);
  assert.deepEqual(dune!.usage, { promptTokens: 120, completionTokens: 14 });
  assert.equal(dune!.rewards.format, undefined, 'no tag rules for chat logs');
  assert.deepEqual(dune!.labels, []);
  assert.equal(paris!.answer, 'Paris');
  assert.equal(searchSteps(paris!)[0]!.docs[0]!.title, 'France');
});

test('IGPO dumps keep their information gains per search step', async () => {
  const r = await importFile(join(FIX, 'constructed/igpo_dump.jsonl'));
  assert.equal(r.format, 'igpo');
  assert.deepEqual(r.problems.map((p) => p.line), [3]);
  assert.match(r.problems[0]!.reason, /rewards/);
  const [first, second] = r.trajectories;
  assert.equal(first!.question, 'Who directed Indradhanura Chhai?');
  assert.equal(searchSteps(first!)[0]!.rewards.infoGain, 0.42);
  assert.equal(first!.rewards.infoGain, 0.42);
  assert.equal(first!.rewards.igpoOutcome, 1);
  assert.equal(second!.question, 'What is 2+2?');
  assert.equal(second!.answer, '4');
  assert.equal(second!.rewards.igpoOutcome, 1);
});

test('Hopscope trace files read back as they are (format "hopscope")', async () => {
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const src = await importFile(join(FIX, 'r1searcher/bamboogle_llama.sample.jsonl'));
  const dir = mkdtempSync(join(tmpdir(), 'hopscope-roundtrip-'));
  try {
    const file = join(dir, 'traces.jsonl');
    writeFileSync(file, src.trajectories.map((t) => JSON.stringify(t)).join('\n') + '\n{"schema":"other/v0"}\n');
    const back = await importFile(file);
    assert.equal(back.format, 'hopscope');
    assert.deepEqual(back.trajectories.map((t) => t.id), src.trajectories.map((t) => t.id));
    assert.deepEqual(back.trajectories[3], src.trajectories[3]);
    assert.deepEqual(back.problems.map((p) => p.line), [9]);
    assert.match(back.problems[0]!.reason, /schema/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('detectFormat tells each format apart, and --format overrides it', async () => {
  const read = (p: string) => readFileSync(join(FIX, p));
  assert.equal(detectFormat(read('inspect/log_formats.eval')), 'inspect');
  assert.equal(detectFormat(read('inspect/log_formats.json')), 'inspect');
  assert.equal(detectFormat(read('constructed/search_r1_rollouts.jsonl')), 'search-r1');
  assert.equal(detectFormat(read('constructed/openai_chat.jsonl')), 'openai-chat');
  assert.equal(detectFormat(read('constructed/igpo_dump.jsonl')), 'igpo');
  assert.equal(detectFormat(read('r1searcher/bamboogle_qwen.sample.jsonl')), 'r1searcher');
  const forced = await importFile(join(FIX, 'constructed/search_r1_rollouts.jsonl'), { format: 'r1searcher' });
  assert.equal(forced.trajectories.length, 0);
  assert.equal(forced.problems.length, 4, 'every line reported, none dropped silently');
  await assert.rejects(importFile(join(FIX, 'inspect/log_formats.eval'), { format: 'search-r1' }), /zip archive/);
  await assert.rejects(importFile(join(FIX, 'nope.jsonl')), /nope\.jsonl: cannot read: no such file$/);
  await assert.rejects(importFile(FIX), /: cannot read: a directory, not a file$/);
});

test('an empty file says so, instead of "cannot tell the format"', () => {
  assert.throws(() => importText('\n  \n', { file: 'empty.jsonl' }), /^InputError: empty\.jsonl: the file is empty$/);
  assert.throws(() => importText('', { file: 'empty.jsonl', format: 'r1searcher' }), /the file is empty/);
});

test('a record an importer rejects is reported in its words; a bug in an importer is reported against its record, not a crash', () => {
  const parsed = readJsonl('{"a":1}\n{"b":2}\n', (v) => {
    if ('a' in (v as object)) throw new InputError('field "question" is missing');
    throw new TypeError("Cannot read properties of undefined (reading 'x')");
  });
  assert.deepEqual(parsed.problems, [
    { line: 1, reason: 'field "question" is missing' },
    { line: 2, reason: "unexpected error while reading it (Cannot read properties of undefined (reading 'x'))" },
  ]);
});
