import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { forkAgent, runAgent, type AgentSettings } from '../../../src/core/agent';
import { createEndpointClient, type CompletionRequest, type EndpointClient } from '../../../src/core/endpoint';
import type { LoopEvent } from '../../../src/core/events';
import type { Logger } from '../../../src/core/ports';
import { getTemplate } from '../../../src/core/templates';
import { searchSteps } from '../../../src/core/trace';
import { startScriptedServer, type ScriptedServer } from '../../fixtures/scriptedServer';
import { FakeRetriever, FILM_BAD_QUESTION, FILM_DOCS, FILM_FORK_POLICIES, FILM_GOLD, FILM_POLICY, FILM_QUESTION } from './helpers';

const Q = FILM_QUESTION;
const BAD = FILM_BAD_QUESTION;
const GOLD = FILM_GOLD;

describe('runAgent and forkAgent: one pipeline against the scripted server', () => {
  let server: ScriptedServer;
  before(async () => {
    server = await startScriptedServer({
      policies: [
        FILM_POLICY,
        ...FILM_FORK_POLICIES,
        // The judge question (R1-Searcher's ACC_L prompt) gets "True" within its 8 tokens.
        { match: 'Given a Question and its Golden Answer', queries: [], answer: 'True', think: 'True' },
      ],
    });
  });
  after(() => server.close());

  const deps = () => ({ endpoint: createEndpointClient({ baseUrl: server.baseUrl, retryBaseMs: 5 }), retriever: new FakeRetriever(FILM_DOCS) });
  const all: AgentSettings = { template: getTemplate('r1-searcher'), infoGain: true, judge: true };

  it('runs the loop, then information gain, the judge, rewards and diagnosis; events stream through', async () => {
    const events: LoopEvent['type'][] = [];
    const t = await runAgent({ question: Q, gold: GOLD, runId: 'run-1', dataset: 'films' }, { ...deps(), onEvent: (e) => events.push(e.type) }, all);
    assert.equal(t.answer, 'Susant Misra');
    assert.equal(t.runId, 'run-1');
    assert.equal(t.dataset, 'films');
    assert.equal(t.outcome.em, 1);
    assert.equal(t.outcome.judge, 1, 'the judge was asked');
    assert.equal(typeof t.rewards.goldProb0, 'number', 'information gain was scored');
    assert.equal(typeof searchSteps(t)[0]!.rewards.infoGain, 'number');
    assert.equal(t.rewards.format, 1, 'rule-based rewards');
    assert.equal(t.rewards.retrievalHit, 1);
    assert.ok(Array.isArray(t.labels));
    assert.equal(events[0], 'started');
    assert.equal(events.at(-1), 'finished');
    assert.ok(events.includes('token') && events.includes('retrieval'));
  });

  it('a fork is scored like a run: information gain and judge included', async () => {
    const plain: AgentSettings = { template: getTemplate('r1-searcher') };
    const original = await runAgent({ question: BAD, gold: GOLD }, deps(), plain);
    assert.equal(original.outcome.em, 0);
    assert.equal(original.outcome.judge, undefined, 'no judge unless asked');
    assert.equal(original.rewards.goldProb0, undefined, 'no information gain unless asked');
    const at = original.steps.findIndex((s) => s.kind === 'search');
    const fork = await forkAgent(original, at, { query: 'Indradhanura Chhai director' }, deps(), all);
    assert.deepEqual(fork.forkOf, { id: original.id, step: at });
    assert.equal(fork.answer, 'Susant Misra');
    assert.equal(fork.outcome.judge, 1);
    assert.equal(typeof fork.rewards.goldProb0, 'number');
    assert.equal(fork.rewards.retrievalHit, 1);
  });

  it('a fork keeps the original\'s gold paragraphs', async () => {
    const original = await runAgent({ question: BAD, gold: GOLD, goldDocs: ['Indradhanura Chhai'] }, deps(), { template: getTemplate('r1-searcher') });
    assert.equal(original.rewards.goldDocRecall, 0);
    const at = original.steps.findIndex((s) => s.kind === 'search');
    const fork = await forkAgent(original, at, { query: 'Indradhanura Chhai director' }, deps(), { template: getTemplate('r1-searcher') });
    assert.deepEqual(fork.goldDocs, ['Indradhanura Chhai']);
    assert.equal(fork.rewards.goldDocRecall, 1);
  });

  it('an endpoint that is down gives an error trajectory with rewards, no scoring requests', async () => {
    const before = server.requests.length;
    const t = await runAgent({ question: Q, gold: GOLD }, { endpoint: createEndpointClient({ baseUrl: 'http://127.0.0.1:9/v1', maxRetries: 0 }), retriever: new FakeRetriever(FILM_DOCS) }, all);
    assert.equal(t.stopReason, 'error');
    assert.match(t.error ?? '', /127\.0\.0\.1:9/);
    assert.equal(t.outcome.judge, undefined);
    assert.equal(server.requests.length, before);
  });

  it('a failing judge throws by default and keeps the rule-based rewards with onScoringError "keep"', async () => {
    const warnings: string[] = [];
    const logger: Logger = { debug() {}, info() {}, warn: (m) => warnings.push(m), error() {} };
    const d = deps();
    const failing: EndpointClient = Object.create(d.endpoint, {
      complete: { value: (req: CompletionRequest) => (req.messages ? Promise.reject(new Error('no chat API here')) : d.endpoint.complete(req)) },
    });
    const settings: AgentSettings = { template: getTemplate('r1-searcher'), judge: true };
    await assert.rejects(runAgent({ question: Q, gold: GOLD }, { ...d, endpoint: failing }, settings), /no chat API here/);
    const kept = await runAgent({ question: Q, gold: GOLD }, { ...d, endpoint: failing, logger }, { ...settings, onScoringError: 'keep' });
    assert.equal(kept.answer, 'Susant Misra');
    assert.equal(kept.outcome.judge, undefined);
    assert.equal(kept.rewards.format, 1);
    assert.match(warnings.join('\n'), /no chat API here; the rule-based rewards are kept/);
  });

  it('a cancel mid-run is recorded as cancelled', async () => {
    const controller = new AbortController();
    const t = await runAgent({ question: Q, gold: GOLD }, { ...deps(), signal: controller.signal, onEvent: (e) => e.type === 'retrieval' && controller.abort() }, all);
    assert.equal(t.stopReason, 'cancelled');
    assert.equal(t.outcome.judge, undefined);
  });
});
