/** Which definition scores a run, and which prediction each definition scores. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../../../src/core/errors';
import { definitionForTemplate, predictionOf, trajectoryOutcome } from '../../../../src/core/metrics/outcome';
import { BUILTIN_TEMPLATES, parseTemplate } from '../../../../src/core/templates';
import { answer, trajectory } from '../build';

describe('metric definition of a run', () => {
  it('by template: its own metricDefinition, else Search-R1 for <search> tags, else R1-Searcher', () => {
    assert.equal(definitionForTemplate('r1-searcher'), 'r1-searcher');
    assert.equal(definitionForTemplate(BUILTIN_TEMPLATES['search-r1']), 'search-r1');
    assert.equal(definitionForTemplate(parseTemplate({ extends: 'search-r1', name: 'mine' }, 't.json')), 'search-r1');
    assert.equal(definitionForTemplate(parseTemplate({ extends: 'r1-searcher', metricDefinition: 'flashrag' }, 't.json')), 'flashrag');
    assert.throws(() => parseTemplate({ extends: 'r1-searcher', metricDefinition: 'squad' }, 't.json'), InputError);
  });

  it("an unanswered R1-Searcher run scores R1-Searcher's \"I don't know.\"; FlashRAG scores an empty prediction", () => {
    const t = trajectory({ gold: ["I don't know"], answer: null, stopReason: 'eos_no_answer', steps: [] });
    assert.equal(predictionOf(t, 'r1-searcher'), "I don't know.");
    assert.deepEqual(trajectoryOutcome(t, 'r1-searcher')!.outcome, { em: 1, f1: 1, coverEm: 1 });
    assert.deepEqual(trajectoryOutcome(t, 'flashrag')!.outcome, { em: 0, f1: 0 });
  });

  it('a Search-R1 run is scored on extract_solution over its prompt and output, a finished run with its </answer> back', () => {
    const policy = { endpoint: '', model: 'm', template: 'search-r1', params: {} };
    const done = trajectory({ gold: ['Paris'], answer: 'Paris', policy, raw: '<think> x </think>\n<answer> Paris', steps: [answer('Paris')] });
    assert.equal(predictionOf(done, 'search-r1'), 'Paris');
    const cut = { ...done, stopReason: 'length' as const };
    assert.equal(predictionOf(cut, 'search-r1'), 'Beijing', "cut off inside the answer: the prompt's example is the last closed answer");
    assert.equal(trajectoryOutcome({ ...done, gold: [] }, 'search-r1'), undefined, 'no gold, no outcome');
  });
});
