/**
 * Adversarial inputs outside the upstream vector files (test/fixtures/fidelity/extra.jsonl, values from
 * running the upstream Python): Unicode whitespace and word boundaries, punctuation, tags.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { METRIC_DEFINITION_NAMES, metricDefinitions } from '../../../../src/core/metrics';
import { r1SearcherReward, r1SearcherSolution } from '../../../../src/core/rewards/r1SearcherQwenZero';
import { extractSolution, isRetrievalCorrect, isValidSequence } from '../../../../src/core/rewards/searchR1Sequence';

interface Extra {
  prediction?: string;
  golds: string[];
  text?: string;
  response?: string;
  expected: Record<string, Record<string, number | boolean | string | null> | number>;
}

const lines = readFileSync(join(__dirname, '../../../fixtures/fidelity/extra.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Extra);

describe('upstream equality on adversarial inputs outside the vector files', () => {
  it('every metric of every definition, exactly (F1 bit for bit)', () => {
    const metricLines = lines.filter((l) => l.prediction !== undefined);
    assert.equal(metricLines.length, 400);
    for (const l of metricLines) {
      for (const name of METRIC_DEFINITION_NAMES) {
        assert.deepEqual(metricDefinitions[name].score(l.prediction!, l.golds), l.expected[name], `${name}: ${JSON.stringify(l.prediction)} vs ${JSON.stringify(l.golds)}`);
      }
    }
  });

  it("Search-R1's is_valid_sequence, extract_solution and is_retrieval_correct", () => {
    const seqLines = lines.filter((l) => l.text !== undefined);
    assert.equal(seqLines.length, 122);
    for (const l of seqLines) {
      const e = l.expected['search-r1-sequence'] as Record<string, unknown>;
      const got = { valid: isValidSequence(l.text!).valid, solution: extractSolution(l.text!), retrievalCorrect: isRetrievalCorrect(l.text!, l.golds) };
      assert.deepEqual(got, e, JSON.stringify(l.text));
    }
  });

  it("R1-Searcher's qwen-zero reward value", () => {
    const rewardLines = lines.filter((l) => l.response !== undefined);
    assert.equal(rewardLines.length, 200);
    for (const l of rewardLines) {
      assert.equal(r1SearcherReward(r1SearcherSolution(l.response!), l.golds).reward, l.expected['r1-searcher-reward'], JSON.stringify(l.response));
    }
  });
});
