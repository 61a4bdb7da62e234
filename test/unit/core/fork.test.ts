import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createEndpointClient } from '../../../src/core/endpoint';
import { InputError } from '../../../src/core/errors';
import type { LoopEvent } from '../../../src/core/events';
import { forkContext, forkTrajectory } from '../../../src/core/fork';
import { runLoop } from '../../../src/core/loop';
import { getTemplate } from '../../../src/core/templates';
import { validateTrajectory } from '../../../src/core/traceSchema';
import { searchSteps, type Trajectory } from '../../../src/core/trace';
import { startScriptedServer, type ScriptedServer } from '../../fixtures/scriptedServer';
import { FakeRetriever, FILM_BAD_QUESTION, FILM_DOCS, FILM_FORK_POLICIES, FILM_GOLD, FILM_POLICY, FILM_QUESTION } from './helpers';

const Q = FILM_QUESTION;
const BAD = FILM_BAD_QUESTION;
const GOLD = FILM_GOLD;

describe('forkTrajectory against the scripted server', () => {
  let server: ScriptedServer;
  before(async () => {
    server = await startScriptedServer({
      policies: [
        FILM_POLICY,
        ...FILM_FORK_POLICIES,
      ],
    });
  });
  after(() => server.close());

  const endpoint = () => createEndpointClient({ baseUrl: server.baseUrl, retryBaseMs: 5 });
  const run = (question: string, template = 'r1-searcher', docs = FILM_DOCS) =>
    runLoop({ question, gold: GOLD, template: getTemplate(template), endpoint: endpoint(), retriever: new FakeRetriever(docs) });

  it('a better query reaches the gold answer the original missed', async () => {
    const original = await run(BAD);
    assert.equal(original.answer, 'Rainbow Films');
    assert.equal(original.outcome.em, 0);
    const at = original.steps.findIndex((s) => s.kind === 'search');

    const retriever = new FakeRetriever(FILM_DOCS);
    const fork = await forkTrajectory(original, at, { query: 'Indradhanura Chhai director' }, { template: getTemplate('r1-searcher'), endpoint: endpoint(), retriever });
    assert.equal(fork.answer, 'Susant Misra');
    assert.equal(fork.outcome.em, 1);
    assert.deepEqual(fork.forkOf, { id: original.id, step: at }, 'same template, same retriever: nothing to flag');
    assert.notEqual(fork.id, original.id);
    assert.equal(fork.question, original.question);
    assert.deepEqual(fork.gold, GOLD);
    // The original's steps before the fork point are kept; the forked step has the new query and its documents.
    assert.deepEqual(fork.steps.slice(0, at), original.steps.slice(0, at));
    assert.deepEqual(retriever.queries, ['Indradhanura Chhai director']);
    const forked = fork.steps[at];
    assert.ok(forked.kind === 'search');
    assert.equal(forked.query, 'Indradhanura Chhai director');
    assert.equal(forked.docs[0].title, 'Indradhanura Chhai');
    assert.equal(fork.steps.at(-1)?.kind, 'answer');
    // The transcript: the original's up to the query tag, then the new query and its documents.
    const cut = original.raw.indexOf('<|begin_of_query|>');
    assert.equal(fork.raw.slice(0, cut), original.raw.slice(0, cut));
    assert.match(fork.raw, /<\|begin_of_query\|> Indradhanura Chhai director<\|end_of_query\|>\n\n<\|begin_of_documents\|>\n\(1\)Title: Indradhanura Chhai/);
    assert.doesNotMatch(fork.raw, /rainbow phenomenon/);
    // A fork is a trajectory like any other: it validates against the trace schema, forkOf included.
    const checked = validateTrajectory(JSON.parse(JSON.stringify(fork)));
    assert.ok(checked.ok, checked.ok ? '' : checked.errors.join('; '));
    assert.equal(validateTrajectory(JSON.parse(JSON.stringify({ ...fork, forkOf: { id: original.id } }))).ok, false, 'forkOf needs its step');
  });

  it('rebuilds the context exactly as the loop did: an unchanged fork sends the same prompt as the original', async () => {
    // Without the gold paragraph in the index, the film policy makes both of its searches.
    const original = await run(Q, 'r1-searcher', FILM_DOCS.slice(1));
    assert.equal(searchSteps(original).length, 2);
    const second = original.steps.map((s, i) => ({ s, i })).filter(({ s }) => s.kind === 'search')[1];
    assert.ok(second.s.kind === 'search');
    const prompts = () => server.requests.filter((r) => r.path === '/v1/completions').map((r) => String(r.body.prompt));
    const originalPrompts = prompts().slice(-3);
    const before = prompts().length;
    // The same documents at the second search: the model's next call must see exactly what it saw then.
    const fork = await forkTrajectory(original, second.i, { docs: second.s.docs }, { template: getTemplate('r1-searcher'), endpoint: endpoint(), retriever: new FakeRetriever([]) });
    const sent = prompts().slice(before);
    assert.deepEqual(sent, [originalPrompts[2]]);
    assert.equal(fork.raw, original.raw);
    assert.equal(fork.answer, original.answer);
    const ctx = forkContext(original, second.i, getTemplate('r1-searcher'));
    assert.equal(ctx.from, 'raw');
    assert.equal(ctx.turns, 2);
  });

  it('edited documents: the gold paragraph spliced in by hand, no search made', async () => {
    const original = await run(BAD);
    const at = original.steps.findIndex((s) => s.kind === 'search');
    const retriever = new FakeRetriever(FILM_DOCS);
    const gold = { id: 'doc0', rank: 3, score: 0, title: FILM_DOCS[0].title, text: FILM_DOCS[0].text };
    const fork = await forkTrajectory(original, at, { docs: [gold] }, { template: getTemplate('r1-searcher'), endpoint: endpoint(), retriever });
    assert.deepEqual(retriever.queries, []);
    assert.equal(fork.answer, 'Susant Misra');
    const forked = fork.steps[at];
    assert.ok(forked.kind === 'search');
    assert.equal(forked.query, 'rainbow phenomenon', 'the query stays when only the documents change');
    assert.equal(forked.docs[0].rank, 1);
  });

  it('forks a Search-R1 (chat) trajectory from its transcript', async () => {
    const original = await run(BAD, 'search-r1');
    assert.equal(original.answer, 'Rainbow Films');
    const at = original.steps.findIndex((s) => s.kind === 'search');
    assert.equal(forkContext(original, at, getTemplate('search-r1')).from, 'raw');
    const fork = await forkTrajectory(original, at, { query: 'Indradhanura Chhai director' }, { template: getTemplate('search-r1'), endpoint: endpoint(), retriever: new FakeRetriever(FILM_DOCS) });
    assert.equal(fork.answer, 'Susant Misra');
    assert.match(fork.raw, /<search> Indradhanura Chhai director<\/search>\n\n<information>Doc 1\(Title: "Indradhanura Chhai"\)/);
  });

  it('an imported trajectory (a transcript the loop did not write) is forked from its steps', async () => {
    const original = await run(BAD);
    const imported: Trajectory = { ...original, raw: `gen_text_store: ${original.raw.slice(200)}`, policy: { ...original.policy, endpoint: '' }, source: { format: 'r1searcher' } };
    const at = imported.steps.findIndex((s) => s.kind === 'search');
    assert.equal(forkContext(imported, at, getTemplate('r1-searcher')).from, 'steps');
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, warn: (m: string) => warnings.push(m), error() {} };
    const fork = await forkTrajectory(imported, at, { query: 'Indradhanura Chhai director' }, { template: getTemplate('r1-searcher'), endpoint: endpoint(), retriever: new FakeRetriever(FILM_DOCS), logger });
    assert.equal(fork.answer, 'Susant Misra');
    assert.equal(fork.policy.endpoint, server.baseUrl, 'the fork records the endpoint it ran against');
    assert.match(warnings.join('\n'), /re-assembled from its steps/);
    // Recorded in the fork, so the panel can say it (issue 14), not only the log.
    assert.equal(fork.forkOf?.contextRebuilt, true);
    assert.equal(validateTrajectory(fork).ok, true, 'the new fields are in the schema');
    assert.ok(fork.raw.includes('I will look it up. <|begin_of_query|> Indradhanura Chhai director<|end_of_query|>'));
  });

  it('streams the kept steps first, so a live view shows the whole fork', async () => {
    const original = await run(BAD);
    const at = original.steps.findIndex((s) => s.kind === 'search');
    const events: LoopEvent[] = [];
    const fork = await forkTrajectory(original, at, { query: 'Indradhanura Chhai director' }, { template: getTemplate('r1-searcher'), endpoint: endpoint(), retriever: new FakeRetriever(FILM_DOCS), onEvent: (e) => events.push(e) });
    assert.equal(events[0].type, 'started');
    const finished = events.filter((e): e is Extract<LoopEvent, { type: 'stepFinished' }> => e.type === 'stepFinished');
    assert.deepEqual(finished.map((e) => e.stepIndex), fork.steps.map((_, i) => i));
    assert.equal(events.at(-1)?.type, 'finished');
  });

  it('a fork that searches another retriever than the original records both', async () => {
    const original = await run(BAD);
    const at = original.steps.findIndex((s) => s.kind === 'search');
    const elsewhere = Object.assign(new FakeRetriever(FILM_DOCS), { info: { kind: 'workspace', index: 'ws-31-articles' } });
    const fork = await forkTrajectory(original, at, { query: 'Indradhanura Chhai director' }, { template: getTemplate('r1-searcher'), endpoint: endpoint(), retriever: elsewhere });
    assert.deepEqual(fork.forkOf?.retriever, { original: 'fake retriever fake-index', fork: 'workspace retriever ws-31-articles' });
    const imported: Trajectory = { ...original, retriever: { kind: 'imported', topK: 5 } };
    const fromImport = await forkTrajectory(imported, at, { query: 'Indradhanura Chhai director' }, { template: getTemplate('r1-searcher'), endpoint: endpoint(), retriever: new FakeRetriever(FILM_DOCS) });
    assert.match(fromImport.forkOf?.retriever?.original ?? '', /imported run's own retriever/);
    // An index recorded on one side only is no evidence of another retriever.
    const unrecorded: Trajectory = { ...original, retriever: { kind: 'fake', topK: 5 } };
    const same = await forkTrajectory(unrecorded, at, { query: 'Indradhanura Chhai director' }, { template: getTemplate('r1-searcher'), endpoint: endpoint(), retriever: new FakeRetriever(FILM_DOCS) });
    assert.equal(same.forkOf?.retriever, undefined);
    assert.equal(validateTrajectory(fork).ok, true);
  });

  it('refuses a step that is not a search, and an empty edit', async () => {
    const original = await run(BAD);
    const opts = { template: getTemplate('r1-searcher'), endpoint: endpoint(), retriever: new FakeRetriever(FILM_DOCS) };
    await assert.rejects(forkTrajectory(original, 0, { query: 'x' }, opts), (e) => e instanceof InputError && /not a search step/.test(e.message));
    const at = original.steps.findIndex((s) => s.kind === 'search');
    await assert.rejects(forkTrajectory(original, at, { query: '   ' }, opts), InputError);
  });
});
