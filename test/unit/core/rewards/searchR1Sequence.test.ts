/** Search-R1's sequence rules (qa_em_format.py @a14dc3a) over the text its reward manager decodes. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BUILTIN_TEMPLATES, renderPrompt } from '../../../../src/core/templates';
import {
  extractSolution,
  isRetrievalCorrect,
  isValidSequence,
  retrievalCorrectSearchR1,
  searchR1Text,
} from '../../../../src/core/rewards/searchR1Sequence';

const prompt = renderPrompt(BUILTIN_TEMPLATES['search-r1']!, 'Where is the Louvre?');
const text = (response: string) => searchR1Text(prompt, response);
const good =
  '<think> look it up </think>\n<search> Louvre </search>\n\n<information>Doc 1(Title: "Louvre") The Louvre is in Paris.</information>\n\n' +
  '<think> found </think>\n<answer> Paris </answer>';

describe('Search-R1 sequence rules', () => {
  it('extract_solution wants at least two closed answers: the prompt holds two, the output adds the third', () => {
    assert.equal(extractSolution(text(good)), 'Paris');
    assert.equal(extractSolution('<answer> Paris </answer>'), null, 'one match alone is no solution');
    assert.equal(extractSolution(text('<think> x </think><answer> Paris')), 'Beijing', "an unclosed answer leaves the prompt's example last");
  });

  it('is_valid_sequence: the think/search/information/answer state machine after the assistant marker', () => {
    assert.equal(isValidSequence(text(good)).valid, true);
    assert.equal(isValidSequence(good).rule, 'missing_assistant_marker');
    assert.equal(isValidSequence(text('<think> a </think> hello <answer> y </answer>')).rule, 'text_between_blocks');
    assert.equal(isValidSequence(text('<think> a </think><information> d </information><answer> y </answer>')).rule, 'unexpected_tag');
    assert.equal(isValidSequence(text('<think> a </think><search> q </search>')).rule, 'incomplete');
    assert.equal(isValidSequence(text('<think> a <answer> y </answer>')).rule, 'unbalanced_tags');
    assert.equal(isValidSequence(text('<think> a </think><answer> y </answer>\x1c')).valid, true, 'U+001C is whitespace to str.strip()');
  });

  it('retrieval-correct: a normalised gold as a substring of a whole normalised block, gated by a valid sequence', () => {
    assert.equal(retrievalCorrectSearchR1(text(good), ['paris']), true);
    assert.equal(isRetrievalCorrect(text(good), ['Pari']), true, 'a substring, not a whole word');
    assert.equal(isRetrievalCorrect(text(good), ['n']), true, "the prompt's own <information> and </information> is a block: 'and'");
    const invalid = text(good.replace('<think> found </think>\n', 'found '));
    assert.equal(isRetrievalCorrect(invalid, ['paris']), true);
    assert.equal(retrievalCorrectSearchR1(invalid, ['paris']), false, 'counts only when is_valid_sequence holds');
  });
});
