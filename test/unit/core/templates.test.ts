import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../../src/core/errors';
import {
  BUILTIN_TEMPLATES, chatMessages, cleanQuery, extractAnswer, extractQuery, formatDocs, getTemplate, parseTemplate, reasoningText, renderPrompt,
} from '../../../src/core/templates';
import type { RetrievedDoc } from '../../../src/core/trace';

const DOCS: RetrievedDoc[] = [
  { id: 'a', rank: 1, score: 2, title: 'Home Rule League', text: 'The Home Rule League was a party.' },
  { id: 'b', rank: 2, score: 1, title: 'Irish Parliamentary Party', text: 'Formed in 1874.' },
];

describe('r1-searcher template', () => {
  const t = getTemplate('r1-searcher');
  it('is the plain-text completions prompt ending "Assistant: <think>"', () => {
    const p = renderPrompt(t, 'Who founded X?');
    assert.equal(t.api, 'completions');
    assert.ok(p.endsWith('User:Who founded X?\nAssistant: <think>'));
    assert.match(p, /<\|begin_of_query\|> search query/);
    assert.deepEqual(t.stops, ['<|end_of_query|>', '</answer>', '<|im_end|>', '<|endoftext|>']);
    assert.equal(t.topK, 5);
    assert.equal(t.maxSearches, 8);
  });
  it('splices documents as R1-Searcher does, or None', () => {
    assert.equal(
      t.queryEnd + formatDocs(t, DOCS),
      '<|end_of_query|>\n\n<|begin_of_documents|>\n(1)Title: Home Rule League Text: The Home Rule League was a party.\n(2)Title: Irish Parliamentary Party Text: Formed in 1874.\n<|end_of_documents|>\n\n',
    );
    assert.equal(formatDocs(t, []), '\n\n<|begin_of_documents|>\nNone<|end_of_documents|>\n\n');
  });
  it('cleans queries the R1-Searcher way', () => {
    // Upstream searches a blank query (evaluation/eval_search_loacl.py): it stays blank.
    assert.equal(cleanQuery(t, ' "Irish"\tHome Rule\'s party... '), 'Irish Home Rules party');
    assert.equal(cleanQuery(t, '   '), '   ');
    assert.equal(cleanQuery(t, '"..."'), '');
    assert.equal(cleanQuery(parseTemplate({ extends: 'r1-searcher', queryCleaning: 'r1-searcher-trim' }, 'x'), ' \t '), '');
    assert.equal(extractQuery(t, 'thinking <|begin_of_query|> a <|end_of_query|> more <|begin_of_query|> b c'), ' b c');
  });
  it('extracts the last answer and the reasoning before the tag', () => {
    assert.equal(extractAnswer(t, 'x <answer> A </answer> y <answer> B '), 'B');
    assert.equal(reasoningText(t, ' I think. </think>\n\n<answer> B'), 'I think.');
  });
});

describe("R1-Searcher's prompts, byte for byte", () => {
  const upstream = (name: string) => readFileSync(join(__dirname, '../../fixtures/upstream', name), 'utf8');
  it('r1-searcher is the training prompt (two newlines, not a backslash-n) and r1-searcher-eval the evaluation prompt v0', () => {
    assert.equal(BUILTIN_TEMPLATES['r1-searcher'].prompt, upstream('r1searcher_train_prompt.txt'));
    assert.equal(BUILTIN_TEMPLATES['r1-searcher'].prompt.length, 882);
    assert.equal(BUILTIN_TEMPLATES['r1-searcher-eval'].prompt, upstream('r1searcher_eval_v0_prompt.txt'));
    assert.doesNotMatch(BUILTIN_TEMPLATES['r1-searcher'].prompt, /\\n/);
  });
  it('the evaluation template runs the same loop as the training one', () => {
    const { name: _a, prompt: _b, ...train } = getTemplate('r1-searcher');
    const { name: _c, prompt: _d, ...evaluation } = getTemplate('r1-searcher-eval');
    assert.deepEqual(evaluation, train);
  });
});

describe('documents spliced as the retrieval server sent them', () => {
  it("R1-Searcher: (i) + the server's string, less a leading number, when the retriever kept it", () => {
    const t = getTemplate('r1-searcher');
    const docs: RetrievedDoc[] = [
      { ...DOCS[0], raw: 'Title: Home Rule League Text:  The Home Rule League was a party.' },
      { ...DOCS[1], raw: '12\tIrish Parliamentary Party   Formed in 1874.' },
      { ...DOCS[1], rank: 3 },
    ];
    assert.equal(
      formatDocs(t, docs),
      '\n\n<|begin_of_documents|>\n(1)Title: Home Rule League Text:  The Home Rule League was a party.\n(2)Irish Parliamentary Party   Formed in 1874.\n' +
        '(3)Title: Irish Parliamentary Party Text: Formed in 1874.\n<|end_of_documents|>\n\n',
    );
    const rendered = parseTemplate({ extends: 'r1-searcher', docSplice: 'template' }, 'x');
    assert.ok(formatDocs(rendered, docs).includes('(1)Title: Home Rule League Text: The Home Rule League was a party.\n'));
  });
  it("Search-R1: the first line of `contents` as the title, quotes and all, the rest as text", () => {
    const t = getTemplate('search-r1');
    const docs: RetrievedDoc[] = [{ ...DOCS[0], raw: '"Home Rule League"\nThe Home Rule League\nwas a party.' }, { ...DOCS[1], raw: 'No quotes\nText.' }];
    assert.equal(formatDocs(t, docs), '\n\n<information>Doc 1(Title: "Home Rule League") The Home Rule League\nwas a party.\nDoc 2(Title: No quotes) Text.</information>\n\n');
  });
});

describe('search-r1 template', () => {
  const t = getTemplate('search-r1');
  it('uses the chat API with Search-R1 prompt, <information> docs and its invalid-action message', () => {
    assert.equal(t.api, 'chat');
    const msgs = chatMessages(t, 'Who?', '');
    assert.equal(msgs.length, 1);
    assert.match(msgs[0].content, /call a search engine by <search> query <\/search>.*Question: Who\?\n$/s);
    // Titles quoted, as Search-R1's corpus writes them on the first line of `contents`.
    assert.equal(formatDocs(t, DOCS), '\n\n<information>Doc 1(Title: "Home Rule League") The Home Rule League was a party.\nDoc 2(Title: "Irish Parliamentary Party") Formed in 1874.</information>\n\n');
    assert.match(t.invalidAction ?? '', /My previous action is invalid/);
    // Upstream's non-greedy <(search|answer)>(.*?)</\1> spans from the first <search> to the stop.
    assert.equal(extractQuery(t, 'I use <search> to look up. <search> X'), ' to look up. <search> X');
    assert.equal(reasoningText(t, 'I use <search> to look up. <search> X'), 'I use');
    assert.deepEqual(chatMessages(t, 'Who?', '<think>x</think>').map((m) => m.role), ['user', 'assistant']);
  });
});

describe('chat modes', () => {
  it('continue: one assistant turn; turns: model text as assistant, spliced documents as user messages', () => {
    const parts = [
      { from: 'model' as const, text: '<think>x</think><search> q </search>' },
      { from: 'loop' as const, text: '\n\n<information>Doc 1(Title: T) t</information>\n\n' },
      { from: 'model' as const, text: '<answer> a' },
    ];
    const cont = chatMessages(getTemplate('search-r1'), 'Who?', parts);
    assert.deepEqual(cont.map((m) => m.role), ['user', 'assistant']);
    assert.equal(cont[1].content, parts.map((p) => p.text).join(''));
    const turns = chatMessages(parseTemplate({ extends: 'search-r1', chatMode: 'turns' }, 'x'), 'Who?', parts);
    assert.deepEqual(turns.map((m) => m.role), ['user', 'assistant', 'user', 'assistant']);
    assert.equal(turns[2].content, '<information>Doc 1(Title: T) t</information>');
    assert.throws(() => parseTemplate({ extends: 'search-r1', chatMode: 'weave' }, 'x.json'), /"continue" or "turns"/);
  });
});

describe('user templates', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hopscope-tpl-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('loads a JSON file extending a built-in, keeps the query/answer stops', async () => {
    const file = join(dir, 'mine.json');
    await writeFile(file, JSON.stringify({ extends: 'r1-searcher', name: 'mine', prompt: 'Q: {question}\nA:', stops: ['<|im_end|>'], topK: 3 }));
    const t = getTemplate(file);
    assert.equal(t.name, 'mine');
    assert.equal(t.topK, 3);
    assert.equal(t.queryBegin, '<|begin_of_query|>');
    assert.deepEqual(t.stops, ['<|im_end|>', '<|end_of_query|>', '</answer>']);
  });

  it('a complete template without extends, for the chat API (e.g. from a setting)', () => {
    const t = parseTemplate(
      { name: 'tool', api: 'chat', prompt: '{question}', queryBegin: '<q>', queryEnd: '</q>', answerBegin: '<a>', answerEnd: '</a>', docsBegin: '<docs>', docsEnd: '</docs>', docFormat: '[{rank}] {title}: {text}\n', stops: ['</q>', '</a>'] },
      'hopscope.templates',
    );
    assert.equal(t.api, 'chat');
    assert.equal(formatDocs(t, DOCS.slice(0, 1)), '<docs>[1] Home Rule League: The Home Rule League was a party.\n</docs>');
  });

  it('says what is wrong, naming the file', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{ "extends": "r1-searcher", "topK": "five" }');
    assert.throws(() => getTemplate(bad), (e: unknown) => e instanceof InputError && e.message.includes('bad.json') && /topK.*whole number/.test(e.message));
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{ nope');
    assert.throws(() => getTemplate(broken), /broken\.json: not valid JSON/);
    assert.throws(() => parseTemplate({ api: 'chat' }, 'setting'), /missing prompt/);
    assert.throws(() => parseTemplate({ extends: 'r1-searcher', colour: 'red' }, 'x.json'), /unknown template field "colour"/);
    assert.throws(() => parseTemplate({ extends: 'r1-searcher', prompt: 'no placeholder' }, 'x.json'), /\{question\}/);
    assert.throws(() => getTemplate('r2-searcher'), (e: unknown) => e instanceof InputError && /r1-searcher, r1-searcher-eval, search-r1/.test(e.describe()));
  });

  it('getTemplate returns copies: a caller cannot change the built-ins', () => {
    getTemplate('r1-searcher').stops.push('X');
    assert.ok(!BUILTIN_TEMPLATES['r1-searcher'].stops.includes('X'));
  });
});
