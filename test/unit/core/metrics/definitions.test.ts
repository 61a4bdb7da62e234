/**
 * Named cases where the three definitions differ, and inputs outside the vector files (values worked
 * out from the upstream code: R1-Searcher metric_calc_rule.py @631167c, Search-R1 qa_em.py @a14dc3a,
 * FlashRAG metrics.py @1ee5249).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../../../src/core/errors';
import { metricDefinition, metricDefinitions, normalizeR1Searcher, squadNormalize } from '../../../../src/core/metrics';

const r1 = metricDefinitions['r1-searcher'];
const sr1 = metricDefinitions['search-r1'];
const fr = metricDefinitions.flashrag;

describe('R1-Searcher, Search-R1 and FlashRAG definitions', () => {
  it('acid house vs gold acid-house: R1-Searcher turns the hyphen into a space, SQuAD deletes it', () => {
    assert.deepEqual(r1.score('acid house', ['acid-house']), { em: 1, f1: 1, coverEm: 1 });
    assert.deepEqual(sr1.score('acid house', ['acid-house']), { em: 0, subEm: 0 });
    assert.deepEqual(fr.score('acid house', ['acid-house']), { em: 0, f1: 0 });
    assert.deepEqual(sr1.score('acidhouse', ['acid-house']), { em: 1, subEm: 1 });
  });

  it('True/False read as yes/no in R1-Searcher only; Search-R1 has no bool mapping', () => {
    assert.deepEqual(r1.score('True', ['yes']), { em: 1, f1: 1, coverEm: 1 });
    assert.deepEqual(r1.score('False', ['no']), { em: 1, f1: 1, coverEm: 1 });
    assert.deepEqual(r1.score('true', ['yes']), { em: 0, f1: 0, coverEm: 0 }, 'only the exact strings True/False map');
    assert.deepEqual(sr1.score('True', ['yes']), { em: 0, subEm: 0 });
    assert.deepEqual(fr.score('True', ['yes']), { em: 0, f1: 0 });
  });

  it('underscores and curly quotes are spaces to R1-Searcher, kept or deleted by SQuAD', () => {
    assert.equal(normalizeR1Searcher('New_York'), 'new york');
    assert.equal(squadNormalize('New_York'), 'newyork');
    assert.equal(normalizeR1Searcher('rock’n’roll'), 'rock n roll');
    assert.equal(squadNormalize('rock’n’roll'), 'rock’n’roll', '’ is not in string.punctuation');
    assert.equal(normalizeR1Searcher('´Tis `so`'), 'tis so');
  });

  it('yes/no/noanswer get no partial F1 credit; F1 counts tokens as a multiset', () => {
    assert.equal(r1.score('no it is not', ['no']).f1, 0);
    assert.equal(fr.score('yes', ['no']).f1, 0);
    // pred "paris paris" vs gold "paris": 1 shared token, P = 1/2, R = 1, F1 = 2/3.
    assert.equal(r1.score('Paris Paris', ['Paris']).f1, (2 * 0.5 * 1) / 1.5);
    assert.equal(fr.score('Home Rule', ['x', 'Home Rule League']).f1, 0.8, 'best over golds');
  });

  it('cover-EM: every gold token among the prediction tokens, any order', () => {
    assert.equal(r1.score('Misra, Susant', ['Susant Misra']).coverEm, 1);
    assert.equal(r1.score('Misra', ['Susant Misra']).coverEm, 0);
    assert.equal(r1.score('', ['The']).coverEm, 1, 'an empty gold after normalisation is covered by an empty prediction');
  });

  it('Search-R1 sub-EM is a substring test, so an article-only gold is in everything', () => {
    assert.deepEqual(sr1.score('It was the Home Rule League.', ['home rule league']), { em: 0, subEm: 1 });
    assert.deepEqual(sr1.score('Paris', ['The']), { em: 0, subEm: 1 });
    assert.deepEqual(sr1.score('Parisian', ['Paris']), { em: 0, subEm: 1 });
  });

  it("Python's whitespace and word boundaries, not JavaScript's", () => {
    assert.equal(r1.score('New\x1cYork', ['New York']).em, 1, 'U+001C separates words in str.split()');
    assert.equal(r1.score('New\ufeffYork', ['New York']).em, 0, 'U+FEFF does not');
    assert.equal(squadNormalize('a\u00a0b\u3000c\x85d'), 'b c d');
    assert.equal(squadNormalize('aé the'), 'aé', 'é is a word character to re.\\b');
    assert.equal(squadNormalize('a\u0301'), '\u0301', 'a combining mark is not, so the article goes');
    assert.equal(squadNormalize('İstanbul ΟΔΟΣ'), 'i̇stanbul οδος', 'full lower-case mapping with final sigma');
  });

  it('scoring needs a gold answer, and names the definitions it knows', () => {
    assert.throws(() => r1.score('x', []), InputError);
    assert.throws(
      () => metricDefinition('squad'),
      (e: InputError) => /unknown metric definition "squad".*r1-searcher, search-r1, flashrag/.test(e.describe()),
    );
  });
});
