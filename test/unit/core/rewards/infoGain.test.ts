import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createEndpointClient } from '../../../../src/core/endpoint';
import { EndpointError } from '../../../../src/core/errors';
import { runLoop } from '../../../../src/core/loop';
import type { Retriever } from '../../../../src/core/ports';
import { infoGainContexts, withInfoGain, withInfoGainAll } from '../../../../src/core/rewards/infoGain';
import { getTemplate, renderPrompt } from '../../../../src/core/templates';
import { searchSteps, type RetrievedDoc } from '../../../../src/core/trace';
import { startScriptedServer, type ScriptedServer } from '../../../fixtures/scriptedServer';
import { answer, doc, reason, search, trajectory } from '../build';

let server: ScriptedServer;

before(async () => {
  server = await startScriptedServer({
    policies: [{ match: 'capital of Oz', queries: ['Oz capital', 'Oz capital city'], answer: 'Emerald City' }],
  });
});
after(() => server.close());

/** A retriever that returns the gold words only for the second query. */
const retriever: Retriever = {
  info: { kind: 'test' },
  async search(query: string): Promise<RetrievedDoc[]> {
    return query.endsWith('city') ? [doc(1, 'Oz', 'The capital of Oz is Emerald City.')] : [doc(1, 'Kansas', 'Dorothy lives in Kansas.')];
  },
};

test('p_t and IG_t from the scripted echo log-probs, computed by hand', async () => {
  const endpoint = createEndpointClient({ baseUrl: server.baseUrl });
  const t = await runLoop({
    question: 'What is the capital of Oz?',
    gold: ['Emerald City'],
    template: getTemplate('r1-searcher'),
    endpoint,
    retriever,
  });
  assert.equal(searchSteps(t).length, 2);
  const before = server.requests.length;
  const scored = await withInfoGain(t, endpoint, { variant: 'hopscope' });
  const asked = server.requests.slice(before).filter((r) => r.path.endsWith('/completions'));
  assert.equal(asked[0]!.body.prompt_logprobs, 1, "vLLM's prompt_logprobs is asked first; this server has only echo");
  const scoring = asked.filter((r) => r.body.echo);
  assert.equal(scoring.length, 3, 'one request for p_0 and one per search');
  for (const r of scoring) {
    assert.equal(r.body.echo, true);
    assert.ok(r.body.logprobs >= 0 && r.body.max_tokens <= 1);
    assert.match(r.body.prompt, /<\/think>\n<answer> Emerald City <\/answer>$/);
  }
  // Scripted log-probs: a word already in the prompt scores -0.1, a new word -5. "Emerald" and "City"
  // are new before any search and after the Kansas document; the Oz document brings both in.
  const p0 = Math.exp(-5);
  const p2 = Math.exp(-0.1);
  const [s1, s2] = searchSteps(scored);
  assert.ok(Math.abs(scored.rewards.goldProb0! - p0) < 1e-12);
  assert.ok(Math.abs(s1!.rewards.goldProb! - p0) < 1e-12);
  assert.ok(Math.abs(s1!.rewards.infoGain!) < 1e-12);
  assert.ok(Math.abs(s2!.rewards.goldProb! - p2) < 1e-12);
  assert.ok(Math.abs(s2!.rewards.infoGain! - (p2 - p0)) < 1e-12);
  assert.ok(Math.abs(scored.rewards.infoGain! - (p2 - p0)) < 1e-12);
});

test('an imported rollout (output only) is scored behind the template prompt, cut after each documents block', () => {
  const raw =
    ' Think. <|begin_of_query|> a<|end_of_query|>\n\n<|begin_of_documents|>\n(1)Title: A Text: x\n<|end_of_documents|>\n\n' +
    'More. <|begin_of_query|> b<|end_of_query|>\n\n<|begin_of_documents|>\n(1)Title: B Text: y\n<|end_of_documents|>\n\nDone. </think>\n<answer> y </answer>';
  const t = trajectory({
    question: 'Q?',
    gold: ['y'],
    raw,
    steps: [reason('Think.'), search('a', [doc(1, 'A', 'x')]), reason('More.'), search('b', [doc(1, 'B', 'y')]), reason('Done.'), answer('y')],
  });
  const prompt = renderPrompt(getTemplate('r1-searcher'), 'Q?');
  const ctx = infoGainContexts(t);
  assert.equal(ctx.length, 3);
  assert.equal(ctx[0], `${prompt} Think. `);
  assert.ok(ctx[1]!.endsWith('(1)Title: A Text: x\n<|end_of_documents|>\n\n'));
  assert.ok(ctx[2]!.endsWith('(1)Title: B Text: y\n<|end_of_documents|>\n\n'));
  assert.deepEqual(infoGainContexts({ ...t, steps: [answer('y')] }), []);
});

test('batched over trajectories: one pool of requests, trajectories without gold untouched', async () => {
  const endpoint = createEndpointClient({ baseUrl: server.baseUrl });
  const raw = ' <|begin_of_query|> a<|end_of_query|>\n\n<|begin_of_documents|>\n(1)Title: A Text: x\n<|end_of_documents|>\n\n</think>\n<answer> x </answer>';
  const one = trajectory({ gold: ['x'], raw, steps: [search('a', [doc(1, 'A', 'x')]), answer('x')] });
  const noGold = trajectory({ raw, steps: one.steps });
  const before = server.requests.length;
  const out = await withInfoGainAll([one, { ...one, id: 't2' }, noGold], endpoint, { concurrency: 2 });
  const scoring = server.requests.slice(before).filter((r) => r.path.endsWith('/completions') && r.body.echo);
  assert.equal(scoring.length, 4, 'two trajectories with gold, p_0 and one search each');
  assert.equal(out[2], noGold, 'a trajectory without gold is left as it was');
  assert.ok(out[0]!.rewards.infoGain! > 0);
});

test("vLLM's prompt_logprobs shape, asked first, gives the same p_t and IG_t as echo", async () => {
  const vllm = await startScriptedServer({
    policies: [{ match: 'capital of Oz', queries: ['Oz capital', 'Oz capital city'], answer: 'Emerald City' }],
    promptLogprobs: 'prompt_logprobs',
  });
  try {
    const run = async (baseUrl: string) => {
      const endpoint = createEndpointClient({ baseUrl });
      const t = await runLoop({ question: 'What is the capital of Oz?', gold: ['Emerald City'], template: getTemplate('r1-searcher'), endpoint, retriever });
      return withInfoGain(t, endpoint, { variant: 'hopscope' });
    };
    const viaEcho = await run(server.baseUrl);
    const before = vllm.requests.length;
    const viaVllm = await run(vllm.baseUrl);
    const scoring = vllm.requests.slice(before).filter((r) => r.path.endsWith('/completions') && (r.body.echo || r.body.prompt_logprobs !== undefined));
    assert.deepEqual(
      scoring.map((r) => (r.body.echo ? 'echo' : 'prompt_logprobs')),
      ['prompt_logprobs', 'prompt_logprobs', 'prompt_logprobs'],
      'a server that answers prompt_logprobs is never asked for echo',
    );
    const [e1, e2] = searchSteps(viaEcho);
    const [v1, v2] = searchSteps(viaVllm);
    assert.ok(Math.abs(viaVllm.rewards.goldProb0! - Math.exp(-5)) < 1e-12);
    assert.ok(Math.abs(v1!.rewards.goldProb! - e1!.rewards.goldProb!) < 1e-12);
    assert.ok(Math.abs(v2!.rewards.goldProb! - Math.exp(-0.1)) < 1e-12);
    assert.ok(Math.abs(v2!.rewards.infoGain! - e2!.rewards.infoGain!) < 1e-12);
  } finally {
    await vllm.close();
  }
});

test('an endpoint without prompt log-probs gets a clear message', async () => {
  const plain = await startScriptedServer({ policies: [], promptLogprobs: false });
  try {
    const endpoint = createEndpointClient({ baseUrl: plain.baseUrl, maxRetries: 0 });
    const raw = ' <|begin_of_query|> a<|end_of_query|>\n\n<|begin_of_documents|>\n(1)Title: A Text: x\n<|end_of_documents|>\n\n';
    const t = trajectory({ gold: ['x'], raw, steps: [search('a', [doc(1, 'A', 'x')])] });
    await assert.rejects(withInfoGain(t, endpoint), (e: unknown) => {
      assert.ok(e instanceof EndpointError);
      assert.match(e.describe(), /log-probs/);
      assert.match(e.describe(), /echo/);
      assert.match(e.describe(), /prompt_logprobs/);
      return true;
    });
  } finally {
    await plain.close();
  }
});
