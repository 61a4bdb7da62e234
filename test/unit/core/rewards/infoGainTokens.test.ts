import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createEndpointClient } from '../../../../src/core/endpoint';
import { runLoop } from '../../../../src/core/loop';
import type { Retriever } from '../../../../src/core/ports';
import { infoGainContexts, withInfoGain } from '../../../../src/core/rewards/infoGain';
import { tokenSpans } from '../../../../src/core/rewards/infoGainTokens';
import { getTemplate, renderPrompt } from '../../../../src/core/templates';
import { searchSteps, type RetrievedDoc, type Trajectory } from '../../../../src/core/trace';
import { startScriptedServer, type ScriptedServer } from '../../../fixtures/scriptedServer';

const BOS = '<|begin_of_text|>';
/** Three emoji before the answer: each one code point (vLLM's count) and two UTF-16 units (JavaScript's). */
const QUESTION = 'What is the capital of Oz 🌈🌈🌈?';
const POLICY = { match: 'capital of Oz', queries: ['Oz capital', 'Oz capital city'], answer: 'Emerald City' };

/** The gold words only for the second query. */
const retriever: Retriever = {
  info: { kind: 'test' },
  async search(query: string): Promise<RetrievedDoc[]> {
    const text = query.endsWith('city') ? 'The capital of Oz 🌈 is Emerald City.' : 'Dorothy lives in Kansas 🌪.';
    return [{ id: '1', rank: 1, score: 1, title: 'Oz', text }];
  },
};

describe('information gain on a BOS tokenizer with emoji in the context (vLLM-shaped log-probs)', () => {
  const servers: ScriptedServer[] = [];
  let echo: ScriptedServer;
  let vllm: ScriptedServer;
  before(async () => {
    echo = await startScriptedServer({ policies: [POLICY], bos: BOS, promptLogprobs: 'echo' });
    vllm = await startScriptedServer({ policies: [POLICY], bos: BOS, promptLogprobs: 'prompt_logprobs' });
    servers.push(echo, vllm);
  });
  after(async () => {
    for (const s of servers) await s.close();
  });

  const run = async (server: ScriptedServer, variant: 'igpo' | 'hopscope'): Promise<Trajectory> => {
    const endpoint = createEndpointClient({ baseUrl: server.baseUrl });
    const t = await runLoop({ question: QUESTION, gold: ['Emerald City'], template: getTemplate('r1-searcher'), endpoint, retriever });
    assert.equal(searchSteps(t).length, 2);
    return withInfoGain(t, endpoint, { variant });
  };

  // Scripted log-probs: a word already in the prompt scores -0.1, a new one -5. "Emerald" and "City" are
  // new until the second search's document brings them in: p = e^-5, e^-5, e^-0.1.
  const expectExact = (t: Trajectory) => {
    const [s1, s2] = searchSteps(t);
    assert.equal(t.rewards.goldProb0, Math.exp(-5));
    assert.equal(s1!.rewards.goldProb, Math.exp(-5));
    assert.equal(s1!.rewards.infoGain, 0);
    assert.equal(s2!.rewards.goldProb, Math.exp(-0.1));
    assert.equal(s2!.rewards.infoGain, Math.exp(-0.1) - Math.exp(-5));
    assert.equal(t.rewards.infoGain, Math.exp(-0.1) - Math.exp(-5));
  };

  it('echo: text_offset counts the BOS and code points; the gold tokens are found from the end, exactly', async () => {
    const t = await run(echo, 'hopscope');
    expectExact(t);
    const scoring = echo.requests.filter((r) => r.body.echo === true);
    assert.ok(scoring.length >= 3);
    assert.match(scoring.at(-1)!.body.prompt, /🌈🌈🌈/);
  });

  it("prompt_logprobs (vLLM's own field, preferred): the same exact p", async () => {
    expectExact(await run(vllm, 'hopscope'));
    expectExact(await run(vllm, 'igpo'));
  });

  it("IGPO's definition: p_0 on the prompt alone, its forced text", async () => {
    const before = echo.requests.length;
    const t = await run(echo, 'igpo');
    expectExact(t);
    const prompts = echo.requests.slice(before).filter((r) => r.body.echo === true).map((r) => r.body.prompt as string);
    const suffix = "\nNow there's enough information to answer\n</think>\n<answer>\nEmerald City\n</answer>";
    assert.ok(prompts.every((p) => p.endsWith(suffix)));
    assert.equal(prompts[0], renderPrompt(getTemplate('r1-searcher'), QUESTION) + suffix, 'p_0: the prompt alone, no reasoning');
    const contexts = infoGainContexts(t, undefined, 'igpo');
    assert.equal(contexts[0], renderPrompt(getTemplate('r1-searcher'), QUESTION));
    assert.equal(contexts[1], infoGainContexts(t, undefined, 'hopscope')[1]);
  });
});

describe('tokenSpans', () => {
  it('places tokens in UTF-16 units of the prompt whatever the offsets start from', () => {
    const prompt = 'a🌈 b';
    // vLLM: BOS first (17 code points), then "a", "🌈", " b" at running code-point sums.
    const spans = tokenSpans({ tokens: [BOS, 'a', '🌈', ' b'], tokenLogprobs: [null, -1, -2, -3], textOffset: [0, 17, 18, 19] }, prompt);
    assert.deepEqual(spans.slice(1), [
      { start: 0, end: 1, logprob: -1 },
      { start: 1, end: 3, logprob: -2 },
      { start: 3, end: 5, logprob: -3 },
    ]);
    assert.deepEqual(spans[0], { start: 0, end: 0, logprob: null }, 'the BOS is before the prompt: an empty span at 0');
  });
});
