/**
 * Every fidelity vector (test/fixtures/fidelity, values from running the upstream Python functions):
 * each definition and the R1-Searcher format check must return exactly those values.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { METRIC_DEFINITION_NAMES, metricDefinitions } from '../../../../src/core/metrics';

const dir = join(__dirname, '../../../fixtures/fidelity');
function lines<T>(file: string): T[] {
  return readFileSync(join(dir, file), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);
}

interface MetricVector {
  prediction: string;
  golds: string[];
  expected: Record<string, Record<string, number>>;
}
interface FormatVector {
  response: string;
  expected: { 'r1-searcher': { format: number; violations: string[] } };
}

const metrics = lines<MetricVector>('metrics.jsonl');
const formats = lines<FormatVector>('format.jsonl');

describe('metric definitions equal the upstream functions on every fidelity vector', () => {
  it('holds the vector files whole', () => {
    assert.equal(metrics.length, 9497);
    assert.equal(formats.length, 600);
  });

  for (const name of METRIC_DEFINITION_NAMES) {
    it(`${name}: every vector, F1 to the 6 decimals given`, () => {
      const wrong: string[] = [];
      metrics.forEach((v, i) => {
        const got = metricDefinitions[name].score(v.prediction, v.golds);
        const want = v.expected[name]!;
        assert.deepEqual(Object.keys(got), Object.keys(want), `fields of ${name}`);
        for (const [k, e] of Object.entries(want)) {
          const ok = k === 'f1' ? Math.abs(got[k]! - e) <= 5e-7 + 1e-12 : got[k] === e;
          if (!ok) wrong.push(`line ${i + 1} ${k}: got ${got[k]}, upstream ${e} (${JSON.stringify(v.prediction)} vs ${JSON.stringify(v.golds)})`);
        }
      });
      assert.deepEqual(wrong.slice(0, 5), []);
    });
  }

  it('r1-searcher format check: every vector, same verdict and the same rules named', () => {
    const wrong: string[] = [];
    formats.forEach((v, i) => {
      const got = metricDefinitions['r1-searcher'].formatCheck!(v.response);
      const want = v.expected['r1-searcher'];
      if (got.format !== want.format || got.violations.join() !== want.violations.join()) {
        wrong.push(`line ${i + 1}: got ${JSON.stringify(got)}, upstream ${JSON.stringify(want)}`);
      }
    });
    assert.deepEqual(wrong.slice(0, 5), []);
  });
});
