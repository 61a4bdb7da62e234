import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { detectFormat, importFile, importText } from '../../../../src/core/importers';
import { parseR1Docs } from '../../../../src/core/importers/r1searcher';
import { searchSteps, type SearchStep } from '../../../../src/core/trace';
import { rng } from '../../../support/random';

const DIR = join(__dirname, '../../../fixtures/importers/r1searcher');
const FILES = ['2wiki_qwen', 'bamboogle_llama', 'bamboogle_qwen', 'hotpotqa_llama', 'hotpotqa_qwen'];

function queriesIn(text: string): string[] {
  return [...text.matchAll(/<\|begin_of_query\|>([\s\S]*?)<\|end_of_query\|>/g)].map((m) => m[1]!.trim());
}

test('every sample record imports with one search step per query, in order', async () => {
  for (const name of FILES) {
    const file = join(DIR, `${name}.sample.jsonl`);
    const result = await importFile(file);
    assert.equal(result.format, 'r1searcher');
    assert.deepEqual(result.problems, []);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    assert.equal(result.trajectories.length, lines.length);
    result.trajectories.forEach((t, i) => {
      const rec = JSON.parse(lines[i]!);
      assert.deepEqual(searchSteps(t).map((s) => s.query), queriesIn(rec.gen_text_store), `${name}:${i + 1}`);
      assert.equal(t.raw, rec.gen_text_store);
      assert.deepEqual(t.gold, [rec.answer]);
      assert.equal(t.outcome.judge, rec.gpt4o_output === 'True' ? 1 : 0);
      assert.equal(t.steps.at(-1)!.kind, 'answer');
      assert.equal(t.dataset, name.split('_')[0]);
      assert.equal(t.policy.model, name.endsWith('_qwen') ? 'Qwen-2.5-7B-base-RAG-RL' : 'Llama-3.1-8B-RAG-RL');
      for (const s of searchSteps(t)) assert.equal(s.docs.length, 5);
    });
  }
});

test('a file name that names neither model leaves the model unknown', () => {
  const line = JSON.stringify({ question: 'Q?', answer: 'x', pred_ans: 'x', stop_reason_final: 'finished', gen_text_store: ' </think>\n\n<answer> x </answer>' });
  const { trajectories } = importText(line, { file: 'musique_results.jsonl', format: 'r1searcher' });
  assert.equal(trajectories[0]!.policy.model, 'unknown');
  assert.equal(trajectories[0]!.dataset, 'musique');
});

test("the answer is the last <answer>; the outcome is R1-Searcher's own metrics of its recorded pred_ans", async () => {
  const { trajectories } = await importFile(join(DIR, 'hotpotqa_llama.sample.jsonl'));
  const fortHood = trajectories[0]!;
  assert.equal(fortHood.answer, 'Nidal Malik Hasan');
  assert.equal(fortHood.outcome.em, 0);
  // "nidal malik hasan" vs "nidal hasan": 2 shared tokens, precision 2/3, recall 1 -> F1 0.8.
  assert.ok(Math.abs(fortHood.outcome.f1! - 0.8) < 1e-9);
  assert.equal(fortHood.outcome.judge, 1);
  const search = searchSteps(fortHood)[0]!;
  assert.equal(search.query, 'The 2009 Fort Hood mass shooting perpetrator');
  assert.equal(search.docs[1]!.title, 'Nidal Hasan');
  assert.ok(search.docs[1]!.text.startsWith('Nidal Malik Hasan (born September 8, 1970)'));
  assert.equal(fortHood.stopReason, 'finished');
});

test('KILT-style documents "(i)Title   text" split at the three spaces', async () => {
  const { trajectories } = await importFile(join(DIR, 'bamboogle_qwen.sample.jsonl'));
  const tld = trajectories[2]!;
  const doc = (searchSteps(tld)[0] as SearchStep).docs[0]!;
  assert.equal(doc.rank, 1);
  assert.equal(doc.title, '.mil');
  assert.ok(doc.text.startsWith('.mil The domain name mil'));
  assert.equal(tld.answer, 'i');
  assert.equal(tld.outcome.em, 0);
});

test('CSV-quoted documents lose their quotes and doubled quotes', () => {
  const docs = parseR1Docs('\n(1)"Title: Mad City (film) Text:  It stars ""Dustin"" Hoffman."\n(2)Title: B Text: plain\n', 0);
  assert.equal(docs.length, 2);
  assert.deepEqual([docs[0]!.title, docs[0]!.text], ['Mad City (film)', 'It stars "Dustin" Hoffman.']);
  assert.deepEqual([docs[1]!.rank, docs[1]!.title, docs[1]!.text], [2, 'B', 'plain']);
  assert.notEqual(docs[0]!.id, docs[1]!.id);
});

test('a rollout without a search has reasoning and an answer only', async () => {
  const { trajectories } = await importFile(join(DIR, 'bamboogle_qwen.sample.jsonl'));
  const t = trajectories[0]!;
  assert.deepEqual(t.steps.map((s) => s.kind), ['reason', 'answer']);
  assert.equal((t.steps[0] as { text: string }).text.includes('</think>'), false);
});

test('the whole shared set (1,390 gzipped rollouts) imports without a problem', async () => {
  let total = 0;
  let searches = 0;
  for (const name of FILES) {
    const r = await importFile(join(DIR, 'full', `${name}.jsonl.gz`));
    assert.deepEqual(r.problems, []);
    total += r.trajectories.length;
    searches += r.trajectories.reduce((n, t) => n + searchSteps(t).length, 0);
  }
  assert.equal(total, 1390);
  assert.equal(searches, 899 + 279 + 200 + 1088 + 837);
});

test('unreadable records are reported with their line and reason, the rest kept', () => {
  const good = readFileSync(join(DIR, 'bamboogle_qwen.sample.jsonl'), 'utf8').split('\n')[0]!;
  const text = [good, '{"question": "q"}', 'not json', '', '[1,2]', good].join('\n');
  const r = importText(text, { file: 'mixed.jsonl', format: 'r1searcher' });
  assert.equal(r.trajectories.length, 2);
  assert.deepEqual(r.problems.map((p) => p.line), [2, 3, 5]);
  assert.match(r.problems[0]!.reason, /gen_text_store/);
  assert.match(r.problems[1]!.reason, /not valid JSON/);
  assert.match(r.problems[2]!.reason, /array/);
  assert.notEqual(r.trajectories[0]!.id, r.trajectories[1]!.id);
});

test('detectFormat recognises R1-Searcher records', () => {
  const good = readFileSync(join(DIR, 'bamboogle_qwen.sample.jsonl'), 'utf8');
  assert.equal(detectFormat(good), 'r1searcher');
  assert.equal(detectFormat('hello'), undefined);
});

test("R1-Searcher's stop_reason_final values map to Hopscope's stop reasons (eval_search_loacl.py)", () => {
  const stop = (reason: string, extra: Record<string, unknown> = {}) => {
    const line = JSON.stringify({ question: 'Q?', answer: 'A', stop_reason_final: reason, pred_ans: "I don't know.", gen_text_store: ' I think.', ...extra });
    return importText(line, { file: 'x_qwen.jsonl', format: 'r1searcher' }).trajectories[0]!.stopReason;
  };
  assert.equal(stop('many_retrieve'), 'max_turns');
  assert.equal(stop('query_inst_error', { gen_text_store: ' I search. <|begin_of_query|>' }), 'empty_query');
  assert.equal(stop('shot_down'), 'eos_no_answer');
  assert.equal(stop('retrieve_error'), 'error');
});

/** The documents-block reading written as regular expressions (before the one-pass form): what parseR1Docs must return. */
function r1DocsDefinition(block: string, searchIndex: number): Array<{ id: string; rank: number; title: string; text: string }> {
  const hits = [...block.matchAll(/^\((\d+)\)/gm)];
  return hits.map((m, i) => {
    const end = i + 1 < hits.length ? hits[i + 1]!.index! : block.length;
    let item = block.slice(m.index! + m[0].length, end).trim();
    if (item.startsWith('"Title: ')) {
      item = item.slice(1);
      if (item.endsWith('"')) item = item.slice(0, -1);
      item = item.replace(/""/g, '"');
    }
    let [title, text] = ['', item];
    const titled = /^Title:\s*([\s\S]*?)\s+Text:\s*([\s\S]*)$/.exec(item);
    const kilt = titled ? null : /^(.*?) {3,}([\s\S]*)$/.exec(item);
    if (titled) [title, text] = [titled[1]!.trim(), titled[2]!.trim()];
    else if (kilt) [title, text] = [kilt[1]!.trim(), kilt[2]!.trim()];
    return { id: `${title || `search${searchIndex + 1}`}#`, rank: Number(m[1]), title, text };
  });
}

test('documents blocks read as their regular-expression definition says, on random blocks', () => {
  const pieces = ['(1)', '(2)', '(10)', '(007)', '()', '(x)', '(3', '(', ')', '\n', '\r\n', '\r', '\u2028', '\u2029', 'Title:', 'Title: ', ' Text: ', 'Text:', '   ', '    ', '  ', ' ', '\t', '"', '""', '"Title: ', 'Mad City', 'é', 'x', '9', '\ufeff'];
  const random = rng(5);
  for (let i = 0; i < 20000; i++) {
    let block = '';
    const n = Math.floor(random() * 24);
    for (let k = 0; k < n; k++) block += pieces[Math.floor(random() * pieces.length)];
    const got = parseR1Docs(block, 1).map((d) => ({ id: d.id.slice(0, d.id.lastIndexOf('#') + 1), rank: d.rank, title: d.title, text: d.text }));
    assert.deepEqual(got, r1DocsDefinition(block, 1), JSON.stringify(block));
  }
});
