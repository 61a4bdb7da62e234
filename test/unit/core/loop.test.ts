import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createEndpointClient } from '../../../src/core/endpoint';
import type { LoopEvent } from '../../../src/core/events';
import { runLoop, turnEnd } from '../../../src/core/loop';
import { createRemoteRetriever } from '../../../src/core/retrieval/remote';
import { getTemplate, parseTemplate } from '../../../src/core/templates';
import { searchSteps } from '../../../src/core/trace';
import { startScriptedServer, type ScriptedServer } from '../../fixtures/scriptedServer';
import { FakeRetriever, FILM_DOCS, FILM_POLICY } from './helpers';

const Q = 'Who directed Indradhanura Chhai?';

describe('runLoop against the scripted server', () => {
  let server: ScriptedServer;
  before(async () => {
    server = await startScriptedServer({
      policies: [
        FILM_POLICY,
        { match: 'never answers', queries: ['first try'] },
        { match: 'loops forever', queries: ['same query'], repeatLastQuery: true, answer: 'x' },
        { match: 'empty query', queries: ['  ', 'Susant Misra'], answer: 'Susant Misra' },
        { match: 'nothing between the tags', queries: ['', 'Susant Misra'], answer: 'Susant Misra' },
        { match: 'leaves its answer open', queries: [], answer: 'Paris', unclosedAnswer: true },
        { match: 'runs away once', queries: ['Indradhanura Chhai director'], answer: 'Susant Misra', runawayChars: 2000, runawayTimes: 1 },
        { match: 'runaway', queries: [], runawayChars: 200_000 },
        { match: 'no search at all', queries: [], answer: 'Paris' },
      ],
    });
  });
  after(() => server.close());

  const endpoint = () => createEndpointClient({ baseUrl: server.baseUrl, retryBaseMs: 5 });

  it('runs R1-Searcher: two searches with cleaned queries, documents spliced, the answer scored', async () => {
    const retriever = new FakeRetriever(FILM_DOCS);
    const events: LoopEvent[] = [];
    const t = await runLoop({ question: Q, gold: ['Susant Misra'], template: getTemplate('r1-searcher'), endpoint: endpoint(), retriever, onEvent: (e) => events.push(e), runId: 'r1' });
    assert.equal(t.stopReason, 'finished');
    assert.equal(t.answer, 'Susant Misra');
    assert.deepEqual(t.outcome, { em: 1, f1: 1, coverEm: 1 });
    assert.equal(t.metricDefinition, 'r1-searcher', "scored with R1-Searcher's metric_calc_rule.py");
    // R1-Searcher's cleaning: quotes removed, tab to space, "..." dropped (eval_search_loacl.py).
    assert.deepEqual(retriever.queries, ['Indradhanura Chhai director', 'Susant Misra birthplace']);
    // The model's text is stripped before <|end_of_query|> is appended, its leading space included.
    assert.ok(t.raw.includes('Assistant: <think>I need to find the director, step 1. <|begin_of_query|> Indradhanura Chhai director<|end_of_query|>\n\n'));
    assert.deepEqual(t.steps.map((s) => s.kind), ['reason', 'search', 'reason', 'search', 'reason', 'answer']);
    const first = searchSteps(t)[0];
    assert.equal(first.docs[0].title, 'Indradhanura Chhai');
    assert.equal(t.policy.model, 'scripted-model');
    assert.equal(t.policy.template, 'r1-searcher');
    assert.equal(t.runId, 'r1');
    assert.equal(t.retriever.kind, 'fake');
    assert.equal(t.retriever.topK, 5);
    // The raw transcript is what the model saw, with R1-Searcher's document block and its answer.
    assert.ok(t.raw.endsWith('Assistant: <think>') === false);
    assert.match(t.raw, /<\|end_of_query\|>\n\n<\|begin_of_documents\|>\n\(1\)Title: Indradhanura Chhai Text: Indradhanura Chhai is a 1993/);
    assert.match(t.raw, /<\|end_of_documents\|>\n\n/);
    assert.match(t.raw, /<answer> Susant Misra <\/answer>$/);
    assert.doesNotMatch(t.raw, /Imagined/, 'text past the stop string never reaches the context');
    assert.ok((t.usage.completionTokens ?? 0) > 0 && (t.usage.promptTokens ?? 0) > 0);
    assert.ok(t.timing.totalMs !== undefined && t.timing.modelMs !== undefined);
    // Events: started first, finished last, tokens streamed, one retrieval per search.
    assert.equal(events[0].type, 'started');
    assert.equal(events.at(-1)?.type, 'finished');
    assert.ok(events.filter((e) => e.type === 'token').length > 5);
    assert.equal(events.filter((e) => e.type === 'retrieval').length, 2);
    assert.deepEqual(events.filter((e) => e.type === 'answer'), [{ type: 'answer', text: 'Susant Misra' }]);
    const tokens = events.filter((e): e is Extract<LoopEvent, { type: 'token' }> => e.type === 'token').map((e) => e.text).join('');
    assert.match(tokens, /<\|begin_of_query\|> Indradhanura Chhai director/);
  });

  it('records the dataset\'s gold paragraphs on the trajectory, and none when not given', async () => {
    const goldDocs = ['Indradhanura Chhai', 'Susant Misra'];
    const t = await runLoop({ question: Q, gold: ['Susant Misra'], goldDocs, template: getTemplate('r1-searcher'), endpoint: endpoint(), retriever: new FakeRetriever(FILM_DOCS) });
    assert.deepEqual(t.goldDocs, goldDocs);
    assert.notEqual(t.goldDocs, goldDocs, 'a copy, not the caller\'s array');
    const plain = await runLoop({ question: Q, gold: ['Susant Misra'], template: getTemplate('r1-searcher'), endpoint: endpoint(), retriever: new FakeRetriever(FILM_DOCS) });
    assert.equal('goldDocs' in plain, false);
  });

  it('runs Search-R1 over the chat API with <information> blocks and continues the assistant turn', async () => {
    const retriever = new FakeRetriever(FILM_DOCS);
    const t = await runLoop({ question: Q, gold: ['Susant Misra'], template: getTemplate('search-r1'), endpoint: endpoint(), retriever });
    assert.equal(t.stopReason, 'finished');
    assert.equal(t.answer, 'Susant Misra');
    assert.equal(t.retriever.topK, 3);
    assert.equal(t.metricDefinition, 'search-r1');
    assert.deepEqual(t.outcome, { em: 1, subEm: 1 }, "Search-R1's qa_em.py: EM and sub-EM, no F1");
    // Titles keep their quotes, as Search-R1 formats its corpus's first line.
    assert.match(t.raw, /<\/search>\n\n<information>Doc 1\(Title: "Indradhanura Chhai"\) Indradhanura Chhai is/);
    const chatReqs = server.requests.filter((r) => r.path === '/v1/chat/completions');
    const last = chatReqs.at(-1)!.body;
    assert.equal(last.messages.at(-1).role, 'assistant');
    assert.equal(last.continue_final_message, true);
    assert.equal(last.add_generation_prompt, false);
  });

  it('Search-R1 in chat "turns" mode, for servers that cannot continue a turn', async () => {
    const template = parseTemplate({ extends: 'search-r1', chatMode: 'turns' }, 'test');
    const t = await runLoop({ question: Q, gold: ['Susant Misra'], template, endpoint: endpoint(), retriever: new FakeRetriever(FILM_DOCS) });
    assert.equal(t.stopReason, 'finished');
    assert.equal(searchSteps(t).length, 2);
    const last = server.requests.filter((r) => r.path === '/v1/chat/completions').at(-1)!.body;
    assert.deepEqual(last.messages.map((m: { role: string }) => m.role), ['user', 'assistant', 'user', 'assistant', 'user']);
    assert.equal(last.continue_final_message, undefined);
  });

  it('works without streaming too', async () => {
    const t = await runLoop({ question: Q, gold: ['Susant Misra'], template: getTemplate('r1-searcher'), endpoint: endpoint(), retriever: new FakeRetriever(FILM_DOCS), stream: false });
    assert.equal(t.stopReason, 'finished');
    assert.equal(searchSteps(t).length, 2);
  });

  it('a model that never answers ends with eos_no_answer and keeps its steps', async () => {
    const t = await runLoop({ question: 'This one never answers', gold: ['x'], template: getTemplate('r1-searcher'), endpoint: endpoint(), retriever: new FakeRetriever(FILM_DOCS) });
    assert.equal(t.stopReason, 'eos_no_answer');
    assert.equal(t.answer, null);
    assert.equal(searchSteps(t).length, 1);
    assert.deepEqual(t.outcome, { em: 0, f1: 0, coverEm: 0 });
  });

  it("Search-R1: a turn with neither search nor answer gets the invalid-action message, until the turns run out", async () => {
    const t = await runLoop({ question: 'This one never answers', template: getTemplate('search-r1'), endpoint: endpoint(), retriever: new FakeRetriever(FILM_DOCS) });
    assert.equal(t.stopReason, 'eos_no_answer');
    assert.equal(searchSteps(t).length, 1);
    // 5 model calls (4 searches + 1): one searched, three got the message, the last ended the run.
    assert.equal(t.raw.split('My previous action is invalid.').length - 1, 3);
  });

  it('a model that loops on the same query stops after the search budget with max_turns', async () => {
    const retriever = new FakeRetriever(FILM_DOCS);
    const t = await runLoop({ question: 'It loops forever', template: getTemplate('r1-searcher'), endpoint: endpoint(), retriever });
    assert.equal(t.stopReason, 'max_turns');
    assert.equal(searchSteps(t).length, 8, 'R1-Searcher allows 8 searches');
    assert.equal(new Set(retriever.queries).size, 1);
  });

  it("R1-Searcher's budget: the 9th turn's search is not run and the question ends unanswered, but a 9th-turn answer counts", async () => {
    const retriever = new FakeRetriever(FILM_DOCS);
    const before = server.requests.length;
    const looping = await runLoop({ question: 'It loops forever', gold: ['x'], template: getTemplate('r1-searcher'), endpoint: endpoint(), retriever });
    assert.equal(server.requests.filter((r, i) => i >= before && r.path.endsWith('/completions')).length, 9, '8 searching turns and one more');
    assert.equal(retriever.queries.length, 8, 'the query of the 9th turn is not searched');
    assert.equal(looping.answer, null);
    assert.equal(looping.stopReason, 'max_turns');
    assert.deepEqual(looping.outcome, { em: 0, f1: 0, coverEm: 0 });

    const eight = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const late = await startScriptedServer({ policies: [{ match: 'late answer', queries: eight, answer: 'Susant Misra' }] });
    try {
      const t = await runLoop({ question: 'A late answer', gold: ['Susant Misra'], template: getTemplate('r1-searcher'), endpoint: createEndpointClient({ baseUrl: late.baseUrl }), retriever: new FakeRetriever(FILM_DOCS) });
      assert.equal(t.stopReason, 'finished');
      assert.deepEqual(searchSteps(t).map((s) => s.query), eight);
      assert.equal(t.answer, 'Susant Misra');
    } finally {
      await late.close();
    }
  });

  it('maxTurns bounds the model calls', async () => {
    const before = server.requests.length;
    const t = await runLoop({ question: 'It loops forever', template: getTemplate('r1-searcher'), endpoint: endpoint(), retriever: new FakeRetriever(FILM_DOCS), maxTurns: 3 });
    assert.equal(t.stopReason, 'max_turns');
    assert.equal(server.requests.length - before, 4, 'one model listing plus three completions');
  });

  it('R1-Searcher: a whitespace-only query is searched as it is, as upstream does', async () => {
    const retriever = new FakeRetriever(FILM_DOCS);
    const t = await runLoop({ question: 'An empty query first', gold: ['Susant Misra'], template: getTemplate('r1-searcher'), endpoint: endpoint(), retriever });
    assert.equal(t.stopReason, 'finished');
    assert.deepEqual(retriever.queries, ['   ', 'Susant Misra']);
    assert.equal(searchSteps(t)[0].query, '   ');
    assert.match(t.raw, /<\|begin_of_documents\|>\nNone<\|end_of_documents\|>/, 'nothing found: "None"');
  });

  it('R1-Searcher: an empty query ends the run unanswered with empty_query (query_inst_error), nothing searched', async () => {
    const retriever = new FakeRetriever(FILM_DOCS);
    const before = server.requests.length;
    const t = await runLoop({ question: 'It writes nothing between the tags', gold: ['Susant Misra'], template: getTemplate('r1-searcher'), endpoint: endpoint(), retriever });
    assert.equal(t.stopReason, 'empty_query');
    assert.equal(t.answer, null);
    assert.deepEqual(t.outcome, { em: 0, f1: 0, coverEm: 0 });
    assert.deepEqual(retriever.queries, []);
    assert.deepEqual(searchSteps(t), []);
    assert.equal(server.requests.slice(before).filter((r) => r.path.endsWith('/completions')).length, 1);
    assert.ok(t.raw.endsWith('step 1. <|begin_of_query|>'), 'the stripped text, without the query end');
  });

  it('Search-R1: an empty <search></search> is a search of the empty string, as upstream sends it', async () => {
    const retriever = new FakeRetriever(FILM_DOCS);
    const t = await runLoop({ question: 'Who made it? It writes nothing between the tags', gold: ['Susant Misra'], template: getTemplate('search-r1'), endpoint: endpoint(), retriever });
    assert.deepEqual(retriever.queries, ['', 'Susant Misra']);
    assert.equal(searchSteps(t)[0].query, '');
    assert.equal(searchSteps(t)[0].error, undefined);
    assert.equal(t.stopReason, 'finished');
  });

  it("Hopscope's option: a blank query searches nothing, records why, and the run goes on", async () => {
    const template = parseTemplate({ extends: 'r1-searcher', queryCleaning: 'r1-searcher-trim', emptyQuery: 'no-docs' }, 'test');
    const retriever = new FakeRetriever(FILM_DOCS);
    const t = await runLoop({ question: 'An empty query first', gold: ['Susant Misra'], template, endpoint: endpoint(), retriever });
    assert.equal(t.stopReason, 'finished');
    const [empty, real] = searchSteps(t);
    assert.equal(empty.query, '');
    assert.deepEqual(empty.docs, []);
    assert.match(empty.error ?? '', /empty query/);
    assert.equal(real.query, 'Susant Misra');
    assert.deepEqual(retriever.queries, ['Susant Misra']);
    assert.match(t.raw, /<\|begin_of_documents\|>\nNone<\|end_of_documents\|>/);
  });

  it('R1-Searcher: EOS inside an open <answer> is no answer (shot_down); the unclosedAnswer option makes it one', async () => {
    const q = 'Which city? It leaves its answer open';
    const upstream = await runLoop({ question: q, gold: ['Paris'], template: getTemplate('r1-searcher'), endpoint: endpoint(), retriever: new FakeRetriever(FILM_DOCS) });
    assert.equal(upstream.stopReason, 'eos_no_answer');
    assert.equal(upstream.answer, null);
    assert.equal(upstream.outcome.em, 0);
    const lenient = parseTemplate({ extends: 'r1-searcher', unclosedAnswer: 'answer' }, 'test');
    const t = await runLoop({ question: q, gold: ['Paris'], template: lenient, endpoint: endpoint(), retriever: new FakeRetriever(FILM_DOCS) });
    assert.equal(t.stopReason, 'finished');
    assert.equal(t.answer, 'Paris');
  });

  it('Search-R1: EOS inside an open <answer> is an invalid action, and the loop goes on', async () => {
    const t = await runLoop({ question: 'Which city? It leaves its answer open', template: getTemplate('search-r1'), endpoint: endpoint(), retriever: new FakeRetriever(FILM_DOCS) });
    assert.equal(t.answer, null);
    assert.equal(t.stopReason, 'eos_no_answer');
    assert.equal(t.raw.split('My previous action is invalid.').length - 1, 4, 'five model calls: four nudged, the last ends the run');
  });

  it('Search-R1: a turn cut by max_tokens gets the invalid-action text and the loop goes on; lengthCut "stop" ends it', async () => {
    const q = 'Who made the film? It runs away once';
    const t = await runLoop({ question: q, gold: ['Susant Misra'], template: getTemplate('search-r1'), endpoint: endpoint(), retriever: new FakeRetriever(FILM_DOCS), params: { maxTokens: 60 } });
    assert.equal(t.stopReason, 'finished');
    assert.equal(t.answer, 'Susant Misra');
    assert.equal(t.raw.split('My previous action is invalid.').length - 1, 1);
    assert.equal(searchSteps(t).length, 1);
    const stopping = parseTemplate({ extends: 'search-r1', lengthCut: 'stop' }, 'test');
    const cut = await runLoop({ question: q, template: stopping, endpoint: endpoint(), retriever: new FakeRetriever(FILM_DOCS), params: { maxTokens: 60 } });
    assert.equal(cut.stopReason, 'length');
  });

  it("R1-Searcher: a /queries server's document strings are spliced raw as (i) + text; Search-R1 keeps its titles' quotes", async () => {
    const r1Docs = ['Title: Indradhanura Chhai Text:  Indradhanura Chhai is a 1993 Oriya film directed by Susant Misra.', '7 Susant Misra   Susant Misra is a director.'];
    const sr1Docs = [{ id: '1', contents: '"Indradhanura Chhai"\nIndradhanura Chhai is a 1993 Oriya film.\nDirected by Susant Misra.' }];
    const fakeFetch = (async (url: string | URL | Request) =>
      new Response(String(url).endsWith('/queries') ? JSON.stringify({ queries: ['q'], answers: [r1Docs] }) : JSON.stringify({ result: [sr1Docs.map((document) => ({ document, score: 1 }))] }))) as typeof fetch;
    const r1 = await runLoop({ question: Q, template: getTemplate('r1-searcher'), endpoint: endpoint(), retriever: createRemoteRetriever('http://retriever', 'r1-searcher', { fetch: fakeFetch }) });
    assert.ok(
      r1.raw.includes('<|end_of_query|>\n\n<|begin_of_documents|>\n(1)Title: Indradhanura Chhai Text:  Indradhanura Chhai is a 1993 Oriya film directed by Susant Misra.\n(2)Susant Misra   Susant Misra is a director.\n<|end_of_documents|>\n\n'),
      r1.raw,
    );
    assert.equal(searchSteps(r1)[0].docs[0].title, 'Indradhanura Chhai', 'the step still has the title and text apart');
    const sr1 = await runLoop({ question: Q, template: getTemplate('search-r1'), endpoint: endpoint(), retriever: createRemoteRetriever('http://retriever', 'search-r1', { fetch: fakeFetch }) });
    assert.ok(sr1.raw.includes('<information>Doc 1(Title: "Indradhanura Chhai") Indradhanura Chhai is a 1993 Oriya film.\nDirected by Susant Misra.</information>'), sr1.raw);
  });

  it("each built-in template samples as its upstream evaluation does, unless the caller says otherwise", async () => {
    const bodies = async (template: string, params?: { temperature?: number; maxTokens?: number }) => {
      const before = server.requests.length;
      await runLoop({ question: Q, template: getTemplate(template), endpoint: endpoint(), retriever: new FakeRetriever(FILM_DOCS), params });
      return server.requests.slice(before).filter((r) => r.path.endsWith('/completions')).map((r) => r.body);
    };
    for (const b of await bodies('r1-searcher')) assert.deepEqual([b.temperature, b.top_p, b.max_tokens], [0, 0.95, 512]);
    for (const b of await bodies('search-r1')) assert.deepEqual([b.temperature, b.top_p, b.max_tokens], [0, 1, 500]);
    for (const b of await bodies('r1-searcher', { temperature: 0.7, maxTokens: undefined })) assert.deepEqual([b.temperature, b.top_p, b.max_tokens], [0.7, 0.95, 512]);
  });

  it('a retriever failing mid-run gives the partial trajectory with the error', async () => {
    const retriever = new FakeRetriever(FILM_DOCS);
    retriever.failOnCall = 2;
    const events: LoopEvent[] = [];
    const t = await runLoop({ question: Q, gold: ['Susant Misra'], template: getTemplate('r1-searcher'), endpoint: endpoint(), retriever, onEvent: (e) => events.push(e) });
    assert.equal(t.stopReason, 'error');
    assert.match(t.error ?? '', /index file vanished/);
    const searches = searchSteps(t);
    assert.equal(searches.length, 2);
    assert.equal(searches[0].docs.length > 0, true);
    assert.match(searches[1].error ?? '', /index file vanished/);
    assert.equal(t.answer, null);
    assert.ok(events.some((e) => e.type === 'error'));
  });

  it('runaway output is capped and ends with length', async () => {
    const t = await runLoop({ question: 'A runaway model', template: getTemplate('r1-searcher'), endpoint: endpoint(), retriever: new FakeRetriever(FILM_DOCS), params: { maxTokens: 100_000 }, maxCharsPerTurn: 5000 });
    assert.equal(t.stopReason, 'length');
    assert.ok(t.raw.length < 8000, `raw is ${t.raw.length} chars`);
  });

  it('max_tokens reached ends with length', async () => {
    const t = await runLoop({ question: 'A runaway model', template: getTemplate('r1-searcher'), endpoint: endpoint(), retriever: new FakeRetriever(FILM_DOCS), params: { maxTokens: 50 } });
    assert.equal(t.stopReason, 'length');
    assert.equal(t.steps[0].kind, 'reason');
    assert.equal(t.steps[0].tokens, 50);
  });

  it('cancellation mid-run stops with cancelled and keeps what was done', async () => {
    const controller = new AbortController();
    const t = await runLoop({
      question: Q,
      template: getTemplate('r1-searcher'),
      endpoint: endpoint(),
      retriever: new FakeRetriever(FILM_DOCS),
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'retrieval') controller.abort();
      },
    });
    assert.equal(t.stopReason, 'cancelled');
    assert.equal(searchSteps(t).length, 1);
  });

  it('an answer without any search is fine', async () => {
    const t = await runLoop({ question: 'Capital of France, no search at all', gold: ['Paris'], template: getTemplate('r1-searcher'), endpoint: endpoint(), retriever: new FakeRetriever(FILM_DOCS) });
    assert.equal(t.stopReason, 'finished');
    assert.deepEqual(t.steps.map((s) => s.kind), ['reason', 'answer']);
    assert.equal(t.outcome.em, 1);
  });
});

describe('runLoop against servers that do not report the stop string', () => {
  it('finds it from the open tag when the server gives no stop_reason', async () => {
    const server = await startScriptedServer({ policies: [FILM_POLICY], reportStopReason: false });
    try {
      const t = await runLoop({ question: Q, gold: ['Susant Misra'], template: getTemplate('r1-searcher'), endpoint: createEndpointClient({ baseUrl: server.baseUrl }), retriever: new FakeRetriever(FILM_DOCS) });
      assert.equal(t.stopReason, 'finished');
      assert.equal(searchSteps(t).length, 2);
    } finally {
      await server.close();
    }
  });

  it('cuts at the stop string itself when the server ignores stop', async () => {
    const server = await startScriptedServer({ policies: [FILM_POLICY], honourStop: false, reportStopReason: false });
    try {
      for (const stream of [true, false]) {
        const t = await runLoop({ question: Q, gold: ['Susant Misra'], template: getTemplate('r1-searcher'), endpoint: createEndpointClient({ baseUrl: server.baseUrl }), retriever: new FakeRetriever(FILM_DOCS), stream });
        assert.equal(t.stopReason, 'finished');
        assert.equal(searchSteps(t).length, 2);
        assert.doesNotMatch(t.raw, /Imagined/);
      }
    } finally {
      await server.close();
    }
  });
});

describe('runLoop and what the server says ended a turn', () => {
  it("SGLang's matched_stop tells EOS from a stop string, so an open answer at EOS is no answer there too", async () => {
    const server = await startScriptedServer({ policies: [FILM_POLICY, { match: 'leaves its answer open', queries: [], answer: 'Paris', unclosedAnswer: true }], stopField: 'matched_stop' });
    try {
      const endpoint = createEndpointClient({ baseUrl: server.baseUrl });
      for (const stream of [true, false]) {
        const ok = await runLoop({ question: Q, gold: ['Susant Misra'], template: getTemplate('r1-searcher'), endpoint, retriever: new FakeRetriever(FILM_DOCS), stream });
        assert.equal(ok.stopReason, 'finished');
        assert.equal(searchSteps(ok).length, 2);
        const open = await runLoop({ question: 'Which city? It leaves its answer open', template: getTemplate('r1-searcher'), endpoint, retriever: new FakeRetriever(FILM_DOCS), stream });
        assert.equal(open.stopReason, 'eos_no_answer');
      }
    } finally {
      await server.close();
    }
  });

  it('a server that does not say (OpenAI, TGI): an open answer at the end still counts, as nothing tells EOS from the stop', async () => {
    const server = await startScriptedServer({ policies: [{ match: 'leaves its answer open', queries: [], answer: 'Paris', unclosedAnswer: true }], reportStopReason: false });
    try {
      const t = await runLoop({ question: 'Which city? It leaves its answer open', template: getTemplate('r1-searcher'), endpoint: createEndpointClient({ baseUrl: server.baseUrl }), retriever: new FakeRetriever(FILM_DOCS) });
      assert.equal(t.stopReason, 'finished');
      assert.equal(t.answer, 'Paris');
    } finally {
      await server.close();
    }
  });
});

describe('runLoop with a user template', () => {
  it('runs a completions template with its own tags and document format', async () => {
    const template = parseTemplate(
      { name: 'mine', api: 'completions', prompt: 'Q: {question}\nSearch with <q>…</q>, answer with <a>…</a>.\n', queryBegin: '<q>', queryEnd: '</q>', answerBegin: '<a>', answerEnd: '</a>', docsBegin: '\n<docs>\n', docsEnd: '</docs>\n', docFormat: '[{rank}] {title}: {text}\n', stops: ['<|im_end|>'] },
      'mine.json',
    );
    const server = await startScriptedServer({ policies: [FILM_POLICY], tags: { queryBegin: '<q>', queryEnd: '</q>', answerBegin: '<a>', answerEnd: '</a>', docsBegin: '<docs>' } });
    try {
      const t = await runLoop({ question: Q, gold: ['Susant Misra'], template, endpoint: createEndpointClient({ baseUrl: server.baseUrl }), retriever: new FakeRetriever(FILM_DOCS) });
      assert.equal(t.stopReason, 'finished');
      assert.equal(t.answer, 'Susant Misra');
      assert.equal(t.policy.template, 'mine');
      assert.match(t.raw, /<q> Indradhanura Chhai director<\/q>\n<docs>\n\[1\] Indradhanura Chhai: Indradhanura Chhai is a 1993/);
      assert.deepEqual(server.requests.at(-1)!.body.stop, ['<|im_end|>', '</q>', '</a>']);
    } finally {
      await server.close();
    }
  });
});

describe('runLoop when the endpoint is down', () => {
  it('returns an error trajectory naming the URL instead of throwing', async () => {
    const server = await startScriptedServer({ policies: [] });
    const url = server.baseUrl;
    await server.close();
    const t = await runLoop({ question: Q, template: getTemplate('r1-searcher'), endpoint: createEndpointClient({ baseUrl: url, maxRetries: 1, retryBaseMs: 5 }), retriever: new FakeRetriever(FILM_DOCS) });
    assert.equal(t.stopReason, 'error');
    assert.ok(t.error?.includes(url), t.error);
    assert.match(t.error ?? '', /cannot reach .*ECONNREFUSED.*check that the server is running/);
    assert.deepEqual(t.steps, []);
  });
});

describe('turnEnd: what a turn ended on', () => {
  const t = getTemplate('r1-searcher');
  const end = (text: string, stopString?: string, finishReason: 'stop' | 'length' = 'stop') => turnEnd(t, { text, stopString, finishReason });
  it('trusts a reported stop string when its opening tag is in the text', () => {
    assert.equal(end('x <|begin_of_query|> q', '<|end_of_query|>'), 'query');
    assert.equal(end('x <answer> a', '</answer>'), 'answer');
    assert.equal(end('x', '<|end_of_query|>'), 'eos', 'a query end without a query is no action (upstream: shot_down)');
    assert.equal(end('x', '</answer>'), 'eos');
  });
  it('EOS right after an open answer: no answer by upstream rules, an answer with unclosedAnswer "answer"', () => {
    assert.equal(end('x <answer> a', '<|im_end|>'), 'eos');
    assert.equal(turnEnd(t, { text: 'x <answer> a', finishReason: 'stop', eos: true }), 'eos');
    const lenient = parseTemplate({ extends: 'r1-searcher', unclosedAnswer: 'answer' }, 'test');
    assert.equal(turnEnd(lenient, { text: 'x <answer> a', finishReason: 'stop', eos: true }), 'answer');
  });
  it('reads open tags when the server does not say', () => {
    assert.equal(end('a <|begin_of_query|> q'), 'query');
    assert.equal(end('a <|begin_of_query|> q<|end_of_query|> b <answer> x'), 'answer');
    assert.equal(end('a <answer> x </answer> then <|begin_of_query|> q'), 'query');
    assert.equal(end('just thinking'), 'eos');
  });
  it('length wins over everything', () => {
    assert.equal(end('a <|begin_of_query|> q', undefined, 'length'), 'length');
  });
});
