import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { redactTrajectory } from '../../../src/core/redactTrajectory';
import { serializeTrajectory } from '../../../src/core/traceStore';
import { minimalTrajectory } from './helpers';

describe('stored and exported trajectories carry no URL credentials', () => {
  it('an old trajectory with credentials in its endpoint, retriever, errors and step errors is cleaned', () => {
    const t = minimalTrajectory(1, {
      policy: { endpoint: 'http://bob:pw-9876@gpu:8000/v1?api_key=KEY-5555', model: 'm', template: 'r1-searcher', params: {} },
      retriever: { kind: 'search-r1-http', topK: 3, index: 'http://ret:pw-1234@ret:9000/retrieve?token=TOK-7777' },
      stopReason: 'error',
      error: 'http://ret:pw-1234@ret:9000/retrieve?token=TOK-7777: HTTP 401 Authorization: Basic cmV0OnB3LTEyMzQ=',
    });
    t.steps = [{ kind: 'search', query: 'q', docs: [], rewards: {}, error: 'denied for Bearer KEY-5555 at http://ret:pw-1234@ret:9000/retrieve' }];
    const line = serializeTrajectory(t);
    for (const secret of ['pw-9876', 'KEY-5555', 'pw-1234', 'TOK-7777', 'cmV0OnB3LTEyMzQ=']) assert.ok(!line.includes(secret), `${secret} in ${line}`);
    const clean = JSON.parse(line);
    assert.equal(clean.policy.endpoint, 'http://gpu:8000/v1?api_key=***');
    assert.equal(clean.retriever.index, 'http://ret:9000/retrieve?token=***');
    assert.equal(clean.steps[0].error, 'denied for Bearer *** at http://ret:9000/retrieve');
  });

  it('a clean trajectory is returned as it is, and a local index path is kept', () => {
    const t = minimalTrajectory(2, { retriever: { kind: 'workspace-bm25', topK: 3, index: '/home/me/.hopscope-index' } });
    assert.equal(redactTrajectory(t), t);
  });
});
